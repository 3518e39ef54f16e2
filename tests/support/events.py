"""Load recorded API Gateway events from events/ and edit them for one case."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

EVENTS_DIR = Path(__file__).resolve().parents[2] / "events"


@cache
def _recorded(group: str, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EVENTS_DIR / group / f"{name}.json").read_text())
    return data


def load_event(
    group: str,
    name: str,
    *,
    body: Any = None,
    raw_body: str | None = None,
    headers: dict[str, str] | None = None,
    query: dict[str, str] | None = None,
    path_params: dict[str, str] | None = None,
    path: str | None = None,
    source_ip: str | None = None,
) -> dict[str, Any]:
    """A fresh copy of events/<group>/<name>.json with the given edits applied."""
    event = copy.deepcopy(_recorded(group, name))
    if raw_body is not None:
        event["body"] = raw_body
    elif body is not None:
        event["body"] = json.dumps(body)
    for key, value in (headers or {}).items():
        event["headers"][key] = value
        event["multiValueHeaders"][key] = [value]
    if query is not None:
        event["queryStringParameters"] = query or None
        event["multiValueQueryStringParameters"] = {k: [v] for k, v in query.items()} or None
    if path_params is not None:
        event["pathParameters"] = path_params
    if path is not None:
        event["path"] = path
        event["requestContext"]["path"] = "/dev" + path
    if source_ip is not None:
        event["requestContext"]["identity"]["sourceIp"] = source_ip
    return event
