"""Bank accounts as money movement sees them: find the debit account, debit it conditionally, restore it.

`balance` is the last AISP-read balance, cached (API.md §5); these statements keep it in step with what
Drop has initiated, so two payments can never both spend the same krone.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drop.db import Cursor

_COLUMNS = "id, user_id, bank_name, currency, is_primary"


def owned(cur: Cursor, *, user_id: str, account_id: str) -> dict[str, Any] | None:
    cur.execute(f"SELECT {_COLUMNS} FROM bank_accounts WHERE id = %s AND user_id = %s", (account_id, user_id))
    row = cur.fetchone()
    return dict(row) if row else None


def primary(cur: Cursor, *, user_id: str) -> dict[str, Any] | None:
    cur.execute(f"SELECT {_COLUMNS} FROM bank_accounts WHERE user_id = %s AND is_primary", (user_id,))
    row = cur.fetchone()
    return dict(row) if row else None


def debit(cur: Cursor, *, account_id: str, user_id: str, amount: Decimal) -> dict[str, Any] | None:
    """One conditional statement (DESIGN §7): None when the balance does not cover `amount`.

    Concurrent debits queue on the row lock and each re-checks `balance >= amount` against the balance
    the previous one left, so the balance can never go negative and no read-then-write race exists.
    """
    cur.execute(
        "UPDATE bank_accounts SET balance = balance - %(amount)s, balance_updated_at = now()"
        " WHERE id = %(id)s AND user_id = %(user)s AND balance >= %(amount)s"
        " RETURNING id, bank_name, balance",
        {"amount": amount, "id": account_id, "user": user_id},
    )
    row = cur.fetchone()
    return dict(row) if row else None


def restore(cur: Cursor, *, account_id: str, amount: Decimal) -> None:
    """Give back what a payment that failed had debited."""
    cur.execute(
        "UPDATE bank_accounts SET balance = balance + %s, balance_updated_at = now() WHERE id = %s",
        (amount, account_id),
    )
