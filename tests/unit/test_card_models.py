"""Card input rules (API.md §9.9) and the masked output shape."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from drop.http.json import dumps, loads
from drop.models.cards import (
    CardOut,
    CreateCardIn,
    LimitIn,
    PhysicalOrderIn,
    PinIn,
    UpdateCardIn,
    masked_number,
)


def test_the_card_number_shows_only_the_last_four_digits() -> None:
    assert masked_number("1234") == "---- ---- ---- 1234"


def test_card_json_is_camel_case_with_a_hidden_cvv() -> None:
    card = CardOut(
        id="card_0123456789abcdef",
        type="virtual",
        status="active",
        card_number=masked_number("0042"),
        expiry_month=2,
        expiry_year=2029,
        has_pin=False,
        physical_ordered_at=None,
        created_at=datetime(2026, 2, 23, 12, tzinfo=UTC),
    )
    assert loads(dumps(card)) == {
        "id": "card_0123456789abcdef",
        "type": "virtual",
        "status": "active",
        "cardNumber": "---- ---- ---- 0042",
        "cvv": "---",
        "expiryMonth": 2,
        "expiryYear": 2029,
        "hasPin": False,
        "physicalOrderedAt": None,
        "createdAt": "2026-02-23T12:00:00.000Z",
    }


def test_the_card_type_defaults_to_virtual() -> None:
    assert CreateCardIn.model_validate({}).type == "virtual"
    assert CreateCardIn.model_validate({"type": "physical"}).type == "physical"


@pytest.mark.parametrize("body", [{"type": "debit"}, {"type": 0}, {"type": "Physical"}, {"colour": "red"}])
def test_create_refuses_other_types_and_fields(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        CreateCardIn.model_validate(body)


@pytest.mark.parametrize("status", ["active", "frozen"])
def test_patch_sets_active_or_frozen(status: str) -> None:
    assert UpdateCardIn.model_validate({"status": status}).status == status


@pytest.mark.parametrize("status", ["cancelled", "Frozen", "", None, 1])
def test_patch_refuses_anything_else(status: Any) -> None:
    with pytest.raises(ValidationError):
        UpdateCardIn.model_validate({"status": status})


@pytest.mark.parametrize("pin", ["0000", "1234", "0482", "9999"])
def test_a_pin_is_four_ascii_digits(pin: str) -> None:
    assert PinIn.model_validate({"pin": pin}).pin == pin


@pytest.mark.parametrize(
    "pin",
    [1234, "123", "12345", "12a4", " 1234", "1234 ", "1234\n", "\u0661\u0662\u0663\u0664", "", None, True],
)
def test_anything_else_is_not_a_pin_and_the_error_does_not_repeat_it(pin: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        PinIn.model_validate({"pin": pin})
    messages = " ".join(e["msg"] for e in caught.value.errors(include_url=False, include_input=False))
    if isinstance(pin, str) and pin.strip():
        assert pin.strip() not in messages


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("Karl Johans gate 1, 0154 Oslo", "Karl Johans gate 1, 0154 Oslo"),
        ("  Storgata   5,\n0155 Oslo  ", "Storgata 5, 0155 Oslo"),
        ("<b>Storgata 5</b>, 0155 Oslo", "Storgata 5, 0155 Oslo"),
        ("a" * 10, "a" * 10),
        ("a" * 200, "a" * 200),
    ],
)
def test_an_address_is_sanitised_text_of_10_to_200_characters(raw: str, stored: str) -> None:
    assert PhysicalOrderIn.model_validate({"address": raw}).address == stored


@pytest.mark.parametrize("raw", ["a" * 9, "   a b c d   ", "<p></p>abc", "a" * 201, 1234567890123, None])
def test_a_short_long_or_non_text_address_is_refused(raw: Any) -> None:
    with pytest.raises(ValidationError):
        PhysicalOrderIn.model_validate({"address": raw})


@pytest.mark.parametrize("limit_type", ["daily", "weekly", "monthly", "transaction"])
def test_the_four_limit_types(limit_type: str) -> None:
    limit = LimitIn.model_validate({"limitType": limit_type, "amount": Decimal("100.50")})
    assert (limit.limit_type, limit.amount) == (limit_type, Decimal("100.50"))


@pytest.mark.parametrize(
    "body",
    [
        {"limitType": "yearly", "amount": 10},
        {"limitType": "daily", "amount": 0},
        {"limitType": "daily", "amount": Decimal("-1")},
        {"limitType": "daily", "amount": Decimal("0.001")},
        {"limitType": "daily", "amount": "10"},
        {"limitType": "daily", "amount": 10.5},
        {"limitType": "daily"},
        {"amount": 10},
        {"limit_type": "daily", "amount": 10},
    ],
)
def test_a_limit_needs_a_known_type_and_a_positive_exact_amount(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        LimitIn.model_validate(body)
