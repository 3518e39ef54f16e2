"""QR payments to merchants: instant, so the debit, the completed transaction, its history event, the
counters and the payer's notification all commit together."""

from __future__ import annotations

from typing import Any

from drop.auth.context import AuthUser
from drop.db import get_db
from drop.errors import NotFound, PaymentRequired, ValidationFailed
from drop.ids import new_id
from drop.models.transactions import QrPaymentIn, QrPaymentOut
from drop.money import QR_FEE_PERCENT, SEND_CURRENCY, qr_fee, to_ore
from drop.repositories import bank_accounts, counters, notifications
from drop.repositories import transactions as tx_repo
from drop.services import idempotency
from drop.services.remittance import debit_account

ROUTE = "POST /api/transactions/qr-payment"


def create_qr_payment(
    user: AuthUser, request: QrPaymentIn, idempotency_key: str | None
) -> idempotency.Outcome:
    return idempotency.run(
        user_id=user.id,
        key=idempotency_key,
        route=ROUTE,
        request=request,
        work=lambda claim: _create(user, request, claim),
    )


def _create(user: AuthUser, request: QrPaymentIn, claim: idempotency.Claim | None) -> idempotency.Outcome:
    amount = to_ore(request.amount)
    with get_db().transaction() as cur:
        merchant = tx_repo.merchant_for_payment(cur, request.merchant_id)
        if merchant is None:
            raise NotFound("Merchant not found")
        if merchant["user_id"] == user.id:
            raise ValidationFailed("You cannot pay your own merchant account")
        account = debit_account(cur, user.id, None)  # the spec's QR payment always uses the primary account
        # DESIGN §6.8: the customer is debited `amount` only; the 1 % fee is recorded as the merchant's
        # (its dashboard shows netRevenue = revenue - fees).
        if bank_accounts.debit(cur, account_id=account["id"], user_id=user.id, amount=amount) is None:
            raise PaymentRequired("The account balance does not cover the amount")
        tx = tx_repo.insert_new(
            cur,
            {
                "id": new_id("tx_qr"),
                "user_id": user.id,
                "type": "qr_payment",
                "status": "completed",
                "send_amount": amount,
                "send_currency": SEND_CURRENCY,
                "fee": qr_fee(amount),
                "fee_percent": QR_FEE_PERCENT,
                "total": amount,
                "debited_amount": amount,
                "merchant_id": merchant["id"],
                "merchant_name": merchant["business_name"],
                "bank_account_id": account["id"],
                "from_account": account["bank_name"],
            },
        )
        counters.bump(cur, merchant["id"], ["qr_payments"], 1)
        notifications.insert(
            cur,
            user_id=user.id,
            type="payment",
            title="Payment completed",
            body=f"You paid {tx['send_amount']} {SEND_CURRENCY} to {tx['merchant_name']}.",
        )
        outcome = idempotency.Outcome(201, idempotency.response_body(_out(tx)))
        idempotency.remember(cur, claim, outcome)
    return outcome


def _out(tx: dict[str, Any]) -> QrPaymentOut:
    return QrPaymentOut(
        id=tx["id"],
        status=tx["status"],
        amount=tx["send_amount"],
        currency=tx["send_currency"],
        fee=tx["fee"],
        fee_percent=QR_FEE_PERCENT,
        merchant_name=tx["merchant_name"],
        merchant_id=tx["merchant_id"],
        from_account=tx["from_account"],
        created_at=tx["created_at"],
    )
