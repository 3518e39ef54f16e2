"""Quotes: a disclosure's fee, rate and amounts, locked for a while so the payment gets exactly those."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drop.db import Cursor


def insert(
    cur: Cursor,
    *,
    quote_id: str,
    user_id: str,
    type: str,
    amount: Decimal,
    currency: str,
    recipient_id: str | None,
    merchant_id: str | None,
    fee: Decimal,
    exchange_rate: Decimal | None,
    receive_amount: Decimal | None,
    receive_currency: str | None,
    total: Decimal,
    estimated_delivery: str,
    ttl_seconds: int,
) -> dict[str, Any]:
    cur.execute(
        """
        INSERT INTO quotes (id, user_id, type, amount, currency, recipient_id, merchant_id, fee,
                            exchange_rate, receive_amount, receive_currency, total, estimated_delivery,
                            expires_at)
        VALUES (%(id)s, %(user)s, %(type)s, %(amount)s, %(currency)s, %(recipient)s, %(merchant)s, %(fee)s,
                %(rate)s, %(receive)s, %(receive_currency)s, %(total)s, %(eta)s,
                now() + make_interval(secs => %(ttl)s))
        RETURNING id, expires_at
        """,
        {
            "id": quote_id,
            "user": user_id,
            "type": type,
            "amount": amount,
            "currency": currency,
            "recipient": recipient_id,
            "merchant": merchant_id,
            "fee": fee,
            "rate": exchange_rate,
            "receive": receive_amount,
            "receive_currency": receive_currency,
            "total": total,
            "eta": estimated_delivery,
            "ttl": ttl_seconds,
        },
    )
    row = cur.fetchone()
    assert row is not None
    return dict(row)


def lock_owned(cur: Cursor, *, quote_id: str, user_id: str) -> dict[str, Any] | None:
    """The user's quote, locked until commit so two payments cannot both use it."""
    cur.execute(
        "SELECT *, expires_at <= now() AS expired FROM quotes WHERE id = %s AND user_id = %s FOR UPDATE",
        (quote_id, user_id),
    )
    row = cur.fetchone()
    return dict(row) if row else None


def mark_used(cur: Cursor, quote_id: str) -> None:
    cur.execute("UPDATE quotes SET used_at = now() WHERE id = %s", (quote_id,))
