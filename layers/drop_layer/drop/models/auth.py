"""Auth requests and responses: BankID sign-in, mobile code exchange, /me, refresh, legacy password auth."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator
from pydantic_core import PydanticCustomError

from drop.clock import OSLO, utcnow
from drop.models.base import RequestModel, ResponseModel
from drop.validation import validate_name

# --- BankID -----------------------------------------------------------------------------------------


class BankIdStartQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    platform: Literal["web", "mobile"] = "web"


class BankIdRedirectOut(ResponseModel):
    redirect_url: str


class TokenExchangeIn(RequestModel):
    code: StrictStr = Field(min_length=1, max_length=128)


class TokenOut(ResponseModel):
    token: str
    expires_at: datetime


# --- session ----------------------------------------------------------------------------------------


class BankAccountOut(ResponseModel):
    id: str
    bank_name: str
    account_number: str
    balance: Decimal
    currency: str
    is_primary: bool


class MeOut(ResponseModel):
    id: str
    email: str | None
    first_name: str
    last_name: str
    total_balance: Decimal
    bank_accounts: list[BankAccountOut]
    kyc_status: str
    created_at: datetime


class RefreshOut(ResponseModel):
    user_id: str
    email: str | None
    role: str


class RefreshWithTokenOut(RefreshOut):
    """What a Bearer caller gets: it has no cookie jar, so the new token travels in the body."""

    token: str
    expires_at: datetime


# --- legacy password auth (flag legacyPasswordAuth) ---------------------------------------------------

# RFC 5322-like: a dot-atom local part, then a domain of LDH labels with at least one dot.
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_PHONE = re.compile(r"^\+[1-9]\d{7,14}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PASSWORD_MIN = 8
PASSWORD_MAX_BYTES = 72  # bcrypt looks at 72 bytes at most; refusing more beats silently ignoring them


def check_email(value: str) -> str:
    email = value.strip()
    if len(email) > 254 or not _EMAIL.fullmatch(email):
        raise PydanticCustomError("invalid_email", "email must be a valid e-mail address")
    return email


def check_password(value: str) -> str:
    if len(value) < PASSWORD_MIN:
        raise PydanticCustomError("password_too_short", "password must be at least 8 characters")
    if len(value.encode()) > PASSWORD_MAX_BYTES:
        raise PydanticCustomError("password_too_long", "password must be at most 72 bytes")
    if not any(ch.isalpha() for ch in value) or not any(ch.isdecimal() for ch in value):
        raise PydanticCustomError("password_too_weak", "password must contain letters and digits")
    if "\x00" in value:
        raise PydanticCustomError("invalid_password", "password must not contain NUL characters")
    return value


def check_phone(value: str) -> str:
    phone = value.strip()
    if not _PHONE.fullmatch(phone):
        raise PydanticCustomError("invalid_phone", "phone must be in international format, e.g. +4791234567")
    return phone


def check_date_of_birth(value: str) -> date:
    text = value.strip()
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        born = date.fromisoformat(text)
    except ValueError:
        raise PydanticCustomError("invalid_date", "dateOfBirth must be an ISO date (YYYY-MM-DD)") from None
    if born >= utcnow().astimezone(OSLO).date():
        raise PydanticCustomError("date_not_past", "dateOfBirth must be in the past")
    return born


def check_name(value: str, field: str) -> str:
    try:
        return validate_name(value)
    except ValueError as exc:
        raise PydanticCustomError(
            "invalid_name", "{field} {reason}", {"field": field, "reason": str(exc)}
        ) from exc


class RegisterIn(RequestModel):
    email: StrictStr
    password: StrictStr
    first_name: StrictStr
    last_name: StrictStr
    phone: StrictStr | None = None
    date_of_birth: StrictStr

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return check_email(value)

    @field_validator("password")
    @classmethod
    def _password(cls, value: str) -> str:
        return check_password(value)

    @field_validator("first_name")
    @classmethod
    def _first_name(cls, value: str) -> str:
        return check_name(value, "firstName")

    @field_validator("last_name")
    @classmethod
    def _last_name(cls, value: str) -> str:
        return check_name(value, "lastName")

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return None if value is None else check_phone(value)

    @field_validator("date_of_birth")
    @classmethod
    def _date_of_birth(cls, value: str) -> str:
        return check_date_of_birth(value).isoformat()

    @property
    def birth_date(self) -> date:
        return date.fromisoformat(self.date_of_birth)


class LoginIn(RequestModel):
    email: StrictStr = Field(min_length=1, max_length=320)
    password: StrictStr = Field(min_length=1, max_length=1024)


class RegisteredOut(ResponseModel):
    id: str
    email: str
    first_name: str
    last_name: str
    date_of_birth: date
    kyc_status: str
    created_at: datetime


class LoggedInOut(ResponseModel):
    id: str
    email: str
    first_name: str
    last_name: str
    kyc_status: str
