"""GET and PATCH /api/settings: defaults on first read, whitelisted changes only."""

from __future__ import annotations

from typing import Any

import pytest
import settings_handler

from drop.db import get_db
from tests.support.events import load_event
from tests.support.lambda_invoke import ApiResponse, invoke
from tests.support.users import make_user

DEFAULTS = {"currency": "NOK", "language": "nb", "pushEnabled": True, "emailEnabled": True}


def get_settings(headers: dict[str, str]) -> ApiResponse:
    return invoke(settings_handler, load_event("settings", "get-ok", headers=headers))


def patch_settings(headers: dict[str, str], body: Any = None, raw_body: str | None = None) -> ApiResponse:
    event = load_event("settings", "patch-ok", headers=headers, body=body, raw_body=raw_body)
    return invoke(settings_handler, event)


def stored_rows(user_id: str) -> list[dict[str, Any]]:
    return get_db().fetch_all("SELECT * FROM user_settings WHERE user_id = %s", (user_id,))


def test_first_read_creates_the_defaults_once() -> None:
    # Given a user who never opened settings
    user = make_user()
    assert stored_rows(user.id) == []

    # When they read them twice
    first = get_settings(user.cookie)
    second = get_settings(user.bearer)

    # Then the defaults were stored once and both reads agree
    assert first.status == second.status == 200
    assert {key: first.data[key] for key in DEFAULTS} == DEFAULTS
    assert first.data["updatedAt"].endswith("Z")
    assert second.data == first.data
    assert '"pushEnabled":true' in first.raw_body  # JSON booleans
    assert len(stored_rows(user.id)) == 1


def test_patch_changes_only_the_given_fields_and_returns_the_stored_settings() -> None:
    user = make_user()
    get_settings(user.cookie)

    response = patch_settings(user.cookie, {"currency": "EUR", "pushEnabled": False})

    assert response.status == 200
    assert response.data["currency"] == "EUR"
    assert response.data["pushEnabled"] is False
    assert response.data["language"] == "nb"
    assert response.data["emailEnabled"] is True
    assert get_settings(user.cookie).data == response.data


def test_patch_before_any_read_starts_from_the_defaults() -> None:
    user = make_user()
    response = patch_settings(user.cookie, {"language": "sq", "emailEnabled": False})
    assert response.status == 200
    assert {key: response.data[key] for key in DEFAULTS} == {
        "currency": "NOK",
        "language": "sq",
        "pushEnabled": True,
        "emailEnabled": False,
    }
    assert len(stored_rows(user.id)) == 1


def test_every_whitelisted_value_is_accepted() -> None:
    user = make_user()
    for currency in ("EUR", "USD", "GBP", "BAM", "CHF", "PLN", "NOK", "RSD", "TRY", "PKR"):
        assert patch_settings(user.cookie, {"currency": currency}).data["currency"] == currency
    for language in ("nb", "en", "bs", "sq"):
        assert patch_settings(user.cookie, {"language": language}).data["language"] == language


INVALID_PATCHES: list[tuple[dict[str, Any], str]] = [
    ({}, "body"),
    ({"currency": "XYZ"}, "currency"),
    ({"currency": "nok"}, "currency"),
    ({"currency": 578}, "currency"),
    ({"currency": None}, "currency"),
    ({"language": "de"}, "language"),
    ({"language": "NB"}, "language"),
    ({"pushEnabled": "true"}, "pushEnabled"),
    ({"pushEnabled": 1}, "pushEnabled"),
    ({"emailEnabled": None}, "emailEnabled"),
    ({"theme": "dark"}, "theme"),
    ({"currency": "EUR", "userId": "usr_0123456789abcdef"}, "userId"),
    ({"push_enabled": False}, "push_enabled"),
]


def test_anything_outside_the_whitelist_is_422_and_changes_nothing() -> None:
    user = make_user()
    before = get_settings(user.cookie).data
    for body, field in INVALID_PATCHES:
        response = patch_settings(user.cookie, body)
        assert response.status == 422, body
        assert response.json["error"] == "validation_error"
        assert field in [detail["field"] for detail in response.json["details"]], body
    assert get_settings(user.cookie).data == before


def test_malformed_json_is_400() -> None:
    user = make_user()
    for raw in ("{", "[]", "null", ""):
        response = patch_settings(user.cookie, raw_body=raw)
        assert response.status == 400, raw
        assert response.json["error"] == "bad_request"


def test_one_users_changes_do_not_touch_another_users_settings() -> None:
    user, other = make_user(), make_user()
    patch_settings(user.cookie, {"currency": "PLN"})
    assert get_settings(other.cookie).data["currency"] == "NOK"


@pytest.mark.parametrize("headers", [{}, {"Cookie": "drop_token=garbage"}])
def test_both_routes_need_a_signed_in_user(headers: dict[str, str]) -> None:
    assert get_settings(headers).status == 401
    response = patch_settings(headers, {"currency": "EUR"})
    assert response.status == 401
    assert response.json["error"] == "unauthorized"
