"""Remittances: checks, then the debit, the transaction, its first history event and the outbox row in one
database transaction; the settlement message goes to SQS after the commit (DESIGN §7)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drop.auth.context import AuthUser
from drop.db import Cursor, get_db
from drop.errors import DomainError, NotFound, PaymentRequired, ValidationFailed
from drop.ids import new_id
from drop.models.transactions import RemittanceIn, RemittanceOut
from drop.money import COUNTRY_NAME, REMITTANCE_FEE_PERCENT, SEND_CURRENCY
from drop.repositories import bank_accounts, quotes
from drop.repositories import outbox as outbox_repo
from drop.repositories import transactions as tx_repo
from drop.services import idempotency, outbox
from drop.services.disclosure import RemittanceTerms, corridor_currency, find_recipient, remittance_terms

ROUTE = "POST /api/transactions/remittance"


def create_remittance(
    user: AuthUser, request: RemittanceIn, idempotency_key: str | None
) -> idempotency.Outcome:
    return idempotency.run(
        user_id=user.id,
        key=idempotency_key,
        route=ROUTE,
        request=request,
        work=lambda claim: _create(user, request, claim),
    )


def debit_account(cur: Cursor, user_id: str, account_id: str | None) -> dict[str, Any]:
    """The account to debit: the one named (must be the user's) or else the primary one."""
    if account_id is not None:
        account = bank_accounts.owned(cur, user_id=user_id, account_id=account_id)
        if account is None:
            raise NotFound("Bank account not found")
    else:
        account = bank_accounts.primary(cur, user_id=user_id)
        if account is None:
            raise DomainError("No linked bank account", status=400, code="no_bank_account")
    if account["currency"] != SEND_CURRENCY:
        raise ValidationFailed("Payments can only be made from a NOK account")
    return account


def _quoted_terms(cur: Cursor, user_id: str, request: RemittanceIn, recipient_id: str) -> RemittanceTerms:
    """The locked terms of the user's quote, which must be unused, unexpired and for this very payment."""
    assert request.quote_id is not None
    quote = quotes.lock_owned(cur, quote_id=request.quote_id, user_id=user_id)
    if quote is None:
        raise NotFound("Quote not found")
    if quote["used_at"] is not None:
        raise ValidationFailed("This quote was already used for a payment", code="quote_used")
    if quote["expired"]:
        raise ValidationFailed("This quote has expired; request a new disclosure", code="quote_expired")
    if (
        quote["type"] != "remittance"
        or quote["recipient_id"] != recipient_id
        or Decimal(quote["amount"]) != request.amount
    ):
        raise ValidationFailed("The quote is for a different payment (type, recipient or amount)")
    return RemittanceTerms(
        amount=quote["amount"],
        fee=quote["fee"],
        total=quote["total"],
        exchange_rate=quote["exchange_rate"],
        receive_amount=quote["receive_amount"],
        receive_currency=quote["receive_currency"],
        eta=quote["estimated_delivery"],
    )


def _create(user: AuthUser, request: RemittanceIn, claim: idempotency.Claim | None) -> idempotency.Outcome:
    if user.kyc_status != "approved":
        raise DomainError(
            "Identity verification (KYC) must be approved first", status=403, code="kyc_required"
        )
    with get_db().transaction() as cur:
        recipient = find_recipient(cur, user.id, request.recipient_id)
        currency, rate = corridor_currency(cur, recipient)
        account = debit_account(cur, user.id, request.bank_account_id)
        if request.quote_id is not None:
            terms = _quoted_terms(cur, user.id, request, recipient["id"])
        else:
            terms = remittance_terms(request.amount, rate, currency, recipient["country"])

        if bank_accounts.debit(cur, account_id=account["id"], user_id=user.id, amount=terms.total) is None:
            raise PaymentRequired("The account balance does not cover the amount plus the fee")
        tx = tx_repo.insert_new(
            cur,
            {
                "id": new_id("tx_rem"),
                "user_id": user.id,
                "type": "remittance",
                "status": "processing",
                "send_amount": terms.amount,
                "send_currency": SEND_CURRENCY,
                "receive_amount": terms.receive_amount,
                "receive_currency": terms.receive_currency,
                "exchange_rate": terms.exchange_rate,
                "fee": terms.fee,
                "fee_percent": REMITTANCE_FEE_PERCENT,
                "total": terms.total,
                "debited_amount": terms.total,
                "recipient_id": recipient["id"],
                "recipient_name": recipient["name"],
                "recipient_country": recipient["country"],
                "bank_account_id": account["id"],
                "from_account": account["bank_name"],
                "eta": terms.eta,
                "quote_id": request.quote_id,
                # idempotency_key is not copied: a key may be used again once it expires (24 h), and the
                # unique (user_id, idempotency_key) would then refuse the new payment. The claim
                # guarantees one payment per live key on its own.
            },
        )
        payload = {"transactionId": tx["id"]}
        outbox_id = outbox_repo.insert(cur, outbox.SETTLEMENT_TOPIC, payload)
        if request.quote_id is not None:
            quotes.mark_used(cur, request.quote_id)
        outcome = idempotency.Outcome(201, idempotency.response_body(_out(tx)))
        idempotency.remember(cur, claim, outcome)
    outbox.publish_now(outbox_id, outbox.SETTLEMENT_TOPIC, payload)
    return outcome


def _out(tx: dict[str, Any]) -> RemittanceOut:
    return RemittanceOut(
        id=tx["id"],
        status=tx["status"],
        send_amount=tx["send_amount"],
        send_currency=tx["send_currency"],
        receive_amount=tx["receive_amount"],
        receive_currency=tx["receive_currency"],
        exchange_rate=tx["exchange_rate"],
        fee=tx["fee"],
        fee_percent=REMITTANCE_FEE_PERCENT,
        total=tx["total"],
        recipient_name=tx["recipient_name"],
        recipient_country=COUNTRY_NAME[tx["recipient_country"]],
        from_account=tx["from_account"],
        eta=tx["eta"],
        created_at=tx["created_at"],
    )
