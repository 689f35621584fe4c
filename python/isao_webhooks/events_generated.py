"""The data and record of every ISAO event, written by scripts/sdk/python-types.ts from the
core's event table (core/events.ts, core/entities.ts): do not edit, run `npm run sdk:generate`.

The TypedDicts name the documented fields; ISAO's `data` is passed on as sent, so any other field
is there too (read it with `.get()`)."""

from typing import (
    Callable,
    Dict,
    List,
    Literal,
    Optional,
    Sequence,
    Tuple,
    TypedDict,
    TypeVar,
    Union,
    overload,
)

IsaoEventName = Literal[
    "contact.created",
    "contact.updated",
    "deal.created",
    "deal.updated",
    "deal.stage_changed",
    "deal.won",
    "deal.lost",
    "appointment.created",
    "appointment.updated",
    "appointment.deleted",
]
"""An event of ISAO's table."""


class EventMeta(TypedDict):
    """The metadata of the event that carried a record (None where unknown)."""

    type: str
    id: Optional[str]
    occurred_at: Optional[str]
    source: Optional[str]
    company_id: Optional[str]


class ContactData(TypedDict, total=False):
    """A contact as ISAO sends it (an event's `data`): the documented fields; any other is there too."""

    id: Union[str, int, float]  # Contact ID
    name: Optional[str]  # Full Name
    firstName: Optional[str]  # First Name
    lastName: Optional[str]  # Last Name
    email: Optional[str]  # Email
    phoneNumber: Optional[str]  # Phone Number
    position: Optional[str]  # Position
    currentCompany: Optional[str]  # Company
    industrySector: Optional[str]  # Industry Sector
    city: Optional[str]  # City
    country: Optional[str]  # Country
    tags: Optional[List[str]]  # Tags
    companyId: Optional[str]  # ISAO Account ID
    createdAt: Optional[str]  # Created At
    updatedAt: Optional[str]  # Updated At


class ContactRecord(TypedDict):
    """A contact as the core shapes it into a record, the same as the Zapier and n8n records."""

    id: Union[str, int, float]  # Contact ID
    name: Optional[str]  # Full Name
    firstName: Optional[str]  # First Name
    lastName: Optional[str]  # Last Name
    email: Optional[str]  # Email
    phoneNumber: Optional[str]  # Phone Number
    position: Optional[str]  # Position
    currentCompany: Optional[str]  # Company
    industrySector: Optional[str]  # Industry Sector
    city: Optional[str]  # City
    country: Optional[str]  # Country
    tags: Optional[List[str]]  # Tags
    companyId: Optional[str]  # ISAO Account ID
    createdAt: Optional[str]  # Created At
    updatedAt: Optional[str]  # Updated At
    isao_event: EventMeta  # the event's metadata
    isao_event_key: str  # with id, what tells two records apart


class DealData(TypedDict, total=False):
    """A deal as ISAO sends it (an event's `data`): the documented fields; any other is there too."""

    id: Union[str, int, float]  # Deal ID
    title: Optional[str]  # Deal Title
    value: Optional[float]  # Deal Value
    currency: Optional[str]  # Currency
    stage: Optional[str]  # Stage
    previousStage: Optional[str]  # Previous Stage
    status: Optional[str]  # Status
    probability: Optional[float]  # Probability (%)
    expectedCloseDate: Optional[str]  # Expected Close Date
    contactId: Optional[str]  # Contact ID
    contactName: Optional[str]  # Contact Name
    ownerName: Optional[str]  # Owner
    createdAt: Optional[str]  # Created At
    updatedAt: Optional[str]  # Updated At


class DealRecord(TypedDict):
    """A deal as the core shapes it into a record, the same as the Zapier and n8n records."""

    id: Union[str, int, float]  # Deal ID
    title: Optional[str]  # Deal Title
    value: Optional[float]  # Deal Value
    currency: Optional[str]  # Currency
    stage: Optional[str]  # Stage
    previousStage: Optional[str]  # Previous Stage
    status: Optional[str]  # Status
    probability: Optional[float]  # Probability (%)
    expectedCloseDate: Optional[str]  # Expected Close Date
    contactId: Optional[str]  # Contact ID
    contactName: Optional[str]  # Contact Name
    ownerName: Optional[str]  # Owner
    createdAt: Optional[str]  # Created At
    updatedAt: Optional[str]  # Updated At
    isao_event: EventMeta  # the event's metadata
    isao_event_key: str  # with id, what tells two records apart


class AppointmentReasonData(TypedDict, total=False):
    """The appointment's reason, as ISAO sends it."""

    reasonId: Optional[float]  # Service ID
    reasonDesc: Optional[str]  # Service
    visitMinutes: Optional[float]  # Duration (Minutes)


class AppointmentClientData(TypedDict, total=False):
    """The appointment's client, as ISAO sends it."""

    clientId: Optional[float]  # Client ID
    firstName: Optional[str]  # Client First Name
    lastName: Optional[str]  # Client Last Name
    emailAddress: Optional[str]  # Client Email
    phoneNumber: Optional[str]  # Client Phone
    notes: Optional[str]  # Client Notes


class AppointmentStaffData(TypedDict, total=False):
    """The appointment's staff, as ISAO sends it."""

    professionalId: Optional[float]  # Staff ID
    fullName: Optional[str]  # Staff Member
    email: Optional[str]  # Staff Email


class AppointmentLocationData(TypedDict, total=False):
    """The appointment's location, as ISAO sends it."""

    locationId: Optional[float]  # Location ID
    locationName: Optional[str]  # Location
    locationType: Optional[str]  # Location Type


class AppointmentData(TypedDict, total=False):
    """A appointment as ISAO sends it (an event's `data`): the documented fields; any other is there too."""

    id: Union[str, int, float]  # Appointment ID
    calendarid: Optional[float]  # Calendar ID
    businessId: Optional[float]  # Business ID
    status: Optional[str]  # Status
    startDateTime: Optional[str]  # Start
    endDateTime: Optional[str]  # End
    timeZone: Optional[str]  # Time Zone
    reason: Optional[AppointmentReasonData]
    client: Optional[AppointmentClientData]
    staff: Optional[AppointmentStaffData]
    location: Optional[AppointmentLocationData]
    fields: Optional[List[object]]  # Custom Fields (as ISAO Sends Them)
    createdAt: Optional[str]  # Created At
    updatedAt: Optional[str]  # Updated At


class AppointmentReasonRecord(TypedDict):
    """The appointment's reason, as the record holds it."""

    reasonId: Optional[float]  # Service ID
    reasonDesc: Optional[str]  # Service
    visitMinutes: Optional[float]  # Duration (Minutes)


class AppointmentClientRecord(TypedDict):
    """The appointment's client, as the record holds it."""

    clientId: Optional[float]  # Client ID
    firstName: Optional[str]  # Client First Name
    lastName: Optional[str]  # Client Last Name
    emailAddress: Optional[str]  # Client Email
    phoneNumber: Optional[str]  # Client Phone
    notes: Optional[str]  # Client Notes


class AppointmentStaffRecord(TypedDict):
    """The appointment's staff, as the record holds it."""

    professionalId: Optional[float]  # Staff ID
    fullName: Optional[str]  # Staff Member
    email: Optional[str]  # Staff Email


class AppointmentLocationRecord(TypedDict):
    """The appointment's location, as the record holds it."""

    locationId: Optional[float]  # Location ID
    locationName: Optional[str]  # Location
    locationType: Optional[str]  # Location Type


class AppointmentRecord(TypedDict):
    """A appointment as the core shapes it into a record, the same as the Zapier and n8n records."""

    id: Union[str, int, float]  # Appointment ID
    calendarid: Optional[float]  # Calendar ID
    businessId: Optional[float]  # Business ID
    status: Optional[str]  # Status
    startDateTime: Optional[str]  # Start
    endDateTime: Optional[str]  # End
    timeZone: Optional[str]  # Time Zone
    reason: AppointmentReasonRecord
    client: AppointmentClientRecord
    staff: AppointmentStaffRecord
    location: AppointmentLocationRecord
    fields: Optional[List[object]]  # Custom Fields (as ISAO Sends Them)
    createdAt: Optional[str]  # Created At
    updatedAt: Optional[str]  # Updated At
    custom_fields: Dict[str, object]  # each custom field, keyed from its own label
    isao_event: EventMeta  # the event's metadata
    isao_event_key: str  # with id, what tells two records apart


ContactCreatedEvent = TypedDict(
    "ContactCreatedEvent",
    {"name": Literal["contact.created"], "id": Optional[str], "occurred_at": Optional[str], "data": ContactData, "record": ContactRecord},
)
"""New Contact: Triggers when a new contact is added."""
ContactUpdatedEvent = TypedDict(
    "ContactUpdatedEvent",
    {"name": Literal["contact.updated"], "id": Optional[str], "occurred_at": Optional[str], "data": ContactData, "record": ContactRecord},
)
"""Updated Contact: Triggers when a contact's details change."""
DealCreatedEvent = TypedDict(
    "DealCreatedEvent",
    {"name": Literal["deal.created"], "id": Optional[str], "occurred_at": Optional[str], "data": DealData, "record": DealRecord},
)
"""New Deal: Triggers when a new deal is created."""
DealUpdatedEvent = TypedDict(
    "DealUpdatedEvent",
    {"name": Literal["deal.updated"], "id": Optional[str], "occurred_at": Optional[str], "data": DealData, "record": DealRecord},
)
"""Updated Deal: Triggers when a deal's details change."""
DealStageChangedEvent = TypedDict(
    "DealStageChangedEvent",
    {"name": Literal["deal.stage_changed"], "id": Optional[str], "occurred_at": Optional[str], "data": DealData, "record": DealRecord},
)
"""Deal Stage Changed: Triggers when a deal moves to a new stage."""
DealWonEvent = TypedDict(
    "DealWonEvent",
    {"name": Literal["deal.won"], "id": Optional[str], "occurred_at": Optional[str], "data": DealData, "record": DealRecord},
)
"""Deal Won: Triggers when a deal is marked as won."""
DealLostEvent = TypedDict(
    "DealLostEvent",
    {"name": Literal["deal.lost"], "id": Optional[str], "occurred_at": Optional[str], "data": DealData, "record": DealRecord},
)
"""Deal Lost: Triggers when a deal is marked as lost."""
AppointmentCreatedEvent = TypedDict(
    "AppointmentCreatedEvent",
    {"name": Literal["appointment.created"], "id": Optional[str], "occurred_at": Optional[str], "data": AppointmentData, "record": AppointmentRecord},
)
"""New Appointment: Triggers when an appointment is booked."""
AppointmentUpdatedEvent = TypedDict(
    "AppointmentUpdatedEvent",
    {"name": Literal["appointment.updated"], "id": Optional[str], "occurred_at": Optional[str], "data": AppointmentData, "record": AppointmentRecord},
)
"""Updated Appointment: Triggers when an appointment is changed or rescheduled."""
AppointmentDeletedEvent = TypedDict(
    "AppointmentDeletedEvent",
    {"name": Literal["appointment.deleted"], "id": Optional[str], "occurred_at": Optional[str], "data": AppointmentData, "record": AppointmentRecord},
)
"""Canceled or Deleted Appointment: Triggers when an appointment is canceled or deleted."""

AnyIsaoEvent = Union[
    ContactCreatedEvent,
    ContactUpdatedEvent,
    DealCreatedEvent,
    DealUpdatedEvent,
    DealStageChangedEvent,
    DealWonEvent,
    DealLostEvent,
    AppointmentCreatedEvent,
    AppointmentUpdatedEvent,
    AppointmentDeletedEvent,
]
"""Any ISAO event: checking `event["name"]` narrows its `data` and `record`."""


class UnknownEvent(TypedDict):
    """An item naming no event of the table (another event, or a bare record): not typed."""

    name: Optional[str]
    id: Optional[str]
    occurred_at: Optional[str]
    data: Optional[Dict[str, object]]


IsaoEventNames = Union[List[IsaoEventName], Tuple[IsaoEventName, ...]]
"""Several events, as `on` takes them: a list or a tuple of names."""

_R = TypeVar("_R")
AnyHandler = Callable[[AnyIsaoEvent], object]
"""A handler of any event: what `on_any`, and `on` given several names, take."""


class TypedDispatch:
    """`on(name)`: the handler's event typed by the name (a decorator, or given the handler)."""

    def _checked(self, names: Tuple[str, ...]) -> Tuple[str, ...]:
        """The names, once known to be events (a ValueError names one that is not)."""
        raise NotImplementedError

    def _register(self, names: Tuple[str, ...], handler: AnyHandler) -> None:
        raise NotImplementedError

    @overload
    def on(self, event: Literal["contact.created"]) -> Callable[[Callable[[ContactCreatedEvent], _R]], Callable[[ContactCreatedEvent], _R]]: ...
    @overload
    def on(self, event: Literal["contact.created"], handler: Callable[[ContactCreatedEvent], _R]) -> Callable[[ContactCreatedEvent], _R]: ...
    @overload
    def on(self, event: Literal["contact.updated"]) -> Callable[[Callable[[ContactUpdatedEvent], _R]], Callable[[ContactUpdatedEvent], _R]]: ...
    @overload
    def on(self, event: Literal["contact.updated"], handler: Callable[[ContactUpdatedEvent], _R]) -> Callable[[ContactUpdatedEvent], _R]: ...
    @overload
    def on(self, event: Literal["deal.created"]) -> Callable[[Callable[[DealCreatedEvent], _R]], Callable[[DealCreatedEvent], _R]]: ...
    @overload
    def on(self, event: Literal["deal.created"], handler: Callable[[DealCreatedEvent], _R]) -> Callable[[DealCreatedEvent], _R]: ...
    @overload
    def on(self, event: Literal["deal.updated"]) -> Callable[[Callable[[DealUpdatedEvent], _R]], Callable[[DealUpdatedEvent], _R]]: ...
    @overload
    def on(self, event: Literal["deal.updated"], handler: Callable[[DealUpdatedEvent], _R]) -> Callable[[DealUpdatedEvent], _R]: ...
    @overload
    def on(self, event: Literal["deal.stage_changed"]) -> Callable[[Callable[[DealStageChangedEvent], _R]], Callable[[DealStageChangedEvent], _R]]: ...
    @overload
    def on(self, event: Literal["deal.stage_changed"], handler: Callable[[DealStageChangedEvent], _R]) -> Callable[[DealStageChangedEvent], _R]: ...
    @overload
    def on(self, event: Literal["deal.won"]) -> Callable[[Callable[[DealWonEvent], _R]], Callable[[DealWonEvent], _R]]: ...
    @overload
    def on(self, event: Literal["deal.won"], handler: Callable[[DealWonEvent], _R]) -> Callable[[DealWonEvent], _R]: ...
    @overload
    def on(self, event: Literal["deal.lost"]) -> Callable[[Callable[[DealLostEvent], _R]], Callable[[DealLostEvent], _R]]: ...
    @overload
    def on(self, event: Literal["deal.lost"], handler: Callable[[DealLostEvent], _R]) -> Callable[[DealLostEvent], _R]: ...
    @overload
    def on(self, event: Literal["appointment.created"]) -> Callable[[Callable[[AppointmentCreatedEvent], _R]], Callable[[AppointmentCreatedEvent], _R]]: ...
    @overload
    def on(self, event: Literal["appointment.created"], handler: Callable[[AppointmentCreatedEvent], _R]) -> Callable[[AppointmentCreatedEvent], _R]: ...
    @overload
    def on(self, event: Literal["appointment.updated"]) -> Callable[[Callable[[AppointmentUpdatedEvent], _R]], Callable[[AppointmentUpdatedEvent], _R]]: ...
    @overload
    def on(self, event: Literal["appointment.updated"], handler: Callable[[AppointmentUpdatedEvent], _R]) -> Callable[[AppointmentUpdatedEvent], _R]: ...
    @overload
    def on(self, event: Literal["appointment.deleted"]) -> Callable[[Callable[[AppointmentDeletedEvent], _R]], Callable[[AppointmentDeletedEvent], _R]]: ...
    @overload
    def on(self, event: Literal["appointment.deleted"], handler: Callable[[AppointmentDeletedEvent], _R]) -> Callable[[AppointmentDeletedEvent], _R]: ...
    @overload
    def on(self, event: IsaoEventNames) -> Callable[[Callable[[AnyIsaoEvent], _R]], Callable[[AnyIsaoEvent], _R]]: ...
    @overload
    def on(self, event: IsaoEventNames, handler: Callable[[AnyIsaoEvent], _R]) -> Callable[[AnyIsaoEvent], _R]: ...

    def on(
        self,
        event: Union[str, Sequence[str]],
        handler: Optional[Callable[..., object]] = None,
    ) -> Callable[..., object]:
        """Runs the handler for each event of this name (or these names)."""
        names = self._checked((event,) if isinstance(event, str) else tuple(event))

        def register(given: Callable[..., object]) -> Callable[..., object]:
            self._register(names, given)
            return given

        if handler is None:
            return register
        return register(handler)
