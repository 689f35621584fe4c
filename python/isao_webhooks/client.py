"""ISAO's API from Python, under the core's rules (as the Node package's IsaoClient keeps them):
the base URL must be https (plain http only for this machine), the key goes as a Bearer header to
that URL and nowhere else (a redirect is refused, never followed), and every failure is an
:class:`IsaoApiError` worded for a person, naming the status, the permission or the field, never
holding the key. Standard library only (urllib)."""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.request
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union
from urllib.parse import urlencode, urlsplit

from ._api_words import (
    API_KEY_HELP,
    DEFAULT_API_URL,
    TIMEOUT_S,
    failure_for,
    key_problem,
    parse_body,
    quote,
    shown,
    text,
    url_problem,
)
from ._contact import contact_body, created_contact
from .events_generated import IsaoEventName

EVENTS: Tuple[IsaoEventName, ...] = (
    "contact.created", "contact.updated", "deal.created", "deal.updated", "deal.stage_changed",
    "deal.won", "deal.lost", "appointment.created", "appointment.updated", "appointment.deleted",
)


class IsaoApiError(Exception):
    """A call that failed: ``status`` is ISAO's (0 when no answer came), ``code`` a stable name,
    ``field`` the input at fault (refused before sending), ``retry_after`` seconds (429)."""

    def __init__(self, message: str, *, status: int, code: str, field: Optional[str] = None,
                 retry_after: Optional[float] = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.field = field
        self.retry_after = retry_after


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx comes back as it is: refused below, the key never sent elsewhere


_OPENER = urllib.request.build_opener(_NoRedirect)
_NETWORK = {
    ConnectionRefusedError: ("the connection was refused", "ECONNREFUSED"),
    ConnectionResetError: ("the connection was reset", "ECONNRESET"),
    socket.gaierror: ("the host name could not be resolved", "ENOTFOUND"),
}


def _event(event: object) -> IsaoEventName:
    for name in EVENTS:
        if event == name:
            return name
    raise IsaoApiError(
        f"{quote(event, 60)} is not an ISAO event; the events are {', '.join(EVENTS)}.",
        status=0, code="invalid_input", field="event",
    )


def _created(item: Dict[str, Any]) -> Optional[datetime]:
    raw = text(item.get("created_at"))
    try:
        return datetime.fromisoformat(re.sub(r"Z$", "+00:00", raw)) if raw else None
    except ValueError:
        return None


def _iso_text(moment: datetime) -> str:
    utc = moment.astimezone(timezone.utc) if moment.tzinfo else moment
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _iso(moment: Optional[datetime]) -> Optional[str]:
    return None if moment is None else _iso_text(moment)


def _unwrap(body: Any) -> Any:
    if not isinstance(body, dict):
        return body
    if "success" in body:
        return body.get("data")
    envelope = {"success", "status", "message", "meta", "links", "total", "count", "page", "pagination"}
    return body["data"] if "data" in body and all(k == "data" or k in envelope for k in body) else body


def _list(body: Any) -> Optional[List[Any]]:
    data = _unwrap(body)
    if isinstance(data, dict):
        data = None if "id" in data else next(
            (data[k] for k in ("items", "results", "data") if isinstance(data.get(k), list)), None
        )
    return data if isinstance(data, list) else None


class IsaoClient:
    """``IsaoClient(api_key, base_url=...)``: subscriptions, samples, recent records, contacts."""

    def __init__(self, api_key: str, base_url: Optional[str] = None) -> None:
        self.api_key = api_key
        self.base_url = DEFAULT_API_URL if base_url is None else base_url

    def _call(self, method: str, path: str, permission: str, body: Optional[Dict[str, Any]] = None,
              accept: Sequence[int] = ()) -> Any:
        key = self.api_key
        if text(key) is None:
            raise IsaoApiError(f"No API key: pass api_key to IsaoClient. {API_KEY_HELP}", status=0, code="invalid_api_key")
        secrets = [key]
        fix = f"Pass the ISAO API base URL as base_url, for example {DEFAULT_API_URL}."
        problem = url_problem(self.base_url, "base_url", fix, secrets) or key_problem(key)
        if problem:
            raise IsaoApiError(problem, status=0, code="request_failed")
        base = self.base_url.strip().rstrip("/")
        host = urlsplit(base).netloc.lower()
        headers = {"Accept": "application/json", "Authorization": f"Bearer {key}"}
        data = None
        if body:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        request = urllib.request.Request(base + path, data=data, headers=headers, method=method)
        retry_after = None
        try:
            with _OPENER.open(request, timeout=TIMEOUT_S) as response:
                status, content = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as answer:
            status, content = answer.code, answer.read().decode("utf-8", "replace")
            retry_after = answer.headers.get("retry-after")
        except (urllib.error.URLError, OSError) as error:
            raise IsaoApiError(self._unreached(error, host, secrets), status=0, code="request_failed") from None
        if 300 <= status < 400:
            raise IsaoApiError(
                f"The ISAO API at {host} answered {status} (a redirect); the API key is only ever sent to the base_url, so the redirect was not followed. Check the base_url.",
                status=status, code="unsafe_redirect",
            )
        if status in accept:
            return status, None
        failure = failure_for(status, content, method, urlsplit(base + path).path, host, permission, secrets)
        if status == 429:
            wait = _number(retry_after)
            when = f"in {wait:g} s" if wait is not None else "in a minute"
            raise IsaoApiError(f"ISAO is limiting this API key's requests (429 Too Many Requests): try again {when}.",
                               status=429, code="rate_limited", retry_after=wait)
        if failure:
            raise IsaoApiError(failure[1], status=status, code=failure[0])
        return status, parse_body(content)[1]

    @staticmethod
    def _unreached(error: BaseException, host: str, secrets: Sequence[object]) -> str:
        reason = getattr(error, "reason", error)
        if isinstance(reason, (socket.timeout, TimeoutError)):
            return f"The ISAO API at {host} did not answer within {TIMEOUT_S} seconds."
        for kind, (why, code) in _NETWORK.items():
            if isinstance(reason, kind):
                return f"Could not reach the ISAO API at {host}: {why} ({code})."
        return f"Could not call the ISAO API at {host}: {shown(str(reason), 300, secrets)}"

    def _listed(self) -> List[Dict[str, Any]]:
        items = _list(self._call("GET", "/webhooks", "webhooks:read")[1])
        if items is None:
            raise IsaoApiError("ISAO answered GET /webhooks without a list of subscriptions.", status=502, code="invalid_response")
        listed = []
        for item in items:
            if isinstance(item, dict) and text(item.get("subscription_id")) is not None:
                listed.append({
                    "id": text(item["subscription_id"]),
                    "event": item.get("event_type") if isinstance(item.get("event_type"), str) else None,
                    "target_url": item.get("target_url") if isinstance(item.get("target_url"), str) else None,
                    "active": item.get("is_active") is True,
                    "created_at": _created(item),
                })
        return listed

    def list(self) -> List[Dict[str, Any]]:
        """Every subscription ISAO lists for the account (``GET /webhooks``, ``webhooks:read``)."""
        return [{**item, "created_at": _iso(item["created_at"])} for item in self._listed()]

    def subscribe(self, event: IsaoEventName, target_url: str, filters: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        """A new subscription (``POST /webhooks/subscribe``): its id, its secret when ISAO gave one."""
        body: Dict[str, Any] = {"event": _event(event), "target_url": target_url, **({"filters": filters} if filters else {})}
        made = _unwrap(self._call("POST", "/webhooks/subscribe", "webhooks:write", body)[1])
        made_id = text(made.get("subscription_id")) if isinstance(made, dict) else None
        if made_id is None:
            raise IsaoApiError(
                f"ISAO accepted the {event} subscription but did not return a subscription_id, so it could not be removed later: list the webhooks and remove it by hand.",
                status=502, code="invalid_response",
            )
        secret = text(made.get("secret")) or text(made.get("signing_secret"))
        return {"id": made_id, "secret": secret, "subscription": made}

    def unsubscribe(self, subscription_id: str) -> Dict[str, Any]:
        """Removes a subscription; ``already_gone`` when ISAO no longer had it (404, 410)."""
        status, _ = self._call("DELETE", "/webhooks/unsubscribe", "webhooks:write",
                               {"subscription_id": subscription_id}, accept=(404, 410))
        return {"id": subscription_id, "already_gone": status in (404, 410)}

    def remove_all(self, subscriptions: Sequence[Dict[str, Any]]) -> List[str]:
        return [self.unsubscribe(item["id"])["id"] for item in subscriptions]

    def ensure_subscription(self, events: Union[IsaoEventName, Sequence[IsaoEventName]], target_url: str,
                            filters: Optional[Dict[str, Any]] = None) -> List[Dict[str, Any]]:
        """One active subscription of ``target_url`` to each event and no other for them, reading
        ``GET /webhooks`` first (no orphans), as the Node client's ensureSubscription."""
        ensured: List[Dict[str, Any]] = []
        for event in [_event(e) for e in ([events] if isinstance(events, str) else events)]:
            mine = [i for i in self._listed() if i["event"] == event and i["target_url"] == target_url]
            age = lambda i: i["created_at"].timestamp() if i["created_at"] else float("-inf")  # noqa: E731
            active = [i for i in mine if i["active"]]
            kept = None if filters or not active else max(reversed(active), key=age)
            if kept is not None:
                removed = self.remove_all([i for i in mine if i is not kept])
                ensured.append({"event": event, "subscription": {**kept, "created_at": _iso(kept["created_at"])},
                                "created": False, "secret": None, "removed": removed, "left": []})
                continue
            made = self.subscribe(event, target_url, filters)
            now = [i for i in self._listed() if i["event"] == event and i["target_url"] == target_url]
            own_listed = next((i for i in now if i["id"] == made["id"]), None)
            own = _created(made["subscription"]) or (own_listed["created_at"] if own_listed else None)
            others = [i for i in now if i["id"] != made["id"]]
            older = [i for i in others if own and i["created_at"] and i["created_at"] < own]
            removed = self.remove_all([i for i in others if not i["active"] or i in older])
            unknown = [i["id"] for i in others if i["active"] and (own is None or i["created_at"] is None)]
            subscription = own_listed or {"id": made["id"], "event": event, "target_url": target_url, "active": True, "created_at": own}
            ensured.append({"event": event, "subscription": {**subscription, "created_at": _iso(subscription["created_at"])},
                            "created": True, "secret": made["secret"], "removed": removed, "left": unknown})
        return ensured

    def sample(self, event: IsaoEventName) -> Dict[str, Any]:
        """The event's sample record (``GET /triggers/<event>/sample``)."""
        path = f"/triggers/{_event(event)}/sample"
        data = _unwrap(self._call("GET", path, "webhooks:read")[1])
        if not isinstance(data, dict):
            raise IsaoApiError(f"ISAO answered GET {path} without a record.", status=502, code="invalid_response")
        return data

    def recent(self, event: IsaoEventName, limit: Optional[int] = None, since: Union[datetime, str, None] = None) -> List[Dict[str, Any]]:
        """The event's recent records, newest first (``GET /triggers/<event>/recent``)."""
        path = f"/triggers/{_event(event)}/recent"
        query: Dict[str, str] = {}
        if limit is not None:
            query["limit"] = str(limit)
        if since is not None:
            query["since"] = _iso_text(since) if isinstance(since, datetime) else since
        items = _list(self._call("GET", path + (f"?{urlencode(query)}" if query else ""), "webhooks:read")[1])
        if items is None:
            raise IsaoApiError(f"ISAO answered GET {path} without a list.", status=502, code="invalid_response")
        return [item for item in items if isinstance(item, dict)]

    def create_contact(self, **fields: Any) -> Dict[str, Any]:
        """Creates a contact (``POST /contacts``) under Create Contact's rules: a value that
        cannot be sent is refused before anything is sent, naming its field (``field``)."""
        body = contact_body(fields)
        if isinstance(body, tuple):
            raise IsaoApiError(body[1], status=0, code="invalid_input", field=body[0])
        created = created_contact(body, self._call("POST", "/contacts", "contacts:write", body)[1])
        if isinstance(created, str):
            raise IsaoApiError(created, status=502, code="invalid_response")
        return created


def _number(value: Optional[str]) -> Optional[float]:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
