"""Cards: issue, freeze, cancel, order a physical card, set the PIN and spending limits.

A change touches two systems: our row and the issuer. Each one runs inside one database transaction that
first locks the card row (so two changes to one card cannot interleave), writes the row and its history,
and calls the issuer last. An issuer failure raises before commit, so nothing is written. Issuing is the
exception (the row needs the issuer's token), so a card whose insert fails is cancelled at the issuer again.
The only gap left is a commit that fails after the issuer said yes: then the issuer's step is undone where
it has an inverse (freeze ↔ unfreeze); the other steps are idempotent at the issuer, so the client's retry
converges, and an error log names the card for reconciliation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

import bcrypt

from drop import flags
from drop.adapters.card_issuer import CardIssuer, IssuedCard, IssuerError, get_issuer
from drop.db import Cursor, get_db
from drop.errors import Conflict, NotFound, ServiceUnavailable, ValidationFailed
from drop.ids import looks_like_id, new_id
from drop.models.cards import CardOut, LimitOut, PinOut, masked_number
from drop.observability import logger
from drop.repositories import cards as cards_repo

MAX_OPEN_CARDS = 10  # bounds the unpaginated list and what one user can make the issuer produce
BCRYPT_ROUNDS = 12


def _out(row: dict[str, Any]) -> CardOut:
    return CardOut(
        id=row["id"],
        type=row["type"],
        status=row["status"],
        card_number=masked_number(row["last4"]),
        expiry_month=row["expiry_month"],
        expiry_year=row["expiry_year"],
        has_pin=bool(row["has_pin"]),
        physical_ordered_at=row["physical_ordered_at"],
        created_at=row["created_at"],
    )


def _limit_out(row: dict[str, Any]) -> LimitOut:
    return LimitOut(
        limit_type=row["limit_type"],
        amount=row["amount"],
        currency=row["currency"],
        updated_at=row["updated_at"],
    )


def _not_found() -> NotFound:
    return NotFound("Card not found")


def _require_open(card: dict[str, Any]) -> None:
    if card["status"] == "cancelled":
        raise Conflict("The card is cancelled")


@dataclass
class _Change:
    """One card change in progress: the locked row and the issuer step taken for it."""

    cur: Cursor
    card: dict[str, Any]
    issuer: CardIssuer
    issuer_done: bool = False
    undo: Callable[[], None] | None = None

    def call_issuer(self, step: Callable[[], None], undo: Callable[[], None] | None = None) -> None:
        """Call this last in the transaction: whatever raises before it leaves the issuer untouched."""
        _issuer_call(step)
        self.issuer_done, self.undo = True, undo


def _issuer_call(step: Callable[[], Any]) -> Any:
    try:
        return step()
    except IssuerError as exc:
        raise ServiceUnavailable("The card issuer could not complete the request; nothing changed") from exc


def _reconcile(card_id: str, action: str, undo: Callable[[], None] | None) -> None:
    """The issuer said yes but our commit failed: undo the issuer's step if it has an inverse."""
    undone = False
    if undo is not None:
        try:
            undo()
            undone = True
        except Exception:  # noqa: BLE001 - reported below; the original error still propagates
            undone = False
    if not undone:
        logger.error("card issuer and database disagree", extra={"card_id": card_id, "action": action})


@contextmanager
def _changing(user_id: str, card_id: str, action: str) -> Iterator[_Change]:
    if not looks_like_id(card_id, "card"):
        raise _not_found()
    change: _Change | None = None
    try:
        with get_db().transaction() as cur:
            card = cards_repo.lock_owned(cur, user_id, card_id)
            if card is None:
                raise _not_found()
            change = _Change(cur=cur, card=card, issuer=get_issuer())
            yield change
    except Exception:
        if change is not None and change.issuer_done:
            _reconcile(card_id, action, change.undo)
        raise


def list_cards(user_id: str) -> list[CardOut]:
    return [_out(row) for row in cards_repo.list_open(user_id)]


def get_card(user_id: str, card_id: str) -> CardOut:
    # A cancelled card stays readable (status "cancelled"); only the list leaves it out.
    row = cards_repo.find(user_id, card_id) if looks_like_id(card_id, "card") else None
    if row is None:
        raise _not_found()
    return _out(row)


def create_card(user_id: str, card_type: str) -> CardOut:
    if card_type == "physical" and not flags.is_enabled("physicalCards"):
        raise ValidationFailed(
            details=[{"field": "type", "message": "Physical cards are not available", "type": "unavailable"}]
        )
    issuer = get_issuer()
    issued: IssuedCard | None = None
    try:
        with get_db().transaction() as cur:
            cards_repo.lock_user_cards(cur, user_id)
            if cards_repo.count_open(cur, user_id) >= MAX_OPEN_CARDS:
                raise Conflict(f"You can have at most {MAX_OPEN_CARDS} cards; cancel one first")
            issued = _issue(issuer, user_id, card_type)
            row = cards_repo.insert(
                cur,
                card_id=new_id("card"),
                user_id=user_id,
                card_type=card_type,
                issuer_token=issued.token,
                last4=issued.last4,
                expiry_month=issued.expiry_month,
                expiry_year=issued.expiry_year,
            )
            cards_repo.add_event(cur, row["id"], "issued", None, "active", card_type)
    except Exception:
        if issued is not None:
            token = issued.token
            _reconcile_issue(user_id, lambda: issuer.cancel(token))
        raise
    return _out(row)


def _issue(issuer: CardIssuer, user_id: str, card_type: str) -> IssuedCard:
    issued: IssuedCard = _issuer_call(lambda: issuer.issue_card(user_id, card_type))
    return issued


def _reconcile_issue(user_id: str, cancel: Callable[[], None]) -> None:
    try:
        cancel()
    except Exception:  # noqa: BLE001 - reported; the original error still propagates
        # The issuer files each card under its cardholder, so the user id is enough to find and cancel it.
        logger.error("issued card could not be cancelled after a failed insert", extra={"user_id": user_id})


def set_status(user_id: str, card_id: str, status: str) -> CardOut:
    with _changing(user_id, card_id, status) as change:
        card = change.card
        _require_open(card)
        if card["status"] == status:
            return _out(card)
        row = cards_repo.set_status(change.cur, card["id"], status)
        action = "frozen" if status == "frozen" else "unfrozen"
        cards_repo.add_event(change.cur, card["id"], action, card["status"], status)
        token, issuer = card["issuer_token"], change.issuer
        if status == "frozen":
            change.call_issuer(lambda: issuer.freeze(token), undo=lambda: issuer.unfreeze(token))
        else:
            change.call_issuer(lambda: issuer.unfreeze(token), undo=lambda: issuer.freeze(token))
    return _out(row)


def cancel_card(user_id: str, card_id: str) -> CardOut:
    with _changing(user_id, card_id, "cancel") as change:
        card = change.card
        if card["status"] == "cancelled":
            raise Conflict("The card is already cancelled")
        row = cards_repo.set_status(change.cur, card["id"], "cancelled")
        cards_repo.add_event(change.cur, card["id"], "cancelled", card["status"], "cancelled")
        token, issuer = card["issuer_token"], change.issuer
        # Cancelling is final at the issuer: no undo; a retried DELETE repeats it harmlessly.
        change.call_issuer(lambda: issuer.cancel(token))
    return _out(row)


def order_physical(user_id: str, card_id: str, address: str) -> CardOut:
    with _changing(user_id, card_id, "physical") as change:
        card = change.card
        _require_open(card)
        if card["type"] != "virtual":
            raise Conflict("Only a virtual card can be ordered as a physical card")
        if card["physical_ordered_at"] is not None:
            raise Conflict("A physical card has already been ordered for this card")
        if card["status"] != "active":
            raise Conflict("The card must be active to order a physical card")
        row = cards_repo.record_physical_order(change.cur, card["id"], address)
        cards_repo.add_event(change.cur, card["id"], "physical_ordered", card["status"], card["status"])
        token, issuer = card["issuer_token"], change.issuer
        change.call_issuer(lambda: issuer.order_physical(token, address))
    return _out(row)


def hash_pin(pin: str) -> str:
    return bcrypt.hashpw(pin.encode("ascii"), bcrypt.gensalt(rounds=BCRYPT_ROUNDS)).decode("ascii")


def set_pin(user_id: str, card_id: str, pin: str) -> PinOut:
    # Check first so a 404/409 costs no bcrypt, and hash before locking so the lock is held briefly.
    _require_open(_owned(user_id, card_id))
    pin_hash = hash_pin(pin)
    with _changing(user_id, card_id, "pin") as change:
        card = change.card
        _require_open(card)
        cards_repo.set_pin_hash(change.cur, card["id"], pin_hash)
        cards_repo.add_event(change.cur, card["id"], "pin_set", card["status"], card["status"])
        token, issuer = card["issuer_token"], change.issuer
        change.call_issuer(lambda: issuer.set_pin(token, pin))
    return PinOut(id=card["id"], has_pin=True)


def list_limits(user_id: str, card_id: str) -> list[LimitOut]:
    rows = cards_repo.limits_of(user_id, card_id) if looks_like_id(card_id, "card") else None
    if rows is None:
        raise _not_found()
    return [_limit_out(row) for row in rows]


def set_limit(user_id: str, card_id: str, limit_type: str, amount: Decimal) -> LimitOut:
    with _changing(user_id, card_id, "limit") as change:
        card = change.card
        _require_open(card)
        row = cards_repo.upsert_limit(change.cur, card["id"], limit_type, amount)
        detail = f"{limit_type} {row['amount']}"
        cards_repo.add_event(change.cur, card["id"], "limit_set", card["status"], card["status"], detail)
        token, issuer = card["issuer_token"], change.issuer
        # Authorisations happen at the issuer, so the limit only means something once it holds it.
        change.call_issuer(lambda: issuer.set_spending_limit(token, limit_type, amount))
    return _limit_out(row)


def cancel_all_for_user(cur: Cursor, user_id: str) -> int:
    """Account erasure: cancel every open card and drop every PIN hash, inside the caller's transaction.

    The issuer is told last, so an issuer failure rolls the caller's transaction back (the erasure can be
    retried; cancelling is idempotent at the issuer). Returns how many cards were cancelled.
    """
    open_cards = cards_repo.lock_open_of_user(cur, user_id)
    cards_repo.cancel_all_and_forget_pins(cur, user_id)
    for card in open_cards:
        cards_repo.add_event(cur, card["id"], "cancelled", card["status"], "cancelled", "account erased")
    issuer = get_issuer()
    for card in open_cards:
        _issuer_call(partial(issuer.cancel, card["issuer_token"]))
    return len(open_cards)


def _owned(user_id: str, card_id: str) -> dict[str, Any]:
    row = cards_repo.find(user_id, card_id) if looks_like_id(card_id, "card") else None
    if row is None:
        raise _not_found()
    return row
