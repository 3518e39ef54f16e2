"""Logger, Metrics and Tracer shared by every function (service name etc. from POWERTOOLS_* env)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths

logger = Logger()
metrics = Metrics()
tracer = Tracer()


def api_handler(handler: Callable[[dict[str, Any], Any], dict[str, Any]]) -> Callable[..., dict[str, Any]]:
    """The one decorator order for API handlers: logger → metrics → tracer (DESIGN §10)."""
    return logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)(
        metrics.log_metrics(tracer.capture_lambda_handler(handler))
    )


def worker_handler(handler: Callable[[dict[str, Any], Any], Any]) -> Callable[..., Any]:
    """Same order for non-HTTP functions (SQS, schedule, custom resource)."""
    return logger.inject_lambda_context(metrics.log_metrics(tracer.capture_lambda_handler(handler)))
