"""`Idempotency-Key` for money-moving POSTs (DESIGN §7).

- The key is claimed (committed at once) before any work; a second request with the key then sees it.
- Same key and same request (route + canonical body) after success → the stored status and body, byte for
  byte, without running the work again. Same key, other request → 422 `idempotency_key_reused`. Same key
  while the first request still runs → 409 `conflict`.
- Only success is remembered, in the same database transaction as the money movement, so a stored
  response always means the money moved and a moved payment always has its response.
- Any failure (4xx or 5xx) releases the key: a refused request changed nothing, so running it again is
  safe and gives the answer that is true now (say, after the bank balance was refreshed). A claim whose
  request died before it could release it is taken over after a few minutes (repositories.idempotency).
- Keys live 24 hours; the outbox sweeper deletes expired ones.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from drop.db import Cursor
from drop.errors import Conflict, ValidationFailed
from drop.http.json import dumps
from drop.observability import logger
from drop.repositories import idempotency as keys_repo

KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, no spaces, at most 255 characters
_CLAIM_ATTEMPTS = 3


@dataclass(frozen=True)
class Outcome:
    """A response as it goes on the wire: status and the exact JSON body."""

    status: int
    body: str
    replayed: bool = False


@dataclass(frozen=True)
class Claim:
    user_id: str
    key: str
    token: datetime


def response_body(data: BaseModel) -> str:
    """The success envelope exactly as `drop.http.envelope.ok` sends it; a replay gets these bytes."""
    return dumps({"data": data})


def check_key(value: str | None) -> str | None:
    if value is None:
        return None
    if not KEY_PATTERN.match(value):
        raise ValidationFailed(
            "Invalid Idempotency-Key header",
            details=[
                {
                    "field": "Idempotency-Key",
                    "message": "must be 1-255 printable ASCII characters without spaces",
                    "type": "idempotency_key",
                }
            ],
        )
    return value


def _canonical(value: Any) -> Any:
    # 2000, 2000.0 and 2000.00 are the same amount, so they are the same request.
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict):
        return {key: _canonical(item) for key, item in value.items()}
    return value


def request_hash(route: str, request: BaseModel) -> str:
    body = _canonical(request.model_dump(by_alias=True, exclude_none=True))
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(f"{route}\n{canonical}".encode()).hexdigest()


def _claim_or_replay(user_id: str, key: str, route: str, digest: str) -> Claim | Outcome:
    for _ in range(_CLAIM_ATTEMPTS):
        token = keys_repo.claim(user_id=user_id, key=key, route=route, request_hash=digest)
        if token is not None:
            return Claim(user_id, key, token)
        existing = keys_repo.find(user_id=user_id, key=key)
        if existing is None:
            continue  # released between our two statements: try to claim it again
        if existing["request_hash"] != digest:
            raise ValidationFailed(
                "This Idempotency-Key was already used for a different request",
                code="idempotency_key_reused",
            )
        if existing["status"] == "completed":
            return Outcome(int(existing["response_status"]), str(existing["response_body"]), replayed=True)
        raise Conflict("A request with this Idempotency-Key is still being processed; retry shortly")
    raise Conflict("A request with this Idempotency-Key is still being processed; retry shortly")


def run(
    *,
    user_id: str,
    key: str | None,
    route: str,
    request: BaseModel,
    work: Callable[[Claim | None], Outcome],
) -> Outcome:
    """Run `work` at most once per key; `work` must call `remember` inside its database transaction."""
    if key is None:
        return work(None)
    claimed = _claim_or_replay(user_id, key, route, request_hash(route, request))
    if isinstance(claimed, Outcome):
        return claimed
    try:
        return work(claimed)
    except BaseException:
        _release(claimed)
        raise


def remember(cur: Cursor, claim: Claim | None, outcome: Outcome) -> None:
    """Store the outcome with the money movement; if the claim was taken over meanwhile, undo it all."""
    if claim is None:
        return
    if not keys_repo.complete(
        cur, user_id=claim.user_id, key=claim.key, token=claim.token, status=outcome.status, body=outcome.body
    ):
        raise Conflict("This Idempotency-Key was taken over by another request")


def _release(claim: Claim) -> None:
    try:
        keys_repo.release(user_id=claim.user_id, key=claim.key, token=claim.token)
    except Exception:  # noqa: BLE001 - the original error matters more; the claim goes stale on its own
        logger.warning("could not release an idempotency key", extra={"user_id": claim.user_id})
