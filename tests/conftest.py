"""Shared fixtures: a real Postgres (clone per test), moto for AWS, a fake flag store."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Powertools or boto3: no X-Ray, a metrics namespace, fake AWS credentials.
os.environ.update(
    POWERTOOLS_TRACE_DISABLED="true",
    POWERTOOLS_METRICS_NAMESPACE="DropTest",
    POWERTOOLS_SERVICE_NAME="drop",
    POWERTOOLS_LOG_LEVEL="WARNING",
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION="eu-north-1",
    SERVICE_MODE="test",
    COOKIE_SECURE="true",
)
os.environ.pop("AWS_ENDPOINT_URL", None)

import pytest
from moto import mock_aws

from drop import flags as drop_flags
from drop.db import reset_db
from drop.secrets import reset_secrets
from drop.settings import reset_settings
from tests.support.flags import FakeFlagStore
from tests.support.postgres import clone, create_template, drop_database, postgres_admin_url, with_dbname

EXTERNAL_DATABASE_URL = os.environ.pop("DATABASE_URL", None)


@pytest.fixture(scope="session")
def pg_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with postgres_admin_url(tmp_path_factory.mktemp("pg"), EXTERNAL_DATABASE_URL) as url:
        yield url


@pytest.fixture(scope="session")
def template_db(pg_admin_url: str) -> Iterator[str]:
    name = create_template(pg_admin_url)
    yield name
    drop_database(pg_admin_url, name)


@pytest.fixture
def database(pg_admin_url: str, template_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A freshly migrated database of this test's own; DATABASE_URL points at it."""
    name = clone(pg_admin_url, template_db)
    url = with_dbname(pg_admin_url, name)
    monkeypatch.setenv("DATABASE_URL", url)
    reset_settings()
    reset_db()
    yield url
    reset_db()
    reset_settings()
    drop_database(pg_admin_url, name)


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """moto for SQS and Secrets Manager, with Drop's queue, DLQ and JWT signing secret."""
    with mock_aws():
        import boto3

        sqs = boto3.client("sqs")
        dlq_url = sqs.create_queue(QueueName="drop-settlement-dlq")["QueueUrl"]
        dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        queue_url = sqs.create_queue(
            QueueName="drop-settlement",
            Attributes={
                "VisibilityTimeout": "180",
                "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "5"}),
            },
        )["QueueUrl"]
        secret_arn = boto3.client("secretsmanager").create_secret(
            Name="drop/jwt", SecretString=json.dumps({"kid": "test-1", "key": "k" * 64})
        )["ARN"]
        monkeypatch.setenv("SETTLEMENT_QUEUE_URL", queue_url)
        monkeypatch.setenv("JWT_SECRET_ARN", secret_arn)
        reset_settings()
        reset_secrets()
        yield {"queue_url": queue_url, "dlq_url": dlq_url, "jwt_secret_arn": secret_arn}
        reset_secrets()


@pytest.fixture
def flags() -> Iterator[FakeFlagStore]:
    store = FakeFlagStore()
    drop_flags.use_store(store)
    yield store
    drop_flags.use_store(None)


REPO_ROOT = Path(__file__).resolve().parents[1]
