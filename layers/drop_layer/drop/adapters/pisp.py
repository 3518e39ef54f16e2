"""Payment initiation (PSD2 PISP) behind a small Protocol, and the sandbox that plays the PISP locally.

The settlement worker is the only caller. A real PISP deduplicates on the end-to-end id, so initiating the
same transaction twice (a redelivered message after a lost commit) returns the first payment, not a second.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class PaymentOrder:
    end_to_end_id: str  # our transaction id: the PISP's idempotency key for this payment
    debtor_account: str
    creditor_iban: str
    creditor_name: str
    amount: Decimal
    currency: str


@dataclass(frozen=True)
class PaymentAccepted:
    payment_id: str


class PaymentRejected(Exception):
    """The PISP (or the bank behind it) refused the payment for good: it will never succeed as is."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PispUnavailable(Exception):
    """A transient failure (timeout, 5xx, maintenance): the same payment may succeed if tried again."""


class PaymentInitiation(Protocol):
    def initiate(self, order: PaymentOrder) -> PaymentAccepted: ...


# Sandbox behaviour, by the recipient's IBAN (documented in the README):
#   last four digits 0000   → rejected ("account closed"), e.g. RS20260005601001610000
#   one of REJECTED_IBANS   → rejected with the listed reason
#   last four digits 9999   → PispUnavailable on every try (a poison message), e.g. RS95260005601001619999
#   anything else           → accepted, with a payment id derived from the transaction id
CLOSED_ACCOUNT_SUFFIX = "0000"
UNAVAILABLE_SUFFIX = "9999"
REJECTED_IBANS: dict[str, str] = {
    "RS98908500010000666666": "Beneficiary bank refused the payment (sanctions screening)",
    "TR860001000000000000666666": "Beneficiary bank refused the payment (sanctions screening)",
    "RS75160005080000123456": "Beneficiary name does not match the account holder",
}


class SandboxPisp:
    """Deterministic: the same order always gets the same answer and the same payment id."""

    def initiate(self, order: PaymentOrder) -> PaymentAccepted:
        iban = "".join(order.creditor_iban.split()).upper()
        if iban.endswith(UNAVAILABLE_SUFFIX):
            raise PispUnavailable("sandbox PISP: temporarily unavailable for this account")
        if iban in REJECTED_IBANS:
            raise PaymentRejected(REJECTED_IBANS[iban])
        if iban.endswith(CLOSED_ACCOUNT_SUFFIX):
            raise PaymentRejected("Beneficiary account is closed")
        digest = hashlib.sha256(order.end_to_end_id.encode()).hexdigest()[:16]
        return PaymentAccepted(payment_id=f"pisp_{digest}")


_pisp: PaymentInitiation | None = None
_lock = threading.Lock()


def get_pisp() -> PaymentInitiation:
    # Only the sandbox exists until a PISP partner is contracted; its adapter will be chosen here.
    global _pisp
    if _pisp is None:
        with _lock:
            if _pisp is None:
                _pisp = SandboxPisp()
    return _pisp


def use_pisp(adapter: PaymentInitiation | None) -> None:
    """Swap the adapter (tests); None goes back to the default."""
    global _pisp
    with _lock:
        _pisp = adapter
