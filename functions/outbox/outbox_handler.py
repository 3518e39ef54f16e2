"""Lambda entry point for the outbox sweeper (EventBridge schedule, every minute)."""

from dataclasses import asdict
from typing import Any

from drop.observability import worker_handler
from drop.services.outbox import sweep


@worker_handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, int]:
    return asdict(sweep())
