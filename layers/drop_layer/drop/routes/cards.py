"""Cards (API.md §11.4): behind feature flags that all default to off.

Every route checks its flags before authentication: a disabled feature answers the same 404 as a route
that does not exist, to anyone, so its existence is not revealed (DESIGN §6.11).
"""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from drop import flags
from drop.auth.context import AuthUser, authenticate
from drop.errors import NotFound
from drop.http.envelope import ok
from drop.http.request import parse_body
from drop.models.cards import CreateCardIn, LimitIn, PhysicalOrderIn, PinIn, UpdateCardIn
from drop.services import cards

router = Router()


def _user(*feature_flags: str) -> AuthUser:
    """404 unless `cards` and every named flag are on; then the signed-in user or 401."""
    for name in ("cards", *feature_flags):
        if not flags.is_enabled(name):
            # Word for word the resolver's unknown-route 404 (drop.http.app), so the two cannot be told apart.
            raise NotFound("Route not found")
    return authenticate(router.current_event)


@router.get("/api/cards")
def list_cards() -> Response[str]:
    user = _user()
    return ok(cards.list_cards(user.id))


@router.post("/api/cards")
def create_card() -> Response[str]:
    user = _user()
    raw = router.current_event.body
    # `type` is optional, so an empty body means a virtual card.
    body = parse_body(router.current_event, CreateCardIn) if raw and raw.strip() else CreateCardIn()
    return ok(cards.create_card(user.id, body.type), 201)


@router.get("/api/cards/<card_id>")
def get_card(card_id: str) -> Response[str]:
    user = _user()
    return ok(cards.get_card(user.id, card_id))


@router.patch("/api/cards/<card_id>")
def update_card(card_id: str) -> Response[str]:
    user = _user()
    body = parse_body(router.current_event, UpdateCardIn)
    return ok(cards.set_status(user.id, card_id, body.status))


@router.delete("/api/cards/<card_id>")
def cancel_card(card_id: str) -> Response[str]:
    user = _user()
    return ok(cards.cancel_card(user.id, card_id))


@router.post("/api/cards/<card_id>/physical")
def order_physical(card_id: str) -> Response[str]:
    user = _user("physicalCards")
    body = parse_body(router.current_event, PhysicalOrderIn)
    return ok(cards.order_physical(user.id, card_id, body.address))


@router.post("/api/cards/<card_id>/pin")
def set_pin(card_id: str) -> Response[str]:
    user = _user("cardPin")
    body = parse_body(router.current_event, PinIn)
    return ok(cards.set_pin(user.id, card_id, body.pin))


@router.get("/api/cards/<card_id>/limits")
def get_limits(card_id: str) -> Response[str]:
    user = _user("spendingLimits")
    return ok(cards.list_limits(user.id, card_id))


@router.put("/api/cards/<card_id>/limits")
def put_limit(card_id: str) -> Response[str]:
    user = _user("spendingLimits")
    body = parse_body(router.current_event, LimitIn)
    return ok(cards.set_limit(user.id, card_id, body.limit_type, body.amount))
