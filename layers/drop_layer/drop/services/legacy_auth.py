"""The OLD e-mail + password endpoints (API.md §11.1 A3/A4), kept behind the flag `legacyPasswordAuth`.

With the flag off (the default) both answer 410 and point to BankID (DESIGN §6.1).
"""

from __future__ import annotations

from functools import cache

import bcrypt
from pydantic import ValidationError

from drop import flags
from drop.db import get_db
from drop.errors import BadRequest, Conflict, Gone, Unauthorized
from drop.http.request import validation_details
from drop.ids import new_id
from drop.models.auth import PASSWORD_MAX_BYTES, LoggedInOut, LoginIn, RegisteredOut, RegisterIn
from drop.repositories import users as users_repo
from drop.services.sessions import IssuedSession, start_session

FLAG = "legacyPasswordAuth"
BCRYPT_COST = 12
GONE_MESSAGE = "Password login was replaced by BankID. Use GET /api/auth/bankid"
INVALID_CREDENTIALS = "Invalid email or password"


def ensure_enabled() -> None:
    if not flags.is_enabled(FLAG):
        raise Gone(GONE_MESSAGE)


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=BCRYPT_COST)).decode()


def register_user(body: RegisterIn) -> RegisteredOut:
    # A cheap look first spares a bcrypt round for the common duplicate; the unique index settles races.
    if users_repo.email_taken(body.email):
        raise Conflict("Email already registered")
    row = users_repo.insert_password_user(
        user_id=new_id("usr"),
        email=body.email,
        password_hash=hash_password(body.password),
        first_name=body.first_name,
        last_name=body.last_name,
        phone=body.phone,
        date_of_birth=body.birth_date,
    )
    if row is None:
        raise Conflict("Email already registered")
    return RegisteredOut.model_validate(row)


def parse_login(data: object) -> LoginIn:
    """The OLD table says 400 (not 422) for a missing e-mail or password."""
    if isinstance(data, dict):
        data = {k: v.strip() if k == "email" and isinstance(v, str) else v for k, v in data.items()}
    try:
        return LoginIn.model_validate(data)
    except ValidationError as exc:
        raise BadRequest("Missing email or password", details=validation_details(exc)) from exc


@cache
def _dummy_hash() -> bytes:
    return bcrypt.hashpw(b"not-a-real-password-0", bcrypt.gensalt(rounds=BCRYPT_COST))


def _password_matches(password: str, stored: str | None) -> bool:
    # Same work whether or not the account exists, so response time does not reveal registered e-mails.
    candidate = password.encode()
    target = stored.encode() if stored else _dummy_hash()
    if len(candidate) > PASSWORD_MAX_BYTES or b"\x00" in candidate:
        bcrypt.checkpw(b"x", target)  # no registered password can be this long; spend the time anyway
        return False
    return bcrypt.checkpw(candidate, target) and stored is not None


def login(body: LoginIn) -> tuple[LoggedInOut, IssuedSession]:
    # Postgres text cannot hold NUL, so no account has such an e-mail; asking would be a DataError (a 500).
    # It is an unknown e-mail like any other: the same bcrypt work, the same 401.
    user = users_repo.find_password_user(body.email) if "\x00" not in body.email else None
    if not _password_matches(body.password, user["password_hash"] if user else None) or user is None:
        raise Unauthorized(INVALID_CREDENTIALS)
    with get_db().transaction() as cur:
        session = start_session(cur, user_id=user["id"], role=user["role"], email=user["email"], client="web")
    return LoggedInOut.model_validate(user), session
