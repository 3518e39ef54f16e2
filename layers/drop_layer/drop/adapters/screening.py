"""KYC screening (sanctions / PEP / identity checks) behind a small Protocol, and its sandbox.

BankID proves who the person is; screening decides whether Drop may serve them: `approved`, `pending`
(manual review) or `rejected`. Remittance needs `approved` (DESIGN §6.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

from drop.adapters import sandbox_persons as persons

KycStatus = Literal["pending", "approved", "rejected"]


@dataclass(frozen=True)
class ScreeningSubject:
    bankid_altsub: str
    first_name: str
    last_name: str
    birthdate: date | None


class ScreeningAdapter(Protocol):
    def screen(self, subject: ScreeningSubject) -> KycStatus: ...


SANDBOX_OUTCOMES: dict[str, KycStatus] = {
    persons.APPROVED: "approved",
    persons.PENDING: "pending",
    persons.REJECTED: "rejected",
    persons.NO_ACCOUNT: "approved",
    persons.APPROVED_2: "approved",
}


class SandboxScreening:
    """Scripted outcomes for the test persons; anyone else screens clean (no list hit)."""

    def screen(self, subject: ScreeningSubject) -> KycStatus:
        return SANDBOX_OUTCOMES.get(subject.bankid_altsub, "approved")


_adapter: ScreeningAdapter | None = None


def get_screening() -> ScreeningAdapter:
    global _adapter
    if _adapter is None:
        _adapter = SandboxScreening()
    return _adapter


def use_screening(adapter: ScreeningAdapter | None) -> None:
    """Swap the adapter (tests inject a fake; None goes back to the sandbox)."""
    global _adapter
    _adapter = adapter
