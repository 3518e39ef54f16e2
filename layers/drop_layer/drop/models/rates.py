from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from drop.models.base import ResponseModel


class RatesOut(ResponseModel):
    base_currency: str
    rates: dict[str, Decimal]
    updated_at: datetime


class RateOut(ResponseModel):
    base_currency: str
    currency: str
    rate: Decimal
    fee: Decimal
    updated_at: datetime
