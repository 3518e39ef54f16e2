"""Sign in with BankID: GET /api/auth/bankid, the callback, and the mobile one-time code exchange.

The local stand-in provider runs in-process; the API is auth_handler invoked with recorded events.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from decimal import Decimal

import auth_handler
import pytest

from drop.adapters.sandbox_persons import APPROVED
from drop.db import get_db
from drop.services.auth import erased_altsub
from tests.support.bankid import (
    APP_URL,
    BankIdDriver,
    bankid_driver,
    cookie_value,
    counts,
    set_cookies,
)
from tests.support.events import load_event
from tests.support.lambda_invoke import invoke


@pytest.fixture
def bankid(monkeypatch: pytest.MonkeyPatch) -> Iterator[BankIdDriver]:
    yield from bankid_driver(monkeypatch)


def me(headers: dict[str, str]) -> tuple[int, dict]:
    response = invoke(auth_handler, load_event("auth", "me-ok", headers=headers))
    return response.status, response.json


# --- GET /api/auth/bankid --------------------------------------------------------------------------


def test_start_returns_the_authorize_url_and_an_httponly_state_cookie(bankid: BankIdDriver) -> None:
    response = bankid.start()

    assert response.status == 200
    url = urllib.parse.urlsplit(response.data["redirectUrl"])
    params = dict(urllib.parse.parse_qsl(url.query))
    assert f"{url.scheme}://{url.netloc}" == bankid.provider.issuer and url.path == "/authorize"
    assert params["response_type"] == "code"
    assert params["scope"] == "openid profile"
    assert params["client_id"] == bankid.provider.client_id
    assert params["redirect_uri"] == "https://api.drop.test/api/auth/bankid/callback"
    assert params["code_challenge_method"] == "S256" and len(params["code_challenge"]) == 43
    assert params["state"] and params["nonce"] and params["state"] != params["nonce"]
    cookie = set_cookies(response)["bankid_state"]
    assert cookie_value(response, "bankid_state") == params["state"]
    for attribute in ("HttpOnly", "Secure", "SameSite=Lax", "Path=/dev/api/auth", "Max-Age=600"):
        assert attribute in cookie
    # The verifier and nonce stay on the server; only the challenge travelled.
    flow = get_db().fetch_one("SELECT * FROM auth_flows WHERE state = %s", (params["state"],))
    assert flow is not None and flow["platform"] == "web" and flow["used_at"] is None
    assert flow["nonce"] == params["nonce"] and flow["code_verifier"] not in response.data["redirectUrl"]


def test_platform_mobile_is_recorded_and_anything_else_is_422(bankid: BankIdDriver) -> None:
    mobile = bankid.start("mobile")
    state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(mobile.data["redirectUrl"]).query))["state"]
    assert get_db().fetch_one("SELECT platform FROM auth_flows WHERE state = %s", (state,)) == {
        "platform": "mobile"
    }
    for platform in ("desktop", "WEB", ""):
        response = bankid.start(platform)
        assert response.status == 422, platform
        assert response.json["error"] == "validation_error"
        assert response.json["details"][0]["field"] == "platform"


def test_the_11th_start_in_a_minute_from_one_ip_is_429(bankid: BankIdDriver) -> None:
    assert [bankid.start().status for _ in range(10)] == [200] * 10

    limited = bankid.start()

    assert limited.status == 429
    assert limited.json["error"] == "rate_limited"
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert bankid.start(source_ip="203.0.113.9").status == 200  # another IP has its own budget


def test_without_a_configured_redirect_uri_the_callback_url_is_derived_from_the_request(
    bankid: BankIdDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BANKID_REDIRECT_URI")
    from drop.settings import reset_settings

    reset_settings()
    response = bankid.start()
    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(response.data["redirectUrl"]).query))
    # The recorded event came through the execute-api URL of stage "dev" over HTTPS.
    assert (
        params["redirect_uri"]
        == "https://1234567890.execute-api.us-east-1.amazonaws.com/dev/api/auth/bankid/callback"
    )


def test_start_when_the_provider_is_unreachable_is_503_not_500(
    bankid: BankIdDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BANKID_ISSUER", "http://127.0.0.1:9")  # discard port: nothing listens
    from drop.settings import reset_settings

    reset_settings()
    response = bankid.start()
    assert response.status == 503
    assert response.json["error"] == "service_unavailable"
    assert get_db().fetch_one("SELECT count(*) AS n FROM auth_flows") == {"n": 0}


# --- the web sign-in ---------------------------------------------------------------------------------


def test_web_sign_in_sets_the_session_cookie_and_redirects_to_the_app(bankid: BankIdDriver) -> None:
    response = bankid.sign_in("approved")

    assert response.status == 302
    assert response.headers["location"] == APP_URL
    assert "token" not in response.headers["location"]
    cookies = set_cookies(response)
    for attribute in ("HttpOnly", "Secure", "SameSite=Lax", "Path=/", "Max-Age=86400"):
        assert attribute in cookies["drop_token"]
    assert "Max-Age=0" in cookies["bankid_state"] and "Path=/dev/api/auth" in cookies["bankid_state"]

    status, body = me({"Cookie": f"drop_token={cookie_value(response, 'drop_token')}"})
    assert status == 200
    data = body["data"]
    assert (data["firstName"], data["lastName"], data["kycStatus"]) == ("Amir", "Bašić", "approved")
    assert data["totalBalance"] == Decimal("58030.00")
    assert [(a["bankName"], a["balance"], a["isPrimary"]) for a in data["bankAccounts"]] == [
        ("DNB", Decimal("45230.00"), True),
        ("SpareBank 1", Decimal("12800.00"), False),
    ]
    row = get_db().fetch_one("SELECT * FROM users WHERE id = %s", (data["id"],))
    assert row is not None and row["bankid_altsub"] == APPROVED and str(row["date_of_birth"]) == "1988-04-12"
    balances = get_db().fetch_all(
        "SELECT balance_updated_at FROM bank_accounts WHERE user_id = %s", (data["id"],)
    )
    assert len(balances) == 2 and all(b["balance_updated_at"] is not None for b in balances)


@pytest.mark.parametrize(
    ("person", "kyc", "total", "accounts"),
    [
        ("pending", "pending", Decimal("2000.00"), 1),
        ("rejected", "rejected", Decimal("150.00"), 1),
        ("noaccount", "approved", Decimal("0.00"), 0),
        ("approved2", "approved", Decimal("1500.00"), 1),
    ],
)
def test_each_test_person_gets_the_screening_result_and_accounts_of_the_sandboxes(
    bankid: BankIdDriver, person: str, kyc: str, total: Decimal, accounts: int
) -> None:
    token = bankid.web_token(person)

    status, body = me({"Cookie": f"drop_token={token}"})
    assert status == 200
    assert body["data"]["kycStatus"] == kyc
    assert body["data"]["totalBalance"] == total
    assert len(body["data"]["bankAccounts"]) == accounts
    assert sum(a["isPrimary"] for a in body["data"]["bankAccounts"]) == min(accounts, 1)


def test_signing_in_again_finds_the_same_user_and_refreshes_the_balances(bankid: BankIdDriver) -> None:
    first = bankid.web_token("approved")
    get_db().execute(
        "UPDATE bank_accounts SET balance = 10.00, balance_updated_at = now() - interval '1 day'"
    )

    second = bankid.web_token("approved")

    assert counts()["users"] == 1 and counts()["accounts"] == 2 and counts()["sessions"] == 2
    _, body = me({"Cookie": f"drop_token={second}"})
    assert body["data"]["totalBalance"] == Decimal("58030.00")
    fresh = get_db().fetch_one(
        "SELECT min(balance_updated_at) > now() - interval '1 minute' AS fresh FROM bank_accounts"
    )
    assert fresh == {"fresh": True}
    assert me({"Cookie": f"drop_token={first}"})[0] == 200  # signing in elsewhere does not sign out


# --- the mobile sign-in ------------------------------------------------------------------------------


def test_mobile_sign_in_redirects_with_a_one_time_code_that_gives_a_bearer_token(
    bankid: BankIdDriver,
) -> None:
    response = bankid.sign_in("approved", "mobile")

    assert response.status == 302
    location = urllib.parse.urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "drop://auth/callback"
    code = dict(urllib.parse.parse_qsl(location.query))["code"]
    assert "drop_token" not in set_cookies(response)  # no token in a cookie, and none in the URL
    stored = get_db().fetch_one("SELECT code_hash FROM auth_codes")
    assert stored is not None and code not in stored["code_hash"] and len(stored["code_hash"]) == 64

    exchanged = bankid.exchange(code)

    assert exchanged.status == 200
    token = exchanged.data["token"]
    assert exchanged.data["expiresAt"].endswith("Z")
    status, body = me({"Authorization": f"Bearer {token}"})
    assert status == 200 and body["data"]["totalBalance"] == Decimal("58030.00")
    session = get_db().fetch_one("SELECT client, expires_at - created_at AS ttl FROM sessions")
    assert session is not None and session["client"] == "mobile" and session["ttl"].days in (6, 7)

    again = bankid.exchange(code)
    assert again.status == 401 and again.json["error"] == "unauthorized"


def test_an_expired_mobile_code_is_401(bankid: BankIdDriver) -> None:
    code = bankid.mobile_code()
    get_db().execute("UPDATE auth_codes SET expires_at = now() - interval '1 second'")
    assert bankid.exchange(code).status == 401


@pytest.mark.parametrize("code", ["nope", "x" * 128])
def test_an_unknown_mobile_code_is_401(bankid: BankIdDriver, code: str) -> None:
    assert bankid.exchange(code).status == 401


@pytest.mark.parametrize(
    "body", [{}, {"code": ""}, {"code": 123}, {"code": "x" * 129}, {"code": "a", "x": 1}]
)
def test_a_malformed_code_exchange_is_422(body: dict, bankid: BankIdDriver) -> None:
    response = invoke(auth_handler, load_event("auth", "token-ok", body=body))
    assert response.status == 422 and response.json["error"] == "validation_error"


def test_a_code_exchange_without_json_is_400(bankid: BankIdDriver) -> None:
    response = invoke(auth_handler, load_event("auth", "token-ok", raw_body="code=abc"))
    assert response.status == 400 and response.json["error"] == "bad_request"


def test_a_mobile_code_stops_working_when_the_user_logs_out_everywhere(bankid: BankIdDriver) -> None:
    code = bankid.mobile_code()
    get_db().execute("UPDATE sessions SET revoked_at = now()")
    assert bankid.exchange(code).status == 401


# --- the callback's failures: a 400/401 envelope, and nothing created ----------------------------------


def _assert_nothing_created(response_status: int, expected_status: int, before: dict[str, int]) -> None:
    assert response_status == expected_status
    after = counts()
    assert (after["users"], after["sessions"], after["accounts"], after["codes"]) == (
        before["users"],
        before["sessions"],
        before["accounts"],
        before["codes"],
    )


def test_a_state_that_does_not_match_the_cookie_is_400(bankid: BankIdDriver) -> None:
    query, _ = bankid.begin()
    _, other_cookie = bankid.begin()
    before = counts()

    response = bankid.callback(query, other_cookie)

    _assert_nothing_created(response.status, 400, before)
    assert response.json["error"] == "bad_request"


def test_a_callback_without_the_state_cookie_is_400(bankid: BankIdDriver) -> None:
    query, _ = bankid.begin()
    before = counts()
    response = bankid.callback(query, None)
    _assert_nothing_created(response.status, 400, before)


def test_a_forged_state_with_a_matching_cookie_is_400(bankid: BankIdDriver) -> None:
    query, _ = bankid.begin()
    before = counts()
    response = bankid.callback({**query, "state": "forged"}, "forged")
    _assert_nothing_created(response.status, 400, before)


def test_a_replayed_callback_is_400_and_creates_nothing_more(bankid: BankIdDriver) -> None:
    query, state_cookie = bankid.begin()
    assert bankid.callback(query, state_cookie).status == 302
    before = counts()

    replay = bankid.callback(query, state_cookie)

    _assert_nothing_created(replay.status, 400, before)


def test_a_replayed_code_under_a_fresh_state_is_401(bankid: BankIdDriver) -> None:
    query, state_cookie = bankid.begin()
    assert bankid.callback(query, state_cookie).status == 302
    fresh, fresh_cookie = bankid.begin()
    before = counts()

    response = bankid.callback({"code": query["code"], "state": fresh["state"]}, fresh_cookie)

    _assert_nothing_created(response.status, 401, before)
    assert response.json["error"] == "unauthorized"


def test_an_expired_flow_is_400(bankid: BankIdDriver) -> None:
    query, state_cookie = bankid.begin()
    get_db().execute("UPDATE auth_flows SET expires_at = now() - interval '1 second'")
    before = counts()
    _assert_nothing_created(bankid.callback(query, state_cookie).status, 400, before)


@pytest.mark.parametrize(
    "query",
    [
        {"error": "access_denied", "state": "s"},
        {"state": "s"},
        {"code": "c"},
        {},
        {"code": "c d", "state": "s"},
    ],
)
def test_provider_errors_and_missing_parameters_are_400(bankid: BankIdDriver, query: dict[str, str]) -> None:
    before = counts()
    response = bankid.callback(query, "s")
    _assert_nothing_created(response.status, 400, before)
    assert response.json["error"] == "bad_request" and response.json["details"] == []


def test_a_user_who_cancels_at_bankid_gets_400(bankid: BankIdDriver) -> None:
    started = bankid.start()
    query = bankid.authorize(started.data["redirectUrl"], "cancel")
    assert query["error"] == "access_denied"
    response = bankid.callback(query, cookie_value(started, "bankid_state"))
    assert response.status == 400 and "access_denied" in response.json["message"]


def test_a_repeated_query_parameter_is_400(bankid: BankIdDriver) -> None:
    query, state_cookie = bankid.begin()
    event = load_event("auth", "callback-ok", query=query, headers={"Cookie": f"bankid_state={state_cookie}"})
    event["multiValueQueryStringParameters"]["code"] = [query["code"], "other"]
    assert invoke(auth_handler, event).status == 400


@pytest.mark.parametrize(
    "sabotage",
    [
        "bad_nonce",
        "foreign_key",
        "unknown_kid",
        "expired",
        "wrong_audience",
        "wrong_issuer",
        "alg_none",
        "hs256",
        "no_altsub",
        "token_error",
    ],
)
def test_a_bad_id_token_is_401_and_creates_nothing(bankid: BankIdDriver, sabotage: str) -> None:
    query, state_cookie = bankid.begin()
    before = counts()
    bankid.provider.sabotage_next_token(sabotage)

    response = bankid.callback(query, state_cookie)

    _assert_nothing_created(response.status, 401, before)
    assert response.json["error"] == "unauthorized"


@pytest.mark.parametrize("platform", ["web", "mobile"])
def test_an_erased_user_cannot_sign_in_again(bankid: BankIdDriver, platform: str) -> None:
    bankid.web_token("approved")
    get_db().execute("UPDATE users SET deleted_at = now()")
    query, state_cookie = bankid.begin("approved", platform)
    before = counts()

    response = bankid.callback(query, state_cookie)

    _assert_nothing_created(response.status, 403, before)
    assert response.json["error"] == "account_deleted"


def test_an_erased_user_is_recognised_after_pseudonymisation(bankid: BankIdDriver) -> None:
    bankid.web_token("approved")
    get_db().execute(
        "UPDATE users SET deleted_at = now(), bankid_altsub = %s, first_name = 'Erased'",
        (erased_altsub(APPROVED),),
    )
    before = counts()
    response = bankid.sign_in("approved")
    _assert_nothing_created(response.status, 403, before)


def test_the_callback_without_bankid_configuration_is_401_not_500(
    bankid: BankIdDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    query, state_cookie = bankid.begin()
    monkeypatch.delenv("BANKID_CLIENT_SECRET")
    from drop.settings import reset_settings

    reset_settings()
    before = counts()
    _assert_nothing_created(bankid.callback(query, state_cookie).status, 401, before)


def test_a_response_naming_another_issuer_is_401_and_creates_nothing(bankid: BankIdDriver) -> None:
    # Given a genuine code and state, but the response claims another issuer (RFC 9207 mix-up)
    query, state_cookie = bankid.begin()
    before = counts()
    # When the callback arrives / Then it is refused before the code is ever exchanged
    response = bankid.callback({**query, "iss": "https://evil.example"}, state_cookie)
    _assert_nothing_created(response.status, 401, before)


def test_a_response_naming_our_issuer_signs_in(bankid: BankIdDriver) -> None:
    query, state_cookie = bankid.begin()
    response = bankid.callback({**query, "iss": bankid.provider.issuer}, state_cookie)
    assert response.status == 302, response.raw_body
