"""The user's notifications: newest first, and marking them read."""

from __future__ import annotations

from dataclasses import dataclass

from drop.models.notifications import MarkReadResult, NotificationOut
from drop.repositories import counters
from drop.repositories import notifications as notifications_repo


@dataclass(frozen=True)
class NotificationPage:
    items: list[NotificationOut]
    total: int


def list_notifications(user_id: str, *, limit: int, offset: int) -> NotificationPage:
    rows = notifications_repo.list_for_user(user_id, limit=limit, offset=offset)
    return NotificationPage(
        items=[NotificationOut.model_validate(row) for row in rows],
        total=counters.read(user_id, "notifications"),
    )


def mark_read(user_id: str, notification_ids: list[str]) -> MarkReadResult:
    unique_ids = list(dict.fromkeys(notification_ids))
    return MarkReadResult(updated=notifications_repo.mark_read(user_id, unique_ids))
