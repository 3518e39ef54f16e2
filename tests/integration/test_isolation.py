"""Data isolation between users (DESIGN §8), end to end through the real handlers.

User A (approved, with money) makes one of everything: a recipient, a quote, a settled remittance, a QR
payment to merchant M (a third user who registered through the merchants route), a card with a PIN and a
limit, notifications, a consent, a complaint and settings. User B, signed in, then aims every route that
takes an id at A's resources and reads every list of their own:

- someone else's resource is exactly 404 `not_found` (403 only for the merchant routes, B being no
  merchant), and afterwards every row of A's is as it was;
- B's lists and export hold nothing of A (ids, names, amounts);
- B reusing A's Idempotency-Key gets no replay of A's payment;
- a body that tries to set status, fee, rate, role, kycStatus or userId is a 422 and changes nothing;
- no response collected here, and no log line, carries a full account number or IBAN, a bcrypt hash, a PIN
  or an issuer token.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import auth_handler
import cards_handler
import merchants_handler
import notifications_handler
import privacy_handler
import pytest
import recipients_handler
import settings_handler
import settlement_handler
import transactions_handler

from drop.adapters.card_issuer import SandboxCardIssuer, use_issuer
from drop.db import get_db
from drop.flags import DEFAULTS
from drop.http.json import dumps
from drop.observability import logger
from tests.support.events import load_event
from tests.support.flags import FakeFlagStore
from tests.support.lambda_invoke import ApiResponse, invoke
from tests.support.merchants import valid_account_number, valid_org_number
from tests.support.money import POLISH_IBAN, SERBIAN_IBAN, receive, settle
from tests.support.users import make_user

if TYPE_CHECKING:  # by name only: pytest would try to collect a Test* class
    from tests.support.users import TestUser


# Distinctive values of A's, so a leak into B's responses is found by value as well as by id.
A_FIRST, A_LAST = "Amira", "Hodžić"
A_RECIPIENT = "Vesna Petrović"
A_RECIPIENT_IBAN = "RS35 2600 0560 1001 6113 79"  # spaced as people paste it; stored compact
A_REMITTANCE = Decimal("1234.56")
A_QUOTE_AMOUNT = Decimal("2345.67")
A_QR = Decimal("87.65")
A_LIMIT = Decimal("3210.00")
A_COMPLAINT = "Fee on the Vesna transfer"
A_ACCOUNT = "8601.11.17947"  # not make_user's 1234.56.78901: bare, that is inside the fake Lambda ARN

B_FIRST, B_LAST = "Bojana", "Kovač"
B_ACCOUNT = "9710.44.23815"
B_RECIPIENT = "Goran Ilić"
M_ACCOUNT = "1503.27.91846"  # M's own bank account (AISP), not the payout account it registers


# --- calling the handlers --------------------------------------------------------------------------

HANDLERS: dict[str, Any] = {
    "auth": auth_handler,
    "cards": cards_handler,
    "merchants": merchants_handler,
    "notifications": notifications_handler,
    "privacy": privacy_handler,
    "recipients": recipients_handler,
    "settings": settings_handler,
    "transactions": transactions_handler,
}


@dataclass
class Client:
    """Sends recorded events through the handlers and keeps every response for the leak scan."""

    seen: list[ApiResponse] = field(default_factory=list)

    def send(
        self,
        route: str,
        user: TestUser | None,
        *,
        body: Any = None,
        path_id: str | None = None,
        query: dict[str, str] | None = None,
    ) -> ApiResponse:
        group, name = route.split("/")
        event = load_event(
            group,
            name,
            headers=user.cookie if user else None,
            # Drop's own encoder, so Decimal amounts travel as JSON numbers.
            raw_body=dumps(body) if body is not None else None,
            query=query,
        )
        if path_id is not None:
            recorded = next(iter(event["pathParameters"].values()))
            event["path"] = event["path"].replace(recorded, path_id)
            event["requestContext"]["path"] = event["requestContext"]["path"].replace(recorded, path_id)
            event["pathParameters"] = {"id": path_id}
        response = invoke(HANDLERS[group], event)
        self.seen.append(response)
        return response

    def created(self, route: str, user: TestUser | None, body: Any, status: int = 201) -> dict[str, Any]:
        response = self.send(route, user, body=body)
        assert response.status == status, response.raw_body
        data: dict[str, Any] = response.data
        return data


# --- the world: A's everything, B with a little of their own, merchant M -----------------------------


@dataclass
class World:
    client: Client
    a: TestUser
    b: TestUser
    m: TestUser
    merchant_id: str
    merchant_payout_account: str
    recipient_id: str
    quote_id: str
    remittance_id: str
    qr_id: str
    card_id: str
    pin: str
    notification_ids: list[str]
    consent_id: str
    complaint_id: str
    b_recipient_id: str
    b_remittance_id: str

    @property
    def a_ids(self) -> list[str]:
        return [
            self.a.id,
            *self.a.account_ids,
            self.recipient_id,
            self.quote_id,
            self.remittance_id,
            self.qr_id,
            self.card_id,
            *self.notification_ids,
            self.consent_id,
            self.complaint_id,
        ]


def _set_account_number(user: TestUser, number: str) -> None:
    # make_user gives everyone the same numbers; distinct ones tell whose number leaked.
    get_db().execute(
        "UPDATE bank_accounts SET account_number = %s WHERE id = %s", (number, user.account_ids[0])
    )


@pytest.fixture
def issuer() -> Iterator[SandboxCardIssuer]:
    sandbox = SandboxCardIssuer()
    use_issuer(sandbox)
    yield sandbox
    use_issuer(None)


@pytest.fixture
def world(aws: dict[str, str], flags: FakeFlagStore, issuer: SandboxCardIssuer) -> World:
    # Given every feature flag on
    for name in DEFAULTS:  # cards, physicalCards, cardPin, spendingLimits, notifications, legacyPasswordAuth
        flags.set(name, True)
    client = Client()
    a = make_user(first_name=A_FIRST, last_name=A_LAST, balances=(Decimal("45230.00"),))
    b = make_user(first_name=B_FIRST, last_name=B_LAST, balances=(Decimal("9000.00"),))
    m = make_user(first_name="Murat", last_name="Ahmetov", balances=(Decimal("100.00"),))
    _set_account_number(a, A_ACCOUNT)
    _set_account_number(b, B_ACCOUNT)
    _set_account_number(m, M_ACCOUNT)

    # And merchant M registered through the merchants route
    payout = valid_account_number()
    merchant = client.created(
        "merchants/register-ok",
        m,
        {"businessName": "Kafé Solsiden", "orgNumber": valid_org_number(), "bankAccount": payout},
    )

    # And A's recipient, an unused quote, a remittance (settled), a QR payment to M
    recipient = client.created(
        "recipients/create-ok",
        a,
        {"name": A_RECIPIENT, "country": "RS", "currency": "RSD", "bankAccount": A_RECIPIENT_IBAN},
    )
    quote = client.created(
        "transactions/disclosure-remittance",
        a,
        {"type": "remittance", "amount": A_QUOTE_AMOUNT, "recipientId": recipient["id"]},
        status=200,
    )
    remittance = client.created(
        "transactions/remittance-ok", a, {"recipientId": recipient["id"], "amount": A_REMITTANCE}
    )
    assert settle(settlement_handler, receive(aws["queue_url"])) == {"batchItemFailures": []}
    qr = client.created(
        "transactions/qr-payment-ok", a, {"merchantId": merchant["merchantId"], "amount": A_QR}
    )

    # And A's card with a PIN (never equal to its last four digits, so a PIN in a body is unambiguous)
    card = client.created("cards/create-virtual", a, {"type": "virtual"})
    pin = "7395" if not card["cardNumber"].endswith("7395") else "6284"
    pinned = client.send("cards/pin-ok", a, body={"pin": pin}, path_id=card["id"])
    assert pinned.status == 200, pinned.raw_body
    limited = client.send(
        "cards/limits-put", a, body={"limitType": "daily", "amount": A_LIMIT}, path_id=card["id"]
    )
    assert limited.status == 200, limited.raw_body

    # And A's consent, complaint and settings
    consent = client.created("privacy/consents-post-ok", a, {"consentType": "marketing", "granted": True})
    complaint = client.created(
        "privacy/complaints-post-ok",
        a,
        {"category": "fees", "subject": A_COMPLAINT, "description": "The fee was higher than shown to me."},
    )
    client.created("settings/patch-ok", a, {"currency": "EUR", "language": "en"}, status=200)

    # And A's notifications, made by the settlement and the QR payment, still unread
    listed = client.send("notifications/list-ok", a)
    assert listed.status == 200
    assert sorted(n["title"] for n in listed.data) == ["Payment completed", "Transfer completed"]
    assert not any(n["read"] for n in listed.data)

    # And B with a recipient and a remittance of their own (so B's lists are not trivially empty)
    b_recipient = client.created(
        "recipients/create-ok",
        b,
        {"name": B_RECIPIENT, "country": "PL", "currency": "PLN", "bankAccount": POLISH_IBAN},
    )
    b_remittance = client.created(
        "transactions/remittance-ok", b, {"recipientId": b_recipient["id"], "amount": Decimal("300")}
    )

    return World(
        client=client,
        a=a,
        b=b,
        m=m,
        merchant_id=merchant["merchantId"],
        merchant_payout_account=payout,
        recipient_id=recipient["id"],
        quote_id=quote["quoteId"],
        remittance_id=remittance["id"],
        qr_id=qr["id"],
        card_id=card["id"],
        pin=pin,
        notification_ids=[n["id"] for n in listed.data],
        consent_id=consent["id"],
        complaint_id=complaint["id"],
        b_recipient_id=b_recipient["id"],
        b_remittance_id=b_remittance["id"],
    )


# --- what the database holds -------------------------------------------------------------------------

_SNAPSHOT_QUERIES = {
    "users": "SELECT * FROM users WHERE id = %(u)s",
    "bank_accounts": "SELECT * FROM bank_accounts WHERE user_id = %(u)s ORDER BY id",
    "recipients": "SELECT * FROM recipients WHERE user_id = %(u)s ORDER BY id",
    "quotes": "SELECT * FROM quotes WHERE user_id = %(u)s ORDER BY id",
    "transactions": "SELECT * FROM transactions WHERE user_id = %(u)s ORDER BY id",
    "transaction_events": "SELECT e.* FROM transaction_events e JOIN transactions t"
    " ON t.id = e.transaction_id WHERE t.user_id = %(u)s ORDER BY e.id",
    "cards": "SELECT * FROM cards WHERE user_id = %(u)s ORDER BY id",
    "card_limits": "SELECT l.* FROM card_limits l JOIN cards c ON c.id = l.card_id"
    " WHERE c.user_id = %(u)s ORDER BY l.card_id, l.limit_type",
    "card_events": "SELECT e.* FROM card_events e JOIN cards c ON c.id = e.card_id"
    " WHERE c.user_id = %(u)s ORDER BY e.id",
    "notifications": "SELECT * FROM notifications WHERE user_id = %(u)s ORDER BY id",
    "consents": "SELECT * FROM consents WHERE user_id = %(u)s ORDER BY id",
    "complaints": "SELECT * FROM complaints WHERE user_id = %(u)s ORDER BY id",
    "user_settings": "SELECT * FROM user_settings WHERE user_id = %(u)s",
    "merchants": "SELECT * FROM merchants WHERE user_id = %(u)s",
    "counters": "SELECT * FROM counters WHERE scope = %(u)s ORDER BY name",
    "sessions": "SELECT * FROM sessions WHERE user_id = %(u)s ORDER BY id",
}


def snapshot(user_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every row that belongs to the user, table by table."""
    return {table: get_db().fetch_all(sql, {"u": user_id}) for table, sql in _SNAPSHOT_QUERIES.items()}


def text_of(response: ApiResponse) -> str:
    """The body as sent and as decoded (so an escaped "\\u0161" is found as "š" too)."""
    decoded = json.dumps(response.json, ensure_ascii=False, default=str) if response.raw_body else ""
    return response.raw_body + "\n" + decoded


def assert_not_found(response: ApiResponse) -> None:
    assert response.status == 404, response.raw_body
    assert response.json["error"] == "not_found", response.raw_body


# --- B against A's resources ---------------------------------------------------------------------------


def _attacks(w: World) -> dict[str, ApiResponse]:
    """Every route that takes one of A's ids, sent by B."""
    b, send = w.b, w.client.send
    card = w.card_id
    return {
        "GET remittance": send("transactions/get-ok", b, path_id=w.remittance_id),
        "GET remittance receipt": send("transactions/receipt-ok", b, path_id=w.remittance_id),
        "GET qr payment": send("transactions/get-ok", b, path_id=w.qr_id),
        "GET qr receipt": send("transactions/receipt-ok", b, path_id=w.qr_id),
        "DELETE recipient": send("recipients/delete-ok", b, path_id=w.recipient_id),
        "GET card": send("cards/get-ok", b, path_id=card),
        "PATCH card": send("cards/patch-freeze", b, body={"status": "frozen"}, path_id=card),
        "POST card physical": send(
            "cards/physical-ok", b, body={"address": "Karl Johans gate 1, 0154 Oslo"}, path_id=card
        ),
        "POST card pin": send("cards/pin-ok", b, body={"pin": "1111"}, path_id=card),
        "GET card limits": send("cards/limits-get", b, path_id=card),
        "PUT card limits": send(
            "cards/limits-put", b, body={"limitType": "daily", "amount": Decimal("1.00")}, path_id=card
        ),
        "DELETE card": send("cards/delete-ok", b, path_id=card),
        "remittance to A's recipient": send(
            "transactions/remittance-ok", b, body={"recipientId": w.recipient_id, "amount": Decimal("100")}
        ),
        "remittance from A's account": send(
            "transactions/remittance-ok",
            b,
            body={
                "recipientId": w.b_recipient_id,
                "amount": Decimal("100"),
                "bankAccountId": w.a.account_ids[0],
            },
        ),
        "remittance with A's quote": send(
            "transactions/remittance-ok",
            b,
            body={"recipientId": w.b_recipient_id, "amount": A_QUOTE_AMOUNT, "quoteId": w.quote_id},
        ),
        "disclosure for A's recipient": send(
            "transactions/disclosure-remittance",
            b,
            body={"type": "remittance", "amount": Decimal("100"), "recipientId": w.recipient_id},
        ),
    }


def test_every_route_with_someone_elses_id_is_404_and_changes_nothing(world: World) -> None:
    w = world
    # Given everything A holds, as stored
    before = snapshot(w.a.id)
    b_balance_before = snapshot(w.b.id)["bank_accounts"]

    # When B aims every id-taking route at A's resources
    attacks = _attacks(w)
    marked = w.client.send("notifications/mark-read-ok", w.b, body={"notificationIds": w.notification_ids})
    merchant_routes = {
        route: w.client.send(f"merchants/{route}", w.b)
        for route in ("dashboard-ok", "qr-ok", "transactions-ok")
    }

    # Then each is exactly 404 not_found, saying nothing of A's resource
    for name, response in attacks.items():
        assert response.status == 404, (name, response.raw_body)
        assert response.json["error"] == "not_found", (name, response.raw_body)
        assert response.json["details"] == [], name
        for a_id in w.a_ids:
            assert a_id not in response.raw_body, (name, a_id)
    # And A's notification ids mark nothing (the same answer an unknown id gets)
    assert (marked.status, marked.json) == (200, {"data": {"updated": 0}})
    # And B, being no merchant, is refused the merchant routes, and sees nothing of M's
    for route, response in merchant_routes.items():
        assert response.status == 403, (route, response.raw_body)
        assert response.json["error"] == "forbidden", (route, response.raw_body)
        assert w.merchant_id not in response.raw_body
    # And every row of A's is exactly as it was: nothing cancelled, frozen, read, used, debited or deleted
    after = snapshot(w.a.id)
    for table in _SNAPSHOT_QUERIES:
        assert after[table] == before[table], table
    assert all(not row["read"] for row in after["notifications"])
    assert after["quotes"][0]["used_at"] is None
    assert after["cards"][0]["status"] == "active" and after["cards"][0]["physical_ordered_at"] is None
    # And B was not charged by the refused payments either
    assert snapshot(w.b.id)["bank_accounts"] == b_balance_before


def test_someone_elses_id_answers_exactly_like_an_id_that_does_not_exist(world: World) -> None:
    # Given ids of A's and well-formed ids that exist nowhere
    w, send = world, world.client.send
    pairs = [
        ("transactions/get-ok", w.remittance_id, "tx_rem_ffffffffffffffff"),
        ("transactions/receipt-ok", w.qr_id, "tx_qr_ffffffffffffffff"),
        ("recipients/delete-ok", w.recipient_id, "rcp_ffffffffffffffff"),
        ("cards/get-ok", w.card_id, "card_ffffffffffffffff"),
        ("cards/limits-get", w.card_id, "card_ffffffffffffffff"),
        ("cards/delete-ok", w.card_id, "card_ffffffffffffffff"),
    ]
    for route, theirs, missing in pairs:
        # When B asks for each
        existing = send(route, w.b, path_id=theirs)
        unknown = send(route, w.b, path_id=missing)
        # Then the two answers cannot be told apart
        assert (existing.status, existing.json) == (unknown.status, unknown.json), route
        assert_not_found(existing)


def test_an_idempotency_key_of_someone_else_never_replays_their_payment(world: World) -> None:
    w = world
    # Given A paid with an Idempotency-Key
    body = {"recipientId": w.recipient_id, "amount": Decimal("11.00")}
    key = {"Idempotency-Key": "isolation-key-1"}
    paid = invoke(
        transactions_handler,
        load_event("transactions", "remittance-ok", headers={**w.a.cookie, **key}, raw_body=dumps(body)),
    )
    assert paid.status == 201, paid.raw_body
    before = snapshot(w.a.id)

    # When B sends the very same key and body
    replay = invoke(
        transactions_handler,
        load_event("transactions", "remittance-ok", headers={**w.b.cookie, **key}, raw_body=dumps(body)),
    )

    # Then B gets no replay of A's payment but the 404 of A's recipient, and A's rows are untouched
    assert "idempotent-replayed" not in replay.headers
    assert_not_found(replay)
    assert paid.data["id"] not in replay.raw_body
    assert snapshot(w.a.id) == before


# --- B's own lists -------------------------------------------------------------------------------------


def test_bs_lists_and_export_hold_nothing_of_a(world: World) -> None:
    w, b, send = world, world.b, world.client.send
    # When B reads every list, summary, profile and export of theirs
    reads = {
        "transactions": send("transactions/list-ok", b),
        # A query naming someone else is no way in either: lists are always the caller's own
        "transactions?userId": send("transactions/list-ok", b, query={"userId": w.a.id}),
        "recipients?userId": send("recipients/list-ok", b, query={"userId": w.a.id}),
        "notifications?userId": send("notifications/list-ok", b, query={"userId": w.a.id}),
        "summary": send("transactions/summary-ok", b),
        "recipients": send("recipients/list-ok", b),
        "cards": send("cards/list-ok", b),
        "notifications": send("notifications/list-ok", b),
        "complaints": send("privacy/complaints-list-ok", b),
        "consents": send("privacy/consents-list-ok", b),
        "settings": send("settings/get-ok", b),
        "me": send("auth/me-ok", b),
        "export": send("privacy/data-export-ok", b),
    }
    for name, response in reads.items():
        assert response.status == 200, (name, response.raw_body)

    # Then B's own data is there
    assert [t["id"] for t in reads["transactions"].data] == [w.b_remittance_id]
    assert reads["transactions"].json["pagination"]["total"] == 1
    assert [t["id"] for t in reads["transactions?userId"].data] == [w.b_remittance_id]
    assert [r["id"] for r in reads["recipients"].data] == [w.b_recipient_id]
    assert [r["id"] for r in reads["recipients?userId"].data] == [w.b_recipient_id]
    assert reads["notifications?userId"].data == []
    assert reads["recipients"].json["pagination"]["total"] == 1
    assert reads["summary"].data["allTime"]["totalCount"] == 1
    assert reads["summary"].data["allTime"]["totalSent"] == Decimal("300")
    assert reads["summary"].data["allTime"]["totalPaid"] == 0
    assert reads["cards"].data == []
    assert reads["notifications"].data == [] and reads["notifications"].json["pagination"]["total"] == 0
    assert reads["complaints"].data == [] and reads["complaints"].json["pagination"]["total"] == 0
    assert reads["consents"].data == []
    assert reads["settings"].data["currency"] == "NOK"  # A's EUR is A's
    me = reads["me"].data
    assert (me["id"], me["firstName"], me["lastName"]) == (b.id, B_FIRST, B_LAST)
    assert [acc["id"] for acc in me["bankAccounts"]] == b.account_ids
    export = reads["export"].data
    assert export["user"]["id"] == b.id
    assert [t["id"] for t in export["transactions"]] == [w.b_remittance_id]
    assert [r["id"] for r in export["recipients"]] == [w.b_recipient_id]
    assert [acc["id"] for acc in export["bankAccounts"]] == b.account_ids
    assert export["consents"] == export["notifications"] == export["complaints"] == []
    assert export["merchant"] is None

    # And nothing of A's appears anywhere: no id, no name, no amount
    a_values = [
        *w.a_ids,
        A_FIRST,
        A_LAST,
        A_RECIPIENT,
        A_COMPLAINT,
        "1234.56",
        "2345.67",
        "87.65",
        "3210.00",
        "Kafé Solsiden",  # only A paid M
        "EUR",
    ]
    for name, response in reads.items():
        body = text_of(response)
        for value in a_values:
            assert value not in body, (name, value)


# --- fields a client may never set ---------------------------------------------------------------------

# The legacy password sign-up (flag legacyPasswordAuth, on here), for the fields a new user may not choose.
LEGACY_SIGN_UP = {
    "email": "nina.berg@example.test",
    "password": "secret123",
    "firstName": "Nina",
    "lastName": "Berg",
    "dateOfBirth": "1990-05-17",
}


def test_bodies_that_set_protected_fields_are_422_and_never_applied(world: World) -> None:
    w, b, send = world, world.b, world.client.send
    # Given B's state, and A's
    b_before, a_before = snapshot(b.id), snapshot(w.a.id)
    recipient = {"name": "Petar Jovanović", "country": "RS", "currency": "RSD", "bankAccount": SERBIAN_IBAN}
    remit = {"recipientId": w.b_recipient_id, "amount": Decimal("100")}

    # When B sends bodies that also try to set status, fee, rate, role, kycStatus or userId
    attempts = {
        ("recipients/create-ok", "userId"): send(
            "recipients/create-ok", b, body={**recipient, "userId": w.a.id}
        ),
        ("transactions/remittance-ok", "fee"): send(
            "transactions/remittance-ok", b, body={**remit, "fee": 0}
        ),
        ("transactions/remittance-ok", "status"): send(
            "transactions/remittance-ok", b, body={**remit, "status": "completed"}
        ),
        ("transactions/remittance-ok", "exchangeRate"): send(
            "transactions/remittance-ok", b, body={**remit, "exchangeRate": Decimal("100")}
        ),
        ("transactions/remittance-ok", "rate"): send(
            "transactions/remittance-ok", b, body={**remit, "rate": Decimal("100")}
        ),
        ("transactions/remittance-ok", "userId"): send(
            "transactions/remittance-ok", b, body={**remit, "userId": w.a.id}
        ),
        ("transactions/qr-payment-ok", "fee"): send(
            "transactions/qr-payment-ok", b, body={"merchantId": w.merchant_id, "amount": 10, "fee": 0}
        ),
        ("transactions/disclosure-remittance", "fee"): send(
            "transactions/disclosure-remittance",
            b,
            body={"type": "remittance", "amount": 100, "recipientId": w.b_recipient_id, "fee": 0},
        ),
        ("settings/patch-ok", "userId"): send(
            "settings/patch-ok", b, body={"currency": "EUR", "userId": w.a.id}
        ),
        ("settings/patch-ok", "role"): send(
            "settings/patch-ok", b, body={"language": "en", "role": "merchant"}
        ),
        ("settings/patch-ok", "kycStatus"): send(
            "settings/patch-ok", b, body={"language": "en", "kycStatus": "approved"}
        ),
        ("cards/create-virtual", "status"): send(
            "cards/create-virtual", b, body={"type": "virtual", "status": "active"}
        ),
        ("cards/create-virtual", "userId"): send(
            "cards/create-virtual", b, body={"type": "virtual", "userId": w.a.id}
        ),
        ("merchants/register-ok", "role"): send(
            "merchants/register-ok",
            b,
            body={
                "businessName": "Kovač Pekara",
                "orgNumber": valid_org_number(),
                "bankAccount": valid_account_number(),
                "role": "merchant",
            },
        ),
        ("privacy/complaints-post-ok", "status"): send(
            "privacy/complaints-post-ok",
            b,
            body={"category": "other", "subject": "Hello", "description": "Hi", "status": "resolved"},
        ),
        ("privacy/consents-post-ok", "userId"): send(
            "privacy/consents-post-ok", b, body={"consentType": "terms", "granted": True, "userId": w.a.id}
        ),
        ("auth/register-ok", "role"): send(
            "auth/register-ok", None, body={**LEGACY_SIGN_UP, "role": "merchant"}
        ),
        ("auth/register-ok", "kycStatus"): send(
            "auth/register-ok", None, body={**LEGACY_SIGN_UP, "kycStatus": "approved"}
        ),
        ("auth/register-ok", "userId"): send(
            "auth/register-ok", None, body={**LEGACY_SIGN_UP, "userId": w.a.id}
        ),
        ("notifications/mark-read-ok", "userId"): send(
            "notifications/mark-read-ok", b, body={"notificationIds": w.notification_ids, "userId": w.a.id}
        ),
    }

    # Then each is 422 validation_error naming the forbidden field
    for (route, field_name), response in attempts.items():
        assert response.status == 422, (route, field_name, response.raw_body)
        assert response.json["error"] == "validation_error", (route, field_name)
        forbidden = {(d["field"], d["type"]) for d in response.json["details"]}
        assert (field_name, "extra_forbidden") in forbidden, (route, field_name, response.raw_body)
    # And nothing was applied: no row of B's or A's changed, B is still a user with B's own settings
    b_after, a_after = snapshot(b.id), snapshot(w.a.id)
    for table in _SNAPSHOT_QUERIES:
        assert b_after[table] == b_before[table], table
        assert a_after[table] == a_before[table], table
    assert b_after["users"][0]["role"] == "user"
    assert get_db().fetch_one("SELECT id FROM users WHERE email = %s", (LEGACY_SIGN_UP["email"],)) is None
    assert b_after["cards"] == [] and b_after["user_settings"] == []

    # When B tries a card status a client may not choose (cancelling is DELETE's job), on B's own card
    own_card = w.client.created("cards/create-virtual", b, {"type": "virtual"})
    cancelled = send("cards/patch-freeze", b, body={"status": "cancelled"}, path_id=own_card["id"])
    # Then it is a 422 and the card stays active
    assert cancelled.status == 422, cancelled.raw_body
    assert cancelled.json["error"] == "validation_error"
    assert snapshot(b.id)["cards"][0]["status"] == "active"


# --- nothing secret in any response --------------------------------------------------------------------


def _secrets(w: World) -> list[str]:
    """Full account numbers (dotted and bare), full IBANs (compact and spaced), issuer tokens, hashes."""
    db = get_db()
    values: list[str] = []
    accounts = db.fetch_all("SELECT account_number FROM bank_accounts")
    payouts = db.fetch_all("SELECT bank_account FROM merchants")
    for number in [r["account_number"] for r in accounts] + [r["bank_account"] for r in payouts]:
        values += [number, re.sub(r"\D", "", number)]
    for row in db.fetch_all("SELECT bank_account FROM recipients"):
        iban = row["bank_account"]
        values += [iban, " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))]
    values += [row["issuer_token"] for row in db.fetch_all("SELECT issuer_token FROM cards")]
    values += [w.merchant_payout_account, A_RECIPIENT_IBAN]
    assert A_ACCOUNT in values and B_ACCOUNT in values and M_ACCOUNT in values
    values += [
        row["password_hash"]
        for row in db.fetch_all("SELECT password_hash FROM users")
        if row["password_hash"]
    ]
    values += [row["pin_hash"] for row in db.fetch_all("SELECT pin_hash FROM cards") if row["pin_hash"]]
    return values


SECRET_MARKERS = ("$2a$", "$2b$", "$2y$", "ic_sandbox_", "pin_hash", "pinHash", "issuer_token", "issuerToken")
SECRET_KEYS = {
    "pin",
    "pinHash",
    "pin_hash",
    "password",
    "passwordHash",
    "password_hash",
    "issuerToken",
    "cvv2",
}


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every log record from here on, down to DEBUG (requested before `world`, so its setup is seen too)."""
    caplog.set_level(logging.DEBUG, logger=logger.name)
    return caplog


def test_no_response_or_log_carries_an_account_number_hash_pin_or_issuer_token(
    logs: pytest.LogCaptureFixture, world: World
) -> None:
    w, send = world, world.client.send
    # Given everything the scenario answered so far, plus every read of all three users and B's attempts
    _attacks(w)
    for user in (w.a, w.b, w.m):
        for route in (
            "auth/me-ok",
            "privacy/data-export-ok",
            "transactions/list-ok",
            "recipients/list-ok",
            "cards/list-ok",
            "notifications/list-ok",
        ):
            assert send(route, user).status == 200, (route, user.id)
    for route in ("dashboard-ok", "qr-ok", "transactions-ok"):
        assert send(f"merchants/{route}", w.m).status == 200
    # And a legacy password account signing up and in (its bcrypt hash must stay in the database)
    assert send("auth/register-ok", None, body=LEGACY_SIGN_UP).status == 201
    credentials = {"email": LEGACY_SIGN_UP["email"], "password": LEGACY_SIGN_UP["password"]}
    assert send("auth/login-ok", None, body=credentials).status == 200
    for tx_id in (w.remittance_id, w.qr_id):
        assert send("transactions/get-ok", w.a, path_id=tx_id).status == 200
        assert send("transactions/receipt-ok", w.a, path_id=tx_id).status == 200
    assert send("cards/get-ok", w.a, path_id=w.card_id).status == 200

    # Then the owners see their account numbers masked only
    me_a = send("auth/me-ok", w.a)
    assert me_a.data["bankAccounts"][0]["accountNumber"] == "*****7947"
    export_a = send("privacy/data-export-ok", w.a).data
    assert export_a["bankAccounts"][0]["account_number"] == "*****7947"
    assert export_a["recipients"][0]["bank_account"] == "*****1379"

    # And no response anywhere carries a full number, an IBAN, a hash, a PIN or an issuer token
    hidden = _secrets(w)
    pin = re.compile(rf"(?<![0-9A-Za-z.-]){w.pin}(?![0-9A-Za-z-])")
    assert len(w.client.seen) > 50
    for response in w.client.seen:
        body = text_of(response)
        for value in (*hidden, *SECRET_MARKERS):
            assert value not in body, (value, response.raw_body[:300])
        assert not pin.search(body), response.raw_body[:300]
        if response.raw_body:
            assert not SECRET_KEYS & set(_keys(response.json)), response.raw_body[:300]

    # And neither does any log line written meanwhile, extra fields included
    records = [*logs.get_records("setup"), *logs.get_records("call")]
    logged = "\n".join(logger.registered_formatter.format(record) for record in records)
    assert w.remittance_id in logged  # the settlement logged its work: the scan below is not of nothing
    for value in (*hidden, *SECRET_MARKERS):
        assert value not in logged, value
    assert not pin.search(logged)
