"""Auth routes: BankID sign-in (web cookie / mobile one-time code), /me, logout, refresh, legacy password."""

from __future__ import annotations

import urllib.parse

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.shared.cookies import Cookie
from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

from drop import ratelimit
from drop.auth.context import authenticate, cookie_value
from drop.http.cookies import cleared_cookie, make_cookie, session_cookie
from drop.http.envelope import ok, respond
from drop.http.request import client_ip, json_body, parse_body, parse_query
from drop.models.auth import (
    BankIdRedirectOut,
    BankIdStartQuery,
    RefreshOut,
    RefreshWithTokenOut,
    RegisterIn,
    TokenExchangeIn,
    TokenOut,
)
from drop.services import legacy_auth
from drop.services.auth import complete_bankid_login, start_bankid_login
from drop.services.auth_sessions import exchange_mobile_code, get_me, logout, refresh_session
from drop.settings import get_settings

router = Router()

SIGN_IN_PER_MINUTE = 10  # per client IP: bankid, and the legacy login/register (DESIGN §6.4)
STATE_COOKIE = "bankid_state"
CALLBACK_PATH = "/api/auth/bankid/callback"


# --- BankID -------------------------------------------------------------------------------------------


@router.get("/api/auth/bankid")
def bankid_start() -> Response[str]:
    event = router.current_event
    ratelimit.hit(f"bankid:ip:{client_ip(event)}", SIGN_IN_PER_MINUTE)
    query = parse_query(event, BankIdStartQuery)
    started = start_bankid_login(query.platform, _callback_url(event))
    state = make_cookie(STATE_COOKIE, started.state, max_age=started.max_age, path=_state_cookie_path(event))
    return ok(BankIdRedirectOut(redirect_url=started.redirect_url), cookies=[state])


@router.get(CALLBACK_PATH)
def bankid_callback() -> Response[str]:
    event = router.current_event
    signed_in = complete_bankid_login(
        event.multi_value_query_string_parameters or {},
        cookie_value(event, STATE_COOKIE),
        _callback_url(event),
    )
    cleared_state = make_cookie(STATE_COOKIE, "", max_age=0, path=_state_cookie_path(event))
    settings = get_settings()
    if signed_in.session is not None:
        session = session_cookie(signed_in.session.token, signed_in.session.expires_at)
        return _redirect(settings.app_url, [session, cleared_state])
    assert signed_in.mobile_code is not None
    return _redirect(_with_query(settings.mobile_redirect_uri, code=signed_in.mobile_code), [cleared_state])


@router.post("/api/auth/token")
def exchange_token() -> Response[str]:
    body = parse_body(router.current_event, TokenExchangeIn)
    issued = exchange_mobile_code(body.code)
    return ok(TokenOut(token=issued.token, expires_at=issued.expires_at))


# --- session ------------------------------------------------------------------------------------------


@router.get("/api/auth/me")
def me() -> Response[str]:
    user = authenticate(router.current_event)
    return ok(get_me(user.id))


@router.post("/api/auth/logout")
def log_out() -> Response[str]:
    user = authenticate(router.current_event)
    logout(user.id)
    return respond({"message": "Logged out"}, cookies=[cleared_cookie()])


@router.post("/api/auth/refresh")
def refresh() -> Response[str]:
    user = authenticate(router.current_event)
    issued = refresh_session(user)
    cookies = [session_cookie(issued.token, issued.expires_at)] if issued.client == "web" else []
    if user.via == "bearer":
        body: RefreshOut = RefreshWithTokenOut(
            user_id=user.id,
            email=user.email,
            role=user.role,
            token=issued.token,
            expires_at=issued.expires_at,
        )
    else:
        body = RefreshOut(user_id=user.id, email=user.email, role=user.role)
    return ok(body, cookies=cookies)


# --- legacy password auth (410 unless the flag legacyPasswordAuth is on) -------------------------------


@router.post("/api/auth/register")
def register() -> Response[str]:
    _legacy("register")
    body = parse_body(router.current_event, RegisterIn)
    return ok(legacy_auth.register_user(body), 201)


@router.post("/api/auth/login")
def password_login() -> Response[str]:
    _legacy("login")
    body = legacy_auth.parse_login(json_body(router.current_event))
    user, session = legacy_auth.login(body)
    return ok(user, cookies=[session_cookie(session.token, session.expires_at)])


def _legacy(route: str) -> None:
    legacy_auth.ensure_enabled()
    ratelimit.hit(f"{route}:ip:{client_ip(router.current_event)}", SIGN_IN_PER_MINUTE)


# --- helpers ------------------------------------------------------------------------------------------


def _redirect(location: str, cookies: list[Cookie]) -> Response[str]:
    # The mobile Location carries a one-time code: keep it out of Referer headers and caches.
    headers = {"Location": location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
    return Response(status_code=302, body="", headers=headers, cookies=cookies)


def _with_query(url: str, **params: str) -> str:
    parts = urllib.parse.urlsplit(url)
    query = "&".join(q for q in (parts.query, urllib.parse.urlencode(params)) if q)
    return urllib.parse.urlunsplit(parts._replace(query=query))


def _base_path(event: BaseProxyEvent) -> str:
    """What the client's URL has before our route: the stage (`/dev`) on an execute-api URL, or a
    custom domain's base path; empty when the API sits at the root of its domain."""
    context_path = str((event.get("requestContext") or {}).get("path") or "")
    path = event.path or ""
    if path and context_path.endswith(path):
        return context_path[: -len(path)].rstrip("/")
    return ""


def _state_cookie_path(event: BaseProxyEvent) -> str:
    # Sent back only to the auth routes (the callback among them), wherever the API is mounted.
    return _base_path(event) + "/api/auth"


def _callback_url(event: BaseProxyEvent) -> str:
    """BANKID_REDIRECT_URI, or else this API's own callback URL as the client sees it."""
    configured = get_settings().bankid_redirect_uri
    if configured:
        return configured
    headers = event.headers
    proto = (headers.get("x-forwarded-proto") or "https").split(",")[0].strip()
    host = headers.get("host") or str((event.get("requestContext") or {}).get("domainName") or "localhost")
    return f"{proto}://{host}{_base_path(event)}{CALLBACK_PATH}"
