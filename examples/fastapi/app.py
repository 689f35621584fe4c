# ISAO's Flask receiver of the guide (see examples/flask/app.py for what it got wrong), as a
# FastAPI app with isao_webhooks: the route reads the exact bytes, verifies them, claims each
# event id and runs the handlers with `await receiver.areceive()`, so `async def` handlers are
# awaited (and cancelled past the deadline) and plain ones run in threads: nothing blocks the
# event loop.
#
#   pip install isao-webhooks fastapi uvicorn      (or, from this repository: PYTHONPATH=python)
#   ISAO_WEBHOOK_SECRET=… uvicorn app:app --port 3000      (or: PORT=3000 python3 app.py)
import logging
import os
import socket

import uvicorn
from fastapi import FastAPI

from isao_webhooks import Receiver, WebhookError
from isao_webhooks.events_generated import ContactCreatedEvent, DealWonEvent
from isao_webhooks.fastapi import add_route

secret = os.environ.get("ISAO_WEBHOOK_SECRET")
if not secret:
    raise SystemExit("Set ISAO_WEBHOOK_SECRET to the signing secret of your ISAO webhook.")

# one process's memory: several workers need a shared store (docs/python.md)
webhooks = Receiver(secrets=secret)


@webhooks.on("contact.created")
async def handle_new_contact(event: ContactCreatedEvent) -> None:
    print(f"New contact: {event['data'].get('name')} (event {event['id']})", flush=True)


@webhooks.on("deal.won")
async def handle_deal_won(event: DealWonEvent) -> None:
    deal = event["data"]
    print(f"Deal won: {deal.get('title')} - {deal.get('value')} (event {event['id']})", flush=True)


@webhooks.on_error
def log_failure(error: WebhookError) -> None:
    logging.warning("ISAO webhook not handled: %s", error)


app = FastAPI()
add_route(app, webhooks, "/webhook/isao")

if __name__ == "__main__":
    sock = socket.socket()
    sock.bind(("127.0.0.1", int(os.environ.get("PORT", "3000"))))
    sock.listen(128)
    print(f"Webhook server listening on port {sock.getsockname()[1]}", flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
