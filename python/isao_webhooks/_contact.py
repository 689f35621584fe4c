"""Create Contact's rules (core/contacts.ts): the checks and normalisation of each input (a
refusal names its field, in the core's words), and the created contact as the Node client gives
it: the declared contact fields (null when ISAO did not say), its id first of id, contactId,
contact_id."""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional, Tuple, Union

from ._api_words import is_hidden, quote, text

PHONE_SEPARATORS = re.compile(r"[\s()./\-\u00a0]")
TRUNK_PREFIX = re.compile(r"^(\+\s*\d{1,3})[\s.\-\u00a0]*\(\s*0\s*\)")
PHONE = re.compile(r"^\+?\d{6,15}$")
EMAIL = re.compile(r'^[^\s@<>()\[\]\\,;:"]+@[\w-]+(\.[\w-]+)+$')
NAME_ADDR = re.compile(r"^[^<>]*<([^<>]*)>$")
LINE_BREAK = re.compile(r"\r\n|[\n\v\f\r\u0085\u2028\u2029]")
PHONE_HELP = (
    "Use digits, optionally starting with + and the country code (for example +33 1 23 45 67 89); "
    "spaces, dashes, dots and parentheses are allowed."
)
CONTACT_FIELDS = (
    "id", "name", "firstName", "lastName", "email", "phoneNumber", "position", "currentCompany",
    "industrySector", "city", "country", "tags", "companyId", "createdAt", "updatedAt",
)
#: The Python keyword of each input, and the API's key (the field an error names).
INPUTS = {"name": "name", "phone_number": "phoneNumber", "email": "email", "position": "position",
          "current_company": "currentCompany", "tags": "tags"}


def _email(value: str) -> Optional[str]:
    bare = re.sub(r"(?<![\s,;])[\s,;]+$", "", "".join(c for c in value if not is_hidden(c)))
    match = NAME_ADDR.match(bare)
    inner = re.sub(r"^mailto:", "", (match.group(1) if match else bare).strip(), flags=re.I)
    return inner if EMAIL.match(inner) and "_" not in inner.split("@", 1)[1] else None


def _entries(item: object, whole: bool) -> List[Tuple[bool, object]]:
    """(is text, value) of one item of a list field (core/inputs.ts's entriesOf)."""
    if item is None:
        return []
    if isinstance(item, str):
        try:
            listed = json.loads(text(item) or "")
        except ValueError:
            listed = None
        if isinstance(listed, list):
            return [e for inner in listed for e in _entries(inner, False)]
        if all(c in "," or c.isspace() or is_hidden(c) for c in item):
            return []
        return [(True, text(v) or "") for v in (item.split(",") if whole else [item])]
    single = text(item)
    return [(False, item)] if single is None else [(True, single)]


def _tags(value: object) -> Tuple[List[str], List[object], int]:
    items = value if isinstance(value, list) else None
    entries = [e for i in items for e in _entries(i, True)] if items is not None else _entries(value, True)
    values = list(dict.fromkeys(str(v) for ok, v in entries if ok and v != ""))
    lines = [t for tag in values for t in (text(line) for line in LINE_BREAK.split(tag)) if t]
    return list(dict.fromkeys(lines)), [v for ok, v in entries if not ok], len(values)


def contact_body(fields: Dict[str, Any]) -> Union[Dict[str, Any], Tuple[str, str]]:
    """The request body, or (field, message) naming the first field that is wrong."""
    unknown = [k for k in fields if k not in INPUTS]
    if unknown:
        return unknown[0], f"create_contact takes {', '.join(INPUTS)}, not {unknown[0]}."
    name = text(fields.get("name"))
    if name is None:
        return "name", "Name is required: the Name field is empty. Enter or map the contact's full name."
    phone_input = text(fields.get("phone_number"))
    if phone_input is None:
        return "phoneNumber", f"Phone Number is required: the Phone Number field is empty. {PHONE_HELP}"
    phone = PHONE_SEPARATORS.sub("", TRUNK_PREFIX.sub(r"\1", phone_input))
    if not PHONE.match(phone) or not phone.lstrip("+").isascii():
        return "phoneNumber", f"Phone Number {quote(phone_input)} is not a phone number. {PHONE_HELP} It must have 6 to 15 digits."
    email_input = text(fields.get("email"))
    email = None if email_input is None else _email(email_input)
    if email_input is not None and email is None:
        return "email", (
            f"Email {quote(email_input)} is not a valid email address: expected one address, such as "
            "jane@example.com. Leave Email empty to create the contact without one."
        )
    tags, not_text, read = _tags(fields.get("tags"))
    if not_text:
        return "tags", (
            f"Tags holds {quote(not_text[0])}, which is not a tag: each tag must be text, for example "
            "`lead`. Map the tag's name rather than a whole object."
        )
    raw = fields.get("tags")
    typed = [raw] if not isinstance(raw, list) else raw
    if (read == 0 and any(isinstance(i, str) and i != "" for i in typed)) or (read > 0 and not tags):
        return "tags", (
            "Tags holds only blank values (spaces, commas or invisible characters). Enter or map at "
            "least one tag, or leave Tags empty."
        )
    optional = {"email": email, "position": text(fields.get("position")),
                "currentCompany": text(fields.get("current_company"))}
    return {"name": name, "phoneNumber": phone,
            **{k: v for k, v in optional.items() if v is not None}, "tags": tags}


def created_contact(body: Dict[str, Any], data: Any) -> Union[Dict[str, Any], str]:
    """The contact ISAO created, or the message when its answer lacks it or its id."""
    created = data.get("data") if isinstance(data, dict) and "success" in data else data
    if isinstance(created, dict) and set(created) <= {"data", "status", "message", "meta", "links", "total", "count", "page", "pagination"} and "data" in created:
        created = created["data"]

    def unanswered(missing: str) -> str:
        return (
            f"ISAO answered the Create Contact request without the new contact's {missing}. "
            f"Check in ISAO whether {quote(body['name'])} was created before running this step again."
        )

    if not isinstance(created, dict):
        return unanswered("details, so they cannot be passed to the next step")
    merged = {**body, **created}
    ids = [merged.get(k) for k in ("id", "contactId", "contact_id")]
    found = next((v for v in ids if (isinstance(v, str) and v) or (isinstance(v, int) and not isinstance(v, bool))), None)
    if found is None:
        return unanswered("ID (its answer has no id, contactId or contact_id), so the next step could not refer to it")
    return {**{k: merged.get(k) for k in CONTACT_FIELDS}, "id": found}
