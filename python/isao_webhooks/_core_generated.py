"""The ISAO core's tables, written by scripts/sdk/python.ts from the core (core/events.ts,
core/entities.ts, core/records.ts, core/bounds.ts, core/signatures.ts, core/inputs.ts and the Node
package's problems): do not edit, run `npm run sdk:generate`."""

from typing import Dict, Final, List, Mapping, Tuple

SIGNATURE_HEADER: Final[str] = "X-Isao-Hmac-Sha256"
DEDUP_TTL_SECONDS: Final[int] = 7200
EPOCH_MS_FROM: Final[float] = 100000000000
EPOCH_US_FROM: Final[float] = 100000000000000
MAX_DEPTH: Final[int] = 32
MAX_SIZE: Final[int] = 1000000
QUOTE_MAX: Final[int] = 100
LABEL_KEYS_KEPT: Final[int] = 2000
DEFAULT_DEADLINE_MS: Final[int] = 10000
MEMORY_STORE_ENTRIES: Final[int] = 10000
EMPTY_BODY: Final[str] = "The webhook from ISAO had an empty body: nothing to process."
MISSING_WORDS: Final[str] = "The request has no X-Isao-Hmac-Sha256 header. ISAO signs every delivery of a webhook that has a signing secret: check that the request came from ISAO and that no proxy dropped the header."
MALFORMED_WORDS: Final[str] = "The X-Isao-Hmac-Sha256 header is not a signature: expected a 32-byte HMAC-SHA256 in base64, base64url or hex, optionally after \"sha256=\"."
PROBLEMS: Final[Mapping[str, int]] = {"header": 400, "missing": 401, "malformed": 401, "mismatch": 401, "replay": 401, "encoding": 400, "bom": 400, "empty": 400, "json": 400, "not-event": 400, "unknown": 400, "unusable": 400, "unread": 500}
EVENT_NAMES: Final[Tuple[str, ...]] = ("contact.created", "contact.updated", "deal.created", "deal.updated", "deal.stage_changed", "deal.won", "deal.lost", "appointment.created", "appointment.updated", "appointment.deleted")
ALIASES: Final[Mapping[str, str]] = {"appointment_create": "appointment.created", "appointment_update": "appointment.updated", "appointment_destroy": "appointment.deleted"}
KIND_OF: Final[Mapping[str, str]] = {"contact.created": "contact", "contact.updated": "contact", "deal.created": "deal", "deal.updated": "deal", "deal.stage_changed": "deal", "deal.won": "deal", "deal.lost": "deal", "appointment.created": "appointment", "appointment.updated": "appointment", "appointment.deleted": "appointment"}
ID_KEYS: Final[Mapping[str, List[str]]] = {"contact": ["id", "contactId", "contact_id"], "deal": ["id", "dealId", "deal_id"], "appointment": ["id", "appointmentId", "appointment_id", "calendarid", "calendarId"]}
OUTPUT_KEYS: Final[Mapping[str, List[str]]] = {"contact": ["id", "name", "firstName", "lastName", "email", "phoneNumber", "position", "currentCompany", "industrySector", "city", "country", "tags", "companyId", "createdAt", "updatedAt"], "deal": ["id", "title", "value", "currency", "stage", "previousStage", "status", "probability", "expectedCloseDate", "contactId", "contactName", "ownerName", "createdAt", "updatedAt"], "appointment": ["id", "calendarid", "businessId", "status", "startDateTime", "endDateTime", "timeZone", "reason__reasonId", "reason__reasonDesc", "reason__visitMinutes", "client__clientId", "client__firstName", "client__lastName", "client__emailAddress", "client__phoneNumber", "client__notes", "staff__professionalId", "staff__fullName", "staff__email", "location__locationId", "location__locationName", "location__locationType", "fields", "createdAt", "updatedAt"]}
EVENT_OUTPUT_KEYS: Final[List[str]] = ["isao_event__type", "isao_event__id", "isao_event__occurred_at", "isao_event__source", "isao_event__company_id", "isao_event_key"]
SAMPLES: Final[Mapping[str, Dict[str, object]]] = {"contact.created": {"id": "contact_123", "name": "Jane Smith", "firstName": "Jane", "lastName": "Smith", "phoneNumber": "+33987654321", "email": "jane.smith@example.com", "position": "Head of Operations", "currentCompany": "Tech Corp", "industrySector": "Technology", "city": "Paris", "country": "France", "tags": ["lead", "enterprise"], "companyId": "cmb72clgt0003145mvfrg8iyh", "createdAt": "2024-11-08T09:30:00.000Z", "updatedAt": "2024-11-08T09:30:00.000Z"}, "contact.updated": {"id": "contact_123", "name": "Jane Smith-Martin", "firstName": "Jane", "lastName": "Smith-Martin", "phoneNumber": "+33987654321", "email": "jane.smith@example.com", "position": "Head of Operations", "currentCompany": "Tech Corp", "industrySector": "Technology", "city": "Paris", "country": "France", "tags": ["lead", "enterprise"], "companyId": "cmb72clgt0003145mvfrg8iyh", "createdAt": "2024-11-08T09:30:00.000Z", "updatedAt": "2024-11-09T14:05:00.000Z"}, "deal.created": {"id": "deal_456", "title": "Enterprise plan \u2013 Tech Corp", "value": 12000, "currency": "EUR", "stage": "Qualified", "previousStage": None, "status": "open", "probability": 20, "expectedCloseDate": "2024-12-15", "contactId": "contact_123", "contactName": "Jane Smith", "ownerName": "Marc Dupont", "createdAt": "2024-11-02T08:00:00.000Z", "updatedAt": "2024-11-02T08:00:00.000Z"}, "deal.updated": {"id": "deal_456", "title": "Enterprise plan \u2013 Tech Corp", "value": 12000, "currency": "EUR", "stage": "Proposal", "previousStage": "Qualified", "status": "open", "probability": 60, "expectedCloseDate": "2024-12-15", "contactId": "contact_123", "contactName": "Jane Smith", "ownerName": "Marc Dupont", "createdAt": "2024-11-02T08:00:00.000Z", "updatedAt": "2024-11-08T10:30:00.000Z"}, "deal.stage_changed": {"id": "deal_456", "title": "Enterprise plan \u2013 Tech Corp", "value": 12000, "currency": "EUR", "stage": "Proposal", "previousStage": "Qualified", "status": "open", "probability": 60, "expectedCloseDate": "2024-12-15", "contactId": "contact_123", "contactName": "Jane Smith", "ownerName": "Marc Dupont", "createdAt": "2024-11-02T08:00:00.000Z", "updatedAt": "2024-11-08T10:30:00.000Z"}, "deal.won": {"id": "deal_456", "title": "Enterprise plan \u2013 Tech Corp", "value": 12000, "currency": "EUR", "stage": "Closed Won", "previousStage": "Negotiation", "status": "won", "probability": 100, "expectedCloseDate": "2024-12-15", "contactId": "contact_123", "contactName": "Jane Smith", "ownerName": "Marc Dupont", "createdAt": "2024-11-02T08:00:00.000Z", "updatedAt": "2024-11-08T10:30:00.000Z"}, "deal.lost": {"id": "deal_456", "title": "Enterprise plan \u2013 Tech Corp", "value": 12000, "currency": "EUR", "stage": "Closed Lost", "previousStage": "Proposal", "status": "lost", "probability": 0, "expectedCloseDate": "2024-12-15", "contactId": "contact_123", "contactName": "Jane Smith", "ownerName": "Marc Dupont", "createdAt": "2024-11-02T08:00:00.000Z", "updatedAt": "2024-11-08T10:30:00.000Z"}, "appointment.created": {"id": "appt_10390617", "calendarid": 10390617, "businessId": 20398, "status": "confirmed", "startDateTime": "2024-11-12T13:00:00.000Z", "endDateTime": "2024-11-12T13:45:00.000Z", "timeZone": "Europe/Paris", "reason": {"reasonId": 96439, "reasonDesc": "Initial consultation", "visitMinutes": 45}, "client": {"clientId": 2530974, "firstName": "Jon", "lastName": "Snow", "emailAddress": "jon.snow@example.com", "phoneNumber": "+33612345678", "notes": "Would like a reminder the day before."}, "staff": {"professionalId": 42441, "fullName": "Dr. Ana Jones", "email": "ana.jones@example.com"}, "location": {"locationId": 29945, "locationName": "Paris Office", "locationType": "Office"}, "fields": [], "createdAt": "2024-11-08T10:30:00.000Z", "updatedAt": "2024-11-08T10:30:00.000Z"}, "appointment.updated": {"id": "appt_10390617", "calendarid": 10390617, "businessId": 20398, "status": "confirmed", "startDateTime": "2024-11-13T09:00:00.000Z", "endDateTime": "2024-11-13T09:45:00.000Z", "timeZone": "Europe/Paris", "reason": {"reasonId": 96439, "reasonDesc": "Initial consultation", "visitMinutes": 45}, "client": {"clientId": 2530974, "firstName": "Jon", "lastName": "Snow", "emailAddress": "jon.snow@example.com", "phoneNumber": "+33612345678", "notes": "Would like a reminder the day before."}, "staff": {"professionalId": 42441, "fullName": "Dr. Ana Jones", "email": "ana.jones@example.com"}, "location": {"locationId": 29945, "locationName": "Paris Office", "locationType": "Office"}, "fields": [], "createdAt": "2024-11-08T10:30:00.000Z", "updatedAt": "2024-11-09T16:20:00.000Z"}, "appointment.deleted": {"id": "appt_10390617", "calendarid": 10390617, "businessId": 20398, "status": "canceled", "startDateTime": "2024-11-12T13:00:00.000Z", "endDateTime": "2024-11-12T13:45:00.000Z", "timeZone": "Europe/Paris", "reason": {"reasonId": 96439, "reasonDesc": "Initial consultation", "visitMinutes": 45}, "client": {"clientId": 2530974, "firstName": "Jon", "lastName": "Snow", "emailAddress": "jon.snow@example.com", "phoneNumber": "+33612345678", "notes": "Would like a reminder the day before."}, "staff": {"professionalId": 42441, "fullName": "Dr. Ana Jones", "email": "ana.jones@example.com"}, "location": {"locationId": 29945, "locationName": "Paris Office", "locationType": "Office"}, "fields": [], "createdAt": "2024-11-08T10:30:00.000Z", "updatedAt": "2024-11-10T08:15:00.000Z"}}

#: What the core's text() trims at either end (white space and invisible characters), as
#: inclusive code point ranges.
INVISIBLE: Final[Tuple[Tuple[int, int], ...]] = (
    (0x9, 0xD),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0xAD, 0xAD),
    (0x34F, 0x34F),
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x115F, 0x1160),
    (0x1680, 0x1680),
    (0x17B4, 0x17B5),
    (0x180E, 0x180E),
    (0x2000, 0x200F),
    (0x2028, 0x202F),
    (0x205F, 0x206F),
    (0x3000, 0x3000),
    (0x3164, 0x3164),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE001F),
    (0xE0080, 0xE00FF),
    (0xE01F0, 0xE0FFF),
)

#: JavaScript's white space (String.prototype.trim, \s), as inclusive code point ranges.
JS_SPACE: Final[Tuple[Tuple[int, int], ...]] = (
    (0x9, 0xD),
    (0x20, 0x20),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200A),
    (0x2028, 0x2029),
    (0x202F, 0x202F),
    (0x205F, 0x205F),
    (0x3000, 0x3000),
    (0xFEFF, 0xFEFF),
)
