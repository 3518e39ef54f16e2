"""Card sub-features behind their own flags: physical order, PIN, spending limits; and what logs may hold."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import bcrypt
import pytest

from drop.adapters.card_issuer import IssuerError, SandboxCardIssuer, use_issuer
from drop.db import get_db
from drop.observability import logger
from tests.integration.test_cards import all_flags_on, call, card_row, events_of, new_card
from tests.support.flags import FakeFlagStore
from tests.support.users import make_user

ADDRESS = "Karl Johans gate 1, 0154 Oslo"


@pytest.fixture
def issuer(flags: FakeFlagStore) -> Iterator[SandboxCardIssuer]:
    """Every card flag on and a fresh sandbox issuer whose state the test can inspect."""
    all_flags_on(flags)
    sandbox = SandboxCardIssuer()
    use_issuer(sandbox)
    yield sandbox
    use_issuer(None)


def token_of(card_id: str) -> str:
    token: str = card_row(card_id)["issuer_token"]
    return token


# --- physical card order --------------------------------------------------------------------------


def test_ordering_a_physical_card_records_the_address_and_tells_the_issuer(issuer: SandboxCardIssuer) -> None:
    # Given an active virtual card
    user = make_user()
    card = new_card(user)
    # When its owner orders the physical version (the address arrives padded and with markup)
    response = call("physical-ok", user, card["id"], body={"address": f"  <b>{ADDRESS}</b>  "})
    # Then the card says when it was ordered, and the sanitised address is stored and sent to the issuer
    assert response.status == 200
    assert response.data["id"] == card["id"]
    assert response.data["type"] == "virtual"
    assert response.data["physicalOrderedAt"].endswith("Z")
    row = card_row(card["id"])
    assert row["shipping_address"] == ADDRESS
    assert issuer.cards[row["issuer_token"]].physical_address == ADDRESS
    assert events_of(card["id"])[-1] == ("physical_ordered", "active", "active")
    # And a second order is a conflict
    again = call("physical-ok", user, card["id"])
    assert again.status == 409
    assert again.json["error"] == "conflict"


def test_only_an_active_virtual_card_can_be_ordered_as_physical(issuer: SandboxCardIssuer) -> None:
    user = make_user()
    frozen = new_card(user)
    assert call("patch-freeze", user, frozen["id"]).status == 200
    physical = new_card(user, "physical")
    for card in (frozen, physical):
        response = call("physical-ok", user, card["id"])
        assert response.status == 409
        assert response.json["error"] == "conflict"
        assert card_row(card["id"])["physical_ordered_at"] is None


def test_the_address_must_be_10_to_200_characters_of_text(issuer: SandboxCardIssuer) -> None:
    user = make_user()
    card = new_card(user)
    for body in (
        {"address": "Oslo 0154"},  # 9 characters
        {"address": "   Oslo 0154     "},  # 9 after trimming
        {"address": "<script></script>x"},  # 1 after sanitising
        {"address": "a" * 201},
        {"address": 1234567890123},
        {"address": None},
        {},
        {"address": ADDRESS, "express": True},
    ):
        response = call("physical-ok", user, card["id"], body=body)
        assert response.status == 422, body
        assert response.json["details"], body
    assert call("physical-ok", user, card["id"], body={"address": "a" * 200}).status == 200
    assert card_row(card["id"])["shipping_address"] == "a" * 200


# --- PIN ------------------------------------------------------------------------------------------


def test_a_pin_is_stored_as_a_bcrypt_hash_and_never_returned(issuer: SandboxCardIssuer) -> None:
    # Given a card without a PIN
    user = make_user()
    card = new_card(user)
    token = token_of(card["id"])
    # When its owner sets one
    response = call("pin-ok", user, card["id"], body={"pin": "0482"})
    # Then the answer only says that the card has a PIN
    assert response.status == 200
    assert response.json == {"data": {"id": card["id"], "hasPin": True}}
    # And the database holds a cost-12 bcrypt hash, the issuer got the PIN, and the history has no trace of it
    pin_hash = card_row(card["id"])["pin_hash"]
    assert pin_hash.startswith("$2b$12$")
    assert bcrypt.checkpw(b"0482", pin_hash.encode())
    assert issuer.cards[token].has_pin
    assert "0482" not in json.dumps(get_db().fetch_all("SELECT * FROM card_events"), default=str)
    # And no card response ever carries the PIN, its hash or the issuer token
    responses = [
        response,
        call("get-ok", user, card["id"]),
        call("list-ok", user),
        call("patch-freeze", user, card["id"]),
    ]
    assert responses[1].data["hasPin"] is True
    for r in responses:
        assert "0482" not in r.raw_body
        assert "$2b$" not in r.raw_body
        assert token not in r.raw_body
    # And setting it again replaces the hash
    assert call("pin-ok", user, card["id"], body={"pin": "9931"}).status == 200
    assert bcrypt.checkpw(b"9931", card_row(card["id"])["pin_hash"].encode())


def test_a_pin_is_exactly_four_ascii_digits_in_a_string(issuer: SandboxCardIssuer) -> None:
    user = make_user()
    card = new_card(user)
    cases: list[tuple[str, int]] = [
        ('{"pin": 1234}', 422),
        ('{"pin": "12345"}', 422),
        ('{"pin": "123"}', 422),
        ('{"pin": "12a4"}', 422),
        ('{"pin": " 1234"}', 422),
        ('{"pin": "1234 "}', 422),
        ('{"pin": "1234\\n"}', 422),
        ('{"pin": "\\u0661\\u0662\\u0663\\u0664"}', 422),  # Arabic-Indic digits are not ASCII digits
        ('{"pin": "\\uff11\\uff12\\uff13\\uff14"}', 422),  # nor are full-width ones
        ('{"pin": ""}', 422),
        ('{"pin": null}', 422),
        ('{"pin": ["1234"]}', 422),
        ("{}", 422),
        ('{"pin": "1234", "confirm": "1234"}', 422),
        ('{"pin": "1234"', 400),
        ("", 400),
    ]
    for raw, status in cases:
        response = call("pin-ok", user, card["id"], raw_body=raw)
        assert response.status == status, raw
        assert not re.search(r"(?<![0-9a-f])(1234|12345|123|12a4)(?![0-9a-f])", response.raw_body), raw
    assert card_row(card["id"])["pin_hash"] is None
    assert not issuer.cards[token_of(card["id"])].has_pin


def test_an_issuer_failure_on_pin_leaves_no_hash(issuer: SandboxCardIssuer) -> None:
    class PinRefused(SandboxCardIssuer):
        def set_pin(self, token: str, pin: str) -> None:
            raise IssuerError("issuer down")

    user = make_user()
    card = new_card(user)
    use_issuer(PinRefused())
    response = call("pin-ok", user, card["id"])
    assert response.status == 503
    assert card_row(card["id"])["pin_hash"] is None
    assert events_of(card["id"]) == [("issued", None, "active")]


def test_no_log_line_carries_the_pin_or_its_hash(
    issuer: SandboxCardIssuer, caplog: pytest.LogCaptureFixture
) -> None:
    # Given every log line captured in Powertools' own JSON format, at DEBUG
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logger.registered_formatter)
    std_logger = logging.getLogger(logger.name)
    std_logger.addHandler(handler)
    previous = std_logger.level
    logger.setLevel("DEBUG")
    caplog.set_level(logging.DEBUG)
    try:
        user = make_user()
        card = new_card(user)
        # When a PIN is set, refused for its shape, and refused by a failing issuer
        assert call("pin-ok", user, card["id"], body={"pin": "5820"}).status == 200
        assert call("pin-ok", user, card["id"], body={"pin": "58201"}).status == 422

        class PinRefused(SandboxCardIssuer):
            def set_pin(self, token: str, pin: str) -> None:
                raise IssuerError("issuer down")

        use_issuer(PinRefused())
        assert call("pin-ok", user, card["id"], body={"pin": "5821"}).status == 503
    finally:
        std_logger.removeHandler(handler)
        std_logger.setLevel(previous)
    # Then something was logged (the issuer failure), but never a PIN or a bcrypt hash
    logged = stream.getvalue() + caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert "issuer" in logged.lower()
    for secret in ("5820", "58201", "5821", "$2b$"):
        assert secret not in logged, secret


# --- spending limits ------------------------------------------------------------------------------


def test_limits_start_empty_and_put_replaces_the_same_type(issuer: SandboxCardIssuer) -> None:
    user = make_user()
    card = new_card(user)
    empty = call("limits-get", user, card["id"])
    assert empty.status == 200
    assert empty.json == {"data": []}

    first = call("limits-put", user, card["id"], body={"limitType": "daily", "amount": 5000})
    assert first.status == 200
    assert set(first.data) == {"limitType", "amount", "currency", "updatedAt"}
    assert (first.data["limitType"], first.data["amount"], first.data["currency"]) == ("daily", 5000, "NOK")

    replaced = call("limits-put", user, card["id"], raw_body='{"limitType": "daily", "amount": 2500.50}')
    assert replaced.status == 200
    assert replaced.data["amount"] == Decimal("2500.50")
    limits = call("limits-get", user, card["id"]).data
    assert [(x["limitType"], x["amount"]) for x in limits] == [("daily", Decimal("2500.50"))]
    assert issuer.cards[token_of(card["id"])].limits == {"daily": Decimal("2500.50")}
    assert [e[0] for e in events_of(card["id"])] == ["issued", "limit_set", "limit_set"]


def test_limits_come_back_in_the_documented_order(issuer: SandboxCardIssuer) -> None:
    user = make_user()
    card = new_card(user)
    for limit_type in ("transaction", "monthly", "daily", "weekly"):
        assert (
            call("limits-put", user, card["id"], body={"limitType": limit_type, "amount": 100}).status == 200
        )
    limits = call("limits-get", user, card["id"]).data
    assert [x["limitType"] for x in limits] == ["daily", "weekly", "monthly", "transaction"]


def test_a_limit_needs_a_known_type_and_a_positive_amount_with_two_decimals(
    issuer: SandboxCardIssuer,
) -> None:
    user = make_user()
    card = new_card(user)
    for raw in (
        '{"limitType": "daily", "amount": 0}',
        '{"limitType": "daily", "amount": -5}',
        '{"limitType": "daily", "amount": 1.234}',
        '{"limitType": "daily", "amount": "100"}',
        '{"limitType": "daily", "amount": true}',
        '{"limitType": "daily", "amount": 1000000.01}',
        '{"limitType": "daily"}',
        '{"limitType": "yearly", "amount": 100}',
        '{"limitType": "Daily", "amount": 100}',
        '{"amount": 100}',
        '{"limitType": "daily", "amount": 100, "currency": "EUR"}',
        '{"limit_type": "daily", "amount": 100}',
    ):
        response = call("limits-put", user, card["id"], raw_body=raw)
        assert response.status == 422, raw
        assert response.json["error"] == "validation_error"
    assert call("limits-get", user, card["id"]).data == []


def test_a_cancelled_cards_limits_can_be_read_but_not_changed(issuer: SandboxCardIssuer) -> None:
    user = make_user()
    card = new_card(user)
    assert call("limits-put", user, card["id"]).status == 200
    assert call("delete-ok", user, card["id"]).status == 200
    assert call("limits-put", user, card["id"], body={"limitType": "daily", "amount": 1}).status == 409
    limits = call("limits-get", user, card["id"])
    assert limits.status == 200
    assert [(x["limitType"], x["amount"]) for x in limits.data] == [("daily", 5000)]


def test_a_frozen_card_can_still_get_a_pin_and_limits(issuer: SandboxCardIssuer) -> None:
    user = make_user()
    card = new_card(user)
    assert call("patch-freeze", user, card["id"]).status == 200
    assert call("pin-ok", user, card["id"]).status == 200
    assert call("limits-put", user, card["id"]).status == 200
    assert card_row(card["id"])["status"] == "frozen"


def test_someone_elses_limits_are_404(issuer: Any) -> None:
    owner, stranger = make_user(), make_user()
    card = new_card(owner)
    call("limits-put", owner, card["id"])
    assert call("limits-get", stranger, card["id"]).status == 404
    assert call("limits-put", stranger, card["id"], body={"limitType": "daily", "amount": 1}).status == 404
    assert call("limits-get", owner, card["id"]).data[0]["amount"] == 5000
