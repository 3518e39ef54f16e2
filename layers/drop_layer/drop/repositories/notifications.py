"""Notifications: written by money movement (inside its transaction), read by the notifications routes."""

from __future__ import annotations

from drop.db import Cursor
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
