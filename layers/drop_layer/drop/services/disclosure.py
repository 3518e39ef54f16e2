"""Fee and exchange-rate disclosure before payment (Finansavtaleloven), stored as a quote.

The quote locks the disclosed rate and amounts for 30 minutes: a remittance that passes its `quoteId`
gets exactly what the user was shown, even if the rate changes in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from drop.auth.context import AuthUser
from drop.db import Cursor, get_db
from drop.errors import NotFound, ValidationFailed
from drop.ids import new_id
from drop.models.transactions import DisclosureIn, DisclosureOut
from drop.money import (
    COUNTRY_CURRENCY,
    QR_FEE_PERCENT,
    REMITTANCE_FEE_PERCENT,
    SEND_CURRENCY,
    delivery_estimate,
    qr_fee,
    receive_amount,
    remittance_fee,
    to_ore,
)
from drop.repositories import quotes as quotes_repo
from drop.repositories import rates as rates_repo
from drop.repositories import transactions as tx_repo

QUOTE_TTL_SECONDS = 30 * 60


@dataclass(frozen=True)
class RemittanceTerms:
    """What a remittance of `amount` to this recipient costs and delivers at the current rate."""

    amount: Decimal
    fee: Decimal
    total: Decimal
    exchange_rate: Decimal
    receive_amount: Decimal
    receive_currency: str
    eta: str


def corridor_currency(cur: Cursor, recipient: dict[str, Any]) -> tuple[str, Decimal]:
    """The payout currency and today's rate, or 422 when Drop does not serve this corridor."""
    currency = recipient["currency"]
    rate = (
        rates_repo.rate_in(cur, currency) if COUNTRY_CURRENCY.get(recipient["country"]) == currency else None
    )
    if rate is None:
        raise ValidationFailed("Unsupported currency corridor")
    return currency, rate


def remittance_terms(amount: Decimal, rate: Decimal, currency: str, country: str) -> RemittanceTerms:
    amount = to_ore(amount)
    fee = remittance_fee(amount)
    return RemittanceTerms(
        amount=amount,
        fee=fee,
        total=amount + fee,
        exchange_rate=rate,
        receive_amount=receive_amount(amount, rate),
        receive_currency=currency,
        eta=delivery_estimate(country),
    )


def find_recipient(cur: Cursor, user_id: str, recipient_id: str) -> dict[str, Any]:
    recipient = tx_repo.recipient_for_transfer(cur, user_id=user_id, recipient_id=recipient_id)
    if recipient is None:
        raise NotFound("Recipient not found")
    return recipient


def create_disclosure(user: AuthUser, request: DisclosureIn) -> DisclosureOut:
    with get_db().transaction() as cur:
        if request.type == "remittance":
            assert request.recipient_id is not None  # the model requires it for a remittance
            return _remittance(cur, user, request, request.recipient_id)
        return _qr_payment(cur, user, request)


def _remittance(cur: Cursor, user: AuthUser, request: DisclosureIn, recipient_id: str) -> DisclosureOut:
    recipient = find_recipient(cur, user.id, recipient_id)
    currency, rate = corridor_currency(cur, recipient)
    terms = remittance_terms(request.amount, rate, currency, recipient["country"])
    quote = quotes_repo.insert(
        cur,
        quote_id=new_id("qte"),
        user_id=user.id,
        type="remittance",
        amount=terms.amount,
        currency=SEND_CURRENCY,
        recipient_id=recipient["id"],
        merchant_id=None,
        fee=terms.fee,
        exchange_rate=rate,
        receive_amount=terms.receive_amount,
        receive_currency=currency,
        total=terms.total,
        estimated_delivery=terms.eta,
        ttl_seconds=QUOTE_TTL_SECONDS,
    )
    return DisclosureOut(
        amount=terms.amount,
        fee=terms.fee,
        fee_percentage=REMITTANCE_FEE_PERCENT,
        exchange_rate=rate,
        receive_amount=terms.receive_amount,
        receive_currency=currency,
        estimated_delivery=terms.eta,
        total_cost=terms.total,
        quote_id=quote["id"],
        expires_at=quote["expires_at"],
    )


def _qr_payment(cur: Cursor, user: AuthUser, request: DisclosureIn) -> DisclosureOut:
    merchant_id = None
    if request.merchant_id is not None:
        merchant = tx_repo.merchant_for_payment(cur, request.merchant_id)
        if merchant is None:
            raise NotFound("Merchant not found")
        merchant_id = merchant["id"]
    amount = to_ore(request.amount)
    fee = qr_fee(amount)
    eta = delivery_estimate(None)
    # DESIGN §6.8: the customer is debited `amount`; the 1 % fee is shown for transparency but is the
    # merchant's (deducted from its revenue), so the customer's total cost is the amount itself.
    total = amount
    quote = quotes_repo.insert(
        cur,
        quote_id=new_id("qte"),
        user_id=user.id,
        type="qr_payment",
        amount=amount,
        currency=SEND_CURRENCY,
        recipient_id=None,
        merchant_id=merchant_id,
        fee=fee,
        exchange_rate=None,
        receive_amount=None,
        receive_currency=None,
        total=total,
        estimated_delivery=eta,
        ttl_seconds=QUOTE_TTL_SECONDS,
    )
    return DisclosureOut(
        amount=amount,
        fee=fee,
        fee_percentage=QR_FEE_PERCENT,
        exchange_rate=None,
        receive_amount=None,
        receive_currency=None,
        estimated_delivery=eta,
        total_cost=total,
        quote_id=quote["id"],
        expires_at=quote["expires_at"],
    )
