"""Idempotency keys: one row per (user, key) remembering the request's hash and, once done, its response."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from drop.db import Cursor, get_db

TTL_HOURS = 24
# A claim older than this is from a request that died without releasing it (Lambda timed out or crashed).
# Its work either committed together with the response or did not happen, so taking it over is safe.
STALE_CLAIM_MINUTES = 5

_CLAIM = f"""
INSERT INTO idempotency_keys (user_id, idempotency_key, route, request_hash, status, expires_at)
VALUES (%(user)s, %(key)s, %(route)s, %(hash)s, 'in_progress', now() + interval '{TTL_HOURS} hours')
ON CONFLICT (user_id, idempotency_key) DO UPDATE
    SET route = EXCLUDED.route, request_hash = EXCLUDED.request_hash, status = 'in_progress',
        response_status = NULL, response_body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
    WHERE idempotency_keys.expires_at <= now()
       OR (idempotency_keys.status = 'in_progress'
           AND idempotency_keys.created_at < now() - interval '{STALE_CLAIM_MINUTES} minutes')
RETURNING created_at
"""


def claim(*, user_id: str, key: str, route: str, request_hash: str) -> datetime | None:
    """Take the key for this request (committed at once); None when another request holds or used it.

    The returned `created_at` is the claim's token: completing or releasing checks it, so a request whose
    stale claim was taken over cannot complete over the newer one.
    """
    # Its own short transaction, not fetch_one: a write must never be retried blindly.
    with get_db().transaction() as cur:
        cur.execute(_CLAIM, {"user": user_id, "key": key, "route": route, "hash": request_hash})
        row = cur.fetchone()
    return row["created_at"] if row else None


def find(*, user_id: str, key: str) -> dict[str, Any] | None:
    return get_db().fetch_one(
        "SELECT route, request_hash, status, response_status, response_body FROM idempotency_keys"
        " WHERE user_id = %s AND idempotency_key = %s",
        (user_id, key),
    )


def complete(cur: Cursor, *, user_id: str, key: str, token: datetime, status: int, body: str) -> bool:
    """Store the response inside the caller's transaction; False when the claim is no longer ours."""
    cur.execute(
        "UPDATE idempotency_keys SET status = 'completed', response_status = %s, response_body = %s"
        " WHERE user_id = %s AND idempotency_key = %s AND status = 'in_progress' AND created_at = %s",
        (status, body, user_id, key, token),
    )
    return cur.rowcount == 1


def release(*, user_id: str, key: str, token: datetime) -> None:
    get_db().execute(
        "DELETE FROM idempotency_keys"
        " WHERE user_id = %s AND idempotency_key = %s AND status = 'in_progress' AND created_at = %s",
        (user_id, key, token),
    )


def purge_expired() -> int:
    return get_db().execute("DELETE FROM idempotency_keys WHERE expires_at < now()")
