"""Merchants and the QR payments made to them (read side; the payments themselves are written by
the QR-payment service, which bumps the merchant's "qr_payments" counter in the same transaction)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from drop.db import Cursor, get_db

QR_PAYMENTS_COUNTER = "qr_payments"

_COLUMNS = "id, user_id, business_name, org_number, address, bank_account, created_at"


def insert(
    cur: Cursor,
    *,
    merchant_id: str,
    user_id: str,
    business_name: str,
    org_number: str,
    address: str | None,
    bank_account: str,
) -> dict[str, Any] | None:
    """The new merchant, or None when the user or the org number is already registered.

    ON CONFLICT DO NOTHING waits for a concurrent insert of the same key and then yields no row, so a
    race ends as a clean None (a 409) instead of a unique-violation error.
    """
    cur.execute(
        "INSERT INTO merchants (id, user_id, business_name, org_number, address, bank_account)"
        f" VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING {_COLUMNS}",
        (merchant_id, user_id, business_name, org_number, address, bank_account),
    )
    row = cur.fetchone()
    return dict(row) if row else None


def user_is_registered(cur: Cursor, user_id: str) -> bool:
    cur.execute("SELECT 1 FROM merchants WHERE user_id = %s", (user_id,))
    return cur.fetchone() is not None


def make_user_a_merchant(cur: Cursor, user_id: str) -> None:
    cur.execute("UPDATE users SET role = 'merchant', updated_at = now() WHERE id = %s", (user_id,))


def find_by_user(user_id: str) -> dict[str, Any] | None:
    return get_db().fetch_one(f"SELECT {_COLUMNS} FROM merchants WHERE user_id = %s", (user_id,))


def revenue_since(merchant_id: str, since: datetime) -> dict[str, Any]:
    """Completed QR payments from `since` on: a range scan of transactions_by_merchant."""
    row = get_db().fetch_one(
        """
        SELECT COALESCE(sum(send_amount), 0) AS revenue, COALESCE(sum(fee), 0) AS fees, count(*) AS payments
        FROM transactions
        WHERE merchant_id = %s AND created_at >= %s AND type = 'qr_payment' AND status = 'completed'
        """,
        (merchant_id, since),
    )
    assert row is not None  # an aggregate always returns one row
    return row


def payments_page(merchant_id: str, *, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """The maintained total and one page of payments (newest first) with the payer's name, one round trip."""
    rows = get_db().fetch_all(
        """
        SELECT total.value AS total, p.*
        FROM (SELECT COALESCE(
                (SELECT value FROM counters WHERE scope = %(merchant)s AND name = %(counter)s), 0) AS value
             ) AS total
        LEFT JOIN LATERAL (
            SELECT t.id, t.send_amount AS amount, t.fee, t.send_currency AS currency, t.status, t.created_at,
                   u.first_name, u.last_name
            FROM transactions t JOIN users u ON u.id = t.user_id
            WHERE t.merchant_id = %(merchant)s
            ORDER BY t.created_at DESC, t.id DESC
            LIMIT %(limit)s OFFSET %(offset)s
        ) AS p ON true
        ORDER BY p.created_at DESC, p.id DESC
        """,
        {"merchant": merchant_id, "counter": QR_PAYMENTS_COUNTER, "limit": limit, "offset": offset},
    )
    total = int(rows[0]["total"])
    return total, [row for row in rows if row["id"] is not None]
