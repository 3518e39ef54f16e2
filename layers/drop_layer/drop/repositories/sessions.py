"""Sessions: every token names one; revoking them makes earlier tokens fail at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from drop.db import Cursor, get_db


def create(cur: Cursor, *, session_id: str, user_id: str, client: str, expires_at: datetime) -> None:
    cur.execute(
        "INSERT INTO sessions (id, user_id, client, expires_at) VALUES (%s, %s, %s, %s)",
        (session_id, user_id, client, expires_at),
    )


def active_user(session_id: str, user_id: str) -> dict[str, Any] | None:
    """The user behind a live session, in one round trip; None when revoked, expired or erased."""
    return get_db().fetch_one(
        """
        SELECT u.id, u.email, u.first_name, u.last_name, u.role, u.kyc_status, s.id AS session_id, s.client
        FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = %s AND s.user_id = %s AND s.revoked_at IS NULL AND s.expires_at > now()
          AND u.deleted_at IS NULL
        """,
        (session_id, user_id),
    )


def revoke(cur: Cursor, session_id: str) -> int:
    """1 when this call revoked the session, 0 when it was already revoked (e.g. a concurrent refresh)."""
    cur.execute("UPDATE sessions SET revoked_at = now() WHERE id = %s AND revoked_at IS NULL", (session_id,))
    return cur.rowcount


def revoke_all(cur: Cursor, user_id: str) -> int:
    """`revokeAllSessions()`: every device of this user is signed out."""
    cur.execute(
        "UPDATE sessions SET revoked_at = now() WHERE user_id = %s AND revoked_at IS NULL", (user_id,)
    )
    return cur.rowcount
