"""The Must-show story: 2000 NOK to Serbia, settled through SQS; list, detail, receipt and summary agree."""

from __future__ import annotations

from decimal import Decimal

import settlement_handler

from drop.db import get_db
from tests.support.money import (
    TransactionsApi,
    counter,
    events_of,
    make_merchant,
    make_recipient,
    receive,
    settle,
)
from tests.support.users import balance_of, make_user


def test_a_remittance_to_serbia_is_processing_then_completed_and_every_view_agrees(
    aws: dict[str, str],
) -> None:
    # Given the approved test person with 45230.00 NOK on the primary account and a Serbian recipient
    user = make_user(balances=(Decimal("45230.00"),))
    recipient_id = make_recipient(user.id, name="Mama Jasmina", country="RS")
    api = TransactionsApi(user.cookie)

    # When they send 2000 NOK
    created = api.remittance({"recipientId": recipient_id, "amount": 2000})

    # Then the transfer is processing with the spec's numbers, and exactly amount + fee left the account
    assert created.status == 201
    tx = created.data
    assert tx["id"].startswith("tx_rem_")
    assert tx["type"] == "remittance"
    assert tx["status"] == "processing"
    assert tx["sendAmount"] == Decimal("2000.00")
    assert tx["sendCurrency"] == "NOK"
    assert tx["fee"] == Decimal("10.00")
    assert tx["feePercent"] == Decimal("0.5")
    assert tx["total"] == Decimal("2010.00")
    assert tx["exchangeRate"] == Decimal("11.7")
    assert tx["receiveAmount"] == Decimal("23400.00")
    assert tx["receiveCurrency"] == "RSD"
    assert tx["recipientName"] == "Mama Jasmina"
    assert tx["recipientCountry"] == "Serbia"
    assert tx["fromAccount"] == "DNB"
    assert tx["eta"] == "2-4 business days"
    assert tx["createdAt"].endswith("Z")
    assert '"exchangeRate":11.7,' in created.raw_body  # numbers, not strings
    assert balance_of(user.account_ids[0]) == Decimal("43220.00")
    assert events_of(tx["id"]) == [(None, "processing")]

    # And the settlement message is on the queue; when the worker consumes it the transfer completes
    received = receive(aws["queue_url"])
    assert received.bodies == [{"transactionId": tx["id"]}]
    assert settle(settlement_handler, received) == {"batchItemFailures": []}

    detail = api.get(tx["id"])
    assert detail.status == 200
    assert detail.data == {
        "id": tx["id"],
        "type": "remittance",
        "status": "completed",
        "sendAmount": Decimal("2000.00"),
        "sendCurrency": "NOK",
        "receiveAmount": Decimal("23400.00"),
        "receiveCurrency": "RSD",
        "exchangeRate": Decimal("11.7"),
        "fee": Decimal("10.00"),
        "total": Decimal("2010.00"),
        "recipientName": "Mama Jasmina",
        "recipientCountry": "Serbia",
        "createdAt": tx["createdAt"],
        "completedAt": detail.data["completedAt"],
    }
    assert detail.data["completedAt"] >= tx["createdAt"]

    listed = api.list()
    assert listed.status == 200
    assert listed.json["pagination"] == {"page": 1, "limit": 20, "total": 1, "totalPages": 1}
    assert listed.data == [
        {
            "id": tx["id"],
            "type": "remittance",
            "status": "completed",
            "amount": Decimal("-2000.00"),
            "currency": "NOK",
            "recipientName": "Mama Jasmina",
            "createdAt": tx["createdAt"],
        }
    ]

    receipt = api.receipt(tx["id"])
    assert receipt.status == 200
    assert receipt.data == {
        "transactionId": tx["id"],
        "date": tx["createdAt"],
        "type": "remittance",
        "amount": Decimal("2000.00"),
        "currency": "NOK",
        "fee": Decimal("10.00"),
        "exchangeRate": Decimal("11.7"),
        "receiveAmount": Decimal("23400.00"),
        "receiveCurrency": "RSD",
        "recipient": {"name": "Mama Jasmina", "country": "RS"},
        "reference": tx["id"],
        "status": "completed",
        "estimatedCompletion": None,
        "completedAt": detail.data["completedAt"],
    }

    summary = api.summary()
    assert summary.status == 200
    period = {
        "totalCount": 1,
        "totalSent": Decimal("2000.00"),
        "totalPaid": Decimal("0"),
        "remittanceCount": 1,
        "qrPaymentCount": 0,
    }
    assert summary.data == {"allTime": period, "thisMonth": period}
    assert events_of(tx["id"]) == [(None, "processing"), ("processing", "completed")]
    assert counter(user.id, "tx:status:processing") == 0
    assert counter(user.id, "tx:status:completed") == 1


def test_the_receipt_of_a_processing_transfer_carries_the_eta() -> None:
    user = make_user()
    api = TransactionsApi(user.cookie)
    tx = api.remittance({"recipientId": make_recipient(user.id, country="PL"), "amount": 1000}).data
    assert tx["eta"] == "1-2 business days"
    assert tx["recipientCountry"] == "Poland"

    receipt = api.receipt(tx["id"]).data

    assert receipt["status"] == "processing"
    assert receipt["estimatedCompletion"] == "1-2 business days"
    assert receipt["completedAt"] is None
    assert receipt["recipient"] == {"name": "Mama Jasmina", "country": "PL"}
    assert "merchant" not in receipt


def test_list_filters_order_and_totals_come_from_the_counters() -> None:
    # Given two remittances and one QR payment
    payer = make_user(balances=(Decimal("100000.00"),))
    merchant_id = make_merchant(make_user().id)
    api = TransactionsApi(payer.cookie)
    recipient_id = make_recipient(payer.id)
    first = api.remittance({"recipientId": recipient_id, "amount": 100}).data
    qr = api.qr_payment({"merchantId": merchant_id, "amount": 129}).data
    last = api.remittance({"recipientId": recipient_id, "amount": 300}).data

    # When listing everything, then by type and status, then one item per page
    everything = api.list()
    remittances = api.list(type="remittance")
    completed_qr = api.list(type="qr_payment", status="completed")
    processing = api.list(status="processing")
    recorded_filter = api._call("list-filtered")  # ?type=remittance&status=completed&page=1&limit=20
    second_page = api.list(page="2", limit="1")

    # Then newest first, filtered, with totals that match the filter
    assert [item["id"] for item in everything.data] == [last["id"], qr["id"], first["id"]]
    assert everything.json["pagination"]["total"] == 3
    assert [item["id"] for item in remittances.data] == [last["id"], first["id"]]
    assert remittances.json["pagination"]["total"] == 2
    assert completed_qr.data == [
        {
            "id": qr["id"],
            "type": "qr_payment",
            "status": "completed",
            "amount": Decimal("-129.00"),
            "currency": "NOK",
            "merchantName": "Ahmetov Kebab",
            "createdAt": qr["createdAt"],
        }
    ]
    assert completed_qr.json["pagination"]["total"] == 1
    assert processing.json["pagination"]["total"] == 2
    assert recorded_filter.status == 200
    assert (recorded_filter.data, recorded_filter.json["pagination"]["total"]) == ([], 0)
    assert [item["id"] for item in second_page.data] == [qr["id"]]
    assert second_page.json["pagination"] == {"page": 2, "limit": 1, "total": 3, "totalPages": 3}


def test_rows_created_in_the_same_instant_keep_a_stable_order() -> None:
    user = make_user(balances=(Decimal("100000.00"),))
    api = TransactionsApi(user.cookie)
    recipient_id = make_recipient(user.id)
    ids = [api.remittance({"recipientId": recipient_id, "amount": 10}).data["id"] for _ in range(3)]
    get_db().execute(
        "UPDATE transactions SET created_at = '2026-02-17T10:00:00Z' WHERE user_id = %s", (user.id,)
    )

    listed = [item["id"] for item in api.list().data]

    assert listed == sorted(ids, reverse=True)


def test_unknown_filters_and_bad_paging_are_422() -> None:
    api = TransactionsApi(make_user().cookie)
    for query in ({"type": "card"}, {"status": "pending"}, {"limit": "51"}, {"page": "0"}, {"limit": "x"}):
        response = api.list(**query)
        assert response.status == 422, query
        assert response.json["error"] == "validation_error"


def test_the_summary_leaves_failed_transfers_out_and_counts_this_month_in_oslo() -> None:
    user = make_user(balances=(Decimal("100000.00"),))
    merchant_id = make_merchant(make_user().id)
    api = TransactionsApi(user.cookie)
    recipient_id = make_recipient(user.id)
    old = api.remittance({"recipientId": recipient_id, "amount": 1000}).data
    failed = api.remittance({"recipientId": recipient_id, "amount": 500}).data
    api.remittance({"recipientId": recipient_id, "amount": 2000})
    api.qr_payment({"merchantId": merchant_id, "amount": 129})
    get_db().execute(
        "UPDATE transactions SET created_at = now() - interval '400 days' WHERE id = %s", (old["id"],)
    )
    get_db().execute("UPDATE transactions SET status = 'failed' WHERE id = %s", (failed["id"],))

    summary = api.summary().data

    assert summary["allTime"] == {
        "totalCount": 3,
        "totalSent": Decimal("3000.00"),
        "totalPaid": Decimal("129.00"),
        "remittanceCount": 2,
        "qrPaymentCount": 1,
    }
    assert summary["thisMonth"] == {
        "totalCount": 2,
        "totalSent": Decimal("2000.00"),
        "totalPaid": Decimal("129.00"),
        "remittanceCount": 1,
        "qrPaymentCount": 1,
    }


def test_someone_elses_or_unknown_or_malformed_ids_are_404() -> None:
    owner = make_user()
    tx = (
        TransactionsApi(owner.cookie)
        .remittance({"recipientId": make_recipient(owner.id), "amount": 100})
        .data
    )
    stranger = TransactionsApi(make_user().cookie)

    for transaction_id in (tx["id"], "tx_rem_0000000000000000", "not-an-id", "tx_rem_'; DROP TABLE x"):
        assert stranger.get(transaction_id).status == 404
        receipt = stranger.receipt(transaction_id)
        assert receipt.status == 404
        assert receipt.json["error"] == "not_found"


def test_every_route_needs_a_signed_in_user() -> None:
    anonymous = TransactionsApi({})
    for response in (
        anonymous.list(),
        anonymous.summary(),
        anonymous.get("tx_rem_0123456789abcdef"),
        anonymous.receipt("tx_rem_0123456789abcdef"),
        anonymous.disclosure({"type": "qr_payment", "amount": 10}),
        anonymous.remittance({"recipientId": "rcp_0123456789abcdef", "amount": 10}),
        anonymous.qr_payment({"merchantId": "mer_0123456789abcdef", "amount": 10}),
    ):
        assert response.status == 401
        assert response.json["error"] == "unauthorized"
