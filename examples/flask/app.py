# ISAO's Python Flask webhook receiver (the "Python Flask Webhook Receiver" sample of ISAO's
# guide), done right with isao_webhooks.
#
# What was wrong with the guide's sample:
# - It read `request.json` and never checked the X-Isao-Hmac-Sha256 signature: anyone who knew
#   the URL could post a "deal.won" and have it handled. (Checking it needs the body's exact
#   bytes, `request.get_data()`, never JSON parsed and dumped again.)
# - `request.json` on a body that is not JSON (or not sent as application/json) answers Flask's
#   own 400/415 page, and an event without `data` or with `data: null` crashed the handler
#   (`None.get`): a 500 for ISAO to retry, for ever the same.
# - No de-duplication: ISAO retries a delivery without a 2xx answer (up to 3 times, the same
#   `metadata.eventId`), and every retry ran the handlers again (two welcome emails).
# - It answered 200 whatever happened: a handler's failure was logged and the event lost, and a
#   slow handler could pass ISAO's 30 s, so ISAO retried an event still being handled.
# - `app.run(debug=True)`: the debugger lets anyone who reaches the port run code on the server.
#
# Here: each delivery is verified over its exact bytes (401 for a forged one, 400 for one that is
# not ISAO's events), each event id claimed so a retry of a handled event is answered 200 and not
# run again; handlers run within a deadline (10 s; ISAO waits 30 s), and a handler's failure
# answers 503 (raise RetryableError) or 500 so that ISAO retries the event instead of dropping it.
#
#   pip install isao-webhooks flask      (or, from this repository: PYTHONPATH=python)
#   ISAO_WEBHOOK_SECRET=… PORT=3000 /usr/bin/python3 examples/flask/app.py
import logging
import os

from flask import Flask, jsonify
from werkzeug.serving import make_server

from isao_webhooks import Receiver, WebhookError
from isao_webhooks.events_generated import ContactCreatedEvent, DealWonEvent
from isao_webhooks.flask import init_app

secret = os.environ.get("ISAO_WEBHOOK_SECRET")
if not secret:
    raise SystemExit("Set ISAO_WEBHOOK_SECRET to the signing secret of your ISAO webhook.")

logging.basicConfig(level=logging.INFO)

# Event ids are remembered in this process's memory (the default store): run several processes
# and they need a shared store instead (see docs/python.md, "Python: the shared stores").
webhooks = Receiver(secrets=secret)


@webhooks.on("contact.created")
def handle_new_contact(event: ContactCreatedEvent) -> None:
    contact = event["data"]
    print(f"New contact: {contact.get('name')} (event {event['id']})", flush=True)
    # Add your business logic here, e.g. send a welcome email. When a service you need is down
    # for a moment, raise RetryableError (from isao_webhooks): ISAO retries the event later.


@webhooks.on("deal.won")
def handle_deal_won(event: DealWonEvent) -> None:
    deal = event["data"]
    print(f"Deal won: {deal.get('title')} - {deal.get('value')} (event {event['id']})", flush=True)
    # Add your business logic here, e.g. generate an invoice.


@webhooks.on_error
def log_failure(error: WebhookError) -> None:
    logging.warning("ISAO webhook not handled: %s", error)


app = Flask(__name__)
init_app(app, webhooks, "/webhook/isao")


@app.get("/health")
def health() -> object:
    return jsonify({"ok": True})


if __name__ == "__main__":
    # werkzeug's threaded server, without the debugger; in production, run `app` under a WSGI
    # server (gunicorn, uWSGI, mod_wsgi) instead
    server = make_server("127.0.0.1", int(os.environ.get("PORT", "3000")), app, threaded=True)
    print(f"Webhook server listening on port {server.server_port}", flush=True)
    server.serve_forever()
