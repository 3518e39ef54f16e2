"""Notifications: the list item and the mark-as-read request (API.md §11.6)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field, StrictStr

from drop.models.base import RequestModel, ResponseModel

MAX_IDS_PER_REQUEST = 100

# The spec's notification ID rule; pydantic's Rust regex has no `$`-before-newline loophole.
NotificationId = Annotated[StrictStr, Field(pattern=r"^[a-z]+_[a-f0-9]{16}$")]


class NotificationOut(ResponseModel):
    id: str
    type: str
    title: str
    body: str
    read: bool
    created_at: datetime


class MarkReadRequest(RequestModel):
    notification_ids: list[NotificationId] = Field(min_length=1, max_length=MAX_IDS_PER_REQUEST)


class MarkReadResult(ResponseModel):
    updated: int
