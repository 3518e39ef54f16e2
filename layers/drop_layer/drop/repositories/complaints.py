"""Complaints and their status history; the pagination total is the maintained "complaints" counter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from drop.db import Cursor, get_db
from drop.repositories import counters

_COLUMNS = "id, category, subject, description, status, resolution, created_at, resolved_at, due_at"


def insert(
    cur: Cursor,
    *,
    complaint_id: str,
    user_id: str,
    category: str,
    subject: str,
    description: str,
    created_at: datetime,
    due_at: datetime,
) -> dict[str, Any]:
    cur.execute(
        "INSERT INTO complaints (id, user_id, category, subject, description, status, created_at, due_at)"
        f" VALUES (%s, %s, %s, %s, %s, 'received', %s, %s) RETURNING {_COLUMNS}",
        (complaint_id, user_id, category, subject, description, created_at, due_at),
    )
    row = cur.fetchone()
    assert row is not None
    cur.execute(
        "INSERT INTO complaint_events (complaint_id, from_status, to_status) VALUES (%s, NULL, 'received')",
        (complaint_id,),
    )
    counters.bump(cur, user_id, ["complaints"], 1)
    return dict(row)


def list_for_user(user_id: str, *, limit: int, offset: int) -> list[dict[str, Any]]:
    return get_db().fetch_all(
        f"SELECT {_COLUMNS} FROM complaints WHERE user_id = %s"
        " ORDER BY created_at DESC, id DESC LIMIT %s OFFSET %s",
        (user_id, limit, offset),
    )
