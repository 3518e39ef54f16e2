"""The AWS side of `make dev`: moto's threaded server with the settlement queues and the JWT secret."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import boto3
from moto.server import ThreadedMotoServer

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

QUEUE = "drop-settlement"
DLQ = "drop-settlement-dlq"
JWT_SECRET = "drop/jwt"  # noqa: S105 (the secret's name, not its value)
MAX_RECEIVE_COUNT = 5
VISIBILITY_TIMEOUT = 30


@dataclass(frozen=True)
class Resources:
    queue_url: str
    queue_arn: str
    dlq_url: str
    jwt_secret_arn: str


def start_moto(port: int) -> tuple[ThreadedMotoServer, str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    host, bound = server.get_host_and_port()
    return server, f"http://{host}:{bound}"


def provision(data_dir: Path) -> Resources:
    """Create the queues and the secret at AWS_ENDPOINT_URL (moto keeps nothing between runs)."""
    sqs = boto3.client("sqs")
    dlq_url = sqs.create_queue(QueueName=DLQ)["QueueUrl"]
    redrive = {"deadLetterTargetArn": _arn(sqs, dlq_url), "maxReceiveCount": str(MAX_RECEIVE_COUNT)}
    queue_url = sqs.create_queue(
        QueueName=QUEUE,
        Attributes={"RedrivePolicy": json.dumps(redrive), "VisibilityTimeout": str(VISIBILITY_TIMEOUT)},
    )["QueueUrl"]
    secret = boto3.client("secretsmanager").create_secret(Name=JWT_SECRET, SecretString=_jwt_key(data_dir))
    return Resources(queue_url, _arn(sqs, queue_url), dlq_url, secret["ARN"])


def _arn(sqs: SQSClient, queue_url: str) -> str:
    return sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def _jwt_key(data_dir: Path) -> str:
    # Kept on disk: moto forgets the secret on exit, and a new key would log every browser out.
    path = data_dir / "jwt.json"
    if not path.exists():
        path.write_text(json.dumps({"kid": "local-1", "key": secrets.token_hex(32)}))
        os.chmod(path, 0o600)
    return path.read_text()
