"""The outbox: messages committed together with the change that caused them, sent to SQS afterwards.

Also the sweeper's housekeeping of short-lived rows (expired BankID login flows).
"""

from __future__ import annotations

from typing import Any

from psycopg.types.json import Jsonb

from drop.db import Cursor, get_db

STALE_AFTER_SECONDS = 30
_ERROR_MAX = 1000


def insert(cur: Cursor, topic: str, payload: dict[str, Any]) -> int:
    cur.execute("INSERT INTO outbox (topic, payload) VALUES (%s, %s) RETURNING id", (topic, Jsonb(payload)))
    row = cur.fetchone()
    assert row is not None
    return int(row["id"])


def mark_sent(outbox_id: int, cur: Cursor | None = None) -> None:
    sql = "UPDATE outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = %s AND sent_at IS NULL"
    if cur is None:
        get_db().execute(sql, (outbox_id,))
    else:
        cur.execute(sql, (outbox_id,))


def record_failure(outbox_id: int, error: str, cur: Cursor | None = None) -> None:
    sql = "UPDATE outbox SET attempts = attempts + 1, last_error = %s WHERE id = %s AND sent_at IS NULL"
    params = (error[:_ERROR_MAX], outbox_id)
    if cur is None:
        get_db().execute(sql, params)
    else:
        cur.execute(sql, params)


def claim_stale(cur: Cursor, limit: int) -> list[dict[str, Any]]:
    """Unsent rows old enough that the request which wrote them has given up sending; locked until commit.

    SKIP LOCKED lets two overlapping sweeps split the rows instead of sending them twice.
    """
    cur.execute(
        "SELECT id, topic, payload FROM outbox"
        " WHERE sent_at IS NULL AND created_at < now() - make_interval(secs => %s)"
        " ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED",
        (STALE_AFTER_SECONDS, limit),
    )
    return [dict(row) for row in cur.fetchall()]


def purge_expired_auth_flows() -> int:
    """A BankID login flow that expired can never be completed; its state, nonce and verifier can go."""
    return get_db().execute("DELETE FROM auth_flows WHERE expires_at < now()")
