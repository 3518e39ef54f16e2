"""Notifications: written by money movement (inside its transaction), read by the notifications routes."""

from __future__ import annotations

from typing import Any

from drop.db import Cursor, get_db
from drop.ids import new_id
from drop.repositories import counters


def insert(cur: Cursor, *, user_id: str, type: str, title: str, body: str) -> str:
    notification_id = new_id("noti")
    cur.execute(
        "INSERT INTO notifications (id, user_id, type, title, body) VALUES (%s, %s, %s, %s, %s)",
        (notification_id, user_id, type, title, body),
    )
    counters.bump(cur, user_id, ["notifications"], 1)
    return notification_id


def list_for_user(user_id: str, *, limit: int, offset: int) -> list[dict[str, Any]]:
    """Newest first; the id breaks ties so pages never overlap (index notifications_by_user)."""
    return get_db().fetch_all(
        "SELECT id, type, title, body, read, created_at FROM notifications WHERE user_id = %s"
        " ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s",
        (user_id, limit, offset),
    )


def mark_read(user_id: str, notification_ids: list[str]) -> int:
    """Marks only this user's unread ones; other IDs match nothing, so nothing reveals they exist."""
    return get_db().execute(
        "UPDATE notifications SET read = true, read_at = now()"
        " WHERE user_id = %s AND id = ANY(%s) AND NOT read",
        (user_id, notification_ids),
    )


def delete_all_for_user(cur: Cursor, user_id: str) -> int:
    """Erasure: every notification goes, so the list total is zero again.

    Set directly rather than `counters.bump(…, -n)`: that upsert's VALUES row is checked against
    `value >= 0` before the conflict is resolved, so a negative delta always fails.
    """
    cur.execute("DELETE FROM notifications WHERE user_id = %s", (user_id,))
    deleted = cur.rowcount
    cur.execute("UPDATE counters SET value = 0 WHERE scope = %s AND name = 'notifications'", (user_id,))
    return deleted
