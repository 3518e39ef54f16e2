"""The JWT signing key from Secrets Manager: `{"kid", "key"}`; AWSPREVIOUS stays valid after a rotation."""

from __future__ import annotations

from dataclasses import dataclass

from drop.errors import Unauthorized
from drop.secrets import get_secret_json
from drop.settings import get_settings


@dataclass(frozen=True)
class SigningKey:
    kid: str
    key: bytes


def _load(stage: str) -> SigningKey | None:
    arn = get_settings().jwt_secret_arn
    if not arn:
        raise RuntimeError("JWT_SECRET_ARN is not set")
    try:
        value = get_secret_json(arn, stage)
    except Exception:
        if stage == "AWSCURRENT":
            raise
        return None
    return SigningKey(kid=str(value["kid"]), key=str(value["key"]).encode())


def current_key() -> SigningKey:
    key = _load("AWSCURRENT")
    assert key is not None
    return key


def key_for(kid: str) -> SigningKey:
    current = current_key()
    if kid == current.kid:
        return current
    previous = _load("AWSPREVIOUS")
    if previous is not None and previous.kid == kid:
        return previous
    raise Unauthorized("Invalid token")
