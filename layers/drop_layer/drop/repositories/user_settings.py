"""User settings: one row per user, created with the table's defaults on first read."""

from __future__ import annotations

from typing import Any

from drop.db import Cursor, get_db

_COLUMNS = "currency, language, push_enabled, email_enabled, updated_at"

# Column names for the fields a PATCH may change; nothing else ever reaches the SET list.
UPDATABLE = ("currency", "language", "push_enabled", "email_enabled")


def get_or_create(user_id: str) -> dict[str, Any]:
    """One round trip: insert the defaults unless a row exists, and return whichever row is there."""
    db = get_db()
    row = db.fetch_one(
        f"""
        WITH created AS (
            INSERT INTO user_settings (user_id) VALUES (%s) ON CONFLICT (user_id) DO NOTHING
            RETURNING {_COLUMNS}
        )
        SELECT {_COLUMNS} FROM created
        UNION ALL
        SELECT {_COLUMNS} FROM user_settings WHERE user_id = %s
        """,
        (user_id, user_id),
    )
    if row is None:
        # A concurrent first read committed between our snapshot and our insert: it is there now.
        row = db.fetch_one(f"SELECT {_COLUMNS} FROM user_settings WHERE user_id = %s", (user_id,))
    assert row is not None
    return row


def update(user_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply the given column values on top of the stored (or default) settings."""
    unknown = set(changes) - set(UPDATABLE)
    if unknown or not changes:
        raise ValueError(f"not updatable: {sorted(unknown)}")
    assignments = ", ".join(f"{column} = %({column})s" for column in UPDATABLE if column in changes)
    with get_db().transaction() as cur:
        cur.execute(
            "INSERT INTO user_settings (user_id) VALUES (%(user_id)s) ON CONFLICT (user_id) DO NOTHING",
            {"user_id": user_id},
        )
        cur.execute(
            f"UPDATE user_settings SET {assignments}, updated_at = now()"
            f" WHERE user_id = %(user_id)s RETURNING {_COLUMNS}",
            {**changes, "user_id": user_id},
        )
        row = cur.fetchone()
    assert row is not None
    return dict(row)


def for_user(cur: Cursor, user_id: str) -> dict[str, Any] | None:
    cur.execute(f"SELECT {_COLUMNS} FROM user_settings WHERE user_id = %s", (user_id,))
    row = cur.fetchone()
    return dict(row) if row else None


def delete(cur: Cursor, user_id: str) -> None:
    cur.execute("DELETE FROM user_settings WHERE user_id = %s", (user_id,))
