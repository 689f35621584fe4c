"""How a call to ISAO's API fails, in the core's words (core/errors.ts, core/api.ts,
core/inputs.ts): the base URL's and key's checks, the status table, the API's own words read from
an error body, and the one redaction, so that no message ever holds the key."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any, Dict, List, Optional, Sequence, Tuple
from urllib.parse import unquote, urlsplit

DEFAULT_API_URL = "https://staging.isao.io/api/external"
DOCS_URL = "https://staging.isao.io/docs"
API_KEY_HELP = (
    "Find or create your API key in your ISAO dashboard (Settings → API keys). The key needs the "
    "`webhooks:read` and `webhooks:write` permissions (plus `contacts:write` to create contacts). "
    f"See [the ISAO API documentation]({DOCS_URL})."
)
BAD_KEY_MESSAGE = (
    "The API key contains a line break, a control character or an invisible character, so it "
    "cannot be sent. Copy the key again from your ISAO dashboard (Settings → API keys) and reconnect."
)
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
QUOTE_MAX = 100
MAX_DETAIL = 300
MAX_EXAMINED = 4096
REDACTED = "[redacted]"
TIMEOUT_S = 25


def is_hidden(char: str) -> bool:
    return unicodedata.category(char) == "Cf"


def text(value: object) -> Optional[str]:
    """The trimmed text of a string (or a finite number); None when blank or absent."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return json.dumps(value)
    if not isinstance(value, str):
        return None
    start, end = 0, len(value)
    while start < end and (value[start].isspace() or is_hidden(value[start])):
        start += 1
    while end > start and (value[end - 1].isspace() or is_hidden(value[end - 1])):
        end -= 1
    return value[start:end] or None


def clip(value: str, limit: int = QUOTE_MAX) -> str:
    return value[: limit - 1] + "…" if len(value) > limit else value


def _secret_pattern(secrets: Sequence[object]) -> Optional["re.Pattern[str]"]:
    texts = sorted(
        (t for t in (text(s) for s in secrets) if t is not None and len(t) >= 4),
        key=len,
        reverse=True,
    )
    return re.compile("|".join(map(re.escape, texts)), re.I) if texts else None


def redact(value: str, secrets: Sequence[object]) -> str:
    pattern = _secret_pattern(secrets)
    if pattern is None:
        return value
    redacted = pattern.sub(REDACTED, value)
    decoded = unquote(redacted, errors="surrogateescape")
    return pattern.sub(REDACTED, decoded) if pattern.search(decoded) else redacted


def shown(value: str, limit: int, secrets: Sequence[object]) -> str:
    return clip(redact(re.sub(r"\s+", " ", redact(value, secrets)), secrets), limit)


def quote(value: object, limit: int = QUOTE_MAX) -> str:
    raw = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return '"' + clip(re.sub(r"\s+", " ", raw), limit) + '"'


def _quoted_base_url(raw: str, secrets: Sequence[object]) -> str:
    url = urlsplit(raw)
    host = url.netloc.rsplit("@", 1)[-1]
    parts = [
        url.scheme + ":",
        "//" if host else "",
        f"{REDACTED}@" if "@" in url.netloc else "",
        host.lower(),
        "" if url.path in ("", "/") else "/…",
        ("?" + REDACTED if url.query else "?") if re.match(r"^[^#]*\?", raw) else "",
        ("#" + REDACTED if url.fragment else "#") if "#" in raw else "",
    ]
    return '"' + shown("".join(parts), QUOTE_MAX, secrets) + '"'


def url_problem(value: Optional[str], name: str, fix: str, secrets: Sequence[object]) -> Optional[str]:
    """Why a base URL cannot carry the key (None when it can): https, or http on this machine."""
    raw = (value or "").strip()
    if not raw:
        return None
    url = urlsplit(raw)
    if not url.scheme or not re.fullmatch(r"[a-z][a-z0-9+.-]*", url.scheme, re.I):
        return f"{name} is not a URL. {fix}"
    if "@" in url.netloc or re.search(r"[?#]", raw):
        return (
            f"{name} {_quoted_base_url(raw, secrets)} must be a plain base URL, without "
            f"credentials, query or fragment. {fix}"
        )
    host = url.netloc.lower().rsplit(":", 1)[0] if not url.netloc.startswith("[") else url.netloc.split("]")[0] + "]"
    if url.scheme.lower() == "https" or (url.scheme.lower() == "http" and host in LOCAL_HOSTS):
        return None
    return (
        f"{name} {_quoted_base_url(raw, secrets)} must use https (plain http only for this machine: "
        f"localhost, 127.0.0.1 or [::1], where the ISAO sandbox runs). {fix}"
    )


def key_problem(key: str) -> Optional[str]:
    bad = any(
        (ord(c) < 0x20 and c != "\t") or ord(c) == 0x7F or ord(c) > 0xFF for c in key
    )
    return BAD_KEY_MESSAGE if bad else None


def parse_body(content: str) -> Tuple[bool, Any]:
    if not content.strip():
        return True, None
    try:
        return True, json.loads(content)
    except ValueError:
        return False, content


def _message_of(value: object) -> Optional[str]:
    if isinstance(value, str):
        return text(value)
    if isinstance(value, dict):
        field = value.get("field") if isinstance(value.get("field"), str) else None
        said = next(
            (m for m in (_message_of(value.get(k)) for k in ("message", "msg", "error", "detail")) if m),
            None,
        )
        if said:
            return f"{field}: {said}" if field and field not in said else said
    return None


def _field_of(item: Dict[str, Any]) -> Optional[str]:
    for key in ("field", "param", "path", "loc", "property"):
        value = item.get(key)
        name = value[-1] if isinstance(value, list) and value else value
        if isinstance(name, str) and text(name) is not None:
            return text(name)
    return None


def _problem(item: object, field: Optional[str] = None) -> Optional[Tuple[Optional[str], str]]:
    said = _message_of(item)
    if said is None:
        return None
    named = (_field_of(item) or field) if isinstance(item, dict) else field
    return named, f"{named}: {said}" if named and named not in said else said


def _problems_in(items: object) -> List[Tuple[Optional[str], str]]:
    return [p for p in (_problem(i) for i in items) if p] if isinstance(items, list) else []


def _errors_in(errors: object) -> List[Tuple[Optional[str], str]]:
    if not isinstance(errors, dict):
        return _problems_in(errors)
    found = []
    for field, said in errors.items():
        for item in said if isinstance(said, list) else [said]:
            found.append(_problem(item, text(field)))
    return [p for p in found if p]


def _problems(body: Dict[str, Any]) -> List[Tuple[Optional[str], str]]:
    nested = body["error"] if isinstance(body.get("error"), dict) else {}
    return [
        *_errors_in(body.get("errors")),
        *_problems_in(body.get("details")),
        *_errors_in(nested.get("errors")),
        *_problems_in(nested.get("details")),
        *_problems_in(body.get("detail")),
    ]


def api_error_detail(body: object) -> Optional[str]:
    if isinstance(body, str):
        return text(body)
    if not isinstance(body, dict):
        return None
    errors = [said for _, said in _problems(body)]
    main = _message_of(body.get("message")) or _message_of(body.get("error")) or _message_of(body.get("detail"))
    if errors:
        return f"{main} ({'; '.join(errors)})" if main else "; ".join(errors)
    return main


def api_error_fields(body: object) -> List[str]:
    if not isinstance(body, dict):
        return []
    return list(dict.fromkeys(field for field, _ in _problems(body) if field))


def _looks_like_html(content: str) -> bool:
    return re.match(r"\s*<(!doctype|html|head|body)", content, re.I) is not None


def _read_answer(content: str, secrets: Sequence[object]) -> Tuple[str, List[str]]:
    if _looks_like_html(content):
        return ": the server answered with an HTML page instead of JSON", []
    is_json, value = parse_body(content)
    detail = api_error_detail(value)
    words = ""
    if detail:
        examined = redact(detail, secrets)[:MAX_EXAMINED]
        if not is_json:
            examined = re.sub(r"<[^>]*>", " ", re.sub(r"(?is)<(script|style).*?</\1>", " ", examined))
        words = shown(examined, MAX_DETAIL, secrets).strip()
    fields = [shown(f, QUOTE_MAX, secrets) for f in api_error_fields(value)]
    return (f": {words}" if words else ""), fields


def failure_for(
    status: int, content: str, method: str, path: str, host: str, permission: str, secrets: Sequence[object]
) -> Optional[Tuple[str, str]]:
    """(code, message) of an answer that failed, None for one the caller can use."""
    if status < 400:
        is_json, value = parse_body(content)
        if not is_json and method != "DELETE":
            said = ", an HTML page" if _looks_like_html(content) else ""
            return "invalid_response", (
                f"The ISAO API at {host} returned a response that is not JSON (status {status}{said}). "
                "Check that the API URL is right."
            )
        if isinstance(value, dict) and value.get("success") is False:
            said, _ = _read_answer(content, secrets)
            return "request_refused", f"ISAO refused the request{said or ' without saying why'}."
        return None
    said, fields = _read_answer(content, secrets)
    reason = {400: "Bad Request", 422: "Unprocessable Entity"}
    if status == 422 or (status == 400 and fields):
        fix = (
            f"Fix {'the fields' if len(fields) > 1 else 'the field'} ISAO named ({clip(', '.join(fields))}) and run the step again."
            if fields
            else "Check the values this step sends."
        )
        return "invalid_input", (
            f"ISAO refused the values this step sent ({status} {reason[status]}){said or ': no reason was given'}. {fix}"
        )
    table = {
        400: ("bad_request", f"ISAO could not process the request (400 Bad Request){said or ': no reason was given'}. Check the values this step sends."),
        401: ("invalid_api_key", f"ISAO rejected the API key (401 Unauthorized{said}). The key is invalid or has been revoked: create a new key in your ISAO dashboard and reconnect."),
        403: ("missing_permission", f"ISAO refused this request (403 Forbidden{said}). The API key lacks the `{permission}` permission: give the key that permission in your ISAO dashboard, or connect a key that has it."),
        404: ("not_found", f"ISAO could not find {quote(redact(path, secrets))} (404 Not Found{said})."),
        409: ("conflict", f"ISAO could not process the request ({status}){said or ': no reason was given'}."),
    }
    if status in table:
        return table[status]
    if status >= 500:
        return "api_error", (
            f"The ISAO API had a problem ({status}){said or ': no details were given'}. This is usually "
            "temporary: try again in a few minutes, and if it keeps failing, check ISAO's status."
        )
    return "api_error", f"ISAO answered {status}{said}."
