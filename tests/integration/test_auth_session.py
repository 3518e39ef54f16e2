"""/api/auth/me, /logout and /refresh, and every way a session token must be refused."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import auth_handler
import jwt
import pytest

from drop.auth.tokens import issue_token
from drop.clock import utcnow
from drop.db import get_db
from tests.support.bankid import (
    BankIdDriver,
    bankid_driver,
    cookie_value,
    counts,
    set_cookies,
)
from tests.support.events import load_event
from tests.support.lambda_invoke import ApiResponse, invoke
from tests.support.users import make_user

ME_FIELDS = {"id", "email", "firstName", "lastName", "totalBalance", "bankAccounts", "kycStatus", "createdAt"}
ACCOUNT_FIELDS = {"id", "bankName", "accountNumber", "balance", "currency", "isPrimary"}


@pytest.fixture
def bankid(monkeypatch: pytest.MonkeyPatch) -> Iterator[BankIdDriver]:
    yield from bankid_driver(monkeypatch)


def call(route: str, headers: dict[str, str]) -> ApiResponse:
    return invoke(auth_handler, load_event("auth", f"{route}-ok", headers=headers))


def cookie(token: str) -> dict[str, str]:
    return {"Cookie": f"drop_token={token}"}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- the story of the issue: sign in, me, logout, refresh ---------------------------------------------


def test_web_sign_in_then_me_then_logout_kills_that_cookie(bankid: BankIdDriver) -> None:
    token = bankid.web_token("approved")

    me = call("me", cookie(token))
    assert me.status == 200 and me.data["totalBalance"] == Decimal("58030.00")
    assert '"totalBalance":58030.00' in me.raw_body  # a JSON number, not a string

    logout = call("logout", cookie(token))
    assert logout.status == 200
    assert logout.json == {"message": "Logged out"}
    cleared = set_cookies(logout)["drop_token"]
    assert cleared.startswith("drop_token=;") and "Max-Age=0" in cleared and "Path=/" in cleared

    assert call("me", cookie(token)).status == 401


def test_refresh_gives_a_new_working_cookie_and_kills_the_old_one(bankid: BankIdDriver) -> None:
    old = bankid.web_token("approved")

    refreshed = call("refresh", cookie(old))

    assert refreshed.status == 200
    user_id = call("me", cookie(cookie_value(refreshed, "drop_token") or "")).data["id"]
    assert refreshed.json == {"data": {"userId": user_id, "email": None, "role": "user"}}
    new = cookie_value(refreshed, "drop_token")
    assert new and new != old
    assert "HttpOnly" in set_cookies(refreshed)["drop_token"]
    assert call("me", cookie(new)).status == 200
    assert call("me", cookie(old)).status == 401
    assert call("refresh", cookie(old)).status == 401  # an old token cannot mint new ones either
    sessions = get_db().fetch_all("SELECT client, revoked_at FROM sessions ORDER BY created_at")
    assert [(s["client"], s["revoked_at"] is None) for s in sessions] == [("web", False), ("web", True)]


def test_mobile_sign_in_then_refresh_with_bearer_returns_the_new_token_in_the_body(
    bankid: BankIdDriver,
) -> None:
    token = bankid.exchange(bankid.mobile_code("approved")).data["token"]

    refreshed = call("refresh", bearer(token))

    assert refreshed.status == 200
    data = refreshed.data
    assert set(data) == {"userId", "email", "role", "token", "expiresAt"}
    assert "drop_token" not in set_cookies(refreshed)  # a 7-day token never goes into a cookie
    assert call("me", bearer(data["token"])).status == 200
    assert call("me", bearer(token)).status == 401
    newest = get_db().fetch_one(
        "SELECT client, expires_at - created_at AS ttl FROM sessions WHERE revoked_at IS NULL"
    )
    assert (
        newest is not None and newest["client"] == "mobile" and newest["ttl"] >= timedelta(days=6, hours=23)
    )


def test_a_web_session_refreshed_with_bearer_gets_both_the_body_token_and_the_cookie() -> None:
    user = make_user()
    refreshed = call("refresh", user.bearer)
    assert refreshed.status == 200
    assert refreshed.data["token"] == cookie_value(refreshed, "drop_token")
    assert refreshed.data["userId"] == user.id and refreshed.data["email"] == user.email


# --- GET /api/auth/me --------------------------------------------------------------------------------


def test_me_has_the_spec_shape_with_masked_account_numbers() -> None:
    user = make_user(balances=(Decimal("45230.00"), Decimal("12800.00")))

    response = call("me", user.cookie)

    assert response.status == 200
    data = response.data
    assert set(data) == ME_FIELDS
    assert data["id"] == user.id and data["email"] == user.email and data["kycStatus"] == "approved"
    assert data["createdAt"].endswith("Z") and len(data["createdAt"]) == 24
    assert data["totalBalance"] == Decimal("58030.00")
    first, second = data["bankAccounts"]
    assert set(first) == ACCOUNT_FIELDS
    assert first["id"] == user.account_ids[0] and first["isPrimary"] is True and second["isPrimary"] is False
    assert first["currency"] == "NOK" and first["bankName"] == "DNB"
    assert first["accountNumber"] == "*****8901"  # DESIGN §8: never a full account number
    assert "1234.56.78901" not in response.raw_body


def test_me_for_a_user_without_accounts_has_a_zero_total() -> None:
    user = make_user(balances=())
    data = call("me", user.cookie).data
    assert data["bankAccounts"] == [] and data["totalBalance"] == Decimal("0")


def test_me_shows_only_the_callers_own_accounts() -> None:
    mine, other = make_user(), make_user(balances=(Decimal("999.00"),))
    data = call("me", mine.cookie).data
    assert [a["id"] for a in data["bankAccounts"]] == mine.account_ids
    assert other.account_ids[0] not in json.dumps(data, default=str)


# --- logout ------------------------------------------------------------------------------------------


def test_logout_revokes_every_session_of_the_user_and_only_theirs() -> None:
    phone = make_user(client="mobile")
    with get_db().transaction() as cur:
        from drop.services.sessions import start_session

        laptop = start_session(cur, user_id=phone.id, role="user", email=phone.email, client="web")
    stranger = make_user()

    assert call("logout", phone.bearer).status == 200

    assert call("me", phone.bearer).status == 401
    assert call("me", cookie(laptop.token)).status == 401
    assert call("me", stranger.cookie).status == 200


@pytest.mark.parametrize("route", ["me", "logout", "refresh"])
def test_protected_auth_routes_without_a_token_are_401(route: str) -> None:
    response = call(route, {})
    assert response.status == 401
    assert response.json["error"] == "unauthorized" and response.json["details"] == []


# --- tokens that must be refused (and create nothing) -------------------------------------------------


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _forge(case: str) -> str:
    user = make_user()
    header, payload, signature = user.token.split(".")
    claims = jwt.decode(user.token, options={"verify_signature": False})
    if case == "tampered":
        return f"{header}.{_b64({**claims, 'role': 'merchant'})}.{signature}"
    if case == "alg_none":
        return f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': 'test-1'})}.{payload}."
    if case == "another_key":
        return jwt.encode(claims, "x" * 64, algorithm="HS256", headers={"kid": "test-1"})
    if case == "unknown_kid":
        return jwt.encode(claims, "x" * 64, algorithm="HS256", headers={"kid": "test-0"})
    if case == "no_sid":
        claims.pop("sid")
        return jwt.encode(claims, "k" * 64, algorithm="HS256", headers={"kid": "test-1"})
    if case == "expired":
        now = utcnow()
        return issue_token(
            user_id=user.id,
            session_id=user.session_id,
            role="user",
            email=user.email,
            issued_at=now - timedelta(days=2),
            expires_at=now - timedelta(seconds=1),
        )
    if case == "revoked":
        get_db().execute("UPDATE sessions SET revoked_at = now() WHERE id = %s", (user.session_id,))
        return user.token
    if case == "expired_session":
        get_db().execute(
            "UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id = %s", (user.session_id,)
        )
        return user.token
    if case == "deleted_user":
        get_db().execute("UPDATE users SET deleted_at = now() WHERE id = %s", (user.id,))
        return user.token
    if case == "other_users_session":
        other = make_user()
        return jwt.encode(
            {**claims, "sid": other.session_id}, "k" * 64, algorithm="HS256", headers={"kid": "test-1"}
        )
    raise AssertionError(case)


@pytest.mark.parametrize(
    "case",
    [
        "tampered",
        "alg_none",
        "another_key",
        "unknown_kid",
        "no_sid",
        "expired",
        "revoked",
        "expired_session",
        "deleted_user",
        "other_users_session",
    ],
)
@pytest.mark.parametrize("route", ["me", "refresh", "logout"])
def test_a_bad_token_is_401_on_every_route_and_creates_nothing(case: str, route: str) -> None:
    token = _forge(case)
    before = counts()

    for headers in (cookie(token), bearer(token)):
        response = call(route, headers)
        assert response.status == 401, (case, response.raw_body)
        assert response.json["error"] == "unauthorized"
        assert "drop_token" not in {k for k, v in set_cookies(response).items() if "Max-Age=0" not in v}

    assert counts() == before


def test_a_garbled_cookie_header_from_another_app_does_not_hide_the_session() -> None:
    user = make_user()
    headers = {"Cookie": f'_ga=GA1.2; tracker="un closed; name=Åse Ø; drop_token={user.token}'}
    assert call("me", headers).status == 200
