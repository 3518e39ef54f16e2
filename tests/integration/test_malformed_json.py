"""A body of `{` to any POST/PUT/PATCH route is a 400 envelope before anything else, never a 500."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from tests.support.events import load_event
from tests.support.lambda_invoke import invoke

EVENTS = Path(__file__).resolve().parents[2] / "events"


def _body_events() -> list[tuple[str, str]]:
    found = []
    for path in sorted(EVENTS.glob("*/*.json")):
        event = json.loads(path.read_text())
        if event.get("httpMethod") in ("POST", "PUT", "PATCH"):
            found.append((path.parent.name, path.stem))
    return found


@pytest.mark.parametrize(("group", "name"), _body_events())
def test_malformed_json_is_400_bad_request(group: str, name: str) -> None:
    handler = importlib.import_module(f"{group}_handler")
    response = invoke(handler, load_event(group, name, raw_body="{"))
    assert response.status == 400, response.raw_body
    assert response.json["error"] == "bad_request"
    assert response.json["details"] == []
