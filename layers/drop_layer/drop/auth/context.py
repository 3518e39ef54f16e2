"""The one authentication step for every protected route: cookie or Bearer → a live session's user."""

from __future__ import annotations

from dataclasses import dataclass

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
    via: str = "cookie"  # how the token came: "cookie" or "bearer"


def cookie_value(event: BaseProxyEvent, name: str) -> str | None:
    """One cookie from the request, or None.

    Parsed by hand: `http.cookies.SimpleCookie` silently drops every cookie once it meets one it
    dislikes (a space, a quote, a non-ASCII byte set by some other app on the domain).
    """
    multi = {k.lower(): v for k, v in (event.get("multiValueHeaders") or {}).items()}
    headers = multi.get("cookie") or [event.headers.get("cookie") or ""]
    for header in headers:
        for pair in (header or "").split(";"):
            key, sep, value = pair.partition("=")
            if sep and key.strip() == name:
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] == '"':
                    value = value[1:-1]
                if value:
                    return value
    return None


def credential_from(event: BaseProxyEvent) -> tuple[str, str] | None:
    """("bearer" | "cookie", token): an Authorization Bearer header wins over the cookie."""
    authorization = event.headers.get("authorization") or ""
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return "bearer", value.strip()
    token = cookie_value(event, COOKIE_NAME)
    return ("cookie", token) if token else None


def token_from(event: BaseProxyEvent) -> str | None:
    credential = credential_from(event)
    return credential[1] if credential else None


def authenticate(event: BaseProxyEvent) -> AuthUser:
    credential = credential_from(event)
    if credential is None:
        raise Unauthorized("Authentication required")
    via, token = credential
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
        via=via,
    )
