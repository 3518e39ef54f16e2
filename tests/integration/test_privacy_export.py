"""GET /api/user/data-export: everything Drop holds about the user, and nothing of anyone else."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import notifications_handler
import privacy_handler
import settings_handler

from drop.db import get_db
from drop.ids import new_id
from drop.repositories import notifications as notifications_repo
from tests.support.events import load_event
from tests.support.lambda_invoke import ApiResponse, invoke
from tests.support.users import TestUser as SignedInUser
from tests.support.users import make_user

PASSWORD_HASH = "$2b$12$abcdefghijklmnopqrstuuJ8hS3TkxjC3bbUYQ9ZhHqQXw8o4z4Vi"
PIN_HASH = "$2b$12$zyxwvutsrqponmlkjihgfeQ0mZc0S1v8lqg7p2t0y9r3nQx4o5r6S"
ISSUER_TOKEN = "ic_sandbox_5ec2e7t0ken4242"


def export(headers: dict[str, str]) -> ApiResponse:
    return invoke(privacy_handler, load_event("privacy", "data-export-ok", headers=headers))


def add_recipient(user: SignedInUser, name: str, account: str) -> str:
    recipient_id = new_id("rcp")
    get_db().execute(
        "INSERT INTO recipients (id, user_id, name, country, currency, bank_account, bank_name)"
        " VALUES (%s, %s, %s, 'RS', 'RSD', %s, 'Banca Intesa')",
        (recipient_id, user.id, name, account),
    )
    return recipient_id


def add_remittance(user: SignedInUser, recipient_id: str, amount: str) -> str:
    tx_id = new_id("tx_rem")
    send = Decimal(amount)
    fee = (send * Decimal("0.005")).quantize(Decimal("0.01"))
    get_db().execute(
        """
        INSERT INTO transactions (id, user_id, type, status, send_amount, receive_amount, receive_currency,
            exchange_rate, fee, fee_percent, total, debited_amount, recipient_id, recipient_name,
            recipient_country, bank_account_id, from_account, eta)
        VALUES (%s, %s, 'remittance', 'completed', %s, %s, 'RSD', 11.7, %s, 0.5, %s, %s, %s, 'Marko', 'RS',
            %s, '1234.56.78901', '2-4 business days')
        """,
        (tx_id, user.id, send, send * Decimal("11.7"), fee, send + fee, send + fee, recipient_id,
         user.account_ids[0]),
    )  # fmt: skip
    return tx_id


def add_secrets(user: SignedInUser) -> None:
    """A legacy password hash and a card with a PIN hash and issuer token: none may ever be exported."""
    get_db().execute("UPDATE users SET password_hash = %s WHERE id = %s", (PASSWORD_HASH, user.id))
    get_db().execute(
        "INSERT INTO cards (id, user_id, type, status, issuer_token, last4, pin_hash)"
        " VALUES (%s, %s, 'virtual', 'active', %s, '4242', %s)",
        (new_id("card"), user.id, ISSUER_TOKEN, PIN_HASH),
    )


def add_notification(user: SignedInUser, title: str) -> str:
    with get_db().transaction() as cur:
        return notifications_repo.insert(cur, user_id=user.id, type="transaction", title=title, body="Sent")


def export_requests(user_id: str) -> list[dict[str, Any]]:
    return get_db().fetch_all(
        "SELECT type, status, completed_at IS NOT NULL AS completed FROM data_access_requests"
        " WHERE user_id = %s",
        (user_id,),
    )


def test_export_contains_my_data_and_nothing_of_another_user() -> None:
    # Given a user with a recipient, two remittances, a notification and a consent, and another user
    user = make_user(first_name="Amir", last_name="Hodžić")
    recipient = add_recipient(user, "Marko Petrović", "RS35105008123123123173")
    tx_ids = {add_remittance(user, recipient, "1000.00"), add_remittance(user, recipient, "250.50")}
    notification = add_notification(user, "Transfer completed")
    terms = {"consentType": "terms", "granted": True}
    invoke(privacy_handler, load_event("privacy", "consents-post-ok", headers=user.cookie, body=terms))
    other = make_user(first_name="Other", last_name="Person")
    other_recipient = add_recipient(other, "Secret Recipient", "RS35999999999999999999")
    other_tx = add_remittance(other, other_recipient, "777.00")
    add_notification(other, "Other's notification")

    # When I export my data
    response = export(user.cookie)

    # Then it has every section, mine only
    assert response.status == 200
    data = response.data
    assert set(data) == {
        "user",
        "transactions",
        "recipients",
        "bankAccounts",
        "settings",
        "consents",
        "notifications",
        "complaints",
        "merchant",
    }
    assert data["user"] == {
        "id": user.id,
        "email": user.email,
        "first_name": "Amir",
        "last_name": "Hodžić",
        "phone": None,
        "date_of_birth": "1990-01-01",
        "kyc_status": "approved",
        "role": "user",
        "created_at": data["user"]["created_at"],
    }
    assert {tx["id"] for tx in data["transactions"]} == tx_ids
    assert {tx["send_amount"] for tx in data["transactions"]} == {Decimal("1000.00"), Decimal("250.50")}
    assert [r["bank_account"] for r in data["recipients"]] == ["*****3173"]  # DESIGN §8: masked
    assert data["recipients"][0]["id"] == recipient
    assert [a["id"] for a in data["bankAccounts"]] == user.account_ids
    assert data["bankAccounts"][0]["account_number"] == "*****8901"
    assert [n["id"] for n in data["notifications"]] == [notification]
    assert [c["consent_type"] for c in data["consents"]] == ["terms"]
    assert data["consents"][0]["granted"] is True
    assert data["complaints"] == []
    assert data["merchant"] is None
    assert response.json["exportedAt"].endswith("Z")
    for foreign in (
        other.id,
        other.email,
        other_recipient,
        other_tx,
        "Secret Recipient",
        "Other's notification",
    ):
        assert str(foreign) not in response.raw_body


def test_export_shows_default_settings_without_creating_them_and_stored_ones_when_present() -> None:
    user = make_user()
    first = export(user.cookie)
    assert {
        k: first.data["settings"][k] for k in ("currency", "language", "push_enabled", "email_enabled")
    } == {
        "currency": "NOK",
        "language": "nb",
        "push_enabled": True,
        "email_enabled": True,
    }
    assert get_db().fetch_all("SELECT 1 FROM user_settings WHERE user_id = %s", (user.id,)) == []

    patch = load_event("settings", "patch-ok", headers=user.cookie, body={"currency": "BAM"})
    assert invoke(settings_handler, patch).status == 200
    assert export(user.cookie).data["settings"]["currency"] == "BAM"


def test_a_merchants_export_includes_the_merchant_record() -> None:
    user = make_user(role="merchant")
    merchant_id = new_id("mer")
    get_db().execute(
        "INSERT INTO merchants (id, user_id, business_name, org_number, address, bank_account)"
        " VALUES (%s, %s, 'Kafé Oslo', '987654321', 'Karl Johans gate 1', '1503.12.34567')",
        (merchant_id, user.id),
    )
    merchant = export(user.cookie).data["merchant"]
    assert merchant["id"] == merchant_id
    assert merchant["org_number"] == "987654321"


def test_each_export_is_recorded_as_a_completed_data_access_request() -> None:
    user = make_user()
    export(user.cookie)
    export(user.bearer)
    assert export_requests(user.id) == [{"type": "export", "status": "completed", "completed": True}] * 2


def test_export_needs_a_signed_in_user() -> None:
    for headers in ({}, {"Authorization": "Bearer nonsense"}):
        response = export(headers)
        assert response.status == 401
        assert response.json["error"] == "unauthorized"
    assert get_db().fetch_all("SELECT 1 FROM data_access_requests") == []


def test_no_response_carries_a_password_or_pin_hash_or_issuer_token() -> None:
    # Given a user with a password hash and a card with a PIN hash
    user = make_user()
    add_secrets(user)
    add_notification(user, "Hello")

    # When every route of these groups answers
    responses = [
        export(user.cookie),
        invoke(settings_handler, load_event("settings", "get-ok", headers=user.cookie)),
        invoke(notifications_handler, load_event("notifications", "list-ok", headers=user.cookie)),
        invoke(privacy_handler, load_event("privacy", "consents-list-ok", headers=user.cookie)),
        invoke(privacy_handler, load_event("privacy", "complaints-list-ok", headers=user.cookie)),
        invoke(privacy_handler, load_event("privacy", "delete-account-ok", headers=user.cookie)),
    ]

    # Then none of them carries a hash, a token or the column names behind them
    for response in responses:
        assert response.status == 200, response.raw_body
        body = response.raw_body
        for secret in (
            PASSWORD_HASH,
            PIN_HASH,
            ISSUER_TOKEN,
            "$2b$",
            "password_hash",
            "pin_hash",
            "issuer_token",
        ):
            assert secret not in body
        assert user.token not in body
        assert "session" not in body.lower()
