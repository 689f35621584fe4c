"""A receiver on one Python framework, for test/python/frameworks.test.ts: Flask on werkzeug's
server, FastAPI under uvicorn, or Django on its own development server (threaded), serving
isao_webhooks at /webhooks/isao on 127.0.0.1 at a free port. It prints "listening on port N"
once it accepts requests and "(event <id>)" for each event its handler ran; the first FAILURES
events raise RetryableError (answered 503, so ISAO retries them).

    /usr/bin/python3 test/python/serve.py flask|fastapi|django  (ISAO_WEBHOOK_SECRET, FAILURES)
"""

from __future__ import annotations

import os
import socket
import sys
import threading

from isao_webhooks import AnyIsaoEvent, Receiver, RetryableError

PATH = "/webhooks/isao"
receiver = Receiver(secrets=os.environ["ISAO_WEBHOOK_SECRET"])
failing = [int(os.environ.get("FAILURES", "0"))]
lock = threading.Lock()


@receiver.on_any
def record(event: AnyIsaoEvent) -> None:
    with lock:
        if failing[0] > 0:
            failing[0] -= 1
            raise RetryableError("the database is restarting")
    print(f"handled {event['name']} (event {event['id']})", flush=True)


def listening(port: int) -> None:
    print(f"listening on port {port}", flush=True)


def flask() -> None:
    from flask import Flask
    from werkzeug.serving import make_server

    from isao_webhooks.flask import init_app

    app = Flask(__name__)
    init_app(app, receiver, PATH)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    listening(server.server_port)
    server.serve_forever()


def fastapi() -> None:
    import uvicorn
    from fastapi import FastAPI

    from isao_webhooks.fastapi import add_route

    app = FastAPI()
    add_route(app, receiver, PATH)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)  # connections wait in the queue until uvicorn accepts them
    listening(sock.getsockname()[1])
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])


def django() -> None:
    from django.conf import settings

    settings.configure(
        SECRET_KEY="isao-test", ROOT_URLCONF=__name__, ALLOWED_HOSTS=["127.0.0.1"], DEBUG=False,
        MIDDLEWARE=["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"],
    )
    import django as framework
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from django.urls import path

    from isao_webhooks.django import webhook_view

    framework.setup()
    globals()["urlpatterns"] = [path(PATH.lstrip("/"), webhook_view(receiver))]
    server = ThreadedWSGIServer(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    listening(server.server_address[1])
    server.serve_forever()


if __name__ == "__main__":
    {"flask": flask, "fastapi": fastapi, "django": django}[sys.argv[1]]()
