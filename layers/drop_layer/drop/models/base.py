"""Model bases and field types: strict input (extra fields are errors), camelCase on the wire."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.alias_generators import to_camel

from drop.money import MAX_AMOUNT


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, populate_by_name=False)


class ResponseModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


def _json_number(value: Any) -> Any:
    # JSON numbers arrive as int or Decimal (parse_float=Decimal); strings and booleans are not amounts.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError("must be a number")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError("must be a finite number")
    return amount


Amount = Annotated[
    Decimal,
    BeforeValidator(_json_number),
    Field(gt=Decimal("0"), le=MAX_AMOUNT, decimal_places=2),
]


class PageQuery(BaseModel):
    """`page` ≥ 1 and `limit` between 1 and 50 (defaults 1 and 20); anything else is a 422."""

    model_config = ConfigDict(extra="ignore")

    page: int = Field(default=1, ge=1, le=1_000_000)
    limit: int = Field(default=20, ge=1, le=50)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.limit
