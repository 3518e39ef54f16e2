"""The settlement worker: partial batch failures, idempotent per transaction, DLQ after 5 receives."""

from __future__ import annotations

import json
from decimal import Decimal

import boto3
import settlement_handler

from drop.db import get_db
from tests.support.events import EVENTS_DIR
from tests.support.lambda_invoke import FakeLambdaContext
from tests.support.money import (
    CLOSED_IBAN,
    UNAVAILABLE_IBAN,
    Received,
    TransactionsApi,
    counter,
    events_of,
    make_recipient,
    receive,
    settle,
    sqs_event,
    transaction_row,
)
from tests.support.users import balance_of, make_user


def _remit(cookie: dict[str, str], recipient_id: str, amount: int = 2000) -> str:
    response = TransactionsApi(cookie).remittance({"recipientId": recipient_id, "amount": amount})
    assert response.status == 201
    return str(response.data["id"])


def _notifications(user_id: str) -> list[str]:
    rows = get_db().fetch_all(
        "SELECT title FROM notifications WHERE user_id = %s ORDER BY created_at", (user_id,)
    )
    return [row["title"] for row in rows]


def test_a_duplicated_message_completes_the_transaction_once(aws: dict[str, str]) -> None:
    # Given a remittance whose message SQS delivers twice (the same body in two messages)
    user = make_user()
    tx_id = _remit(user.cookie, make_recipient(user.id))
    first = receive(aws["queue_url"])
    boto3.client("sqs").send_message(QueueUrl=aws["queue_url"], MessageBody=first.messages[0]["Body"])

    # When the worker gets the first, then the duplicate
    assert settle(settlement_handler, first) == {"batchItemFailures": []}
    completed_at = transaction_row(tx_id)["completed_at"]
    duplicate = receive(aws["queue_url"])
    assert len(duplicate.messages) == 1
    assert settle(settlement_handler, duplicate) == {"batchItemFailures": []}

    # Then it completed once: one history event, one notification, counters moved once
    row = transaction_row(tx_id)
    assert row["status"] == "completed"
    assert row["completed_at"] == completed_at
    assert row["pisp_payment_id"].startswith("pisp_")
    assert events_of(tx_id) == [(None, "processing"), ("processing", "completed")]
    assert _notifications(user.id) == ["Transfer completed"]
    assert counter(user.id, "tx:status:completed") == 1
    assert counter(user.id, "tx:remittance:completed") == 1
    assert counter(user.id, "tx:remittance:processing") == 0
    assert receive(aws["queue_url"]).messages == []


def test_a_rejected_payment_fails_and_gives_back_amount_plus_fee(aws: dict[str, str]) -> None:
    # Given a remittance to an account the sandbox PISP rejects (it ends in 0000)
    user = make_user(balances=(Decimal("5000.00"),))
    tx_id = _remit(user.cookie, make_recipient(user.id, iban=CLOSED_IBAN))
    assert balance_of(user.account_ids[0]) == Decimal("2990.00")

    # When the worker settles it
    assert settle(settlement_handler, receive(aws["queue_url"])) == {"batchItemFailures": []}

    # Then it failed, with the reason, the whole debit back and the user told
    row = transaction_row(tx_id)
    assert row["status"] == "failed"
    assert row["failure_reason"] == "Beneficiary account is closed"
    assert row["completed_at"] is None
    assert balance_of(user.account_ids[0]) == Decimal("5000.00")
    assert events_of(tx_id) == [(None, "processing"), ("processing", "failed")]
    assert _notifications(user.id) == ["Transfer failed"]
    assert counter(user.id, "tx:status:failed") == 1
    assert counter(user.id, "tx:status:processing") == 0
    api = TransactionsApi(user.cookie)
    assert api.get(tx_id).data["status"] == "failed"
    assert api.receipt(tx_id).data["estimatedCompletion"] is None
    assert api.list(status="failed").json["pagination"]["total"] == 1


def test_a_poison_message_lands_in_the_dlq_after_five_receives(aws: dict[str, str]) -> None:
    # Given a remittance whose payment the PISP never manages to initiate (a transient error every time)
    user = make_user()
    tx_id = _remit(user.cookie, make_recipient(user.id, iban=UNAVAILABLE_IBAN))

    # When the worker receives it again and again (visibility timeout 0, so it is back at once)
    receives = 0
    while (received := receive(aws["queue_url"], visibility_timeout=0)).messages:
        receives += 1
        result = settle(settlement_handler, received)
        assert result == {"batchItemFailures": [{"itemIdentifier": received.messages[0]["MessageId"]}]}
        assert receives <= 5

    # Then after 5 receives the redrive policy moved it to the DLQ, and the transaction still waits
    assert receives == 5
    dead = receive(aws["dlq_url"])
    assert dead.bodies == [{"transactionId": tx_id}]
    assert transaction_row(tx_id)["status"] == "processing"
    assert events_of(tx_id) == [(None, "processing")]


def test_one_bad_record_does_not_hold_back_the_rest_of_the_batch(aws: dict[str, str]) -> None:
    # Given a batch with a good message, a malformed body, an unknown id and a transient failure
    user = make_user(balances=(Decimal("100000.00"),))
    good = _remit(user.cookie, make_recipient(user.id))
    stuck = _remit(user.cookie, make_recipient(user.id, iban=UNAVAILABLE_IBAN))
    sqs = boto3.client("sqs")
    sqs.send_message(QueueUrl=aws["queue_url"], MessageBody="not json at all")
    sqs.send_message(
        QueueUrl=aws["queue_url"], MessageBody=json.dumps({"transactionId": "tx_rem_0000000000000000"})
    )
    received = receive(aws["queue_url"])
    assert len(received.messages) == 4
    by_body = {message["Body"]: message["MessageId"] for message in received.messages}

    # When the worker handles the batch
    result = settle(settlement_handler, received)

    # Then only the malformed and the transient one come back as failures; the good one completed and
    # the unknown id (nothing to settle, ever) counts as done
    failed = {item["itemIdentifier"] for item in result["batchItemFailures"]}
    assert failed == {
        by_body["not json at all"],
        by_body[json.dumps({"transactionId": stuck}, separators=(",", ":"))],
    }
    assert transaction_row(good)["status"] == "completed"
    assert transaction_row(stuck)["status"] == "processing"


def test_the_recorded_event_runs_through_the_handler() -> None:
    # The recorded event names a transaction that does not exist here: nothing to do, and no failure
    event = json.loads((EVENTS_DIR / "settlement" / "message-ok.json").read_text())
    assert settlement_handler.lambda_handler(event, FakeLambdaContext()) == {"batchItemFailures": []}


def test_a_wrong_id_shape_is_a_failure_not_a_lookup() -> None:
    received = Received(
        [
            {
                "MessageId": "m-1",
                "ReceiptHandle": "r-1",
                "Body": json.dumps({"transactionId": "tx_qr_0123456789abcdef"}),
                "MD5OfBody": "0" * 32,
                "Attributes": {},
            }
        ],
        queue_url="unused",
    )
    result = settlement_handler.lambda_handler(sqs_event(received), FakeLambdaContext())
    assert result == {"batchItemFailures": [{"itemIdentifier": "m-1"}]}
