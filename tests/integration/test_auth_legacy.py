"""POST /api/auth/register and /login: 410 by default; OLD behaviour (API.md §11.1 A3/A4) behind a flag."""

from __future__ import annotations

from typing import Any

import auth_handler
import pytest

from drop.db import get_db
from drop.repositories import users as users_repo
from tests.support.events import load_event
from tests.support.flags import FakeFlagStore
from tests.support.lambda_invoke import ApiResponse, invoke
from tests.support.users import make_user

GOOD = {
    "email": "amir@example.com",
    "password": "secret123",
    "firstName": "Amir",
    "lastName": "Bašić",
    "phone": "+4791234567",
    "dateOfBirth": "1990-05-17",
}


def register(body: Any = None, raw: str | None = None, ip: str | None = None) -> ApiResponse:
    return invoke(auth_handler, load_event("auth", "register-ok", body=body, raw_body=raw, source_ip=ip))


def login(body: Any = None, raw: str | None = None, ip: str | None = None) -> ApiResponse:
    return invoke(auth_handler, load_event("auth", "login-ok", body=body, raw_body=raw, source_ip=ip))


@pytest.fixture
def legacy(flags: FakeFlagStore) -> None:
    flags.set("legacyPasswordAuth", True)


# --- flag off (the default) --------------------------------------------------------------------------


@pytest.mark.parametrize("call", [register, login])
def test_both_are_410_gone_pointing_to_bankid_by_default(call: Any) -> None:
    response = call(GOOD)
    assert response.status == 410
    assert response.json == {
        "error": "gone",
        "message": "Password login was replaced by BankID. Use GET /api/auth/bankid",
        "details": [],
    }
    assert get_db().fetch_one("SELECT count(*) AS n FROM users") == {"n": 0}


def test_410_even_for_a_body_that_would_fail_validation() -> None:
    assert register(raw='{"email": 1}').status == 410 and login(raw="").status == 410


def test_malformed_json_is_400_before_anything_else() -> None:
    # The edge rule of every body route (a body of `{` is a 400 envelope), flag or no flag.
    assert register(raw="{nope").status == 400


# --- register, flag on -------------------------------------------------------------------------------


@pytest.mark.usefixtures("legacy")
def test_register_creates_a_pending_user_with_a_bcrypt_cost_12_hash() -> None:
    response = register(GOOD)

    assert response.status == 201
    data = response.data
    assert set(data) == {"id", "email", "firstName", "lastName", "dateOfBirth", "kycStatus", "createdAt"}
    assert data["id"].startswith("usr_") and data["email"] == "amir@example.com"
    assert (data["firstName"], data["lastName"], data["dateOfBirth"]) == ("Amir", "Bašić", "1990-05-17")
    assert data["kycStatus"] == "pending" and data["createdAt"].endswith("Z")
    row = get_db().fetch_one("SELECT password_hash, phone FROM users WHERE id = %s", (data["id"],))
    assert row is not None and row["password_hash"].startswith("$2b$12$") and row["phone"] == "+4791234567"
    assert "secret123" not in response.raw_body and "$2b$" not in response.raw_body


@pytest.mark.usefixtures("legacy")
@pytest.mark.parametrize("phone", [None, "absent"])
def test_phone_is_optional(phone: str | None) -> None:
    body = {k: v for k, v in GOOD.items() if k != "phone"}
    if phone is None:
        body["phone"] = None
    assert register(body).status == 201


@pytest.mark.usefixtures("legacy")
@pytest.mark.parametrize("raw", ["{not json", "", "[1, 2]", '"text"'])
def test_register_with_a_body_that_is_not_a_json_object_is_400(raw: str) -> None:
    response = register(raw=raw)
    assert response.status == 400 and response.json["error"] == "bad_request"


@pytest.mark.usefixtures("legacy")
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "not-an-email"),
        ("email", "a@b"),
        ("email", "a b@example.com"),
        ("email", "<script>@example.com"),
        ("email", 42),
        ("password", "short1"),
        ("password", "lettersonly"),
        ("password", "12345678"),
        ("password", "a1" * 37),
        ("firstName", ""),
        ("firstName", "<b>Amir</b>"),
        ("firstName", "1234"),
        ("firstName", "A" * 101),
        ("lastName", "   "),
        ("phone", "4791234567"),
        ("phone", "+47 912"),
        ("phone", "+0791234567"),
        ("phone", 4791234567),
        ("dateOfBirth", "17.05.1990"),
        ("dateOfBirth", "1990-02-30"),
        ("dateOfBirth", "2999-01-01"),
        ("dateOfBirth", "19900517"),
    ],
)
def test_register_field_failures_are_422_with_details(field: str, value: Any) -> None:
    response = register({**GOOD, field: value})
    assert response.status == 422, response.raw_body
    assert response.json["error"] == "validation_error"
    assert [d["field"] for d in response.json["details"]] == [field]
    assert get_db().fetch_one("SELECT count(*) AS n FROM users") == {"n": 0}


@pytest.mark.usefixtures("legacy")
@pytest.mark.parametrize("missing", ["email", "password", "firstName", "lastName", "dateOfBirth"])
def test_register_without_a_required_field_is_422(missing: str) -> None:
    response = register({k: v for k, v in GOOD.items() if k != missing})
    assert response.status == 422
    assert [d["field"] for d in response.json["details"]] == [missing]


@pytest.mark.usefixtures("legacy")
def test_register_with_an_unknown_field_is_422() -> None:
    response = register({**GOOD, "kycStatus": "approved"})
    assert response.status == 422 and response.json["details"][0]["field"] == "kycStatus"


@pytest.mark.usefixtures("legacy")
def test_a_registered_email_is_409_whatever_its_case() -> None:
    assert register(GOOD).status == 201
    response = register({**GOOD, "email": "AMIR@Example.COM"})
    assert response.status == 409 and response.json["error"] == "conflict"


@pytest.mark.usefixtures("legacy")
def test_a_concurrent_duplicate_that_passes_the_first_check_is_still_409(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert register(GOOD).status == 201
    monkeypatch.setattr(users_repo, "email_taken", lambda email: False)  # the other request's view
    response = register(GOOD)
    assert response.status == 409
    assert get_db().fetch_one("SELECT count(*) AS n FROM users") == {"n": 1}


@pytest.mark.usefixtures("legacy")
def test_the_11th_register_in_a_minute_from_one_ip_is_429() -> None:
    assert [register(raw='{"email": "not-an-email"}').status for _ in range(10)] == [422] * 10
    limited = register(GOOD)
    assert (
        limited.status == 429 and limited.json["error"] == "rate_limited" and limited.headers["retry-after"]
    )
    assert register(GOOD, ip="203.0.113.5").status == 201


# --- login, flag on ----------------------------------------------------------------------------------


@pytest.fixture
def registered(legacy: None) -> dict[str, Any]:
    response = register(GOOD)
    assert response.status == 201
    data: dict[str, Any] = response.data
    return data


def test_login_returns_the_user_and_a_working_session_cookie(registered: dict[str, Any]) -> None:
    response = login({"email": "Amir@Example.com", "password": "secret123"})

    assert response.status == 200
    assert response.json == {
        "data": {
            "id": registered["id"],
            "email": "amir@example.com",
            "firstName": "Amir",
            "lastName": "Bašić",
            "kycStatus": "pending",
        }
    }
    cookie = next(c for c in response.cookies if c.startswith("drop_token="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    token = cookie.split(";", 1)[0].split("=", 1)[1]
    me = invoke(auth_handler, load_event("auth", "me-ok", headers={"Cookie": f"drop_token={token}"}))
    assert me.status == 200 and me.data["id"] == registered["id"]


@pytest.mark.parametrize(
    "body",
    [
        {"email": "amir@example.com", "password": "wrong-pass1"},
        {"email": "nobody@example.com", "password": "secret123"},
    ],
)
def test_wrong_password_and_unknown_email_are_the_same_401(registered: dict[str, Any], body: dict) -> None:
    response = login(body)
    assert response.status == 401
    assert response.json == {"error": "unauthorized", "message": "Invalid email or password", "details": []}
    assert not response.cookies
    assert get_db().fetch_one("SELECT count(*) AS n FROM sessions") == {"n": 0}


@pytest.mark.parametrize(
    "body",
    [
        {"password": "secret123"},
        {"email": "amir@example.com"},
        {"email": "", "password": "secret123"},
        {"email": "   ", "password": "secret123"},
        {"email": "amir@example.com", "password": ""},
        {"email": 1, "password": "secret123"},
        {},
    ],
)
def test_login_without_email_or_password_is_400(registered: dict[str, Any], body: dict) -> None:
    response = login(body)
    assert response.status == 400 and response.json["error"] == "bad_request"


@pytest.mark.usefixtures("legacy")
@pytest.mark.parametrize("raw", ["{not json", ""])
def test_login_with_a_body_that_is_not_json_is_400(raw: str) -> None:
    assert login(raw=raw).status == 400


def test_a_too_long_password_is_just_a_wrong_password(registered: dict[str, Any]) -> None:
    assert login({"email": "amir@example.com", "password": "x" * 100}).status == 401


def test_an_erased_user_cannot_log_in(registered: dict[str, Any]) -> None:
    get_db().execute("UPDATE users SET deleted_at = now()")
    assert login({"email": "amir@example.com", "password": "secret123"}).status == 401


@pytest.mark.usefixtures("legacy")
def test_a_bankid_user_has_no_password_to_log_in_with() -> None:
    user = make_user(email="bankid@example.com", signed_in=False)
    assert login({"email": user.email, "password": "anything1"}).status == 401


@pytest.mark.usefixtures("legacy")
def test_the_11th_login_in_a_minute_from_one_ip_is_429() -> None:
    assert [login({}).status for _ in range(10)] == [400] * 10
    limited = login({"email": "amir@example.com", "password": "secret123"})
    assert limited.status == 429 and limited.json["message"] == "Too many requests"
