"""The one authentication step for every protected route: cookie or Bearer → a live session's user."""

from __future__ import annotations

from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie

from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent

from drop.auth.tokens import verify_token
from drop.errors import Unauthorized
from drop.repositories import sessions

COOKIE_NAME = "drop_token"


@dataclass(frozen=True)
class AuthUser:
    id: str
    email: str | None
    first_name: str
    last_name: str
    role: str
    kyc_status: str
    session_id: str
    client: str


def _cookie_token(event: BaseProxyEvent) -> str | None:
    header = event.headers.get("cookie") or event.headers.get("Cookie")
    if not header:
        return None
    try:
        jar = SimpleCookie()
        jar.load(header)
    except CookieError:
        return None
    morsel = jar.get(COOKIE_NAME)
    return morsel.value if morsel and morsel.value else None


def token_from(event: BaseProxyEvent) -> str | None:
    authorization = event.headers.get("authorization") or event.headers.get("Authorization") or ""
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return _cookie_token(event)


def authenticate(event: BaseProxyEvent) -> AuthUser:
    token = token_from(event)
    if not token:
        raise Unauthorized("Authentication required")
    claims = verify_token(token)
    row = sessions.active_user(claims.session_id, claims.user_id)
    if row is None:
        raise Unauthorized("Session is no longer valid")
    return AuthUser(
        id=row["id"],
        email=row["email"],
        first_name=row["first_name"],
        last_name=row["last_name"],
        role=row["role"],
        kyc_status=row["kyc_status"],
        session_id=row["session_id"],
        client=row["client"],
    )
