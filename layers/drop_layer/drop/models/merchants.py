"""Merchant requests and responses."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, StrictStr, field_validator
from pydantic_core import PydanticCustomError

from drop.models.base import RequestModel, ResponseModel
from drop.norway import InvalidNorwegianNumber, validate_account_number, validate_org_number
from drop.validation import sanitize_text

BUSINESS_NAME_MAX = 200
ADDRESS_MAX = 200

Period = Literal["today", "week", "month"]


class RegisterMerchantIn(RequestModel):
    business_name: StrictStr
    org_number: StrictStr
    address: StrictStr | None = None
    bank_account: StrictStr

    @field_validator("business_name")
    @classmethod
    def _business_name(cls, value: str) -> str:
        # Sanitised but never silently cut: a business name that does not fit is the client's to fix.
        name = sanitize_text(value, len(value))
        if not 1 <= len(name) <= BUSINESS_NAME_MAX or not any(ch.isalnum() for ch in name):
            raise PydanticCustomError(
                "invalid_business_name",
                "businessName must be 1-{max} characters with at least one letter or digit",
                {"max": BUSINESS_NAME_MAX},
            )
        return name

    @field_validator("org_number")
    @classmethod
    def _org_number(cls, value: str) -> str:
        try:
            return validate_org_number(value)
        except InvalidNorwegianNumber as exc:
            raise PydanticCustomError(
                "invalid_org_number", "orgNumber {reason}", {"reason": str(exc)}
            ) from exc

    @field_validator("address")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return sanitize_text(value, ADDRESS_MAX) or None

    @field_validator("bank_account")
    @classmethod
    def _bank_account(cls, value: str) -> str:
        try:
            return validate_account_number(value)
        except InvalidNorwegianNumber as exc:
            raise PydanticCustomError(
                "invalid_bank_account", "bankAccount {reason}", {"reason": str(exc)}
            ) from exc


class DashboardQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    period: Period = "today"


class MerchantOut(ResponseModel):
    merchant_id: str
    business_name: str
    org_number: str
    address: str | None
    qr_value: str
    created_at: datetime


class MerchantQrOut(ResponseModel):
    merchant_id: str
    business_name: str
    qr_value: str
    address: str | None


class DashboardOut(ResponseModel):
    revenue: Decimal
    transaction_count: int
    fees: Decimal
    net_revenue: Decimal
    next_payout: date
    payout_time: str


class MerchantPaymentOut(ResponseModel):
    id: str
    amount: Decimal
    fee: Decimal
    net_amount: Decimal
    currency: str
    status: str
    customer_name: str
    created_at: datetime
