"""What a signed-in user does with their session: who am I, refresh, log out; and the mobile code exchange."""

from __future__ import annotations

from decimal import Decimal

from drop.auth.context import AuthUser
from drop.auth.tokens import issue_token
from drop.clock import utcnow
from drop.db import get_db
from drop.errors import Unauthorized
from drop.iban import mask_account
from drop.models.auth import BankAccountOut, MeOut
from drop.repositories import auth_flows
from drop.repositories import sessions as sessions_repo
from drop.repositories import users as users_repo
from drop.services.auth import hash_code
from drop.services.sessions import IssuedSession, start_session


def get_me(user_id: str) -> MeOut:
    rows = users_repo.profile_rows(user_id)
    if not rows:  # erased between authentication and this read
        raise Unauthorized("Session is no longer valid")
    user = rows[0]
    accounts = [
        BankAccountOut(
            id=row["account_id"],
            bank_name=row["bank_name"],
            # DESIGN §8: a response never carries a full account number, not even the owner's.
            account_number=mask_account(row["account_number"]),
            balance=row["balance"],
            currency=row["currency"],
            is_primary=row["is_primary"],
        )
        for row in rows
        if row["account_id"] is not None
    ]
    return MeOut(
        id=user["id"],
        email=user["email"],
        first_name=user["first_name"],
        last_name=user["last_name"],
        # The cached AISP balances of the user's own banks, not money Drop holds (API.md §5).
        total_balance=sum((a.balance for a in accounts), Decimal("0.00")),
        bank_accounts=accounts,
        kyc_status=user["kyc_status"],
        created_at=user["created_at"],
    )


def logout(user_id: str) -> None:
    """`revokeAllSessions()`: every token of this user, on every device, stops working at once."""
    with get_db().transaction() as cur:
        sessions_repo.revoke_all(cur, user_id)


def refresh_session(user: AuthUser) -> IssuedSession:
    """A new session of the same kind, and the old one revoked, together or not at all."""
    with get_db().transaction() as cur:
        if sessions_repo.revoke(cur, user.session_id) == 0:
            raise Unauthorized("Session is no longer valid")  # a concurrent refresh or logout won
        return start_session(cur, user_id=user.id, role=user.role, email=user.email, client=user.client)


def exchange_mobile_code(code: str) -> IssuedSession:
    """The 7-day Bearer token for a one-time code from the BankID callback; a code works once."""
    row = auth_flows.consume_code(hash_code(code))
    if row is None:
        raise Unauthorized("The sign-in code is invalid, expired or already used")
    token = issue_token(
        user_id=row["user_id"],
        session_id=row["session_id"],
        role=row["role"],
        email=row["email"],
        issued_at=utcnow(),
        expires_at=row["expires_at"],
    )
    return IssuedSession(
        session_id=row["session_id"], token=token, expires_at=row["expires_at"], client="mobile"
    )
