"""Secrets Manager reads, cached per container (the client is created on first use, not at import)."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

_CACHE_SECONDS = 300
_cache: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}
_lock = threading.Lock()
_client: Any = None


def _secrets_client() -> Any:
    global _client
    if _client is None:
        import boto3

        _client = boto3.client("secretsmanager")
    return _client


def get_secret_json(secret_id: str, stage: str = "AWSCURRENT") -> dict[str, Any]:
    key = (secret_id, stage)
    now = time.monotonic()
    with _lock:
        cached = _cache.get(key)
        if cached and now - cached[0] < _CACHE_SECONDS:
            return cached[1]
    response = _secrets_client().get_secret_value(SecretId=secret_id, VersionStage=stage)
    value: dict[str, Any] = json.loads(response["SecretString"])
    with _lock:
        _cache[key] = (now, value)
    return value


def reset_secrets() -> None:
    global _client
    with _lock:
        _cache.clear()
        _client = None
