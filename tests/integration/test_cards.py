"""Cards (API.md §11.4): feature flags, issue, list, read, freeze, cancel, ownership, issuer failures."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import cards_handler
import pytest

from drop.adapters.card_issuer import IssuedCard, IssuerError, SandboxCardIssuer, use_issuer
from drop.db import get_db
from tests.support import users
from tests.support.events import load_event
from tests.support.flags import FakeFlagStore
from tests.support.lambda_invoke import ApiResponse, invoke
from tests.support.users import make_user

RECORDED_ID = "card_0123456789abcdef"
ALL_ROUTES = [
    "list-ok",
    "create-virtual",
    "get-ok",
    "patch-freeze",
    "delete-ok",
    "physical-ok",
    "pin-ok",
    "limits-get",
    "limits-put",
]
CARD_KEYS = {
    "id",
    "type",
    "status",
    "cardNumber",
    "cvv",
    "expiryMonth",
    "expiryYear",
    "hasPin",
    "physicalOrderedAt",
    "createdAt",
}


def call(
    name: str,
    user: users.TestUser | None = None,
    card_id: str | None = None,
    *,
    body: Any = None,
    raw_body: str | None = None,
) -> ApiResponse:
    """Invoke the cards handler with a recorded event, as `user`, aimed at `card_id`."""
    event = load_event("cards", name, headers=user.cookie if user else None, body=body, raw_body=raw_body)
    if card_id is not None:
        event["path"] = event["path"].replace(RECORDED_ID, card_id)
        event["requestContext"]["path"] = event["requestContext"]["path"].replace(RECORDED_ID, card_id)
        event["pathParameters"] = {"id": card_id}
    return invoke(cards_handler, event)


def unknown_route_body() -> Any:
    """What the API answers for a path that does not exist: a disabled feature must look the same."""
    return call("get-ok", None, "card_0123456789abcdef/unknown").json


def new_card(user: users.TestUser, card_type: str = "virtual") -> dict[str, Any]:
    response = call("create-virtual", user, body={"type": card_type})
    assert response.status == 201, response.raw_body
    card: dict[str, Any] = response.data
    return card


def card_row(card_id: str) -> dict[str, Any]:
    row = get_db().fetch_one("SELECT * FROM cards WHERE id = %s", (card_id,))
    assert row is not None
    return row


def events_of(card_id: str) -> list[tuple[str, str | None, str]]:
    rows = get_db().fetch_all(
        "SELECT action, from_status, to_status FROM card_events WHERE card_id = %s ORDER BY id", (card_id,)
    )
    return [(r["action"], r["from_status"], r["to_status"]) for r in rows]


def all_flags_on(flags: FakeFlagStore) -> None:
    for name in ("cards", "physicalCards", "cardPin", "spendingLimits"):
        flags.set(name, True)


class FailingIssuer(SandboxCardIssuer):
    """The sandbox, except that every state change is refused."""

    def issue_card(self, user_id: str, card_type: str) -> IssuedCard:
        raise IssuerError("issuer down")

    def freeze(self, token: str) -> None:
        raise IssuerError("issuer down")

    def cancel(self, token: str) -> None:
        raise IssuerError("issuer down")


@pytest.fixture
def issuer() -> Any:
    """A fresh sandbox per test, so its recorded state can be inspected."""
    sandbox = SandboxCardIssuer()
    use_issuer(sandbox)
    yield sandbox
    use_issuer(None)


# --- feature flags ------------------------------------------------------------------------------------


def test_with_default_flags_every_card_route_is_a_plain_404_even_signed_in() -> None:
    # Given the flags as shipped (all card flags off) and a signed-in user
    user = make_user()
    hidden = unknown_route_body()
    assert hidden == {"error": "not_found", "message": hidden["message"], "details": []}
    # When anyone calls any card route, signed in or not
    for name in ALL_ROUTES:
        for caller in (user, None):
            response = call(name, caller)
            # Then it looks like a route that does not exist
            assert response.status == 404, name
            assert response.json == hidden, name
    assert get_db().fetch_all("SELECT id FROM cards") == []


def test_sub_features_stay_404_with_only_the_cards_flag_on(flags: FakeFlagStore) -> None:
    # Given cards on, but none of the sub-features' own flags
    flags.set("cards", True)
    hidden = unknown_route_body()
    user = make_user()
    card = new_card(user)
    for name in ("physical-ok", "pin-ok", "limits-get", "limits-put"):
        # When the owner calls the sub-feature's route
        response = call(name, user, card["id"])
        # Then it is hidden
        assert response.status == 404, name
        assert response.json == hidden, name
    assert card_row(card["id"])["pin_hash"] is None
    assert card_row(card["id"])["physical_ordered_at"] is None


@pytest.mark.parametrize(
    ("name", "flag"),
    [("physical-ok", "physicalCards"), ("pin-ok", "cardPin"), ("limits-get", "spendingLimits")],
)
def test_a_sub_feature_flag_alone_does_not_open_its_route(flags: FakeFlagStore, name: str, flag: str) -> None:
    # Given the sub-feature's flag on but `cards` off
    flags.set(flag, True)
    response = call(name, make_user())
    assert response.status == 404
    assert response.json == unknown_route_body()


def test_with_the_flags_on_an_anonymous_call_is_401(flags: FakeFlagStore) -> None:
    all_flags_on(flags)
    for name in ALL_ROUTES:
        response = call(name)
        assert response.status == 401, name
        assert response.json["error"] == "unauthorized", name


# --- create -----------------------------------------------------------------------------------------


def test_a_card_is_virtual_by_default_and_shows_only_the_last_four_digits(
    flags: FakeFlagStore, issuer: SandboxCardIssuer
) -> None:
    # Given cards are on
    flags.set("cards", True)
    user = make_user()
    # When the user creates a card with no body at all
    response = call("create-virtual", user, raw_body="")
    # Then a virtual, active, masked card is returned
    assert response.status == 201
    card = response.data
    assert set(card) == CARD_KEYS
    assert re.fullmatch(r"card_[0-9a-f]{16}", card["id"])
    assert (card["type"], card["status"], card["cvv"], card["hasPin"]) == ("virtual", "active", "---", False)
    assert card["physicalOrderedAt"] is None
    assert re.fullmatch(r"---- ---- ---- [0-9]{4}", card["cardNumber"])
    assert 1 <= card["expiryMonth"] <= 12
    assert card["expiryYear"] > datetime.now(UTC).year
    assert card["createdAt"].endswith("Z")
    # And Drop keeps the issuer's token and last4, but never sends the token out
    row = card_row(card["id"])
    assert row["issuer_token"] in issuer.cards
    assert card["cardNumber"].endswith(row["last4"])
    assert row["issuer_token"] not in response.raw_body
    assert events_of(card["id"]) == [("issued", None, "active")]


def test_a_card_body_may_name_the_virtual_type(flags: FakeFlagStore) -> None:
    flags.set("cards", True)
    response = call("create-virtual", make_user())
    assert response.status == 201
    assert response.data["type"] == "virtual"


def test_an_unknown_type_or_field_is_422_and_a_non_object_body_400(flags: FakeFlagStore) -> None:
    flags.set("cards", True)
    user = make_user()
    for body in (
        {"type": "prepaid"},
        {"type": "VIRTUAL"},
        {"type": 1},
        {"type": None},
        {"kind": "virtual"},
        {"type": "virtual", "status": "frozen"},
    ):
        response = call("create-virtual", user, body=body)
        assert response.status == 422, body
        assert response.json["error"] == "validation_error"
        assert response.json["details"], body
    for raw in ("not json", "[]", '"virtual"'):
        response = call("create-virtual", user, raw_body=raw)
        assert response.status == 400, raw
        assert response.json["error"] == "bad_request"
    assert call("list-ok", user).data == []


def test_a_physical_card_needs_the_physical_cards_flag(flags: FakeFlagStore) -> None:
    # Given cards on but physicalCards off
    flags.set("cards", True)
    user = make_user()
    # When the user asks for a physical card, it is refused with a reason
    refused = call("create-virtual", user, body={"type": "physical"})
    assert refused.status == 422
    assert refused.json["details"][0]["field"] == "type"
    # And once physicalCards is on, the same request makes one
    flags.set("physicalCards", True)
    created = call("create-virtual", user, body={"type": "physical"})
    assert created.status == 201
    assert created.data["type"] == "physical"


def test_one_user_can_hold_at_most_ten_open_cards(flags: FakeFlagStore) -> None:
    flags.set("cards", True)
    user = make_user()
    cards = [new_card(user) for _ in range(10)]
    eleventh = call("create-virtual", user)
    assert eleventh.status == 409
    assert eleventh.json["error"] == "conflict"
    # A cancelled card frees its place
    assert call("delete-ok", user, cards[0]["id"]).status == 200
    assert call("create-virtual", user).status == 201


def test_an_issuer_failure_on_create_leaves_no_card(flags: FakeFlagStore) -> None:
    flags.set("cards", True)
    user = make_user()
    use_issuer(FailingIssuer())
    try:
        response = call("create-virtual", user)
    finally:
        use_issuer(None)
    assert response.status == 503
    assert get_db().fetch_one("SELECT count(*) AS n FROM cards WHERE user_id = %s", (user.id,)) == {"n": 0}


def test_a_failed_insert_cancels_the_card_the_issuer_already_made(flags: FakeFlagStore) -> None:
    # Given an issuer whose answer the database refuses (a malformed last4 breaks the CHECK constraint)
    class BrokenLast4(SandboxCardIssuer):
        def issue_card(self, user_id: str, card_type: str) -> IssuedCard:
            issued = super().issue_card(user_id, card_type)
            return IssuedCard(issued.token, "12x4", issued.expiry_month, issued.expiry_year)

    flags.set("cards", True)
    user = make_user()
    broken = BrokenLast4()
    use_issuer(broken)
    try:
        response = call("create-virtual", user)
    finally:
        use_issuer(None)
    # Then the request fails without a card row, and the issuer's card is cancelled again
    assert response.status == 500
    assert get_db().fetch_one("SELECT count(*) AS n FROM cards WHERE user_id = %s", (user.id,)) == {"n": 0}
    assert [c.status for c in broken.cards.values()] == ["cancelled"]


# --- list and read ---------------------------------------------------------------------------------


def test_the_list_is_the_users_open_cards_newest_first(flags: FakeFlagStore) -> None:
    # Given three cards of mine (one cancelled) and one of someone else
    flags.set("cards", True)
    user, other = make_user(), make_user()
    first, second, third = new_card(user), new_card(user), new_card(user)
    new_card(other)
    get_db().execute(
        "UPDATE cards SET created_at = created_at - make_interval(secs => %s) WHERE id = %s",
        (30, first["id"]),
    )
    assert call("delete-ok", user, second["id"]).status == 200
    # When I list my cards
    response = call("list-ok", user)
    # Then I see my open cards, newest first, without pagination
    assert response.status == 200
    assert [c["id"] for c in response.data] == [third["id"], first["id"]]
    assert "pagination" not in response.json
    assert all(set(c) == CARD_KEYS for c in response.data)


def test_an_empty_list_is_an_empty_array(flags: FakeFlagStore) -> None:
    flags.set("cards", True)
    response = call("list-ok", make_user())
    assert response.status == 200
    assert response.json == {"data": []}


def test_the_owner_reads_a_card_and_nobody_else_can(flags: FakeFlagStore) -> None:
    flags.set("cards", True)
    owner, stranger = make_user(), make_user()
    card = new_card(owner)
    mine = call("get-ok", owner, card["id"])
    assert mine.status == 200
    assert mine.data == card
    for card_id in (
        card["id"],
        "card_ffffffffffffffff",
        "card_XYZ",
        "usr_0123456789abcdef",
        "1%27%20OR%201=1",
    ):
        response = call("get-ok", stranger if card_id == card["id"] else owner, card_id)
        assert response.status == 404, card_id
        assert response.json["error"] == "not_found"


# --- freeze, unfreeze, cancel ---------------------------------------------------------------------


def test_patch_freezes_and_unfreezes_at_the_issuer_too(
    flags: FakeFlagStore, issuer: SandboxCardIssuer
) -> None:
    flags.set("cards", True)
    user = make_user()
    card = new_card(user)
    token = card_row(card["id"])["issuer_token"]

    frozen = call("patch-freeze", user, card["id"])
    assert frozen.status == 200
    assert frozen.data["status"] == "frozen"
    assert issuer.cards[token].status == "frozen"
    # Freezing again changes nothing
    assert call("patch-freeze", user, card["id"]).data["status"] == "frozen"

    active = call("patch-freeze", user, card["id"], body={"status": "active"})
    assert active.status == 200
    assert active.data["status"] == "active"
    assert issuer.cards[token].status == "active"
    assert call("get-ok", user, card["id"]).data["status"] == "active"
    assert events_of(card["id"]) == [
        ("issued", None, "active"),
        ("frozen", "active", "frozen"),
        ("unfrozen", "frozen", "active"),
    ]


def test_patch_takes_only_active_or_frozen(flags: FakeFlagStore) -> None:
    flags.set("cards", True)
    user = make_user()
    card = new_card(user)
    for body in (
        {"status": "cancelled"},
        {"status": "FROZEN"},
        {"status": "blocked"},
        {"status": None},
        {"status": True},
        {},
        {"status": "frozen", "type": "physical"},
    ):
        response = call("patch-freeze", user, card["id"], body=body)
        assert response.status == 422, body
        assert response.json["error"] == "validation_error"
    assert call("patch-freeze", user, card["id"], raw_body="").status == 400
    assert card_row(card["id"])["status"] == "active"


def test_an_issuer_failure_on_freeze_changes_nothing(flags: FakeFlagStore) -> None:
    flags.set("cards", True)
    user = make_user()
    card = new_card(user)
    use_issuer(FailingIssuer())
    try:
        response = call("patch-freeze", user, card["id"])
    finally:
        use_issuer(None)
    assert response.status == 503
    assert card_row(card["id"])["status"] == "active"
    assert events_of(card["id"]) == [("issued", None, "active")]


def test_delete_cancels_softly_and_a_cancelled_card_cannot_change(
    flags: FakeFlagStore, issuer: SandboxCardIssuer
) -> None:
    all_flags_on(flags)
    user = make_user()
    card = new_card(user)
    call("patch-freeze", user, card["id"])

    cancelled = call("delete-ok", user, card["id"])
    assert cancelled.status == 200
    assert cancelled.data["status"] == "cancelled"
    assert issuer.cards[card_row(card["id"])["issuer_token"]].status == "cancelled"
    # The row stays (soft delete), readable by its owner, gone from the list
    assert call("get-ok", user, card["id"]).data["status"] == "cancelled"
    assert call("list-ok", user).data == []
    # And nothing can change it any more
    for name, body in [
        ("delete-ok", None),
        ("patch-freeze", {"status": "active"}),
        ("physical-ok", None),
        ("pin-ok", None),
        ("limits-put", None),
    ]:
        response = call(name, user, card["id"], body=body)
        assert response.status == 409, name
        assert response.json["error"] == "conflict"
    assert card_row(card["id"])["status"] == "cancelled"
    assert card_row(card["id"])["pin_hash"] is None
    assert events_of(card["id"])[-1] == ("cancelled", "frozen", "cancelled")


def test_an_issuer_failure_on_cancel_keeps_the_card(flags: FakeFlagStore) -> None:
    flags.set("cards", True)
    user = make_user()
    card = new_card(user)
    use_issuer(FailingIssuer())
    try:
        response = call("delete-ok", user, card["id"])
    finally:
        use_issuer(None)
    assert response.status == 503
    assert card_row(card["id"])["status"] == "active"


# --- ownership --------------------------------------------------------------------------------------


def test_someone_elses_card_is_404_on_every_route_and_stays_untouched(flags: FakeFlagStore) -> None:
    # Given every card flag on and a card that belongs to someone else
    all_flags_on(flags)
    owner, stranger = make_user(), make_user()
    card = new_card(owner)
    before = card_row(card["id"])
    for name in ALL_ROUTES[2:]:
        # When a stranger calls a route with its id (valid bodies, so only ownership can fail)
        response = call(name, stranger, card["id"])
        # Then it does not exist for them
        assert response.status == 404, name
        assert response.json["error"] == "not_found"
        assert before["issuer_token"] not in response.raw_body
    # And nothing changed
    assert card_row(card["id"]) == before
    assert get_db().fetch_all("SELECT * FROM card_limits WHERE card_id = %s", (card["id"],)) == []
    assert events_of(card["id"]) == [("issued", None, "active")]


def test_a_malformed_or_unknown_card_id_is_404_on_every_route(flags: FakeFlagStore) -> None:
    all_flags_on(flags)
    user = make_user()
    for card_id in ("card_not-hex", "card_ffffffffffffffff", "CARD_0123456789ABCDEF"):
        for name in ALL_ROUTES[2:]:
            response = call(name, user, card_id)
            assert response.status == 404, (name, card_id)


def test_amounts_in_card_json_are_never_floats(flags: FakeFlagStore) -> None:
    # Guard: the limit amount comes back as an exact JSON number
    all_flags_on(flags)
    user = make_user()
    card = new_card(user)
    raw = '{"limitType": "weekly", "amount": 1234.50}'
    response = call("limits-put", user, card["id"], raw_body=raw)
    assert response.status == 200
    assert '"amount":1234.50' in response.raw_body


# --- account erasure --------------------------------------------------------------------------------


def test_erasure_cancels_every_open_card_at_the_issuer_and_forgets_pins(
    flags: FakeFlagStore, issuer: SandboxCardIssuer
) -> None:
    # Given a user with an open card with a PIN, a frozen card and a cancelled card, and another user's card
    from drop.services.cards import cancel_all_for_user

    all_flags_on(flags)
    user, other = make_user(), make_user()
    open_card, frozen, cancelled = new_card(user), new_card(user), new_card(user)
    assert call("pin-ok", user, open_card["id"]).status == 200
    assert call("patch-freeze", user, frozen["id"]).status == 200
    assert call("delete-ok", user, cancelled["id"]).status == 200
    others = new_card(other)
    # When the account is erased (the privacy service's transaction)
    with get_db().transaction() as cur:
        assert cancel_all_for_user(cur, user.id) == 2
    # Then every card is cancelled, here and at the issuer, without a PIN hash, and the history says why
    for card in (open_card, frozen, cancelled):
        row = card_row(card["id"])
        assert (row["status"], row["pin_hash"]) == ("cancelled", None)
        assert issuer.cards[row["issuer_token"]].status == "cancelled"
    assert events_of(frozen["id"])[-1] == ("cancelled", "frozen", "cancelled")
    # And nobody else's card is touched
    assert card_row(others["id"])["status"] == "active"
