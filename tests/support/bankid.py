"""Sign in through the local BankID stand-in, the way a browser (or a script) would, against auth_handler.

One stand-in serves the whole test process (on 127.0.0.1, started on first use). A test module gets a
driver with a three-line fixture:

    @pytest.fixture
    def bankid(monkeypatch: pytest.MonkeyPatch) -> Iterator[BankIdDriver]:
        yield from bankid_driver(monkeypatch)
"""

from __future__ import annotations

import atexit
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import auth_handler
import pytest

from drop.auth.oidc import reset_oidc_cache
from drop.db import get_db
from drop.settings import reset_settings
from local.bankid import BankIdProvider, bankid_env, start_bankid_provider
from tests.support.events import load_event
from tests.support.lambda_invoke import ApiResponse, invoke

API_BASE = "https://api.drop.test"
APP_URL = "https://app.drop.test/home"


def set_cookies(response: ApiResponse) -> dict[str, str]:
    """name → the whole Set-Cookie line, for every cookie the response sets."""
    return {line.split("=", 1)[0]: line for line in response.cookies}


def cookie_value(response: ApiResponse, name: str) -> str | None:
    line = set_cookies(response).get(name)
    return line.split(";", 1)[0].split("=", 1)[1] if line else None


def counts() -> dict[str, int]:
    row = get_db().fetch_one(
        "SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM sessions) AS sessions,"
        " (SELECT count(*) FROM bank_accounts) AS accounts, (SELECT count(*) FROM auth_codes) AS codes"
    )
    assert row is not None
    return {k: int(v) for k, v in row.items()}


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class BankIdDriver:
    def __init__(self, provider: BankIdProvider) -> None:
        self.provider = provider
        self._opener = urllib.request.build_opener(_NoRedirects)

    def start(self, platform: str | None = None, source_ip: str | None = None) -> ApiResponse:
        name = "bankid-mobile" if platform == "mobile" else "bankid-web"
        query = {"platform": platform} if platform is not None and platform != "mobile" else None
        return invoke(auth_handler, load_event("auth", name, query=query, source_ip=source_ip))

    def authorize(self, redirect_url: str, person: str) -> dict[str, str]:
        """What the provider redirects the browser to the callback with: code and state (or error)."""
        url = redirect_url + "&" + urllib.parse.urlencode({"login_hint": person})
        try:
            self._opener.open(url, timeout=10)
        except urllib.error.HTTPError as redirect:
            assert redirect.code == 302, redirect.read()
            location = redirect.headers["Location"]
            assert location.startswith(API_BASE + "/api/auth/bankid/callback?")
            return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
        raise AssertionError("the provider did not redirect")

    def callback(self, query: dict[str, str], state_cookie: str | None) -> ApiResponse:
        headers = {"Cookie": f"bankid_state={state_cookie}"} if state_cookie is not None else {}
        return invoke(auth_handler, load_event("auth", "callback-ok", query=query, headers=headers))

    def begin(self, person: str = "approved", platform: str = "web") -> tuple[dict[str, str], str]:
        """Start and authorize: (the callback query, the bankid_state cookie), callback not called yet."""
        started = self.start(platform)
        assert started.status == 200, started.raw_body
        state_cookie = cookie_value(started, "bankid_state")
        assert state_cookie
        return self.authorize(started.data["redirectUrl"], person), state_cookie

    def sign_in(self, person: str = "approved", platform: str = "web") -> ApiResponse:
        query, state_cookie = self.begin(person, platform)
        return self.callback(query, state_cookie)

    def web_token(self, person: str = "approved") -> str:
        response = self.sign_in(person)
        assert response.status == 302, response.raw_body
        token = cookie_value(response, "drop_token")
        assert token
        return token

    def mobile_code(self, person: str = "approved") -> str:
        response = self.sign_in(person, "mobile")
        assert response.status == 302, response.raw_body
        location = urllib.parse.urlsplit(response.headers["location"])
        return dict(urllib.parse.parse_qsl(location.query))["code"]

    def exchange(self, code: Any) -> ApiResponse:
        return invoke(auth_handler, load_event("auth", "token-ok", body={"code": code}))


_provider: BankIdProvider | None = None


def shared_provider() -> BankIdProvider:
    global _provider
    if _provider is None:
        _provider = start_bankid_provider()
        atexit.register(_provider.stop)
    return _provider


def bankid_driver(monkeypatch: pytest.MonkeyPatch) -> Iterator[BankIdDriver]:
    """Point this test's API environment at the shared stand-in; yields the driver."""
    provider = shared_provider()
    for name, value in {**bankid_env(provider, API_BASE), "APP_URL": APP_URL}.items():
        monkeypatch.setenv(name, value)
    reset_settings()
    reset_oidc_cache()
    yield BankIdDriver(provider)
    reset_oidc_cache()
