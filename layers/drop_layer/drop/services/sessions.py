"""Start and end sessions. A token is only ever issued together with its session row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drop.auth.tokens import issue_token, ttl_for
from drop.clock import utcnow
from drop.db import Cursor
from drop.ids import new_id
from drop.repositories import sessions as sessions_repo


@dataclass(frozen=True)
class IssuedSession:
    session_id: str
    token: str
    expires_at: datetime
    client: str


def start_session(cur: Cursor, *, user_id: str, role: str, email: str | None, client: str) -> IssuedSession:
    """Insert the session row and sign its token, inside the caller's transaction."""
    now = utcnow()
    expires_at = now + ttl_for(client)
    session_id = new_id("ses")
    sessions_repo.create(cur, session_id=session_id, user_id=user_id, client=client, expires_at=expires_at)
    token = issue_token(
        user_id=user_id, session_id=session_id, role=role, email=email, issued_at=now, expires_at=expires_at
    )
    return IssuedSession(session_id=session_id, token=token, expires_at=expires_at, client=client)
