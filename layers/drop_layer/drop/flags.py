"""Feature flags: Powertools `FeatureFlags` over the AppConfig Lambda extension's local HTTP endpoint.

One code path everywhere: in Lambda the extension answers on localhost:2772; in `make dev` a tiny
server in `local/` plays it; tests inject a `StoreProvider` fake with `use_store()`.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from typing import Any

from aws_lambda_powertools.utilities.feature_flags import FeatureFlags
from aws_lambda_powertools.utilities.feature_flags.base import StoreProvider
from aws_lambda_powertools.utilities.feature_flags.exceptions import ConfigurationStoreError

from drop.settings import get_settings

# The documented defaults, used when the store cannot be reached (fail closed for cards).
DEFAULTS: dict[str, bool] = {
    "cards": False,
    "physicalCards": False,
    "cardPin": False,
    "spendingLimits": False,
    "legacyPasswordAuth": False,
    "notifications": True,
}


class AppConfigExtensionStore(StoreProvider):
    """Reads the flags document from the AppConfig extension, cached for `max_age` seconds."""

    def __init__(self, endpoint: str, application: str, environment: str, profile: str, max_age: int) -> None:
        path = f"/applications/{application}/environments/{environment}/configurations/{profile}"
        self.url = endpoint.rstrip("/") + path
        self.max_age = max_age
        self._cached: tuple[float, dict[str, Any]] | None = None
        self._lock = threading.Lock()

    @property
    def get_raw_configuration(self) -> dict[str, Any]:
        now = time.monotonic()
        with self._lock:
            if self._cached and now - self._cached[0] < self.max_age:
                return self._cached[1]
        try:
            with urllib.request.urlopen(self.url, timeout=2) as response:  # noqa: S310 - fixed local URL
                document = json.loads(response.read())
        except (OSError, ValueError) as exc:
            raise ConfigurationStoreError(f"cannot read feature flags from {self.url}: {exc}") from exc
        if not isinstance(document, dict):
            raise ConfigurationStoreError("feature flags document is not a JSON object")
        with self._lock:
            self._cached = (now, document)
        return document

    def get_configuration(self) -> dict[str, Any]:
        return self.get_raw_configuration


_store: StoreProvider | None = None
_flags: FeatureFlags | None = None


def _feature_flags() -> FeatureFlags:
    global _store, _flags
    if _flags is None:
        if _store is None:
            s = get_settings()
            _store = AppConfigExtensionStore(
                s.flags_endpoint, s.flags_application, s.flags_environment, s.flags_profile, s.flags_max_age
            )
        _flags = FeatureFlags(store=_store)
    return _flags


def use_store(store: StoreProvider | None) -> None:
    """Swap the flag store (tests inject a fake; None goes back to the extension store)."""
    global _store, _flags
    _store, _flags = store, None


def is_enabled(name: str, context: dict[str, Any] | None = None) -> bool:
    default = DEFAULTS.get(name, False)
    try:
        return bool(_feature_flags().evaluate(name=name, context=context or {}, default=default))
    except ConfigurationStoreError:
        from drop.observability import logger

        logger.warning("feature flag store unavailable, using the default", extra={"flag": name})
        return default
