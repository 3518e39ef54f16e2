"""System health (NEW shape, DESIGN §6.14): the database is checked on every call, never cached."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import psycopg

from drop.clock import utcnow
from drop.db import get_db
from drop.settings import get_settings

_STARTED = time.monotonic()


@dataclass(frozen=True)
class HealthReport:
    healthy: bool
    body: dict[str, Any]


def check_health() -> HealthReport:
    settings = get_settings()
    started = time.perf_counter()
    try:
        get_db().fetch_one("SELECT 1 AS ok")
    except (psycopg.Error, RuntimeError):
        return HealthReport(False, {"status": "down", "checks": {"db": {"status": "fail"}}})
    latency_ms = round((time.perf_counter() - started) * 1000)
    return HealthReport(
        True,
        {
            "status": "ok",
            "version": settings.app_version,
            "uptime": int(time.monotonic() - _STARTED),
            "checks": {
                "db": {"status": "pass", "latencyMs": latency_ms, "driver": "pg"},
                "services": {"mode": settings.service_mode},
            },
            "timestamp": utcnow(),
        },
    )
