"""Integration tests invoke handlers with recorded events against a real Postgres, under moto."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _integration_env(database: str, aws: dict[str, str], flags: object) -> None:
    """Every integration test gets its own database, moto and the fake flag store."""
