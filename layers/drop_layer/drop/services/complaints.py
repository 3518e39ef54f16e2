"""Complaints with their legal response deadline (Finansavtaleloven §3-53, DESIGN §6.12)."""

from __future__ import annotations

from dataclasses import dataclass

from drop.business_days import COMPLAINT_RESPONSE_BUSINESS_DAYS, complaint_due_at
from drop.clock import utcnow
from drop.db import get_db
from drop.ids import new_id
from drop.models.privacy import ComplaintCreated, ComplaintOut, ComplaintRequest
from drop.repositories import complaints as complaints_repo
from drop.repositories import counters

COMMITMENT_NOTE = (
    f"We will review and respond to your complaint within {COMPLAINT_RESPONSE_BUSINESS_DAYS} business days"
    " per Finansavtaleloven §3-53"
)


@dataclass(frozen=True)
class ComplaintPage:
    items: list[ComplaintOut]
    total: int


def list_complaints(user_id: str, *, limit: int, offset: int) -> ComplaintPage:
    rows = complaints_repo.list_for_user(user_id, limit=limit, offset=offset)
    return ComplaintPage(
        items=[ComplaintOut.model_validate(row) for row in rows],
        total=counters.read(user_id, "complaints"),
    )


def submit_complaint(user_id: str, request: ComplaintRequest) -> ComplaintCreated:
    # The deadline is computed from the same instant that is stored as the receipt time.
    received_at = utcnow()
    with get_db().transaction() as cur:
        row = complaints_repo.insert(
            cur,
            complaint_id=new_id("cmp"),
            user_id=user_id,
            category=request.category,
            subject=request.subject,
            description=request.description,
            created_at=received_at,
            due_at=complaint_due_at(received_at),
        )
    return ComplaintCreated.model_validate(row)
