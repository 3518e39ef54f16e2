"""Make users, bank accounts and signed-in sessions directly in the test database."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from drop.db import get_db
from drop.ids import new_id
from drop.services.sessions import start_session


@dataclass
class TestUser:
    id: str
    role: str
    kyc_status: str
    first_name: str
    last_name: str
    email: str | None
    account_ids: list[str] = field(default_factory=list)
    token: str = ""
    session_id: str = ""

    @property
    def cookie(self) -> dict[str, str]:
        return {"Cookie": f"drop_token={self.token}"}

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_user(
    *,
    kyc_status: str = "approved",
    role: str = "user",
    first_name: str = "Amir",
    last_name: str = "Bašić",
    email: str | None = None,
    balances: tuple[Decimal | str, ...] = (Decimal("45230.00"),),
    client: str = "web",
    signed_in: bool = True,
) -> TestUser:
    """A user with one bank account per balance (the first is primary), signed in unless told not to."""
    user_id = new_id("usr")
    email = email or f"{user_id}@example.test"
    user = TestUser(user_id, role, kyc_status, first_name, last_name, email)
    with get_db().transaction() as cur:
        cur.execute(
            "INSERT INTO users (id, bankid_altsub, email, first_name, last_name, date_of_birth,"
            " kyc_status, role) VALUES (%s, %s, %s, %s, %s, '1990-01-01', %s, %s)",
            (user_id, f"altsub-{user_id}", email, first_name, last_name, kyc_status, role),
        )
        for index, balance in enumerate(balances):
            account_id = new_id("ba")
            cur.execute(
                "INSERT INTO bank_accounts (id, user_id, bank_name, account_number, balance, is_primary)"
                " VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    account_id,
                    user_id,
                    "DNB" if index == 0 else "SpareBank 1",
                    f"1234.56.{78901 + index}",
                    Decimal(balance),
                    index == 0,
                ),
            )
            user.account_ids.append(account_id)
        if signed_in:
            issued = start_session(cur, user_id=user_id, role=role, email=email, client=client)
            user.token, user.session_id = issued.token, issued.session_id
    return user


def balance_of(account_id: str) -> Decimal:
    row = get_db().fetch_one("SELECT balance FROM bank_accounts WHERE id = %s", (account_id,))
    assert row is not None
    return Decimal(row["balance"])
