"""User settings: display preferences with whitelisted values (API.md §9.5, §11.7)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import StrictBool, field_validator, model_validator

from drop.models.base import RequestModel, ResponseModel

Currency = Literal["EUR", "USD", "GBP", "BAM", "CHF", "PLN", "NOK", "RSD", "TRY", "PKR"]
Language = Literal["nb", "en", "bs", "sq"]


class SettingsOut(ResponseModel):
    currency: str
    language: str
    push_enabled: bool
    email_enabled: bool
    updated_at: datetime


class SettingsPatch(RequestModel):
    """Every field optional, but a field that is sent must carry a real value (null is not one)."""

    currency: Currency | None = None
    language: Language | None = None
    push_enabled: StrictBool | None = None
    email_enabled: StrictBool | None = None

    @field_validator("currency", "language", "push_enabled", "email_enabled", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        # Only runs for fields present in the body, so an explicit null is refused, not read as "unchanged".
        if value is None:
            raise ValueError("must not be null")
        return value

    @model_validator(mode="after")
    def _something_to_change(self) -> SettingsPatch:
        if not self.model_fields_set:
            raise ValueError("at least one of currency, language, pushEnabled, emailEnabled is required")
        return self

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}
