"""GDPR export and erasure, consents and complaints (API.md §9.6, §9.7, §9.11, §11.9).

Consents, complaints and the export's rows keep the spec's snake_case (DESIGN §6.7), so their output
models are plain `BaseModel`s without the camelCase alias generator.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, field_validator

from drop.models.base import RequestModel

ConsentType = Literal["terms", "privacy", "marketing", "cookies_analytics", "cookies_marketing"]
ComplaintCategory = Literal["transaction", "service", "fees", "privacy", "technical", "other"]

SUBJECT_MAX = 200
DESCRIPTION_MAX = 2000
# Control characters Postgres cannot store (NUL) or a reader cannot see; tabs and newlines are handled apart.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SnakeModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


# --- consents -------------------------------------------------------------------------------------


class ConsentRequest(RequestModel):
    consent_type: ConsentType
    granted: StrictBool


class ConsentOut(SnakeModel):
    id: str
    user_id: str
    consent_type: str
    granted: bool
    granted_at: datetime | None
    withdrawn_at: datetime | None
    ip_address: str | None


# --- complaints -----------------------------------------------------------------------------------


def _clean_text(value: str, *, max_length: int, multiline: bool) -> str:
    text = unicodedata.normalize("NFC", value)
    # One line for a subject: any run of whitespace (newlines included) becomes one space.
    text = text.strip() if multiline else " ".join(text.split())
    if _CONTROL.search(text):
        raise ValueError("must not contain control characters")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("must be valid Unicode text") from exc
    if not text:
        raise ValueError("must not be empty")
    if len(text) > max_length:
        raise ValueError(f"must be at most {max_length} characters")
    return text


class ComplaintRequest(RequestModel):
    category: ComplaintCategory
    subject: StrictStr
    description: StrictStr

    @field_validator("subject")
    @classmethod
    def _subject(cls, value: str) -> str:
        return _clean_text(value, max_length=SUBJECT_MAX, multiline=False)

    @field_validator("description")
    @classmethod
    def _description(cls, value: str) -> str:
        return _clean_text(value, max_length=DESCRIPTION_MAX, multiline=True)


class ComplaintsQuery(BaseModel):
    """The complaints list has its own defaults (API.md §9.13): limit 10, at most 100."""

    model_config = ConfigDict(extra="ignore")

    page: int = Field(default=1, ge=1, le=1_000_000)
    limit: int = Field(default=10, ge=1, le=100)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit


class ComplaintCreated(SnakeModel):
    id: str
    category: str
    subject: str
    description: str
    status: str
    created_at: datetime
    due_at: datetime


class ComplaintOut(SnakeModel):
    id: str
    category: str
    subject: str
    description: str
    status: str
    resolution: str | None
    created_at: datetime
    resolved_at: datetime | None
    due_at: datetime


# --- export ---------------------------------------------------------------------------------------


class DataExport(BaseModel):
    """Everything Drop holds about the subject; rows come from explicit column lists (no hashes, tokens)."""

    user: dict[str, Any]
    transactions: list[dict[str, Any]]
    recipients: list[dict[str, Any]]
    bank_accounts: list[dict[str, Any]] = Field(serialization_alias="bankAccounts")
    settings: dict[str, Any]
    consents: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    complaints: list[dict[str, Any]]
    merchant: dict[str, Any] | None
