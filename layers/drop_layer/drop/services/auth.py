"""Sign in with BankID (DESIGN §6.1-6.3): start the OIDC flow, finish it in the callback.

The callback checks everything before it writes anything: state (cookie and server-side flow, single
use), the code exchange, the ID token. Then one transaction creates or refreshes the user, links the
bank accounts the AISP reports, and starts the session, so a failure at any step leaves no user and no
session behind. Provider trouble is logged with its reason; the client only learns that sign-in failed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from drop.adapters.aisp import get_aisp
from drop.adapters.screening import ScreeningSubject, get_screening
from drop.auth.oidc import OidcClient, OidcConfig, OidcError, new_pkce_pair, random_value
from drop.auth.tokens import MOBILE_TTL
from drop.clock import utcnow
from drop.db import Cursor, get_db
from drop.errors import BadRequest, DomainError, ServiceUnavailable, Unauthorized
from drop.ids import new_id
from drop.observability import logger
from drop.repositories import auth_flows
from drop.repositories import sessions as sessions_repo
from drop.repositories import users as users_repo
from drop.services.sessions import IssuedSession, start_session
from drop.validation import validate_name

FLOW_TTL = timedelta(minutes=10)
MOBILE_CODE_TTL = timedelta(seconds=60)
_OPAQUE = re.compile(r"^[\x21-\x7e]{1,2048}$")  # RFC 6749 VSCHAR without the space, bounded
_ERROR_CODE = re.compile(r"^[a-z_]{1,64}$")
SIGN_IN_FAILED = "BankID sign-in failed. Please start again."


class AccountDeleted(DomainError):
    status, code, default_message = 403, "account_deleted", "This Drop account was deleted and cannot sign in"


@dataclass(frozen=True)
class LoginStart:
    redirect_url: str
    state: str
    max_age: int  # seconds the state cookie (and the flow) live


@dataclass(frozen=True)
class BankIdIdentity:
    altsub: str
    first_name: str
    last_name: str
    birthdate: date | None


@dataclass(frozen=True)
class SignedIn:
    """Web: a session with its token for the cookie. Mobile: a one-time code for the app's deep link."""

    platform: str
    session: IssuedSession | None = None
    mobile_code: str | None = None


def _client() -> OidcClient:
    return OidcClient(OidcConfig.from_settings())


def start_bankid_login(platform: str, redirect_uri: str) -> LoginStart:
    state, nonce = random_value(), random_value()
    verifier, challenge = new_pkce_pair()
    try:
        url = _client().authorization_url(
            state=state, nonce=nonce, code_challenge=challenge, redirect_uri=redirect_uri
        )
    except OidcError as exc:
        logger.warning("BankID unavailable", extra={"reason": str(exc)})
        raise ServiceUnavailable("BankID is temporarily unavailable. Please try again later.") from exc
    auth_flows.create_flow(
        state=state,
        nonce=nonce,
        code_verifier=verifier,
        platform=platform,
        expires_at=utcnow() + FLOW_TTL,
    )
    return LoginStart(redirect_url=url, state=state, max_age=int(FLOW_TTL.total_seconds()))


def complete_bankid_login(
    query: Mapping[str, Sequence[str]], cookie_state: str | None, redirect_uri: str
) -> SignedIn:
    code, state = _read_callback(query)
    if cookie_state is None or not hmac.compare_digest(cookie_state.encode(), state.encode()):
        raise BadRequest("The sign-in state does not match this browser. Please start again.")
    flow = auth_flows.consume_flow(state)
    if flow is None:
        raise BadRequest("This sign-in has expired or was already used. Please start again.")

    client = _client_for_callback()
    returned_issuers = query.get("iss") or []
    if any(iss.rstrip("/") != client.config.issuer.rstrip("/") for iss in returned_issuers):
        # RFC 9207: a response naming another issuer is a mix-up attempt; never send it our code verifier.
        raise Unauthorized(SIGN_IN_FAILED)
    try:
        id_token = client.exchange_code(
            code=code, code_verifier=flow["code_verifier"], redirect_uri=redirect_uri
        )
        claims = client.verify_id_token(id_token, nonce=flow["nonce"])
    except OidcError as exc:
        logger.warning("BankID sign-in rejected", extra={"reason": str(exc)})
        raise Unauthorized(SIGN_IN_FAILED) from exc
    identity = identity_from_claims(claims)

    existing = users_repo.find_by_altsub(identity.altsub, erased_altsub(identity.altsub))
    if existing is not None and existing["deleted_at"] is not None:
        raise AccountDeleted()
    kyc_status = get_screening().screen(
        ScreeningSubject(identity.altsub, identity.first_name, identity.last_name, identity.birthdate)
    )
    accounts = linked_accounts(identity.altsub)

    with get_db().transaction() as cur:
        user = enroll(cur, identity, kyc_status, accounts)
        if flow["platform"] == "web":
            session = start_session(
                cur, user_id=user["id"], role=user["role"], email=user["email"], client="web"
            )
            return SignedIn("web", session=session)
        return SignedIn("mobile", mobile_code=_mobile_code(cur, user["id"]))


def enroll(
    cur: Cursor, identity: BankIdIdentity, kyc_status: str, accounts: list[dict[str, Any]]
) -> dict[str, Any]:
    """Create or refresh the person and their linked accounts, inside the caller's transaction."""
    user = users_repo.upsert_bankid_user(
        cur,
        user_id=new_id("usr"),
        altsub=identity.altsub,
        first_name=identity.first_name,
        last_name=identity.last_name,
        birthdate=identity.birthdate,
        kyc_status=kyc_status,
    )
    if user is None:
        raise AccountDeleted()
    users_repo.link_bank_accounts(cur, user["id"], accounts)
    return user


def _client_for_callback() -> OidcClient:
    try:
        return _client()
    except OidcError as exc:
        logger.warning("BankID is not configured", extra={"reason": str(exc)})
        raise Unauthorized(SIGN_IN_FAILED) from exc


def _read_callback(query: Mapping[str, Sequence[str]]) -> tuple[str, str]:
    def one(name: str) -> str | None:
        values = query.get(name) or []
        if len(values) > 1:  # parameter pollution: never guess which one the provider meant
            raise BadRequest(f"Query parameter {name!r} was given more than once")
        return values[0] if values else None

    error = one("error")
    if error is not None:
        reason = error if _ERROR_CODE.fullmatch(error) else "unknown_error"
        raise BadRequest(f"BankID sign-in was not completed ({reason})")
    code, state = one("code"), one("state")
    if not code or not state:
        raise BadRequest("Query parameters 'code' and 'state' are required")
    if not _OPAQUE.fullmatch(code) or not _OPAQUE.fullmatch(state):
        raise BadRequest("Query parameters 'code' and 'state' are malformed")
    return code, state


def identity_from_claims(claims: Mapping[str, Any]) -> BankIdIdentity:
    """The person BankID vouches for. Names are validated like any other name (validateName())."""
    altsub = claims.get("bankid_altsub")
    if not isinstance(altsub, str) or not altsub.strip() or len(altsub) > 200:
        logger.warning("BankID ID token has no usable bankid_altsub")
        raise Unauthorized(SIGN_IN_FAILED)
    try:
        first_name = validate_name(_text(claims.get("given_name")))
        last_name = validate_name(_text(claims.get("family_name")))
        birthdate = _birthdate(claims.get("birthdate"))
    except ValueError as exc:
        logger.warning("BankID identity claims are unusable", extra={"reason": str(exc)})
        raise Unauthorized(SIGN_IN_FAILED) from exc
    return BankIdIdentity(altsub.strip(), first_name, last_name, birthdate)


def erased_altsub(altsub: str) -> str:
    """The key an erased user keeps (a hash, not the identifier), so an erased person is still recognised."""
    return "erased:" + hashlib.sha256(altsub.encode()).hexdigest()


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("name claim is missing")
    return value


def _birthdate(value: Any) -> date | None:
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("birthdate is not YYYY-MM-DD")
    born = date.fromisoformat(value)
    if born >= utcnow().date():
        raise ValueError("birthdate is not in the past")
    return born


def linked_accounts(altsub: str) -> list[dict[str, Any]]:
    """The AISP's reading of the person's accounts, as rows to link (exactly one primary)."""
    snapshots = get_aisp().accounts_for(altsub)
    primary = next((s.account_number for s in snapshots if s.is_primary), None)
    if primary is None and snapshots:
        primary = snapshots[0].account_number  # the AISP named none: the first account is the default
    return [
        {
            "id": new_id("ba"),
            "bank_name": s.bank_name,
            "account_number": s.account_number,
            "balance": s.balance,
            "currency": s.currency,
            "is_primary": s.account_number == primary,
        }
        for s in snapshots
    ]


def _mobile_code(cur: Cursor, user_id: str) -> str:
    """A mobile session whose token is only handed out for this one-time code (never in a URL)."""
    session_id = new_id("ses")
    sessions_repo.create(
        cur, session_id=session_id, user_id=user_id, client="mobile", expires_at=utcnow() + MOBILE_TTL
    )
    code = random_value()
    auth_flows.create_code(
        cur, code_hash=hash_code(code), session_id=session_id, expires_at=utcnow() + MOBILE_CODE_TTL
    )
    return code


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()
