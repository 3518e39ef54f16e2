"""POST /api/transactions/disclosure and the quote it locks for a remittance."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from drop.db import get_db
from tests.support.money import TransactionsApi, make_merchant, make_recipient
from tests.support.users import balance_of, make_user


def test_a_remittance_disclosure_shows_fee_rate_and_delivery_and_locks_a_quote() -> None:
    user = make_user()
    response = TransactionsApi(user.cookie).disclosure(
        {"type": "remittance", "amount": 2000, "currency": "NOK", "recipientId": make_recipient(user.id)}
    )

    assert response.status == 200
    data = response.data
    assert data == {
        "amount": Decimal("2000.00"),
        "fee": Decimal("10.00"),
        "feePercentage": Decimal("0.5"),
        "exchangeRate": Decimal("11.7"),
        "receiveAmount": Decimal("23400.00"),
        "receiveCurrency": "RSD",
        "estimatedDelivery": "2-4 business days",
        "totalCost": Decimal("2010.00"),
        "quoteId": data["quoteId"],
        "expiresAt": data["expiresAt"],
    }
    assert data["quoteId"].startswith("qte_")
    expires = datetime.fromisoformat(data["expiresAt"].replace("Z", "+00:00"))
    created = get_db().fetch_one("SELECT created_at FROM quotes WHERE id = %s", (data["quoteId"],))
    assert created is not None
    # expiresAt carries milliseconds; the stored instant has microseconds
    assert abs(expires - created["created_at"] - timedelta(minutes=30)) < timedelta(milliseconds=1)


def test_a_qr_disclosure_is_instant_without_fx_and_costs_the_customer_the_amount() -> None:
    user = make_user()
    api = TransactionsApi(user.cookie)
    merchant_id = make_merchant(make_user().id)

    without_merchant = api.disclosure({"type": "qr_payment", "amount": 129})
    with_merchant = api.disclosure({"type": "qr_payment", "amount": 129, "merchantId": merchant_id})

    for response in (without_merchant, with_merchant):
        assert response.status == 200
        assert response.data["fee"] == Decimal("1.29")
        assert response.data["feePercentage"] == Decimal("1")
        assert response.data["exchangeRate"] is None
        assert response.data["receiveAmount"] is None
        assert response.data["receiveCurrency"] is None
        assert response.data["estimatedDelivery"] == "Instant"
        assert response.data["totalCost"] == Decimal("129.00")  # the fee is the merchant's (DESIGN §6.8)


def test_disclosure_errors() -> None:
    user = make_user()
    api = TransactionsApi(user.cookie)
    others = make_recipient(make_user().id)
    bosnian_in_euro = make_recipient(user.id, country="BA", currency="EUR")

    missing_recipient = api.disclosure({"type": "remittance", "amount": 100})
    bad_type = api.disclosure({"type": "card", "amount": 100})
    bad_amount = api.disclosure({"type": "qr_payment", "amount": 0})
    euro = api.disclosure({"type": "qr_payment", "amount": 10, "currency": "EUR"})
    not_mine = api.disclosure({"type": "remittance", "amount": 100, "recipientId": others})
    unknown_merchant = api.disclosure(
        {"type": "qr_payment", "amount": 10, "merchantId": "mer_0000000000000000"}
    )
    no_corridor = api.disclosure({"type": "remittance", "amount": 100, "recipientId": bosnian_in_euro})

    for response in (missing_recipient, bad_type, bad_amount, euro, no_corridor):
        assert response.status == 422
        assert response.json["error"] == "validation_error"
    assert no_corridor.json["message"] == "Unsupported currency corridor"
    assert not_mine.status == 404
    assert unknown_merchant.status == 404


def test_a_quote_locks_the_rate_even_after_the_rates_change() -> None:
    # Given a disclosure at 11.7
    user = make_user()
    api = TransactionsApi(user.cookie)
    recipient_id = make_recipient(user.id)
    quote = api.disclosure({"type": "remittance", "amount": 2000, "recipientId": recipient_id}).data

    # When the rate moves to 10.17 and the user pays with the quote
    get_db().execute("UPDATE exchange_rates SET rate = 10.17 WHERE currency = 'RSD'")
    paid = api.remittance({"recipientId": recipient_id, "amount": 2000, "quoteId": quote["quoteId"]})
    spot = api.remittance({"recipientId": recipient_id, "amount": 2000})

    # Then the quoted payment gets exactly the disclosed rate and amounts; one without a quote today's rate
    assert paid.status == 201
    assert paid.data["exchangeRate"] == Decimal("11.7")
    assert paid.data["receiveAmount"] == Decimal("23400.00")
    assert paid.data["total"] == quote["totalCost"]
    assert spot.data["exchangeRate"] == Decimal("10.17")
    assert spot.data["receiveAmount"] == Decimal("20340.00")
    # and detail and receipt keep showing each transaction's own rate
    assert api.get(paid.data["id"]).data["exchangeRate"] == Decimal("11.7")
    assert api.receipt(paid.data["id"]).data["exchangeRate"] == Decimal("11.7")
    assert api.receipt(spot.data["id"]).data["exchangeRate"] == Decimal("10.17")


def test_a_used_or_expired_quote_is_422_with_its_own_code_and_nothing_is_debited() -> None:
    user = make_user(balances=(Decimal("10000.00"),))
    api = TransactionsApi(user.cookie)
    recipient_id = make_recipient(user.id)
    body = {"type": "remittance", "amount": 1000, "recipientId": recipient_id}
    used = api.disclosure(body).data["quoteId"]
    expired = api.disclosure(body).data["quoteId"]
    assert api.remittance({"recipientId": recipient_id, "amount": 1000, "quoteId": used}).status == 201
    get_db().execute("UPDATE quotes SET expires_at = now() - interval '1 second' WHERE id = %s", (expired,))
    balance = balance_of(user.account_ids[0])

    again = api.remittance({"recipientId": recipient_id, "amount": 1000, "quoteId": used})
    late = api.remittance({"recipientId": recipient_id, "amount": 1000, "quoteId": expired})

    assert (again.status, again.json["error"]) == (422, "quote_used")
    assert (late.status, late.json["error"]) == (422, "quote_expired")
    assert balance_of(user.account_ids[0]) == balance


def test_a_quote_only_pays_the_payment_it_was_made_for() -> None:
    user = make_user()
    api = TransactionsApi(user.cookie)
    recipient_id = make_recipient(user.id)
    other_recipient = make_recipient(user.id, name="Tata Emir")
    quote = api.disclosure({"type": "remittance", "amount": 1000, "recipientId": recipient_id}).data[
        "quoteId"
    ]
    qr_quote = api.disclosure({"type": "qr_payment", "amount": 1000}).data["quoteId"]
    strangers_quote = TransactionsApi(make_user().cookie).disclosure({"type": "qr_payment", "amount": 1}).data

    other_amount = api.remittance({"recipientId": recipient_id, "amount": 999, "quoteId": quote})
    other_person = api.remittance({"recipientId": other_recipient, "amount": 1000, "quoteId": qr_quote})
    wrong_type = api.remittance({"recipientId": recipient_id, "amount": 1000, "quoteId": qr_quote})
    not_mine = api.remittance(
        {"recipientId": recipient_id, "amount": 1, "quoteId": strangers_quote["quoteId"]}
    )

    for response in (other_amount, other_person, wrong_type):
        assert (response.status, response.json["error"]) == (422, "validation_error")
    assert not_mine.status == 404
    # The right payment still works with the untouched quote
    assert api.remittance({"recipientId": recipient_id, "amount": 1000, "quoteId": quote}).status == 201
