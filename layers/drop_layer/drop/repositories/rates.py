"""Exchange rates from NOK."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drop.db import Cursor, get_db


def all_rates() -> list[dict[str, Any]]:
    return get_db().fetch_all(
        "SELECT currency, base_currency, rate, updated_at FROM exchange_rates ORDER BY currency"
    )


def find_rate(currency: str) -> dict[str, Any] | None:
    return get_db().fetch_one(
        "SELECT currency, base_currency, rate, updated_at FROM exchange_rates WHERE currency = %s",
        (currency,),
    )


def rate_in(cur: Cursor, currency: str) -> Decimal | None:
    cur.execute("SELECT rate FROM exchange_rates WHERE currency = %s", (currency,))
    row = cur.fetchone()
    return Decimal(row["rate"]) if row else None
