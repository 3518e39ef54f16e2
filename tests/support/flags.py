"""A feature-flag store fake (DESIGN §5: tests inject a StoreProvider)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.feature_flags.base import StoreProvider

from drop.flags import DEFAULTS


class FakeFlagStore(StoreProvider):
    def __init__(self) -> None:
        self.document: dict[str, Any] = {name: {"default": value} for name, value in DEFAULTS.items()}

    def set(self, name: str, enabled: bool) -> None:
        self.document[name] = {"default": enabled}

    @property
    def get_raw_configuration(self) -> dict[str, Any]:
        return self.document

    def get_configuration(self) -> dict[str, Any]:
        return self.document
