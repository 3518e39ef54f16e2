"""POST /api/transactions/qr-payment: instant, debits the amount only, the 1 % fee is the merchant's."""

from __future__ import annotations

from decimal import Decimal

from drop.db import get_db
from tests.support.money import TransactionsApi, counter, events_of, make_merchant, transaction_row
from tests.support.users import balance_of, make_user


def test_a_qr_payment_completes_at_once_and_debits_only_the_amount() -> None:
    # Given a customer and a merchant
    customer = make_user(balances=(Decimal("500.00"),))
    merchant_id = make_merchant(make_user().id, business_name="Ahmetov Kebab")

    # When the customer pays 129 NOK
    response = TransactionsApi(customer.cookie).qr_payment({"merchantId": merchant_id, "amount": 129})

    # Then it is completed with the spec's body, 129.00 left the account and the fee is recorded
    assert response.status == 201
    data = response.data
    assert data == {
        "id": data["id"],
        "type": "qr_payment",
        "status": "completed",
        "amount": Decimal("129.00"),
        "currency": "NOK",
        "fee": Decimal("1.29"),
        "feePercent": Decimal("1"),
        "merchantName": "Ahmetov Kebab",
        "merchantId": merchant_id,
        "fromAccount": "DNB",
        "createdAt": data["createdAt"],
    }
    assert data["id"].startswith("tx_qr_")
    assert balance_of(customer.account_ids[0]) == Decimal("371.00")
    row = transaction_row(data["id"])
    assert (row["fee"], row["total"], row["debited_amount"]) == (
        Decimal("1.29"),
        Decimal("129.00"),
        Decimal("129.00"),
    )
    assert row["completed_at"] == row["created_at"]
    assert events_of(data["id"]) == [(None, "completed")]
    assert counter(customer.id, "tx:qr_payment:completed") == 1
    assert counter(merchant_id, "qr_payments") == 1
    notes = get_db().fetch_all("SELECT title FROM notifications WHERE user_id = %s", (customer.id,))
    assert [note["title"] for note in notes] == ["Payment completed"]
    # And the detail shows the QR shape
    detail = TransactionsApi(customer.cookie).get(data["id"]).data
    assert detail == {
        "id": data["id"],
        "type": "qr_payment",
        "status": "completed",
        "amount": Decimal("129.00"),
        "currency": "NOK",
        "fee": Decimal("1.29"),
        "merchantName": "Ahmetov Kebab",
        "merchantId": merchant_id,
        "createdAt": data["createdAt"],
        "completedAt": data["createdAt"],
    }
    receipt = TransactionsApi(customer.cookie).receipt(data["id"]).data
    assert receipt["merchant"] == {"id": merchant_id, "name": "Ahmetov Kebab"}
    assert "recipient" not in receipt
    assert receipt["estimatedCompletion"] is None


def test_kyc_is_not_required_for_a_qr_payment() -> None:
    customer = make_user(kyc_status="pending")
    response = TransactionsApi(customer.cookie).qr_payment(
        {"merchantId": make_merchant(make_user().id), "amount": 10}
    )
    assert response.status == 201


def test_unknown_merchant_is_404_and_paying_yourself_is_422() -> None:
    owner = make_user()
    own_merchant = make_merchant(owner.id)
    api = TransactionsApi(owner.cookie)

    unknown = api.qr_payment({"merchantId": "mer_0000000000000000", "amount": 10})
    yourself = api.qr_payment({"merchantId": own_merchant, "amount": 10})

    assert (unknown.status, unknown.json["error"]) == (404, "not_found")
    assert (yourself.status, yourself.json["error"]) == (422, "validation_error")
    assert "own" in yourself.json["message"]
    assert balance_of(owner.account_ids[0]) == Decimal("45230.00")


def test_a_merchant_whose_owner_was_erased_cannot_be_paid() -> None:
    merchant_owner = make_user()
    merchant_id = make_merchant(merchant_owner.id)
    get_db().execute("UPDATE users SET deleted_at = now() WHERE id = %s", (merchant_owner.id,))
    response = TransactionsApi(make_user().cookie).qr_payment({"merchantId": merchant_id, "amount": 10})
    assert response.status == 404


def test_no_account_is_400_and_too_little_is_402_with_nothing_written() -> None:
    merchant_id = make_merchant(make_user().id)
    no_account = make_user(balances=())
    poor = make_user(balances=(Decimal("128.99"),))

    first = TransactionsApi(no_account.cookie).qr_payment({"merchantId": merchant_id, "amount": 129})
    second = TransactionsApi(poor.cookie).qr_payment({"merchantId": merchant_id, "amount": 129})

    assert (first.status, first.json["error"]) == (400, "no_bank_account")
    assert (second.status, second.json["error"]) == (402, "insufficient_balance")
    assert balance_of(poor.account_ids[0]) == Decimal("128.99")
    assert get_db().fetch_all("SELECT id FROM transactions") == []
    assert counter(merchant_id, "qr_payments") == 0


def test_the_qr_payment_body_is_strict() -> None:
    api = TransactionsApi(make_user().cookie)
    for body in (
        {"amount": 10},
        {"merchantId": "mer_0123456789abcdef"},
        {"merchantId": "mer_0123456789abcdef", "amount": -1},
        {"merchantId": "mer_0123456789abcdef", "amount": "10"},
        {"merchantId": "mer_0123456789abcdef", "amount": 10, "bankAccountId": "ba_0123456789abcdef"},
    ):
        response = api.qr_payment(body)
        assert response.status == 422, body
        assert response.json["details"]


def test_the_eleventh_qr_payment_in_a_minute_is_429() -> None:
    customer = make_user()
    merchant_id = make_merchant(make_user().id)
    api = TransactionsApi(customer.cookie)
    statuses = [api.qr_payment({"merchantId": merchant_id, "amount": 1}).status for _ in range(11)]
    assert statuses == [201] * 10 + [429]
