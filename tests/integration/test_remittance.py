"""POST /api/transactions/remittance: each refusal, in the documented order, with nothing written."""

from __future__ import annotations

from decimal import Decimal

from drop.db import get_db
from tests.support.money import TransactionsApi, counter, make_recipient
from tests.support.users import balance_of, make_user


def _nothing_written(user_id: str) -> None:
    assert get_db().fetch_all("SELECT id FROM transactions WHERE user_id = %s", (user_id,)) == []
    assert get_db().fetch_all("SELECT id FROM outbox") == []
    assert counter(user_id, "tx") == 0


def test_pending_kyc_is_403_kyc_required() -> None:
    user = make_user(kyc_status="pending")
    response = TransactionsApi(user.cookie).remittance(
        {"recipientId": make_recipient(user.id), "amount": 100}
    )
    assert response.status == 403
    assert response.json["error"] == "kyc_required"
    _nothing_written(user.id)


def test_someone_elses_deleted_or_unknown_recipient_is_404() -> None:
    user = make_user()
    api = TransactionsApi(user.cookie)
    others = make_recipient(make_user().id)
    deleted = make_recipient(user.id)
    get_db().execute("UPDATE recipients SET deleted_at = now() WHERE id = %s", (deleted,))

    for recipient_id in (others, deleted, "rcp_0000000000000000"):
        response = api.remittance({"recipientId": recipient_id, "amount": 100})
        assert response.status == 404
        assert response.json["error"] == "not_found"
    _nothing_written(user.id)


def test_a_recipient_currency_without_a_corridor_is_422() -> None:
    user = make_user()
    api = TransactionsApi(user.cookie)
    euro = make_recipient(user.id, country="RS", currency="EUR")  # EUR has a rate, but RS pays out in RSD
    get_db().execute("DELETE FROM exchange_rates WHERE currency = 'BAM'")
    bosnian = make_recipient(user.id, country="BA")

    for recipient_id in (euro, bosnian):
        response = api.remittance({"recipientId": recipient_id, "amount": 100})
        assert response.status == 422
        assert response.json["error"] == "validation_error"
        assert response.json["message"] == "Unsupported currency corridor"
    _nothing_written(user.id)


def test_without_a_bank_account_it_is_400_no_bank_account() -> None:
    user = make_user(balances=())
    response = TransactionsApi(user.cookie).remittance(
        {"recipientId": make_recipient(user.id), "amount": 100}
    )
    assert response.status == 400
    assert response.json["error"] == "no_bank_account"


def test_a_named_account_must_be_the_users_and_is_debited_instead_of_the_primary() -> None:
    user = make_user(balances=(Decimal("1000.00"), Decimal("5000.00")))
    api = TransactionsApi(user.cookie)
    recipient_id = make_recipient(user.id)

    foreign = api.remittance(
        {"recipientId": recipient_id, "amount": 100, "bankAccountId": make_user().account_ids[0]}
    )
    chosen = api.remittance(
        {"recipientId": recipient_id, "amount": 2000, "bankAccountId": user.account_ids[1]}
    )

    assert foreign.status == 404
    assert chosen.status == 201
    assert chosen.data["fromAccount"] == "SpareBank 1"
    assert balance_of(user.account_ids[0]) == Decimal("1000.00")
    assert balance_of(user.account_ids[1]) == Decimal("2990.00")


def test_a_balance_short_of_amount_plus_fee_is_402_and_nothing_moves() -> None:
    # 2000 is there, 2010 is needed
    user = make_user(balances=(Decimal("2009.99"),))
    response = TransactionsApi(user.cookie).remittance(
        {"recipientId": make_recipient(user.id), "amount": 2000}
    )
    assert response.status == 402
    assert response.json["error"] == "insufficient_balance"
    assert balance_of(user.account_ids[0]) == Decimal("2009.99")
    _nothing_written(user.id)


def test_exactly_the_balance_is_enough() -> None:
    user = make_user(balances=(Decimal("2010.00"),))
    response = TransactionsApi(user.cookie).remittance(
        {"recipientId": make_recipient(user.id), "amount": 2000}
    )
    assert response.status == 201
    assert balance_of(user.account_ids[0]) == Decimal("0.00")


def test_the_fee_rounds_half_up_to_ore() -> None:
    user = make_user()
    api = TransactionsApi(user.cookie)
    recipient_id = make_recipient(user.id)
    for amount, fee in (("0.01", "0.00"), ("1", "0.01"), ("333.33", "1.67"), ("0.99", "0.00"), ("3", "0.02")):
        response = api.remittance({"recipientId": recipient_id, "amount": Decimal(amount)})
        assert response.status == 201
        assert response.data["fee"] == Decimal(fee), amount
        assert response.data["total"] == Decimal(amount) + Decimal(fee)


def test_the_receive_amount_rounds_down() -> None:
    user = make_user()
    get_db().execute("UPDATE exchange_rates SET rate = 11.719 WHERE currency = 'RSD'")
    response = TransactionsApi(user.cookie).remittance(
        {"recipientId": make_recipient(user.id), "amount": "1.01"}
    )
    # amounts must be JSON numbers
    assert response.status == 422
    response = TransactionsApi(user.cookie).remittance(
        {"recipientId": make_recipient(user.id), "amount": Decimal("1.01")}
    )
    assert response.data["receiveAmount"] == Decimal("11.83")  # 11.83619 → 11.83


BAD_BODIES: list[dict[str, object]] = [
    {"amount": 100},
    {"recipientId": "rcp_0123456789abcdef"},
    {"recipientId": "rcp_0123456789abcdef", "amount": 0},
    {"recipientId": "rcp_0123456789abcdef", "amount": -5},
    {"recipientId": "rcp_0123456789abcdef", "amount": Decimal("1.001")},
    {"recipientId": "rcp_0123456789abcdef", "amount": Decimal("1000000.01")},
    {"recipientId": "rcp_0123456789abcdef", "amount": True},
    {"recipientId": "rcp_0123456789abcdef", "amount": 100, "currency": "EUR"},
    {"recipientId": 42, "amount": 100},
    {"recipientId": "rcp_0123456789abcdef", "amount": 100, "status": "completed"},
    {"recipientId": "rcp_0123456789abcdef", "amount": 100, "fee": 0},
    {"recipientId": "rcp_0123456789abcdef", "amount": 100, "quoteId": ""},
    {"recipientId": "x" * 65, "amount": 100},
]


def test_field_errors_are_422_with_details() -> None:
    for body in BAD_BODIES:
        # a user per body: each refused request still counts against the 10-a-minute budget
        response = TransactionsApi(make_user().cookie).remittance(body)
        assert response.status == 422, body
        assert response.json["error"] == "validation_error"
        assert response.json["details"], body


def test_malformed_json_is_400() -> None:
    response = TransactionsApi(make_user().cookie)._call("remittance-ok", raw_body="{not json")
    assert response.status == 400
    assert response.json["error"] == "bad_request"


def test_nok_may_be_named_explicitly_in_any_case() -> None:
    user = make_user()
    response = TransactionsApi(user.cookie).remittance(
        {"recipientId": make_recipient(user.id), "amount": 100, "currency": "nok"}
    )
    assert response.status == 201
    assert response.data["sendCurrency"] == "NOK"


def test_the_eleventh_remittance_in_a_minute_is_429() -> None:
    user = make_user(balances=(Decimal("100000.00"),))
    api = TransactionsApi(user.cookie)
    recipient_id = make_recipient(user.id)
    statuses = [api.remittance({"recipientId": recipient_id, "amount": 10}).status for _ in range(10)]
    limited = api.remittance({"recipientId": recipient_id, "amount": 10})

    assert statuses == [201] * 10
    assert limited.status == 429
    assert limited.json["error"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    # Another user has a budget of their own
    other = make_user()
    assert (
        TransactionsApi(other.cookie)
        .remittance({"recipientId": make_recipient(other.id), "amount": 10})
        .status
        == 201
    )


def test_failed_attempts_do_not_use_up_the_payment_limit() -> None:
    # Given a user whose first 12 attempts all fail for want of money
    user = make_user(balances=(Decimal("50.00"),))
    api = TransactionsApi(user.cookie)
    recipient_id = make_recipient(user.id)
    failed = [api.remittance({"recipientId": recipient_id, "amount": 1000}).status for _ in range(12)]
    # When they then send what they can afford / Then it goes through: the limit counts payments made
    assert failed == [402] * 12
    assert api.remittance({"recipientId": recipient_id, "amount": 10}).status == 201
