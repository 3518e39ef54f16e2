from __future__ import annotations

import health_handler
import pytest

from drop.db import reset_db
from tests.support.events import load_event
from tests.support.lambda_invoke import invoke


def test_health_reports_a_passing_database() -> None:
    # Given a reachable database / When health is asked
    response = invoke(health_handler, load_event("health", "get-ok"))
    # Then it is 200 in NEW's shape
    assert response.status == 200
    data = response.data
    assert data["status"] == "ok"
    assert data["version"] == "0.1.0"
    assert isinstance(data["uptime"], int)
    assert data["checks"]["db"]["status"] == "pass"
    assert data["checks"]["db"]["driver"] == "pg"
    assert isinstance(data["checks"]["db"]["latencyMs"], int)
    assert data["checks"]["services"]["mode"] == "test"
    assert data["timestamp"].endswith("Z")


def test_health_is_503_down_when_the_database_is_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a database nobody listens for
    monkeypatch.setenv("DATABASE_URL", "postgresql://drop@127.0.0.1:1/nowhere?connect_timeout=1")
    from drop.settings import reset_settings

    reset_settings()
    reset_db()
    # When health is asked / Then 503 with the failing check
    response = invoke(health_handler, load_event("health", "get-ok"))
    assert response.status == 503
    assert response.json == {"data": {"status": "down", "checks": {"db": {"status": "fail"}}}}


def test_health_recovers_when_the_database_returns(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from drop.settings import reset_settings

    monkeypatch.setenv("DATABASE_URL", "postgresql://drop@127.0.0.1:1/nowhere?connect_timeout=1")
    reset_settings()
    reset_db()
    assert invoke(health_handler, load_event("health", "get-ok")).status == 503
    # When the database is back (same warm handler, no restart)
    monkeypatch.setenv("DATABASE_URL", database)
    reset_settings()
    assert invoke(health_handler, load_event("health", "get-ok")).status == 200
