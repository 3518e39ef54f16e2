"""Publishing messages to SQS behind a small Protocol; the boto3 client is created on first use."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient


class QueuePublisher(Protocol):
    def send(self, queue_url: str, body: str) -> str:
        """Send one message; returns SQS's message id. Raises on any failure."""
        ...


class SqsPublisher:
    def __init__(self, client: Any = None) -> None:
        self._client: SQSClient | None = client
        self._lock = threading.Lock()

    def _sqs(self) -> SQSClient:
        # Creating a boto3 client is not thread-safe and costs tens of milliseconds: once, on first send.
        if self._client is None:
            with self._lock:
                if self._client is None:
                    import boto3

                    self._client = boto3.client("sqs")
        return self._client

    def send(self, queue_url: str, body: str) -> str:
        return self._sqs().send_message(QueueUrl=queue_url, MessageBody=body)["MessageId"]


_publisher: QueuePublisher | None = None
_lock = threading.Lock()


def get_publisher() -> QueuePublisher:
    global _publisher
    if _publisher is None:
        with _lock:
            if _publisher is None:
                _publisher = SqsPublisher()
    return _publisher


def use_publisher(publisher: QueuePublisher | None) -> None:
    """Swap the publisher (tests); None drops it so the next send creates a fresh client."""
    global _publisher
    with _lock:
        _publisher = publisher
