"""Norwegian rules: organisation and bank account numbers (mod-11), business days, Oslo calendar periods."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from drop.business_days import is_business_day
from drop.clock import OSLO

# Brønnøysundregistrene's weights for the 9th digit of an organisation number.
ORG_NUMBER_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)
# The banks' weights for the 11th digit of an account number (kontonummer).
ACCOUNT_NUMBER_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

_NINE_DIGITS = re.compile(r"[0-9]{9}")
_ELEVEN_DIGITS = re.compile(r"[0-9]{11}")
_ACCOUNT_SEPARATORS = re.compile(r"[.\s]")


class InvalidNorwegianNumber(ValueError):
    """Not a valid organisation or account number; the message says why."""


def mod11_check_digit(digits: str, weights: Sequence[int]) -> int | None:
    """The check digit for `digits`, or None when none exists (remainder 1: such numbers are never issued)."""
    remainder = sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=True)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else check


def _check_digit_holds(number: str, weights: Sequence[int]) -> bool:
    expected = mod11_check_digit(number[:-1], weights)
    return expected is not None and expected == int(number[-1])


def validate_org_number(value: str) -> str:
    """A 9-digit organisation number whose last digit is its mod-11 check digit."""
    number = value.strip()
    if not _NINE_DIGITS.fullmatch(number):
        raise InvalidNorwegianNumber("must be exactly 9 digits")
    if not _check_digit_holds(number, ORG_NUMBER_WEIGHTS):
        raise InvalidNorwegianNumber("is not a valid organisation number (check digit)")
    return number


def validate_account_number(value: str) -> str:
    """An 11-digit account number (dots and spaces allowed) passing mod-11; returned as `1234.56.78903`."""
    digits = _ACCOUNT_SEPARATORS.sub("", value)
    if not _ELEVEN_DIGITS.fullmatch(digits):
        raise InvalidNorwegianNumber("must be a Norwegian account number of 11 digits")
    if not _check_digit_holds(digits, ACCOUNT_NUMBER_WEIGHTS):
        raise InvalidNorwegianNumber("is not a valid Norwegian account number (check digit)")
    return f"{digits[:4]}.{digits[4:6]}.{digits[6:]}"


def next_business_day_at(now: datetime, at: time) -> date:
    """The first Oslo business day whose local `at` is still ahead of `now`."""
    local = now.astimezone(OSLO)
    day = local.date() if local.time() < at else local.date() + timedelta(days=1)
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def period_start(period: str, now: datetime) -> datetime:
    """Local midnight in Oslo that opens `today`, this `week` (Monday) or this `month` (the 1st)."""
    today = now.astimezone(OSLO).date()
    if period == "today":
        first = today
    elif period == "week":
        first = today - timedelta(days=today.weekday())
    elif period == "month":
        first = today.replace(day=1)
    else:
        raise ValueError(f"unknown period {period!r}")
    return datetime.combine(first, time(0), tzinfo=OSLO)
