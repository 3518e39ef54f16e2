"""JSON in and out without floats: Decimals travel as JSON numbers, never through `float`."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from pydantic import BaseModel

from drop.clock import iso

_encode_str = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]


def _decimal(value: Decimal) -> str:
    if not value.is_finite():
        raise ValueError("non-finite Decimal cannot be sent as JSON")
    text = format(value, "f")
    return "0" if text in ("-0", "-0.0", "-0.00") else text


def _encode(value: Any, out: list[str]) -> None:  # noqa: C901 - one flat type switch reads best
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, Decimal):
        out.append(_decimal(value))
    elif isinstance(value, int):
        out.append(str(int(value)))
    elif isinstance(value, str):
        out.append(_encode_str(value))
    elif isinstance(value, Enum):
        _encode(value.value, out)
    elif isinstance(value, datetime):
        out.append(_encode_str(iso(value)))
    elif isinstance(value, date):
        out.append(_encode_str(value.isoformat()))
    elif isinstance(value, BaseModel):
        _encode(value.model_dump(by_alias=True), out)
    elif isinstance(value, dict):
        out.append("{")
        for index, (key, item) in enumerate(value.items()):
            if index:
                out.append(",")
            out.append(_encode_str(str(key)))
            out.append(":")
            _encode(item, out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _encode(item, out)
        out.append("]")
    else:
        # Floats land here on purpose: an amount must never have been a float.
        raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def dumps(value: Any) -> str:
    out: list[str] = []
    _encode(value, out)
    return "".join(out)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _decimal_from_json(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        # `1e9999999999999999999` is valid JSON, but its exponent does not fit a Decimal. InvalidOperation
        # is an ArithmeticError, not a ValueError, so without this it escaped every caller as a 500.
        raise ValueError("number out of range") from exc


def loads(text: str | bytes) -> Any:
    """Parse JSON with every non-integer number as Decimal; NaN/Infinity and unrepresentable numbers are
    rejected with ValueError."""
    return json.loads(text, parse_float=_decimal_from_json, parse_constant=_reject_constant)
