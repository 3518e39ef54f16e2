"""Sending what the outbox holds: right after the commit that wrote it, and again from the sweeper.

A message may therefore reach SQS twice (sent, then the mark failed); the settlement worker is idempotent,
so a duplicate changes nothing. A message can never be lost: it is only marked sent after SQS took it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from drop import ratelimit
from drop.adapters.queue import get_publisher
from drop.clock import utcnow
from drop.db import get_db
from drop.observability import logger, metrics
from drop.repositories import idempotency as keys_repo
from drop.repositories import outbox as outbox_repo
from drop.settings import get_settings

SETTLEMENT_TOPIC = "settlement"
SWEEP_BATCH = 100
RATE_LIMIT_RETENTION = timedelta(hours=1)


class UnknownTopic(Exception):
    pass


def _queue_url(topic: str) -> str:
    urls = {SETTLEMENT_TOPIC: get_settings().settlement_queue_url}
    url = urls.get(topic)
    if not url:
        raise UnknownTopic(f"no queue configured for topic {topic!r}")
    return url


def _send(topic: str, payload: dict[str, Any]) -> None:
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    get_publisher().send(_queue_url(topic), body)


def publish_now(outbox_id: int, topic: str, payload: dict[str, Any]) -> None:
    """After the commit: try to send at once. Never raises; the request has already succeeded."""
    try:
        _send(topic, payload)
    except Exception as exc:  # noqa: BLE001 - any failure is the sweeper's to retry
        logger.warning("outbox publish failed; the sweeper will send it", extra={"outbox_id": outbox_id})
        try:
            outbox_repo.record_failure(outbox_id, f"{type(exc).__name__}: {exc}")
        except Exception:  # noqa: BLE001
            logger.warning("could not record the outbox failure", extra={"outbox_id": outbox_id})
        return
    try:
        outbox_repo.mark_sent(outbox_id)
    except Exception:  # noqa: BLE001 - the sweeper resends it; the worker ignores the duplicate
        logger.warning("outbox row sent but not marked", extra={"outbox_id": outbox_id})


@dataclass(frozen=True)
class SweepResult:
    sent: int
    failed: int
    idempotency_keys_purged: int
    rate_limit_windows_purged: int
    auth_flows_purged: int


def sweep() -> SweepResult:
    """Send the rows nobody sent within 30 seconds, then delete short-lived rows that have expired."""
    sent = failed = 0
    with get_db().transaction() as cur:
        for row in outbox_repo.claim_stale(cur, SWEEP_BATCH):
            try:
                _send(row["topic"], row["payload"])
            except Exception as exc:  # noqa: BLE001 - record it and go on with the other rows
                failed += 1
                logger.warning("outbox sweep could not send", extra={"outbox_id": row["id"]})
                outbox_repo.record_failure(row["id"], f"{type(exc).__name__}: {exc}", cur)
            else:
                sent += 1
                outbox_repo.mark_sent(row["id"], cur)
    result = SweepResult(
        sent=sent,
        failed=failed,
        idempotency_keys_purged=keys_repo.purge_expired(),
        rate_limit_windows_purged=ratelimit.purge_before(utcnow() - RATE_LIMIT_RETENTION),
        auth_flows_purged=outbox_repo.purge_expired_auth_flows(),
    )
    logger.info("outbox sweep done", extra=result.__dict__)
    metrics.add_metric(name="OutboxSwept", unit=MetricUnit.Count, value=sent)
    metrics.add_metric(name="OutboxSendFailures", unit=MetricUnit.Count, value=failed)
    return result
