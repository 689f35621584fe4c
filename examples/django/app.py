# ISAO's Flask receiver of the guide (see examples/flask/app.py for what it got wrong), in
# Django with isao_webhooks, as one file: in a project, the view goes in its urls.py. The view
# is exempt from CSRF (ISAO's signature is the proof), reads request.body's exact bytes,
# verifies them, claims each event id and answers as ISAO needs.
#
#   pip install isao-webhooks django      (or, from this repository: PYTHONPATH=python)
#   ISAO_WEBHOOK_SECRET=… PORT=3000 python3 app.py
import logging
import os

from django.conf import settings

settings.configure(
    SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "isao-example"),
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    DEBUG=False,
    MIDDLEWARE=["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"],
)

import django  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.urls import path  # noqa: E402

from isao_webhooks import Receiver, WebhookError  # noqa: E402
from isao_webhooks.django import webhook_view  # noqa: E402
from isao_webhooks.events_generated import ContactCreatedEvent, DealWonEvent  # noqa: E402

secret = os.environ.get("ISAO_WEBHOOK_SECRET")
if not secret:
    raise SystemExit("Set ISAO_WEBHOOK_SECRET to the signing secret of your ISAO webhook.")

webhooks = Receiver(secrets=secret)


@webhooks.on("contact.created")
def handle_new_contact(event: ContactCreatedEvent) -> None:
    print(f"New contact: {event['data'].get('name')} (event {event['id']})", flush=True)


@webhooks.on("deal.won")
def handle_deal_won(event: DealWonEvent) -> None:
    deal = event["data"]
    print(f"Deal won: {deal.get('title')} - {deal.get('value')} (event {event['id']})", flush=True)


@webhooks.on_error
def log_failure(error: WebhookError) -> None:
    logging.warning("ISAO webhook not handled: %s", error)


urlpatterns = [path("webhook/isao", webhook_view(webhooks))]

if __name__ == "__main__":
    # Django's own threaded development server; in production, gunicorn or uWSGI run
    # get_wsgi_application()
    django.setup()
    server = ThreadedWSGIServer(("127.0.0.1", int(os.environ.get("PORT", "3000"))), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    print(f"Webhook server listening on port {server.server_address[1]}", flush=True)
    server.serve_forever()
