from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from drop.http.json import dumps, loads


def test_decimals_are_json_numbers_without_float_rounding() -> None:
    assert dumps({"a": Decimal("58030.00"), "b": Decimal("0.1")}) == '{"a":58030.00,"b":0.1}'
    assert dumps(Decimal("1E+2")) == "100"


def test_datetimes_use_the_spec_format() -> None:
    assert dumps(datetime(2026, 2, 23, 12, 0, tzinfo=UTC)) == '"2026-02-23T12:00:00.000Z"'


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        dumps({"amount": 1.5})


def test_loads_gives_decimals_and_rejects_nan() -> None:
    assert loads('{"amount": 0.1}') == {"amount": Decimal("0.1")}
    with pytest.raises(ValueError):
        loads('{"amount": NaN}')


def test_unicode_is_escaped_safely() -> None:
    assert loads(dumps({"name": "Bašić <b>"})) == {"name": "Bašić <b>"}
