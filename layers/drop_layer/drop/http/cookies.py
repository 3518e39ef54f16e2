"""The `drop_token` cookie: HttpOnly, Secure (configurable for plain-HTTP local dev), SameSite=Lax."""

from __future__ import annotations

from datetime import datetime

from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from drop.auth.context import COOKIE_NAME
from drop.clock import utcnow
from drop.settings import get_settings


def make_cookie(name: str, value: str, *, max_age: int, path: str = "/") -> Cookie:
    return Cookie(
        name=name,
        value=value,
        path=path,
        secure=get_settings().cookie_secure,
        http_only=True,
        max_age=max_age,
        same_site=SameSite.LAX_MODE,
    )


def session_cookie(token: str, expires_at: datetime) -> Cookie:
    # Rounded, not truncated: a token issued a few ms ago still has its full 24 h (Max-Age=86400).
    return make_cookie(COOKIE_NAME, token, max_age=max(0, round((expires_at - utcnow()).total_seconds())))


def cleared_cookie(name: str = COOKIE_NAME) -> Cookie:
    return make_cookie(name, "", max_age=0)
