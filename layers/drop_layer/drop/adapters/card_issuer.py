"""The card issuing partner behind a small Protocol, and the sandbox that plays it until one is signed.

Drop stores no PAN and no CVV (DESIGN §6.11): the issuer keeps them and hands back an opaque token and the
last four digits. Not even the sandbox makes up a full card number, so none can leak from here.
"""

from __future__ import annotations

import re
import secrets
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

from drop.clock import utcnow

CARD_VALIDITY_YEARS = 3
_PIN = re.compile(r"[0-9]{4}")


class IssuerError(Exception):
    """The issuer refused or could not be reached; nothing was changed on its side."""


@dataclass(frozen=True)
class IssuedCard:
    # The token is kept out of repr so an accidental log line cannot carry it.
    token: str = field(repr=False)
    last4: str
    expiry_month: int
    expiry_year: int


class CardIssuer(Protocol):
    def issue_card(self, user_id: str, card_type: str) -> IssuedCard: ...

    def order_physical(self, token: str, address: str) -> None: ...

    def set_pin(self, token: str, pin: str) -> None: ...

    def set_spending_limit(self, token: str, limit_type: str, amount: Decimal) -> None: ...

    def freeze(self, token: str) -> None: ...

    def unfreeze(self, token: str) -> None: ...

    def cancel(self, token: str) -> None: ...


@dataclass
class _SandboxCard:
    status: str = "active"
    physical_address: str | None = None
    has_pin: bool = False
    limits: dict[str, Decimal] = field(default_factory=dict)


class SandboxCardIssuer:
    """An in-memory issuer. Every operation is idempotent, as a real issuer's API is.

    Tokens it did not issue itself are accepted: each Lambda container has its own sandbox, so a card
    issued in one container is unknown to the next.
    """

    TOKEN_PREFIX = "ic_sandbox_"  # noqa: S105 - a token prefix, not a secret

    def __init__(self) -> None:
        self.cards: dict[str, _SandboxCard] = {}
        self._lock = threading.Lock()

    def _card(self, token: str) -> _SandboxCard:
        if not token.startswith(self.TOKEN_PREFIX):
            raise IssuerError("unknown card token")
        with self._lock:
            return self.cards.setdefault(token, _SandboxCard())

    def issue_card(self, user_id: str, card_type: str) -> IssuedCard:
        if card_type not in ("virtual", "physical"):
            raise IssuerError(f"unsupported card type {card_type!r}")
        now = utcnow()
        token = self.TOKEN_PREFIX + secrets.token_hex(12)
        with self._lock:
            self.cards[token] = _SandboxCard()
        return IssuedCard(
            token=token,
            last4=f"{secrets.randbelow(10_000):04d}",
            expiry_month=now.month,
            expiry_year=now.year + CARD_VALIDITY_YEARS,
        )

    def order_physical(self, token: str, address: str) -> None:
        card = self._card(token)
        if card.status == "cancelled":
            raise IssuerError("card is cancelled")
        card.physical_address = address

    def set_pin(self, token: str, pin: str) -> None:
        if not _PIN.fullmatch(pin):
            raise IssuerError("PIN must be four digits")
        # Only the fact is kept: even a sandbox has no business holding PINs.
        self._card(token).has_pin = True

    def set_spending_limit(self, token: str, limit_type: str, amount: Decimal) -> None:
        if amount <= 0:
            raise IssuerError("limit must be positive")
        self._card(token).limits[limit_type] = amount

    def freeze(self, token: str) -> None:
        self._set_status(token, "frozen")

    def unfreeze(self, token: str) -> None:
        self._set_status(token, "active")

    def cancel(self, token: str) -> None:
        self._card(token).status = "cancelled"

    def _set_status(self, token: str, status: str) -> None:
        card = self._card(token)
        if card.status == "cancelled":
            raise IssuerError("card is cancelled")
        card.status = status


_issuer: CardIssuer | None = None


def get_issuer() -> CardIssuer:
    """The configured issuer. Only the sandbox exists until a partner is signed (API.md §7)."""
    global _issuer
    if _issuer is None:
        _issuer = SandboxCardIssuer()
    return _issuer


def use_issuer(issuer: CardIssuer | None) -> None:
    """Swap the issuer (tests inject fakes; None goes back to the default)."""
    global _issuer
    _issuer = issuer
