"""Card requests and responses. A card goes out masked: last four digits only, never a CVV or PIN."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import StrictStr, field_validator

from drop.models.base import Amount, RequestModel, ResponseModel
from drop.validation import sanitize_text

CardType = Literal["virtual", "physical"]
LimitType = Literal["daily", "weekly", "monthly", "transaction"]
LIMIT_TYPES: tuple[str, ...] = ("daily", "weekly", "monthly", "transaction")

MASKED_CVV = "---"
ADDRESS_MIN, ADDRESS_MAX = 10, 200
_PIN = re.compile(r"[0-9]{4}")


def masked_number(last4: str) -> str:
    """`---- ---- ---- 1234`: the glyphs API.md §9.9 shows, with only the last four digits."""
    return f"---- ---- ---- {last4}"


class CreateCardIn(RequestModel):
    type: CardType = "virtual"


class UpdateCardIn(RequestModel):
    # Clients may freeze and unfreeze; `cancelled` is DELETE's job and never settable here.
    status: Literal["active", "frozen"]


class PhysicalOrderIn(RequestModel):
    address: StrictStr

    @field_validator("address")
    @classmethod
    def _address(cls, value: str) -> str:
        if len(value.strip()) > ADDRESS_MAX:
            raise ValueError(f"must be at most {ADDRESS_MAX} characters")
        address = sanitize_text(value, ADDRESS_MAX)
        if len(address) < ADDRESS_MIN:
            raise ValueError(f"must be at least {ADDRESS_MIN} characters")
        return address


class PinIn(RequestModel):
    # A JSON string of exactly four ASCII digits: a number would lose leading zeros ("0042").
    pin: StrictStr

    @field_validator("pin")
    @classmethod
    def _pin(cls, value: str) -> str:
        # The message never repeats the input: a PIN must not come back, not even a wrong one.
        if not _PIN.fullmatch(value):
            raise ValueError("must be exactly 4 digits")
        return value


class LimitIn(RequestModel):
    limit_type: LimitType
    amount: Amount


class CardOut(ResponseModel):
    id: str
    type: str
    status: str
    card_number: str
    cvv: str = MASKED_CVV
    expiry_month: int | None
    expiry_year: int | None
    has_pin: bool
    physical_ordered_at: datetime | None
    created_at: datetime


class PinOut(ResponseModel):
    id: str
    has_pin: bool


class LimitOut(ResponseModel):
    limit_type: str
    amount: Decimal
    currency: str
    updated_at: datetime
