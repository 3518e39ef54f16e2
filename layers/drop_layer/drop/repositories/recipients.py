"""Recipients: one user's saved payees. Soft-deleted rows stay, so past transactions keep their recipient."""

from __future__ import annotations

from typing import Any

from drop.db import Cursor, get_db
from drop.repositories import counters

COUNTER = "recipients"


def insert(
    cur: Cursor,
    *,
    recipient_id: str,
    user_id: str,
    name: str,
    country: str,
    currency: str,
    bank_account: str,
    bank_name: str | None,
) -> dict[str, Any]:
    cur.execute(
        "INSERT INTO recipients (id, user_id, name, country, currency, bank_account, bank_name)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)"
        " RETURNING id, name, country, currency, bank_account, bank_name, created_at",
        (recipient_id, user_id, name, country, currency, bank_account, bank_name),
    )
    row = cur.fetchone()
    assert row is not None
    counters.bump(cur, user_id, [COUNTER], 1)
    return dict(row)


def soft_delete(cur: Cursor, *, recipient_id: str, user_id: str) -> bool:
    """False when there is no live recipient of this user with that id (missing, gone, or someone else's)."""
    cur.execute(
        "UPDATE recipients SET deleted_at = now() WHERE id = %s AND user_id = %s AND deleted_at IS NULL",
        (recipient_id, user_id),
    )
    if cur.rowcount != 1:
        return False
    # Not counters.bump(..., -1): its INSERT … ON CONFLICT meets CHECK (value >= 0) on the proposed row
    # (-1) before the conflict turns it into an update, so a negative delta always fails there.
    cur.execute(
        "UPDATE counters SET value = GREATEST(value - 1, 0) WHERE scope = %s AND name = %s",
        (user_id, COUNTER),
    )
    return True


def page_for_user(user_id: str, *, limit: int, offset: int) -> tuple[int, list[dict[str, Any]]]:
    """The maintained total and one page, newest first, in one round trip (recipients_by_user index)."""
    rows = get_db().fetch_all(
        """
        SELECT total.value AS total, r.*
        FROM (SELECT COALESCE((SELECT value FROM counters WHERE scope = %(user)s AND name = %(counter)s), 0)
              AS value) AS total
        LEFT JOIN LATERAL (
            SELECT id, name, country, currency, bank_account, bank_name, created_at
            FROM recipients
            WHERE user_id = %(user)s AND deleted_at IS NULL
            ORDER BY created_at DESC, id DESC
            LIMIT %(limit)s OFFSET %(offset)s
        ) AS r ON true
        ORDER BY r.created_at DESC, r.id DESC
        """,
        {"user": user_id, "counter": COUNTER, "limit": limit, "offset": offset},
    )
    total = int(rows[0]["total"])
    return total, [row for row in rows if row["id"] is not None]
