"""Saved recipients of remittances: list, add, remove. Always scoped to the signed-in user."""

from __future__ import annotations

from typing import Any

from drop.db import get_db
from drop.errors import NotFound
from drop.iban import mask_account
from drop.ids import looks_like_id, new_id
from drop.models.base import PageQuery
from drop.models.recipients import CreateRecipientIn, RecipientOut
from drop.repositories import recipients as recipients_repo

ID_PREFIX = "rcp"


def _out(row: dict[str, Any]) -> RecipientOut:
    return RecipientOut(
        id=row["id"],
        name=row["name"],
        country=row["country"],
        currency=row["currency"],
        bank_account=mask_account(row["bank_account"]),
        bank_name=row["bank_name"],
        created_at=row["created_at"],
    )


def list_recipients(user_id: str, query: PageQuery) -> tuple[int, list[RecipientOut]]:
    total, rows = recipients_repo.page_for_user(user_id, limit=query.limit, offset=query.offset)
    return total, [_out(row) for row in rows]


def add_recipient(user_id: str, body: CreateRecipientIn) -> RecipientOut:
    with get_db().transaction() as cur:
        row = recipients_repo.insert(
            cur,
            recipient_id=new_id(ID_PREFIX),
            user_id=user_id,
            name=body.name,
            country=body.country,
            currency=body.currency,
            bank_account=body.bank_account,
            bank_name=body.bank_name,
        )
    return _out(row)


def remove_recipient(user_id: str, recipient_id: str) -> None:
    # A malformed id cannot name a recipient: same 404 as someone else's, without a query.
    if not looks_like_id(recipient_id, ID_PREFIX):
        raise NotFound("Recipient not found")
    with get_db().transaction() as cur:
        if not recipients_repo.soft_delete(cur, recipient_id=recipient_id, user_id=user_id):
            raise NotFound("Recipient not found")
