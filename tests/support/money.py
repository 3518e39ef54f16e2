"""Recipients and merchants made directly in the test database, and the settlement queue read from moto."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

import boto3

from drop.db import get_db
from drop.http.json import dumps
from drop.ids import new_id
from tests.support.events import EVENTS_DIR, load_event
from tests.support.lambda_invoke import ApiResponse, FakeLambdaContext, invoke

# IBANs with valid checksums; the sandbox PISP's behaviour is chosen by them (drop.adapters.pisp).
SERBIAN_IBAN = "RS35260005601001611379"  # accepted
POLISH_IBAN = "PL61109010140000071219812874"  # accepted
CLOSED_IBAN = "RS20260005601001610000"  # rejected: account closed
UNAVAILABLE_IBAN = "RS95260005601001619999"  # transient error on every try (a poison message)


def make_recipient(
    user_id: str,
    *,
    name: str = "Mama Jasmina",
    country: str = "RS",
    currency: str | None = None,
    iban: str | None = None,
) -> str:
    currency = currency or {"RS": "RSD", "BA": "BAM", "PL": "PLN", "PK": "PKR", "TR": "TRY"}[country]
    iban = iban or {"RS": SERBIAN_IBAN, "PL": POLISH_IBAN}.get(country, SERBIAN_IBAN)
    recipient_id = new_id("rcp")
    get_db().execute(
        "INSERT INTO recipients (id, user_id, name, country, currency, bank_account, bank_name)"
        " VALUES (%s, %s, %s, %s, %s, %s, 'Banka Intesa')",
        (recipient_id, user_id, name, country, currency, iban),
    )
    return recipient_id


def make_merchant(user_id: str, *, business_name: str = "Ahmetov Kebab") -> str:
    merchant_id = new_id("mer")
    get_db().execute(
        "INSERT INTO merchants (id, user_id, business_name, org_number, bank_account)"
        " VALUES (%s, %s, %s, %s, '12345678903')",
        (merchant_id, user_id, business_name, merchant_id[-9:]),
    )
    get_db().execute("UPDATE users SET role = 'merchant' WHERE id = %s", (user_id,))
    return merchant_id


def transaction_row(transaction_id: str) -> dict[str, Any]:
    row = get_db().fetch_one("SELECT * FROM transactions WHERE id = %s", (transaction_id,))
    assert row is not None
    return row


def events_of(transaction_id: str) -> list[tuple[str | None, str]]:
    rows = get_db().fetch_all(
        "SELECT from_status, to_status FROM transaction_events WHERE transaction_id = %s ORDER BY id",
        (transaction_id,),
    )
    return [(row["from_status"], row["to_status"]) for row in rows]


def counter(scope: str, name: str) -> int:
    row = get_db().fetch_one("SELECT value FROM counters WHERE scope = %s AND name = %s", (scope, name))
    return int(row["value"]) if row else 0


# -- the settlement queue ----------------------------------------------------------------------------


@dataclass
class Received:
    messages: list[dict[str, Any]]
    queue_url: str

    @property
    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(message["Body"]) for message in self.messages]


def receive(queue_url: str, *, max_messages: int = 10, visibility_timeout: int | None = None) -> Received:
    kwargs: dict[str, Any] = {
        "QueueUrl": queue_url,
        "MaxNumberOfMessages": max_messages,
        "MessageSystemAttributeNames": ["All"],
    }
    if visibility_timeout is not None:
        kwargs["VisibilityTimeout"] = visibility_timeout
    messages = boto3.client("sqs").receive_message(**kwargs).get("Messages", [])
    return Received(messages, queue_url)


def sqs_event(received: Received) -> dict[str, Any]:
    """The recorded SQS event (events/settlement/message-ok.json) carrying these messages."""
    recorded = json.loads((EVENTS_DIR / "settlement" / "message-ok.json").read_text())
    template = recorded["Records"][0]
    records = []
    for message in received.messages:
        record = copy.deepcopy(template)
        record.update(
            messageId=message["MessageId"],
            receiptHandle=message["ReceiptHandle"],
            body=message["Body"],
            md5OfBody=message["MD5OfBody"],
            attributes={**template["attributes"], **message.get("Attributes", {})},
        )
        records.append(record)
    return {"Records": records}


def settle(handler: Any, received: Received) -> dict[str, Any]:
    """Run the settlement handler on the messages and delete the ones it did not report as failed."""
    result: dict[str, Any] = handler.lambda_handler(sqs_event(received), FakeLambdaContext())
    failed = {item["itemIdentifier"] for item in result["batchItemFailures"]}
    sqs = boto3.client("sqs")
    for message in received.messages:
        if message["MessageId"] not in failed:
            sqs.delete_message(QueueUrl=received.queue_url, ReceiptHandle=message["ReceiptHandle"])
    return result


# -- calling the transactions function with the recorded events --------------------------------------


class TransactionsApi:
    """One user's view of the transactions routes, each call a recorded event sent through the handler."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.headers = headers

    def _call(self, name: str, **edits: Any) -> ApiResponse:
        import transactions_handler

        extra = edits.pop("headers", None) or {}
        if edits.get("body") is not None:
            # Through Drop's own encoder, so Decimal amounts travel as JSON numbers (json.dumps refuses them).
            edits["raw_body"] = dumps(edits.pop("body"))
        return invoke(
            transactions_handler, load_event("transactions", name, headers={**self.headers, **extra}, **edits)
        )

    def disclosure(self, body: Any) -> ApiResponse:
        qr = isinstance(body, dict) and body.get("type") == "qr_payment"
        return self._call("disclosure-qr" if qr else "disclosure-remittance", body=body)

    def remittance(self, body: Any, *, key: str | None = None) -> ApiResponse:
        return self._call("remittance-ok", body=body, headers={"Idempotency-Key": key} if key else None)

    def qr_payment(self, body: Any, *, key: str | None = None) -> ApiResponse:
        return self._call("qr-payment-ok", body=body, headers={"Idempotency-Key": key} if key else None)

    def list(self, **query: str) -> ApiResponse:
        return self._call("list-ok", query=query)

    def get(self, transaction_id: str) -> ApiResponse:
        path = f"/api/transactions/{transaction_id}"
        return self._call("get-ok", path=path, path_params={"id": transaction_id})

    def receipt(self, transaction_id: str) -> ApiResponse:
        path = f"/api/transactions/{transaction_id}/receipt"
        return self._call("receipt-ok", path=path, path_params={"id": transaction_id})

    def summary(self) -> ApiResponse:
        return self._call("summary-ok")
