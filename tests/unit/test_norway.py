"""Norwegian mod-11 numbers, business days and Oslo calendar periods."""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, time

import pytest

from drop.business_days import easter_sunday, is_business_day, public_holidays
from drop.norway import (
    InvalidNorwegianNumber,
    next_business_day_at,
    period_start,
    validate_account_number,
    validate_org_number,
)


def check_digit(body: str, weights: list[int]) -> int | None:
    """Computed from scratch: 11 - (weighted sum mod 11); 11 means 0 and 10 means no valid number."""
    check = 11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
    return {11: 0, 10: None}.get(check, check)


ORG_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2]
ACCOUNT_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]


def generated(length: int, weights: list[int]) -> str:
    while True:
        body = "".join(secrets.choice("0123456789") for _ in range(length - 1))
        check = check_digit(body, weights)
        if check is not None:
            return body + str(check)


# Organisation numbers of real companies (Equinor, Brønnøysundregistrene, DNB Bank).
@pytest.mark.parametrize("number", ["923609016", "974760673", "984851006"])
def test_real_org_numbers_are_valid(number: str) -> None:
    assert validate_org_number(number) == number


def test_generated_org_numbers_are_valid_and_a_changed_check_digit_is_not() -> None:
    for _ in range(50):
        number = generated(9, ORG_WEIGHTS)
        assert validate_org_number(number) == number
        wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
        with pytest.raises(InvalidNorwegianNumber, match="check digit"):
            validate_org_number(wrong)


def test_org_number_whose_check_would_be_10_has_no_valid_form() -> None:
    body = next(
        b for b in (f"{n:08d}" for n in range(90000000, 90001000)) if check_digit(b, ORG_WEIGHTS) is None
    )
    for last in "0123456789":
        with pytest.raises(InvalidNorwegianNumber):
            validate_org_number(body + last)


def test_org_number_whose_remainder_is_0_ends_in_0() -> None:
    body = next(
        b for b in (f"{n:08d}" for n in range(90000000, 90001000)) if check_digit(b, ORG_WEIGHTS) == 0
    )
    assert validate_org_number(body + "0") == body + "0"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "92360901",
        "9236090160",
        "92360901A",
        "923 609 016",
        "923-609-016",
        "\uff19\uff12\uff13\uff16\uff10\uff19\uff10\uff11\uff16",
        "+23609016",
    ],
)
def test_org_number_must_be_exactly_nine_ascii_digits(value: str) -> None:
    with pytest.raises(InvalidNorwegianNumber, match="9 digits"):
        validate_org_number(value)


@pytest.mark.parametrize("value", ["1234.56.78903", "12345678903", "1234 56 78903", " 1234.56.78903 "])
def test_account_numbers_with_dots_or_spaces_are_valid_and_formatted(value: str) -> None:
    assert validate_account_number(value) == "1234.56.78903"


def test_generated_account_numbers_are_valid_and_a_changed_check_digit_is_not() -> None:
    for _ in range(50):
        digits = generated(11, ACCOUNT_WEIGHTS)
        assert validate_account_number(digits) == f"{digits[:4]}.{digits[4:6]}.{digits[6:]}"
        wrong = digits[:-1] + str((int(digits[-1]) + 1) % 10)
        with pytest.raises(InvalidNorwegianNumber, match="check digit"):
            validate_account_number(wrong)


@pytest.mark.parametrize(
    "value", ["", "1234.56.7890", "1234.56.789031", "1234-56-78903", "1234.56.7890A", "NO9386011117947"]
)
def test_account_number_must_be_eleven_digits(value: str) -> None:
    with pytest.raises(InvalidNorwegianNumber, match="11 digits"):
        validate_account_number(value)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2000, date(2000, 4, 23)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
    ],
)
def test_easter_sunday(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_public_holidays_2026() -> None:
    assert sorted(public_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 2),
        date(2026, 4, 3),
        date(2026, 4, 5),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 14),
        date(2026, 5, 17),
        date(2026, 5, 24),
        date(2026, 5, 25),
        date(2026, 12, 25),
        date(2026, 12, 26),
    ]


def test_business_days_skip_weekends_and_holidays() -> None:
    assert is_business_day(date(2026, 2, 23))  # Monday
    assert not is_business_day(date(2026, 2, 28))  # Saturday
    assert not is_business_day(date(2026, 4, 3))  # Good Friday
    assert not is_business_day(date(2027, 5, 17))  # Constitution Day on a Monday


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


SIX = time(6, 0)


@pytest.mark.parametrize(
    ("now", "payout"),
    [
        ("2026-02-23T04:59:59", date(2026, 2, 23)),  # Monday 05:59:59 Oslo (CET): today's run is ahead
        ("2026-02-23T05:00:00", date(2026, 2, 24)),  # Monday 06:00 Oslo: today's run has started
        ("2026-02-27T09:00:00", date(2026, 3, 2)),  # Friday morning → Monday
        ("2026-02-28T12:00:00", date(2026, 3, 2)),  # Saturday → Monday
        ("2026-03-01T23:30:00", date(2026, 3, 2)),  # Sunday in UTC but already Monday 00:30 in Oslo
        ("2026-06-01T04:30:00", date(2026, 6, 2)),  # Monday 06:30 Oslo in summer time (CEST)
        ("2026-06-01T03:30:00", date(2026, 6, 1)),  # Monday 05:30 Oslo in summer time
        ("2026-04-01T10:00:00", date(2026, 4, 7)),  # Easter: Thu, Fri, weekend and Monday skipped
    ],
)
def test_next_payout_day(now: str, payout: date) -> None:
    assert next_business_day_at(utc(now), SIX) == payout


@pytest.mark.parametrize(
    ("now", "period", "start"),
    [
        ("2026-02-25T12:00:00", "today", "2026-02-24T23:00:00"),
        ("2026-02-25T12:00:00", "week", "2026-02-22T23:00:00"),
        ("2026-02-25T12:00:00", "month", "2026-01-31T23:00:00"),
        # 00:30 on Monday 2 March in Oslo, still Sunday in UTC
        ("2026-03-01T23:30:00", "today", "2026-03-01T23:00:00"),
        ("2026-03-01T23:30:00", "week", "2026-03-01T23:00:00"),
        ("2026-03-01T23:30:00", "month", "2026-02-28T23:00:00"),
        # In summer time the week started at 22:00 UTC; the month began in winter time
        ("2026-03-31T12:00:00", "today", "2026-03-30T22:00:00"),
        ("2026-03-31T12:00:00", "week", "2026-03-29T22:00:00"),
        ("2026-03-31T12:00:00", "month", "2026-02-28T23:00:00"),
    ],
)
def test_period_starts_at_oslo_midnight(now: str, period: str, start: str) -> None:
    assert period_start(period, utc(now)) == utc(start)


def test_unknown_period_is_an_error() -> None:
    with pytest.raises(ValueError, match="period"):
        period_start("year", utc("2026-02-25T12:00:00"))
