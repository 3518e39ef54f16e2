"""Account information (PSD2 AISP) behind a small Protocol, and the sandbox that plays it locally.

At sign-in Drop reads the person's accounts and balances from their own bank; `bank_accounts.balance`
is that reading, cached for display and for the pass-through debit check (API.md §5).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from drop.adapters import sandbox_persons as persons


@dataclass(frozen=True)
class AccountSnapshot:
    bank_name: str
    account_number: str
    balance: Decimal
    currency: str
    is_primary: bool


class AispAdapter(Protocol):
    def accounts_for(self, bankid_altsub: str) -> list[AccountSnapshot]:
        """The person's payment accounts with their current balances (empty when they have none)."""
        ...


def _account(bank: str, number: str, balance: str, primary: bool = False) -> AccountSnapshot:
    return AccountSnapshot(bank, number, Decimal(balance), "NOK", primary)


SANDBOX_ACCOUNTS: dict[str, tuple[AccountSnapshot, ...]] = {
    persons.APPROVED: (
        _account("DNB", "1234.56.78901", "45230.00", primary=True),
        _account("SpareBank 1", "4321.65.10987", "12800.00"),
    ),
    persons.PENDING: (_account("Nordea", "6012.34.56789", "2000.00", primary=True),),
    persons.REJECTED: (_account("Handelsbanken", "9050.11.22334", "150.00", primary=True),),
    persons.NO_ACCOUNT: (),
    persons.APPROVED_2: (_account("DNB", "1503.22.44556", "1500.00", primary=True),),
}


class SandboxAisp:
    """Fixed accounts for the BankID test persons; nobody else has any."""

    def accounts_for(self, bankid_altsub: str) -> list[AccountSnapshot]:
        return list(SANDBOX_ACCOUNTS.get(bankid_altsub, ()))


_adapter: AispAdapter | None = None


def get_aisp() -> AispAdapter:
    # Only the sandbox exists until an AISP partner is contracted; the Protocol is the seam for it.
    global _adapter
    if _adapter is None:
        _adapter = SandboxAisp()
    return _adapter


def use_aisp(adapter: AispAdapter | None) -> None:
    """Swap the adapter (tests inject a fake; None goes back to the sandbox)."""
    global _adapter
    _adapter = adapter
