"""GDPR consents: grant or withdraw, with the client IP and an audit event per action (API.md §9.6)."""

from __future__ import annotations

from dataclasses import dataclass

from drop.db import get_db
from drop.ids import new_id
from drop.models.privacy import ConsentOut, ConsentRequest
from drop.repositories import consents as consents_repo


@dataclass(frozen=True)
class ConsentResult:
    consent: ConsentOut
    created: bool


def list_consents(user_id: str) -> list[ConsentOut]:
    return [ConsentOut.model_validate(row) for row in consents_repo.list_for_user(user_id)]


def record_consent(user_id: str, request: ConsentRequest, *, ip_address: str) -> ConsentResult:
    with get_db().transaction() as cur:
        row, created = consents_repo.upsert(
            cur,
            new_id=new_id("con"),
            user_id=user_id,
            consent_type=request.consent_type,
            granted=request.granted,
            ip_address=ip_address,
        )
        consents_repo.record_event(cur, consent_id=row["id"], granted=request.granted, ip_address=ip_address)
    return ConsentResult(consent=ConsentOut.model_validate(row), created=created)
