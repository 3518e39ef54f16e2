"""Exchange rates from NOK, as served to anyone (public endpoints)."""

from __future__ import annotations

from decimal import Decimal

from drop.errors import NotFound
from drop.models.rates import RateOut, RatesOut
from drop.money import REMITTANCE_FEE_RATE, SEND_CURRENCY
from drop.repositories import rates as rates_repo


def _plain(rate: Decimal) -> Decimal:
    # NUMERIC(18,6) comes back as 11.700000; the spec shows 11.7.
    return rate.normalize()


def list_rates() -> RatesOut:
    rows = rates_repo.all_rates()
    return RatesOut(
        base_currency=SEND_CURRENCY,
        rates={row["currency"]: _plain(row["rate"]) for row in rows},
        updated_at=max(row["updated_at"] for row in rows),
    )


def get_rate(currency: str) -> RateOut:
    code = currency.strip().upper()
    row = rates_repo.find_rate(code) if len(code) == 3 and code.isalpha() else None
    if row is None:
        raise NotFound(f"No exchange rate for {currency!r}")
    return RateOut(
        base_currency=SEND_CURRENCY,
        currency=row["currency"],
        rate=_plain(row["rate"]),
        fee=REMITTANCE_FEE_RATE,
        updated_at=row["updated_at"],
    )
