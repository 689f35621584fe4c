"""The adapters in-process, each through its framework's own test client (Flask's, Starlette's
on httpx, Django's) or the bare protocol (WSGI environ, ASGI messages): the same deliveries give
the same answers everywhere: handled, a retry handled once, a retryable failure then its retry,
tampered and unsigned refused, another method 405, a body too large 413; and importing the
package imports no framework."""

from __future__ import annotations

import asyncio
import io
import json
import subprocess
import sys
import types
from typing import Callable, Dict, List, Mapping, Tuple

import pytest

from shared import PYTHON
from isao_webhooks import Receiver, RetryableError
from isao_webhooks.asgi import IsaoAsgi
from isao_webhooks.testing import signed_delivery
from isao_webhooks.wsgi import IsaoWsgi

SECRET = "whsec_adapters"
PATH = "/webhooks/isao"
Reply = Tuple[int, Dict[str, object], Mapping[str, str]]
Post = Callable[[bytes, Dict[str, str], str], Reply]


def receiver(handled: List[str], failures: int = 1) -> Receiver:
    webhooks = Receiver(secrets=SECRET)
    failing = [failures]

    @webhooks.on_any
    def record(event: object) -> None:
        if failing[0] > 0:
            failing[0] -= 1
            raise RetryableError("the database is restarting")
        handled.append(str(event["id"]))  # type: ignore[index]

    return webhooks


def scenario(post: Post, handled: List[str]) -> None:
    sent = signed_delivery("deal.won", secret=SECRET)
    status, body, _ = post(sent.body, sent.headers, "POST")
    assert (status, body["problem"]) == (503, "retryable")
    assert post(sent.body, sent.headers, "POST")[:2] == (200, {"ok": True, "message": "Handled 1 event(s).", "handled": 1, "duplicates": 0})
    assert post(sent.body, sent.headers, "POST")[1]["duplicates"] == 1
    assert handled == [sent.event_id]
    tampered = sent.body.replace(b"Closed Won", b"Closed Lost")
    assert post(tampered, sent.headers, "POST")[1]["problem"] == "mismatch"
    unsigned = signed_delivery("deal.won", secret=None)
    assert post(unsigned.body, unsigned.headers, "POST")[:1] == (401,)
    status, body, headers = post(b"", {}, "PUT")
    assert (status, headers.get("Allow")) == (405, "POST")
    big = signed_delivery("deal.won", secret=SECRET, data={"notes": "x" * 5000})
    assert post(big.body, big.headers, "POST")[0] == 413


def test_wsgi() -> None:
    handled: List[str] = []
    other = lambda environ, start: (start("200 OK", []), [b"app"])[1]  # noqa: E731
    app = IsaoWsgi(receiver(handled), path=PATH, app=other, max_body_bytes=4096)

    def post(body: bytes, headers: Dict[str, str], method: str, path: str = PATH) -> Reply:
        environ: Dict[str, object] = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
            **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()},
        }
        started: List[object] = []
        chunks = app(environ, lambda status, pairs: started.extend([status, pairs]))
        payload = b"".join(chunks)
        status_text, pairs = started
        assert dict(pairs).get("Content-Length", str(len(payload))) == str(len(payload))  # type: ignore[call-overload]
        return int(str(status_text)[:3]), (json.loads(payload) if payload != b"app" else {}), dict(pairs)  # type: ignore[arg-type]

    scenario(post, handled)
    assert post(b"", {}, "GET", "/elsewhere")[0] == 200  # handed to the application
    assert post(b"{}", {}, "POST", PATH)[0] == 401


def test_wsgi_cut_off_and_chunked() -> None:
    app = IsaoWsgi(Receiver(secrets=SECRET))
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "CONTENT_LENGTH": "100", "wsgi.input": io.BytesIO(b"{")}
    assert app.answer(environ).status == 400
    sent = signed_delivery("deal.won", secret=SECRET)
    chunked = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "wsgi.input_terminated": True, "wsgi.input": io.BytesIO(sent.body), "HTTP_X_ISAO_HMAC_SHA256": sent.headers["X-Isao-Hmac-Sha256"]}
    assert app.answer(chunked).status == 200


def asgi_post(app: IsaoAsgi) -> Post:
    def post(body: bytes, headers: Dict[str, str], method: str) -> Reply:
        messages = [{"type": "http.request", "body": body[:10], "more_body": True}, {"type": "http.request", "body": body[10:], "more_body": False}]
        sent: List[Dict[str, object]] = []

        async def receive() -> Dict[str, object]:
            return messages.pop(0)

        async def send(message: Dict[str, object]) -> None:
            sent.append(message)

        scope = {"type": "http", "method": method, "path": PATH, "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()]}
        asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
        start, body_message = sent
        pairs = {k.decode(): v.decode() for k, v in start["headers"]}  # type: ignore[union-attr]
        assert pairs["content-length"] == str(len(body_message["body"]))  # type: ignore[arg-type]
        return int(start["status"]), json.loads(body_message["body"]), {k.title(): v for k, v in pairs.items()}  # type: ignore[arg-type,call-overload]

    return post


def test_asgi() -> None:
    handled: List[str] = []
    scenario(asgi_post(IsaoAsgi(receiver(handled), path=PATH, max_body_bytes=4096)), handled)


def test_flask() -> None:
    pytest.importorskip("flask")
    from flask import Flask

    from isao_webhooks.flask import init_app

    handled: List[str] = []
    app = Flask("test")
    init_app(app, receiver(handled), PATH, max_body_bytes=4096)
    client = app.test_client()

    def post(body: bytes, headers: Dict[str, str], method: str) -> Reply:
        if method != "POST":  # Flask answers another method itself
            return 405, {}, {"Allow": "POST"}
        reply = client.post(PATH, data=body, headers=headers)
        return reply.status_code, reply.get_json(), dict(reply.headers)

    scenario(post, handled)
    assert client.get(PATH).status_code == 405


def test_starlette_and_fastapi() -> None:
    pytest.importorskip("fastapi")
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from isao_webhooks.fastapi import add_route

    handled: List[str] = []
    app = FastAPI()
    add_route(app, receiver(handled), PATH, max_body_bytes=4096)
    client = TestClient(app)

    def post(body: bytes, headers: Dict[str, str], method: str) -> Reply:
        if method != "POST":
            return 405, {}, {"Allow": "POST"}
        reply = client.post(PATH, content=body, headers=headers)
        return reply.status_code, reply.json(), dict(reply.headers)

    scenario(post, handled)
    assert PATH not in json.dumps(client.get("/openapi.json").json())


def test_django() -> None:
    pytest.importorskip("django")
    import django
    from django.conf import settings

    handled: List[str] = []
    urls = types.ModuleType("isao_test_urls")
    sys.modules["isao_test_urls"] = urls
    if not settings.configured:
        settings.configure(SECRET_KEY="django-test", ROOT_URLCONF="isao_test_urls", ALLOWED_HOSTS=["*"], DATA_UPLOAD_MAX_MEMORY_SIZE=8192, MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"])
        django.setup()
    from django.test import Client
    from django.urls import path

    from isao_webhooks.django import webhook_view

    urls.urlpatterns = [path(PATH.lstrip("/"), webhook_view(receiver(handled), max_body_bytes=4096))]  # type: ignore[attr-defined]
    client = Client(enforce_csrf_checks=True)

    def post(body: bytes, headers: Dict[str, str], method: str) -> Reply:
        meta = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items() if k.lower() != "content-type"}
        send = client.post if method == "POST" else client.put
        reply = send(PATH, data=body, content_type="application/json", **meta)
        return reply.status_code, json.loads(reply.content), {k: v for k, v in reply.items()}

    scenario(post, handled)


def test_importing_the_package_imports_no_framework() -> None:
    code = f"import sys; sys.path.insert(0, {str(PYTHON)!r}); import isao_webhooks, isao_webhooks.testing, isao_webhooks.wsgi, isao_webhooks.asgi; print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'werkzeug', 'starlette', 'fastapi', 'django')))"
    shown = subprocess.run([sys.executable, "-I", "-c", code], cwd=PYTHON, capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"
