"""Runs calls of isao_webhooks.client.IsaoClient for test/python/client.test.ts, which runs the
same on the Node client: reads {"apiKey", "baseUrl", "calls": [[method, ...args]]} as JSON on
its input, and prints, for each call, {"ok": result} or {"error": {message, status, code, field,
retryAfter}}, with the Node client's key names (targetUrl, createdAt, alreadyGone), so that the
two answers compare as they are."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))

from isao_webhooks.client import IsaoApiError, IsaoClient  # noqa: E402

SNAKE = {"phoneNumber": "phone_number", "currentCompany": "current_company", "targetUrl": "target_url"}


def camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {re.sub(r"_([a-z])", lambda m: m.group(1).upper(), k): camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [camel(v) for v in value]
    return value


def run(client: IsaoClient, method: str, *args: Any) -> Any:
    if method == "createContact":
        return client.create_contact(**{SNAKE.get(k, k): v for k, v in args[0].items()})
    if method == "ensureSubscription":
        return client.ensure_subscription(args[0]["events"], args[0]["targetUrl"], args[0].get("filters"))
    if method == "recent":
        return client.recent(args[0], **(args[1] if len(args) > 1 else {}))
    return getattr(client, method)(*args)


def main() -> None:
    order = json.load(sys.stdin)
    client = IsaoClient(order["apiKey"], order.get("baseUrl"))
    answers = []
    for method, *args in order["calls"]:
        try:
            result = run(client, method, *args)
            answers.append({"ok": result if method in ("sample", "recent", "createContact", "subscribe") else camel(result)})
        except IsaoApiError as error:
            answers.append({"error": {"message": error.message, "status": error.status, "code": error.code,
                                      "field": error.field, "retryAfter": error.retry_after}})
    print(json.dumps(answers))


if __name__ == "__main__":
    main()
