"""The one authentication step, exercised through a tiny protected route."""

from __future__ import annotations

from typing import Any

import pytest
from aws_lambda_powertools.event_handler.api_gateway import Router

from drop.auth.context import authenticate
from drop.db import get_db
from drop.http.app import build_app
from drop.http.envelope import ok
from tests.support.events import load_event
from tests.support.lambda_invoke import FakeLambdaContext
from tests.support.users import make_user

router = Router()


@router.get("/api/health")
def whoami() -> Any:
    return ok({"id": authenticate(router.current_event).id})


app = build_app(router)


def call(headers: dict[str, str]) -> dict[str, Any]:
    return app.resolve(load_event("health", "get-ok", headers=headers), FakeLambdaContext())


def test_cookie_and_bearer_both_authenticate() -> None:
    user = make_user()
    assert call(user.cookie)["statusCode"] == 200
    assert call(user.bearer)["statusCode"] == 200


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nonsense"}, {"Cookie": "drop_token="}])
def test_missing_or_garbage_token_is_401(headers: dict[str, str]) -> None:
    assert call(headers)["statusCode"] == 401


def test_revoked_session_and_deleted_user_are_401() -> None:
    user = make_user()
    get_db().execute("UPDATE sessions SET revoked_at = now() WHERE id = %s", (user.session_id,))
    assert call(user.cookie)["statusCode"] == 401
    other = make_user()
    get_db().execute("UPDATE users SET deleted_at = now() WHERE id = %s", (other.id,))
    assert call(other.cookie)["statusCode"] == 401
