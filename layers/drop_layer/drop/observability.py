"""Logger, Metrics and Tracer shared by every function (service name etc. from POWERTOOLS_* env).

The Tracer is built on first invocation, not at import: the X-Ray SDK opens a UDP socket when it loads,
and importing a handler must open no socket (cold-start budget, and tests import every handler).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.logging import correlation_paths

logger = Logger()
metrics = Metrics()

Handler = Callable[[dict[str, Any], Any], Any]


@cache
def get_tracer() -> Tracer:
    return Tracer()


def _lazy(build: Callable[[], Handler]) -> Handler:
    built: list[Handler] = []

    def entry(event: dict[str, Any], context: Any) -> Any:
        if not built:
            built.append(build())
        return built[0](event, context)

    return entry


def api_handler(handler: Handler) -> Handler:
    """The one decorator order for API handlers: logger → metrics → tracer (DESIGN §10)."""
    return _lazy(
        lambda: logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)(
            metrics.log_metrics(get_tracer().capture_lambda_handler(handler))
        )
    )


def worker_handler(handler: Handler) -> Handler:
    """Same order for non-HTTP functions (SQS, schedule, custom resource)."""

    def build() -> Handler:
        return logger.inject_lambda_context(metrics.log_metrics(get_tracer().capture_lambda_handler(handler)))

    return _lazy(build)
