"""Idempotency-Key on the money-moving POSTs: replay, reuse, in-flight duplicates, release on failure."""

from __future__ import annotations

from decimal import Decimal

import pytest

from drop.db import get_db
from drop.models.transactions import RemittanceIn
from drop.repositories import idempotency as keys_repo
from drop.services.idempotency import request_hash
from drop.services.remittance import ROUTE as REMITTANCE_ROUTE
from tests.support.money import TransactionsApi, make_merchant, make_recipient
from tests.support.users import balance_of, make_user


def _transactions(user_id: str) -> int:
    return len(get_db().fetch_all("SELECT id FROM transactions WHERE user_id = %s", (user_id,)))


def test_a_replay_returns_the_identical_response_and_debits_once() -> None:
    # Given a remittance made with a key
    user = make_user(balances=(Decimal("10000.00"),))
    api = TransactionsApi(user.cookie)
    body = {"recipientId": make_recipient(user.id), "amount": 2000}
    first = api.remittance(body, key="order-7f3a")

    # When the client retries it with the same key and body (2000.00 is the same amount as 2000)
    replay = api.remittance({**body, "amount": Decimal("2000.00")}, key="order-7f3a")

    # Then it gets the very same response, marked as a replay, and only one payment exists
    assert first.status == replay.status == 201
    assert replay.raw_body == first.raw_body
    assert replay.headers.get("idempotent-replayed") == "true"
    assert "idempotent-replayed" not in first.headers
    assert _transactions(user.id) == 1
    assert balance_of(user.account_ids[0]) == Decimal("7990.00")


def test_the_same_key_with_another_body_is_422() -> None:
    user = make_user()
    api = TransactionsApi(user.cookie)
    recipient_id = make_recipient(user.id)
    assert api.remittance({"recipientId": recipient_id, "amount": 100}, key="k-1").status == 201

    other_amount = api.remittance({"recipientId": recipient_id, "amount": 101}, key="k-1")
    other_route = api.qr_payment({"merchantId": make_merchant(make_user().id), "amount": 100}, key="k-1")

    for response in (other_amount, other_route):
        assert response.status == 422
        assert response.json["error"] == "idempotency_key_reused"
    assert _transactions(user.id) == 1


def test_a_duplicate_while_the_first_is_in_flight_is_409() -> None:
    # Given the first request with this key has claimed it and is still running
    user = make_user()
    body = {"recipientId": make_recipient(user.id), "amount": 100}
    digest = request_hash(REMITTANCE_ROUTE, RemittanceIn.model_validate(body))
    assert (
        keys_repo.claim(user_id=user.id, key="k-2", route=REMITTANCE_ROUTE, request_hash=digest) is not None
    )

    # When the duplicate arrives
    response = TransactionsApi(user.cookie).remittance(body, key="k-2")

    # Then it is told to wait, and nothing moved
    assert response.status == 409
    assert response.json["error"] == "conflict"
    assert _transactions(user.id) == 0


def test_a_claim_left_by_a_request_that_died_is_taken_over_after_a_few_minutes() -> None:
    user = make_user()
    body = {"recipientId": make_recipient(user.id), "amount": 100}
    digest = request_hash(REMITTANCE_ROUTE, RemittanceIn.model_validate(body))
    keys_repo.claim(user_id=user.id, key="k-3", route=REMITTANCE_ROUTE, request_hash=digest)
    get_db().execute("UPDATE idempotency_keys SET created_at = now() - interval '10 minutes'")

    response = TransactionsApi(user.cookie).remittance(body, key="k-3")

    assert response.status == 201
    assert _transactions(user.id) == 1


def test_a_refused_request_releases_its_key_so_a_retry_runs_again() -> None:
    # Given a remittance refused for lack of balance
    user = make_user(balances=(Decimal("100.00"),))
    api = TransactionsApi(user.cookie)
    body = {"recipientId": make_recipient(user.id), "amount": 2000}
    assert api.remittance(body, key="k-4").status == 402
    assert get_db().fetch_all("SELECT * FROM idempotency_keys") == []

    # When the bank balance is refreshed and the client retries with the same key
    get_db().execute("UPDATE bank_accounts SET balance = 5000 WHERE id = %s", (user.account_ids[0],))
    retried = api.remittance(body, key="k-4")

    # Then it runs and succeeds, and from then on replays
    assert retried.status == 201
    assert api.remittance(body, key="k-4").raw_body == retried.raw_body
    assert _transactions(user.id) == 1


def test_keys_belong_to_one_user() -> None:
    first, second = make_user(), make_user()
    one = TransactionsApi(first.cookie).remittance(
        {"recipientId": make_recipient(first.id), "amount": 10}, key="k"
    )
    two = TransactionsApi(second.cookie).remittance(
        {"recipientId": make_recipient(second.id), "amount": 10}, key="k"
    )
    assert (one.status, two.status) == (201, 201)
    assert one.data["id"] != two.data["id"]


def test_a_qr_payment_replays_too() -> None:
    customer = make_user()
    api = TransactionsApi(customer.cookie)
    body = {"merchantId": make_merchant(make_user().id), "amount": 129}
    first = api.qr_payment(body, key="qr-1")
    replay = api.qr_payment(body, key="qr-1")
    assert replay.raw_body == first.raw_body
    assert balance_of(customer.account_ids[0]) == Decimal("45101.00")


def test_a_key_lives_at_least_24_hours() -> None:
    user = make_user()
    TransactionsApi(user.cookie).remittance({"recipientId": make_recipient(user.id), "amount": 10}, key="k-5")
    row = get_db().fetch_one("SELECT expires_at - created_at AS ttl FROM idempotency_keys")
    assert row is not None
    assert row["ttl"].total_seconds() >= 24 * 3600


@pytest.mark.parametrize("key", ["", "a" * 256, "has space", "tab\there", "ünïcode"])
def test_a_malformed_key_is_422(key: str) -> None:
    user = make_user()
    response = TransactionsApi(user.cookie)._call(
        "remittance-ok",
        body={"recipientId": make_recipient(user.id), "amount": 10},
        headers={"Idempotency-Key": key},
    )
    assert response.status == 422
    assert response.json["error"] == "validation_error"
    assert _transactions(user.id) == 0
