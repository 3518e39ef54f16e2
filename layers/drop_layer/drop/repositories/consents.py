"""Consents: one row per (user, type) with its current state, plus an append-only event per action."""

from __future__ import annotations

from typing import Any

from drop.db import Cursor, get_db

_COLUMNS = "id, user_id, consent_type, granted, granted_at, withdrawn_at, ip_address"


def list_for_user(user_id: str) -> list[dict[str, Any]]:
    return get_db().fetch_all(
        f"SELECT {_COLUMNS} FROM consents WHERE user_id = %s ORDER BY consent_type", (user_id,)
    )


def upsert(
    cur: Cursor, *, new_id: str, user_id: str, consent_type: str, granted: bool, ip_address: str
) -> tuple[dict[str, Any], bool]:
    """Grant (granted_at = now, withdrawn_at cleared) or withdraw (withdrawn_at = now, granted_at kept).

    Returns the row and whether it was created; `xmax = 0` holds only for a freshly inserted row.
    """
    cur.execute(
        f"""
        INSERT INTO consents AS c (id, user_id, consent_type, granted, granted_at, withdrawn_at, ip_address)
        VALUES (%(id)s, %(user_id)s, %(type)s, %(granted)s,
                CASE WHEN %(granted)s THEN now() END, CASE WHEN %(granted)s THEN NULL ELSE now() END,
                %(ip)s)
        ON CONFLICT (user_id, consent_type) DO UPDATE SET
            granted = EXCLUDED.granted,
            granted_at = CASE WHEN EXCLUDED.granted THEN now() ELSE c.granted_at END,
            withdrawn_at = CASE WHEN EXCLUDED.granted THEN NULL ELSE now() END,
            ip_address = EXCLUDED.ip_address,
            updated_at = now()
        RETURNING {_COLUMNS}, (xmax = 0) AS created
        """,
        {"id": new_id, "user_id": user_id, "type": consent_type, "granted": granted, "ip": ip_address},
    )
    row = cur.fetchone()
    assert row is not None
    created = bool(row.pop("created"))
    return dict(row), created


def record_event(cur: Cursor, *, consent_id: str, granted: bool, ip_address: str | None) -> None:
    cur.execute(
        "INSERT INTO consent_events (consent_id, granted, ip_address) VALUES (%s, %s, %s)",
        (consent_id, granted, ip_address),
    )


def withdraw_all(cur: Cursor, user_id: str, ip_address: str) -> int:
    """Erasure withdraws every granted consent, each with its audit event."""
    cur.execute(
        "UPDATE consents SET granted = false, withdrawn_at = now(), ip_address = %s, updated_at = now()"
        " WHERE user_id = %s AND granted RETURNING id",
        (ip_address, user_id),
    )
    ids = [row["id"] for row in cur.fetchall()]
    for consent_id in ids:
        record_event(cur, consent_id=consent_id, granted=False, ip_address=ip_address)
    return len(ids)
