"""Session tokens: HS256 JWTs (algorithm pinned) whose `sid` names a row in `sessions`.

Web tokens live 24 h in the `drop_token` cookie; mobile Bearer tokens live 7 days (DESIGN §6.2).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from drop.auth.keys import current_key, key_for
from drop.errors import Unauthorized
from drop.ids import looks_like_id

WEB_TTL = timedelta(hours=24)
MOBILE_TTL = timedelta(days=7)
ALGORITHM = "HS256"


@dataclass(frozen=True)
class TokenClaims:
    user_id: str
    session_id: str
    role: str
    expires_at: datetime


def ttl_for(client: str) -> timedelta:
    return MOBILE_TTL if client == "mobile" else WEB_TTL


def issue_token(
    *, user_id: str, session_id: str, role: str, email: str | None, issued_at: datetime, expires_at: datetime
) -> str:
    key = current_key()
    claims: dict[str, Any] = {
        "sub": user_id,
        "userId": user_id,
        "sid": session_id,
        "role": role,
        "email": email,
        "jti": secrets.token_hex(16),
        "iat": int(issued_at.timestamp()),
        "exp": int(expires_at.timestamp()),
    }
    return jwt.encode(claims, key.key, algorithm=ALGORITHM, headers={"kid": key.kid})


def verify_token(token: str) -> TokenClaims:
    try:
        header = jwt.get_unverified_header(token)
        if header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
            raise Unauthorized("Invalid token")
        key = key_for(header["kid"])
        claims = jwt.decode(
            token,
            key.key,
            algorithms=[ALGORITHM],
            options={"require": ["exp", "iat", "jti", "sid", "sub"]},
        )
    except jwt.PyJWTError as exc:
        raise Unauthorized("Invalid or expired token") from exc
    # Only a holder of the key can get here with odd claims, but they must still fail as a 401, not a 500:
    # `sid`/`sub` go into SQL (Postgres refuses NUL and lone surrogates) and `exp` into a datetime.
    if not _is_id(claims.get("sid"), "ses") or not _is_id(claims.get("sub"), "usr"):
        raise Unauthorized("Invalid token")
    try:
        expires_at = datetime.fromtimestamp(int(claims["exp"]), UTC)
    except (OverflowError, OSError, ValueError) as exc:  # a year past 9999
        raise Unauthorized("Invalid token") from exc
    return TokenClaims(
        user_id=claims["sub"],
        session_id=claims["sid"],
        role=str(claims.get("role", "user")),
        expires_at=expires_at,
    )


def _is_id(value: Any, prefix: str) -> bool:
    return isinstance(value, str) and looks_like_id(value, prefix)
