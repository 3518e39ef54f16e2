"""DELETE /api/user/account: soft delete, sessions revoked, pseudonymised, AML data kept, cookie cleared."""

from __future__ import annotations

from typing import Any

import notifications_handler
import privacy_handler
import settings_handler

from drop.adapters.card_issuer import IssuerError, SandboxCardIssuer, use_issuer
from drop.db import get_db
from drop.repositories import counters
from drop.services.auth import erased_altsub
from drop.services.sessions import start_session
from tests.integration.test_privacy_export import (
    ISSUER_TOKEN,
    add_notification,
    add_recipient,
    add_remittance,
    add_secrets,
)
from tests.support.events import load_event
from tests.support.lambda_invoke import ApiResponse, invoke
from tests.support.users import make_user

BODY = {
    "message": "Account scheduled for deletion",
    "retentionNote": "Data retained for 5 years per AML requirements",
}


def delete_account(headers: dict[str, str]) -> ApiResponse:
    return invoke(privacy_handler, load_event("privacy", "delete-account-ok", headers=headers))


def user_row(user_id: str) -> dict[str, Any]:
    row = get_db().fetch_one("SELECT * FROM users WHERE id = %s", (user_id,))
    assert row is not None
    return row


def test_deletion_answers_the_spec_body_and_clears_the_cookie() -> None:
    response = delete_account(make_user().cookie)
    assert response.status == 200
    assert response.json == BODY
    [cookie] = response.cookies
    assert cookie.startswith("drop_token=;")
    assert "Max-Age=0" in cookie
    assert "HttpOnly" in cookie
    assert "Secure" in cookie


def test_after_deletion_every_earlier_token_is_401_and_no_new_export_is_possible() -> None:
    # Given a user signed in on the web and on a phone
    user = make_user()
    with get_db().transaction() as cur:
        mobile = start_session(cur, user_id=user.id, role="user", email=user.email, client="mobile")
    phone = {"Authorization": f"Bearer {mobile.token}"}

    # When they delete their account from the web
    assert delete_account(user.cookie).status == 200

    # Then the old cookie and the phone's token are refused everywhere
    for headers in (user.cookie, phone):
        assert invoke(privacy_handler, load_event("privacy", "data-export-ok", headers=headers)).status == 401
        assert invoke(settings_handler, load_event("settings", "get-ok", headers=headers)).status == 401
        listed = invoke(notifications_handler, load_event("notifications", "list-ok", headers=headers))
        assert listed.status == 401
        assert delete_account(headers).status == 401
    active = get_db().fetch_all(
        "SELECT id FROM sessions WHERE user_id = %s AND revoked_at IS NULL", (user.id,)
    )
    assert active == []
    # And only the deletion was recorded: the refused export left no trace
    requests = get_db().fetch_all(
        "SELECT type, status, completed_at IS NOT NULL AS completed"
        " FROM data_access_requests WHERE user_id = %s",
        (user.id,),
    )
    assert requests == [{"type": "erasure", "status": "completed", "completed": True}]


def test_pii_not_needed_for_aml_is_pseudonymised_and_the_rest_kept() -> None:
    # Given a user with settings, notifications, consents, a card, a recipient and a remittance
    user = make_user(first_name="Lejla", last_name="Kovač")
    get_db().execute("UPDATE users SET phone = '+4791234567' WHERE id = %s", (user.id,))
    add_secrets(user)
    invoke(settings_handler, load_event("settings", "get-ok", headers=user.cookie))
    add_notification(user, "Transfer completed")
    consent = load_event(
        "privacy", "consents-post-ok", headers=user.cookie, body={"consentType": "marketing", "granted": True}
    )
    assert invoke(privacy_handler, consent).status == 201
    recipient = add_recipient(user, "Marko Petrović", "RS35105008123123123173")
    tx_id = add_remittance(user, recipient, "1000.00")

    # When they delete their account
    assert delete_account(user.cookie).status == 200

    # Then contact details, credentials and the BankID link are gone; names and birth date stay for AML
    row = user_row(user.id)
    assert row["deleted_at"] is not None
    assert row["pseudonymised_at"] is not None
    assert (row["email"], row["phone"], row["password_hash"]) == (None, None, None)
    # The BankID key is replaced by the hashed form sign-in recognises (and refuses) as an erased person
    assert row["bankid_altsub"] == erased_altsub(f"altsub-{user.id}")
    assert (row["first_name"], row["last_name"], str(row["date_of_birth"])) == (
        "Lejla",
        "Kovač",
        "1990-01-01",
    )
    # Transactions, bank accounts and recipients are retained for 5 years
    assert get_db().fetch_one("SELECT id FROM transactions WHERE id = %s", (tx_id,)) == {"id": tx_id}
    assert len(get_db().fetch_all("SELECT id FROM bank_accounts WHERE user_id = %s", (user.id,))) == 1
    assert get_db().fetch_one("SELECT bank_account FROM recipients WHERE id = %s", (recipient,)) is not None
    # Preferences and notifications are cleared, with the list counter back at zero
    assert get_db().fetch_all("SELECT 1 FROM user_settings WHERE user_id = %s", (user.id,)) == []
    assert get_db().fetch_all("SELECT 1 FROM notifications WHERE user_id = %s", (user.id,)) == []
    assert counters.read(user.id, "notifications") == 0
    # Consents are withdrawn, with an audit event
    consent_row = get_db().fetch_one(
        "SELECT id, granted, withdrawn_at FROM consents WHERE user_id = %s", (user.id,)
    )
    assert consent_row is not None
    assert consent_row["granted"] is False
    assert consent_row["withdrawn_at"] is not None
    events = get_db().fetch_all(
        "SELECT granted FROM consent_events WHERE consent_id = %s ORDER BY id", (consent_row["id"],)
    )
    assert events == [{"granted": True}, {"granted": False}]
    # No usable card and no PIN hash remain
    cards = get_db().fetch_all("SELECT id, status, pin_hash FROM cards WHERE user_id = %s", (user.id,))
    assert [(card["status"], card["pin_hash"]) for card in cards] == [("cancelled", None)]
    history = get_db().fetch_all(
        "SELECT action, to_status FROM card_events WHERE card_id = %s", (cards[0]["id"],)
    )
    assert history == [{"action": "cancelled", "to_status": "cancelled"}]


class FailingIssuer(SandboxCardIssuer):
    def cancel(self, token: str) -> None:
        raise IssuerError("issuer unreachable")


def test_an_issuer_failure_rolls_the_whole_erasure_back() -> None:
    # Given a user with an open card, and an issuer that cannot be reached
    user = make_user()
    add_secrets(user)
    add_notification(user, "Still here")
    use_issuer(FailingIssuer())
    try:
        # When they delete their account
        response = delete_account(user.cookie)
    finally:
        use_issuer(None)

    # Then they are told to try again and nothing changed: still signed in, data intact, no request logged
    assert response.status == 503
    assert response.json["error"] == "service_unavailable"
    row = user_row(user.id)
    assert (row["deleted_at"], row["email"]) == (None, user.email)
    assert get_db().fetch_all("SELECT 1 FROM notifications WHERE user_id = %s", (user.id,)) != []
    assert get_db().fetch_all("SELECT 1 FROM data_access_requests") == []
    card = get_db().fetch_one("SELECT status FROM cards WHERE issuer_token = %s", (ISSUER_TOKEN,))
    assert card == {"status": "active"}
    assert invoke(settings_handler, load_event("settings", "get-ok", headers=user.cookie)).status == 200


def test_another_users_account_and_sessions_are_untouched() -> None:
    user, other = make_user(), make_user()
    assert delete_account(user.cookie).status == 200
    assert user_row(other.id)["deleted_at"] is None
    assert user_row(other.id)["email"] == other.email
    response = invoke(privacy_handler, load_event("privacy", "data-export-ok", headers=other.cookie))
    assert response.status == 200
    assert response.data["user"]["id"] == other.id


def test_deletion_needs_a_signed_in_user() -> None:
    user = make_user()
    for headers in ({}, {"Cookie": "drop_token=forged"}):
        response = delete_account(headers)
        assert response.status == 401
        assert response.json["error"] == "unauthorized"
    assert user_row(user.id)["deleted_at"] is None
    assert get_db().fetch_all("SELECT 1 FROM data_access_requests") == []
