"""Recipient requests and responses. The bank account is checked as an IBAN of the recipient's country."""

from __future__ import annotations

from datetime import datetime

from pydantic import StrictStr, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from drop.iban import InvalidIban, validate_iban
from drop.models.base import RequestModel, ResponseModel
from drop.money import COUNTRY_CURRENCY
from drop.validation import sanitize_text, validate_name

BANK_NAME_MAX = 200


class CreateRecipientIn(RequestModel):
    # Field order matters: currency and bankAccount are checked against the already validated country.
    name: StrictStr
    country: StrictStr
    currency: StrictStr
    bank_account: StrictStr
    bank_name: StrictStr | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        try:
            return validate_name(value)
        except ValueError as exc:
            raise PydanticCustomError("invalid_name", "name {reason}", {"reason": str(exc)}) from exc

    @field_validator("country")
    @classmethod
    def _country(cls, value: str) -> str:
        country = value.strip().upper()
        if country not in COUNTRY_CURRENCY:
            supported = ", ".join(COUNTRY_CURRENCY)
            raise PydanticCustomError(
                "unsupported_country", "country must be one of {supported}", {"supported": supported}
            )
        return country

    @field_validator("currency")
    @classmethod
    def _currency(cls, value: str, info: ValidationInfo) -> str:
        currency = value.strip().upper()
        country = info.data.get("country")
        if country is not None and currency != COUNTRY_CURRENCY[country]:
            raise PydanticCustomError(
                "currency_mismatch",
                "currency of a {country} recipient must be {expected}",
                {"country": country, "expected": COUNTRY_CURRENCY[country]},
            )
        return currency

    @field_validator("bank_account")
    @classmethod
    def _bank_account(cls, value: str, info: ValidationInfo) -> str:
        country = info.data.get("country")
        if country is None:
            return value  # the country error already explains the request; an IBAN needs a country
        try:
            return validate_iban(value, country)
        except InvalidIban as exc:
            raise PydanticCustomError("invalid_iban", "bankAccount {reason}", {"reason": str(exc)}) from exc

    @field_validator("bank_name")
    @classmethod
    def _bank_name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return sanitize_text(value, BANK_NAME_MAX) or None


class RecipientOut(ResponseModel):
    id: str
    name: str
    country: str
    currency: str
    bank_account: str  # masked
    bank_name: str | None
    created_at: datetime
