"""Plays Lambda's SQS event source mapping and the outbox schedule for `make dev`.

The settlement handler gets the same batch events as in AWS (ReportBatchItemFailures semantics): messages it
does not report as failed are deleted, failed ones reappear after the visibility timeout, and after
`maxReceiveCount` receives moto's redrive moves them to the DLQ.
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

import boto3

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient
    from mypy_boto3_sqs.type_defs import (
        DeleteMessageBatchRequestEntryTypeDef,
        MessageAttributeValueOutputTypeDef,
        MessageTypeDef,
    )

log = logging.getLogger(__name__)

SETTLEMENT_FUNCTION = "SettlementFunction"
OUTBOX_FUNCTION = "OutboxFunction"


class Invoker(Protocol):
    def exists(self, name: str) -> bool: ...
    def call(self, name: str, event: dict[str, Any]) -> Any: ...


class QueuePoller(threading.Thread):
    def __init__(
        self,
        invoker: Invoker,
        queue_url: str,
        queue_arn: str,
        region: str,
        sweep_every: float = 30.0,
    ) -> None:
        super().__init__(name="queue-poller", daemon=True)
        self._invoker = invoker
        self._queue_url = queue_url
        self._queue_arn = queue_arn
        self._region = region
        self._sweep_every = sweep_every
        self._stopping = threading.Event()

    def stop(self) -> None:
        self._stopping.set()
        self.join()

    def run(self) -> None:
        sqs = boto3.client("sqs")
        next_sweep = time.monotonic()
        while not self._stopping.is_set():
            try:
                if time.monotonic() >= next_sweep:
                    next_sweep = time.monotonic() + self._sweep_every
                    self._sweep()
                # Never receive for a handler that is not written yet: each receive counts towards the DLQ.
                if self._invoker.exists(SETTLEMENT_FUNCTION):
                    self._poll_once(sqs)
                else:
                    self._stopping.wait(2)
            except Exception:
                log.exception("queue poller iteration failed")
                self._stopping.wait(2)

    def _sweep(self) -> None:
        if self._invoker.exists(OUTBOX_FUNCTION):
            self._invoker.call(OUTBOX_FUNCTION, scheduled_event(self._region))

    def _poll_once(self, sqs: SQSClient) -> None:
        messages: list[MessageTypeDef] = sqs.receive_message(
            QueueUrl=self._queue_url,
            MaxNumberOfMessages=10,
            WaitTimeSeconds=1,
            MessageSystemAttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return
        event = {"Records": [self._record(message) for message in messages]}
        try:
            result = self._invoker.call(SETTLEMENT_FUNCTION, event)
        except Exception:
            log.exception("settlement handler raised: the whole batch will be retried")
            return
        failed = failed_ids(result, {message["MessageId"] for message in messages})
        done: list[DeleteMessageBatchRequestEntryTypeDef] = [
            {"Id": str(index), "ReceiptHandle": message["ReceiptHandle"]}
            for index, message in enumerate(messages)
            if message["MessageId"] not in failed
        ]
        if done:
            sqs.delete_message_batch(QueueUrl=self._queue_url, Entries=done)
        if failed:
            log.warning("settlement reported %d failed message(s); they will be retried", len(failed))

    def _record(self, message: MessageTypeDef) -> dict[str, Any]:
        record: dict[str, Any] = {
            "messageId": message["MessageId"],
            "receiptHandle": message["ReceiptHandle"],
            "body": message["Body"],
            "attributes": dict(message.get("Attributes", {})),
            "messageAttributes": {
                name: _attribute(value) for name, value in message.get("MessageAttributes", {}).items()
            },
            "md5OfBody": message["MD5OfBody"],
            "eventSource": "aws:sqs",
            "eventSourceARN": self._queue_arn,
            "awsRegion": self._region,
        }
        if "MD5OfMessageAttributes" in message:
            record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
        return record


def failed_ids(result: Any, batch: set[str]) -> set[str]:
    """The message ids to keep, read the way Lambda reads a ReportBatchItemFailures response."""
    if not isinstance(result, dict) or not result.get("batchItemFailures"):
        return set()
    failures = result["batchItemFailures"]
    ids = {item.get("itemIdentifier") if isinstance(item, dict) else None for item in failures}
    # Lambda treats an identifier that is missing or not in the batch as a failure of the whole batch.
    return {str(id_) for id_ in ids} if ids <= batch else batch


def _attribute(value: MessageAttributeValueOutputTypeDef) -> dict[str, Any]:
    # The event spells SQS's attribute keys in camelCase and carries binary values base64-encoded.
    attribute: dict[str, Any] = {
        "stringListValues": list(value.get("StringListValues", [])),
        "binaryListValues": [base64.b64encode(item).decode() for item in value.get("BinaryListValues", [])],
        "dataType": value["DataType"],
    }
    if "StringValue" in value:
        attribute["stringValue"] = value["StringValue"]
    if "BinaryValue" in value:
        attribute["binaryValue"] = base64.b64encode(value["BinaryValue"]).decode()
    return attribute


def scheduled_event(region: str) -> dict[str, Any]:
    """The event an EventBridge schedule rule delivers."""
    return {
        "version": "0",
        "id": "local-schedule",
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [f"arn:aws:events:{region}:123456789012:rule/drop-outbox-sweeper"],
        "detail": {},
    }
