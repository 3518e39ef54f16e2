"""Transaction requests and responses (API.md §11.2). Field names are exactly the spec's, per endpoint."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictStr,
    model_validator,
)
from pydantic_core import PydanticCustomError

from drop.models.base import Amount, PageQuery, RequestModel, ResponseModel
from drop.money import SEND_CURRENCY

TransactionType = Literal["remittance", "qr_payment"]
TransactionStatus = Literal["processing", "completed", "failed"]

_ID = re.compile(r"[\x21-\x7e]{1,64}")


def _id(value: str) -> str:
    # Ids are short printable-ASCII tokens; anything else is garbage that must not reach SQL as a lookup.
    # pydantic lets a NUL through (and a lone surrogate, in a `StrictStr | None` field); Postgres refuses
    # both with a DataError, which was a 500. An unknown but well-formed id is still the service's 404.
    if not _ID.fullmatch(value):
        raise PydanticCustomError("invalid_id", "must be an id of 1-64 printable ASCII characters")
    return value


Id = Annotated[StrictStr, AfterValidator(_id)]


def _send_currency(value: str | None) -> str:
    # Drop sends from Norwegian accounts only; the field exists so a client can say so explicitly.
    if value is None or value.strip().upper() == SEND_CURRENCY:
        return SEND_CURRENCY
    raise PydanticCustomError("unsupported_currency", "currency must be NOK (the only send currency)")


# Omitted, null and "NOK" are the same request (this matters for the idempotency hash).
SendCurrency = Annotated[StrictStr | None, AfterValidator(_send_currency)]


def _plain_rate(rate: Decimal) -> Decimal:
    # NUMERIC(18,6) comes back as 11.700000; the spec shows 11.7.
    return rate.normalize()


Rate = Annotated[Decimal, AfterValidator(_plain_rate)]


class DisclosureIn(RequestModel):
    type: TransactionType
    amount: Amount
    currency: SendCurrency = SEND_CURRENCY
    recipient_id: Id | None = None
    merchant_id: Id | None = None

    @model_validator(mode="after")
    def _counterparty_matches_type(self) -> DisclosureIn:
        if self.type == "remittance":
            if self.recipient_id is None:
                raise PydanticCustomError("missing_recipient", "recipientId is required for a remittance")
            if self.merchant_id is not None:
                raise PydanticCustomError("unexpected_merchant", "merchantId is only for a qr_payment")
        elif self.recipient_id is not None:
            raise PydanticCustomError("unexpected_recipient", "recipientId is only for a remittance")
        return self


class RemittanceIn(RequestModel):
    recipient_id: Id
    amount: Amount
    currency: SendCurrency = SEND_CURRENCY
    bank_account_id: Id | None = None
    quote_id: Id | None = None


class QrPaymentIn(RequestModel):
    merchant_id: Id
    amount: Amount


class TransactionListQuery(PageQuery):
    type: TransactionType | None = None
    status: TransactionStatus | None = None


class DisclosureOut(ResponseModel):
    amount: Decimal
    fee: Decimal
    fee_percentage: Decimal
    exchange_rate: Rate | None
    receive_amount: Decimal | None
    receive_currency: str | None
    estimated_delivery: str
    total_cost: Decimal
    quote_id: str
    expires_at: datetime


class RemittanceOut(ResponseModel):
    id: str
    type: Literal["remittance"] = "remittance"
    status: TransactionStatus
    send_amount: Decimal
    send_currency: str
    receive_amount: Decimal
    receive_currency: str
    exchange_rate: Rate
    fee: Decimal
    fee_percent: Decimal
    total: Decimal
    recipient_name: str
    recipient_country: str  # the country's name ("Serbia"), as the spec's example shows
    from_account: str
    eta: str
    created_at: datetime


class QrPaymentOut(ResponseModel):
    id: str
    type: Literal["qr_payment"] = "qr_payment"
    status: TransactionStatus
    amount: Decimal
    currency: str
    fee: Decimal
    fee_percent: Decimal
    merchant_name: str
    merchant_id: str
    from_account: str
    created_at: datetime


class RemittanceListItem(ResponseModel):
    id: str
    type: Literal["remittance"] = "remittance"
    status: TransactionStatus
    amount: Decimal  # negated: the list shows every transaction as outgoing (API.md T1)
    currency: str
    recipient_name: str | None
    created_at: datetime


class QrPaymentListItem(ResponseModel):
    id: str
    type: Literal["qr_payment"] = "qr_payment"
    status: TransactionStatus
    amount: Decimal
    currency: str
    merchant_name: str | None
    created_at: datetime


class RemittanceDetail(ResponseModel):
    id: str
    type: Literal["remittance"] = "remittance"
    status: TransactionStatus
    send_amount: Decimal
    send_currency: str
    receive_amount: Decimal | None
    receive_currency: str | None
    exchange_rate: Rate | None
    fee: Decimal
    total: Decimal
    recipient_name: str | None
    recipient_country: str | None
    created_at: datetime
    completed_at: datetime | None


class QrPaymentDetail(ResponseModel):
    id: str
    type: Literal["qr_payment"] = "qr_payment"
    status: TransactionStatus
    amount: Decimal
    currency: str
    fee: Decimal
    merchant_name: str | None
    merchant_id: str
    created_at: datetime
    completed_at: datetime | None


class PeriodSummary(ResponseModel):
    total_count: int
    total_sent: Decimal
    total_paid: Decimal
    remittance_count: int
    qr_payment_count: int


class SummaryOut(ResponseModel):
    all_time: PeriodSummary
    this_month: PeriodSummary


class ReceiptParty(BaseModel):
    name: str | None
    country: str | None


class ReceiptMerchant(BaseModel):
    id: str
    name: str | None


class ReceiptOut(ResponseModel):
    transaction_id: str
    date: datetime
    type: TransactionType
    amount: Decimal
    currency: str
    fee: Decimal
    exchange_rate: Rate | None
    receive_amount: Decimal | None
    receive_currency: str | None
    recipient: ReceiptParty | None = None
    merchant: ReceiptMerchant | None = None
    reference: str
    status: TransactionStatus
    estimated_completion: str | None
    completed_at: datetime | None

    def wire(self) -> dict[str, object]:
        # A remittance receipt names the recipient, a QR receipt the merchant; never both keys.
        drop = {"merchant"} if self.type == "remittance" else {"recipient"}
        return self.model_dump(by_alias=True, exclude=drop)


class SettlementMessage(BaseModel):
    """The body of a settlement queue message: which transaction to settle."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    transaction_id: str = Field(alias="transactionId", pattern=r"^tx_rem_[a-f0-9]{16}$")
