"""Make merchants and the QR payments they received directly in the test database.

`add_qr_payment` writes a completed `qr_payment` row the way the QR-payment service stores one (fee 1 %,
the merchant's), bumps the merchant's "qr_payments" counter and the payer's transaction counters, and
leaves balances alone: it is dashboard and list data, not a payment.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from drop.db import get_db
from drop.ids import new_id
from drop.money import QR_FEE_PERCENT, qr_fee
from drop.norway import ACCOUNT_NUMBER_WEIGHTS, ORG_NUMBER_WEIGHTS, mod11_check_digit
from drop.repositories import counters
from tests.support.users import TestUser, make_user


@dataclass
class TestMerchant:
    id: str
    user: TestUser
    business_name: str
    org_number: str
    address: str | None
    bank_account: str


def _with_check_digit(length: int, weights: tuple[int, ...], first: str = "") -> str:
    """A random number of `length` digits whose last digit is its mod-11 check digit."""
    while True:
        body = first + "".join(secrets.choice("0123456789") for _ in range(length - 1 - len(first)))
        check = mod11_check_digit(body, weights)
        if check is not None:
            return body + str(check)


def valid_org_number() -> str:
    # Real organisation numbers start with 8 or 9; these do too.
    return _with_check_digit(9, ORG_NUMBER_WEIGHTS, first="9")


def valid_account_number() -> str:
    digits = _with_check_digit(11, ACCOUNT_NUMBER_WEIGHTS)
    return f"{digits[:4]}.{digits[4:6]}.{digits[6:]}"


def make_merchant(
    user: TestUser | None = None,
    *,
    business_name: str = "Ahmetov Kebab",
    org_number: str | None = None,
    address: str | None = "Storgata 1, 0155 Oslo",
) -> TestMerchant:
    """A registered merchant (merchants row + users.role = 'merchant'), owned by `user` or a new user."""
    user = user or make_user()
    merchant = TestMerchant(
        new_id("mer"), user, business_name, org_number or valid_org_number(), address, valid_account_number()
    )
    with get_db().transaction() as cur:
        cur.execute(
            "INSERT INTO merchants (id, user_id, business_name, org_number, address, bank_account)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (merchant.id, user.id, business_name, merchant.org_number, address, merchant.bank_account),
        )
        cur.execute("UPDATE users SET role = 'merchant' WHERE id = %s", (user.id,))
    user.role = "merchant"
    return merchant


def add_qr_payment(
    merchant: TestMerchant,
    customer: TestUser,
    amount: Decimal | str,
    *,
    created_at: datetime | None = None,
    status: str = "completed",
) -> str:
    """Insert one QR payment from `customer` to `merchant`; `created_at` defaults to the database's now()."""
    amount = Decimal(amount)
    fee = qr_fee(amount)
    transaction_id = new_id("tx_qr")
    with get_db().transaction() as cur:
        cur.execute(
            """
            INSERT INTO transactions (id, user_id, type, status, send_amount, send_currency, fee, fee_percent,
                total, debited_amount, merchant_id, merchant_name, bank_account_id, from_account, eta,
                created_at, completed_at)
            VALUES (%(id)s, %(user)s, 'qr_payment', %(status)s, %(amount)s, 'NOK', %(fee)s, %(fee_percent)s,
                %(amount)s, %(amount)s, %(merchant)s, %(merchant_name)s, %(account)s, 'DNB', 'Instant',
                COALESCE(%(created_at)s, now()),
                CASE WHEN %(status)s = 'completed' THEN COALESCE(%(created_at)s, now()) END)
            """,
            {
                "id": transaction_id,
                "user": customer.id,
                "status": status,
                "amount": amount,
                "fee": fee,
                "fee_percent": QR_FEE_PERCENT,
                "merchant": merchant.id,
                "merchant_name": merchant.business_name,
                "account": customer.account_ids[0],
                "created_at": created_at,
            },
        )
        counters.bump(cur, merchant.id, ["qr_payments"], 1)
        counters.bump(
            cur,
            customer.id,
            ["tx", "tx:type:qr_payment", f"tx:status:{status}", f"tx:qr_payment:{status}"],
            1,
        )
    return transaction_id
