"""The test helpers (isao_webhooks.testing): signed deliveries of any event, with overrides, that
verify() reads back as sent, and a tampered, unsigned or replaced body as a receiver sees it."""

from __future__ import annotations

import json

import pytest

from isao_webhooks import VerificationError, verify
from isao_webhooks.testing import sample_of, sign, signed_delivery

SECRET = "whsec_testing"
NOW = 1_731_061_800_000


@pytest.mark.parametrize("event", ["contact.created", "deal.won", "appointment.deleted"])
def test_every_event_verifies_with_its_sample_and_overrides(event: str) -> None:
    sent = signed_delivery(event, secret=SECRET, now=NOW, data={"id": "x_1", "extra": "\u2603"}, event_id="evt_t")  # type: ignore[arg-type]
    [read] = verify(sent.body, sent.headers, secrets=SECRET, now=NOW).events
    assert (read["name"], read["id"], read["occurred_at"]) == (event, "evt_t", "2024-11-08T10:30:00.000Z")
    assert read["data"] == {**sample_of(event), "id": "x_1", "extra": "\u2603"}  # type: ignore[arg-type]
    assert sent.headers["X-Isao-Event"] == event and sent.headers["X-Isao-Event-Id"] == "evt_t"
    assert json.loads(sent.text)["metadata"] == {"companyId": "cmb72clgt0003145mvfrg8iyh", "eventId": "evt_t", "source": "api"}


def test_unsigned_replaced_and_extra_headers() -> None:
    unsigned = signed_delivery("deal.won", secret=None, now=NOW)
    assert "X-Isao-Hmac-Sha256" not in unsigned.headers
    with pytest.raises(VerificationError) as caught:
        verify(unsigned.body, unsigned.headers, secrets=SECRET, now=NOW)
    assert caught.value.kind == "missing"
    replaced = signed_delivery("deal.won", secret=SECRET, body="not json", headers={"X-Extra": "1"})
    assert replaced.body == b"not json" and replaced.headers["X-Extra"] == "1"
    assert replaced.headers["X-Isao-Hmac-Sha256"] == sign(SECRET, b"not json") == sign(SECRET, "not json")
    stale = signed_delivery("deal.won", secret=SECRET, timestamp=1_000_000_000)
    with pytest.raises(VerificationError, match="older than the replay window"):
        verify(stale.body, stale.headers, secrets=SECRET, now=NOW)


def test_samples_are_copies_and_unknown_events_are_named() -> None:
    sample_of("deal.won")["title"] = "changed"
    assert sample_of("deal.won")["title"] != "changed"
    with pytest.raises(ValueError, match="deal.closed"):
        sample_of("deal.closed")  # type: ignore[arg-type]
