"""Transactions, their append-only status history and their maintained counters.

Also the two lookups money movement needs from the recipients and merchants tables (read-only here).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from drop.db import Cursor, get_db
from drop.repositories import counters

# -- counterparties --------------------------------------------------------------------------------


def recipient_for_transfer(cur: Cursor, *, user_id: str, recipient_id: str) -> dict[str, Any] | None:
    """The user's live recipient; someone else's or a deleted one is simply not found."""
    cur.execute(
        "SELECT id, name, country, currency, bank_account FROM recipients"
        " WHERE id = %s AND user_id = %s AND deleted_at IS NULL",
        (recipient_id, user_id),
    )
    row = cur.fetchone()
    return dict(row) if row else None


def merchant_for_payment(cur: Cursor, merchant_id: str) -> dict[str, Any] | None:
    """A merchant that can be paid: its owner still has an account."""
    cur.execute(
        "SELECT m.id, m.user_id, m.business_name FROM merchants m JOIN users u ON u.id = m.user_id"
        " WHERE m.id = %s AND u.deleted_at IS NULL",
        (merchant_id,),
    )
    row = cur.fetchone()
    return dict(row) if row else None


# -- writes ----------------------------------------------------------------------------------------

_INSERT_COLUMNS = (
    "id",
    "user_id",
    "type",
    "status",
    "send_amount",
    "send_currency",
    "receive_amount",
    "receive_currency",
    "exchange_rate",
    "fee",
    "fee_percent",
    "total",
    "debited_amount",
    "recipient_id",
    "recipient_name",
    "recipient_country",
    "merchant_id",
    "merchant_name",
    "bank_account_id",
    "from_account",
    "eta",
    "quote_id",
    "idempotency_key",
)


# Columns a new transaction may leave out: each kind fills only what concerns it.
_OPTIONAL_COLUMNS = dict.fromkeys(
    (
        "receive_amount",
        "receive_currency",
        "exchange_rate",
        "recipient_id",
        "recipient_name",
        "recipient_country",
        "merchant_id",
        "merchant_name",
        "eta",
        "quote_id",
        "idempotency_key",
    )
)


def insert_new(cur: Cursor, values: dict[str, Any]) -> dict[str, Any]:
    """Insert a transaction with its first history event and its list counters; return the stored row.

    A transaction created `completed` (an instant QR payment) completes at the very instant it is created.
    """
    values = {**_OPTIONAL_COLUMNS, **values}
    columns = ", ".join(_INSERT_COLUMNS)
    placeholders = ", ".join(f"%({name})s" for name in _INSERT_COLUMNS)
    cur.execute(
        f"INSERT INTO transactions ({columns}, completed_at)"
        f" VALUES ({placeholders}, CASE WHEN %(status)s = 'completed' THEN now() END) RETURNING *",
        values,
    )
    row = cur.fetchone()
    assert row is not None
    add_event(cur, row["id"], None, row["status"])
    count_new(cur, user_id=row["user_id"], type=row["type"], status=row["status"])
    return dict(row)


def add_event(
    cur: Cursor, transaction_id: str, from_status: str | None, to_status: str, reason: str | None = None
) -> None:
    cur.execute(
        "INSERT INTO transaction_events (transaction_id, from_status, to_status, reason)"
        " VALUES (%s, %s, %s, %s)",
        (transaction_id, from_status, to_status, reason),
    )


def _bump_sorted(cur: Cursor, scope: str, deltas: dict[str, int]) -> None:
    # Always in name order: two transactions touching the same counters then lock them in the same order
    # and cannot deadlock each other.
    for name in sorted(deltas):
        counters.bump(cur, scope, [name], deltas[name])


def count_new(cur: Cursor, *, user_id: str, type: str, status: str) -> None:
    """Every list filter combination has its own total (see `counter_for`)."""
    names = ["tx", f"tx:type:{type}", f"tx:status:{status}", f"tx:{type}:{status}"]
    _bump_sorted(cur, user_id, dict.fromkeys(names, 1))


def count_status_change(cur: Cursor, *, user_id: str, type: str, old: str, new: str) -> None:
    deltas = {f"tx:status:{old}": -1, f"tx:status:{new}": 1, f"tx:{type}:{old}": -1, f"tx:{type}:{new}": 1}
    _bump_sorted(cur, user_id, deltas)


def counter_for(type: str | None, status: str | None) -> str:
    if type and status:
        return f"tx:{type}:{status}"
    if type:
        return f"tx:type:{type}"
    if status:
        return f"tx:status:{status}"
    return "tx"


# -- settlement ------------------------------------------------------------------------------------


def lock_processing(cur: Cursor, transaction_id: str) -> dict[str, Any] | None:
    """The transaction with what a payment order needs, locked; None unless it is still `processing`.

    A redelivered message, or two workers holding the same message, therefore change it at most once.
    """
    cur.execute(
        """
        SELECT t.id, t.user_id, t.type, t.status, t.send_amount, t.send_currency, t.debited_amount,
               t.bank_account_id, t.recipient_name, r.bank_account AS recipient_iban,
               a.account_number AS debtor_account
        FROM transactions t
        JOIN recipients r ON r.id = t.recipient_id
        JOIN bank_accounts a ON a.id = t.bank_account_id
        WHERE t.id = %s AND t.status = 'processing'
        FOR UPDATE OF t
        """,
        (transaction_id,),
    )
    row = cur.fetchone()
    return dict(row) if row else None


def mark_completed(cur: Cursor, transaction_id: str, payment_id: str) -> None:
    cur.execute(
        "UPDATE transactions SET status = 'completed', completed_at = now(), updated_at = now(),"
        " pisp_payment_id = %s WHERE id = %s",
        (payment_id, transaction_id),
    )


def mark_failed(cur: Cursor, transaction_id: str, reason: str) -> None:
    cur.execute(
        "UPDATE transactions SET status = 'failed', failure_reason = %s, updated_at = now() WHERE id = %s",
        (reason, transaction_id),
    )


# -- reads -----------------------------------------------------------------------------------------

# Fixed fragments only (never user input), each served by one of the transactions_by_user* indexes.
_FILTERS = {
    (False, False): "",
    (True, False): " AND type = %(type)s",
    (False, True): " AND status = %(status)s",
    (True, True): " AND type = %(type)s AND status = %(status)s",
}


def page_for_user(
    user_id: str, *, type: str | None, status: str | None, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """The maintained total for this filter and one page, newest first, in one round trip."""
    where = _FILTERS[(type is not None, status is not None)]
    rows = get_db().fetch_all(
        f"""
        SELECT total.value AS total, t.*
        FROM (SELECT COALESCE((SELECT value FROM counters WHERE scope = %(user)s AND name = %(counter)s), 0)
              AS value) AS total
        LEFT JOIN LATERAL (
            SELECT id, type, status, send_amount, send_currency, recipient_name, merchant_name, created_at
            FROM transactions
            WHERE user_id = %(user)s{where}
            ORDER BY created_at DESC, id DESC
            LIMIT %(limit)s OFFSET %(offset)s
        ) AS t ON true
        ORDER BY t.created_at DESC, t.id DESC
        """,
        {
            "user": user_id,
            "counter": counter_for(type, status),
            "type": type,
            "status": status,
            "limit": limit,
            "offset": offset,
        },
    )
    total = int(rows[0]["total"])
    return total, [row for row in rows if row["id"] is not None]


def find_owned(user_id: str, transaction_id: str) -> dict[str, Any] | None:
    return get_db().fetch_one(
        "SELECT * FROM transactions WHERE id = %s AND user_id = %s", (transaction_id, user_id)
    )


def summary(user_id: str, month_start: datetime) -> dict[str, Any]:
    """All-time and since `month_start` totals in one pass over the user's rows (transactions_by_user).

    Failed transactions are left out: their money went back to the account, nothing was sent or paid.
    """
    row = get_db().fetch_one(
        """
        SELECT
          count(*) AS total_count,
          count(*) FILTER (WHERE type = 'remittance') AS remittance_count,
          count(*) FILTER (WHERE type = 'qr_payment') AS qr_payment_count,
          COALESCE(sum(send_amount) FILTER (WHERE type = 'remittance'), 0) AS total_sent,
          COALESCE(sum(send_amount) FILTER (WHERE type = 'qr_payment'), 0) AS total_paid,
          count(*) FILTER (WHERE created_at >= %(month)s) AS month_total_count,
          count(*) FILTER (WHERE created_at >= %(month)s AND type = 'remittance') AS month_remittance_count,
          count(*) FILTER (WHERE created_at >= %(month)s AND type = 'qr_payment') AS month_qr_payment_count,
          COALESCE(sum(send_amount) FILTER (WHERE created_at >= %(month)s AND type = 'remittance'), 0)
            AS month_total_sent,
          COALESCE(sum(send_amount) FILTER (WHERE created_at >= %(month)s AND type = 'qr_payment'), 0)
            AS month_total_paid
        FROM transactions
        WHERE user_id = %(user)s AND status <> 'failed'
        """,
        {"user": user_id, "month": month_start},
    )
    assert row is not None
    return row
