"""Started BankID logins (state, nonce, PKCE verifier stay server-side) and mobile one-time codes.

Both are single use: consuming is one conditional UPDATE … RETURNING, so two concurrent callbacks with
the same state (or two exchanges of the same code) cannot both succeed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from drop.db import Cursor, get_db


def create_flow(*, state: str, nonce: str, code_verifier: str, platform: str, expires_at: datetime) -> None:
    # Expired flows are purged in the same round trip, so the table never grows with abandoned logins.
    get_db().execute(
        """
        WITH purged AS (DELETE FROM auth_flows WHERE expires_at < now() - interval '1 hour')
        INSERT INTO auth_flows (state, nonce, code_verifier, platform, expires_at)
        VALUES (%s, %s, %s, %s, %s)
        """,
        (state, nonce, code_verifier, platform, expires_at),
    )


def consume_flow(state: str) -> dict[str, Any] | None:
    """Mark the flow used and return it; None when unknown, already used or expired."""
    return _write_returning(
        """
        UPDATE auth_flows SET used_at = now()
        WHERE state = %s AND used_at IS NULL AND expires_at > now()
        RETURNING nonce, code_verifier, platform
        """,
        (state,),
    )


def create_code(cur: Cursor, *, code_hash: str, session_id: str, expires_at: datetime) -> None:
    cur.execute(
        "INSERT INTO auth_codes (code_hash, session_id, expires_at) VALUES (%s, %s, %s)",
        (code_hash, session_id, expires_at),
    )


def consume_code(code_hash: str) -> dict[str, Any] | None:
    """Use a mobile one-time code: the live mobile session (and its user) it names, or None."""
    return _write_returning(
        """
        WITH used AS (
            UPDATE auth_codes SET used_at = now()
            WHERE code_hash = %s AND used_at IS NULL AND expires_at > now()
            RETURNING session_id
        )
        SELECT s.id AS session_id, s.expires_at, u.id AS user_id, u.role, u.email
        FROM used
        JOIN sessions s ON s.id = used.session_id
        JOIN users u ON u.id = s.user_id
        WHERE s.client = 'mobile' AND s.revoked_at IS NULL AND s.expires_at > now() AND u.deleted_at IS NULL
        """,
        (code_hash,),
    )


def _write_returning(sql: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
    # Not Database.fetch_one: that retries reads, and a write must never be sent twice.
    with get_db().transaction() as cur:
        cur.execute(sql, params)
        row = cur.fetchone()
    return dict(row) if row else None
