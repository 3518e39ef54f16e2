"""The Norwegian business-day calendar behind the 15-business-day complaint deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from drop.business_days import (
    add_business_days,
    complaint_due_at,
    easter_sunday,
    is_business_day,
    public_holidays,
)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (1818, date(1818, 3, 22)),
        (2019, date(2019, 4, 21)),
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
        (2038, date(2038, 4, 25)),
        (2285, date(2285, 3, 22)),
    ],
)
def test_easter_sunday_follows_the_gregorian_computus(year: int, easter: date) -> None:
    assert easter_sunday(year) == easter


def test_the_2026_public_holidays_are_the_norwegian_ones() -> None:
    assert public_holidays(2026) == {
        date(2026, 1, 1),  # New Year's Day
        date(2026, 4, 2),  # Maundy Thursday
        date(2026, 4, 3),  # Good Friday
        date(2026, 4, 5),  # Easter Sunday
        date(2026, 4, 6),  # Easter Monday
        date(2026, 5, 1),  # Labour Day
        date(2026, 5, 14),  # Ascension Day
        date(2026, 5, 17),  # Constitution Day
        date(2026, 5, 24),  # Whit Sunday
        date(2026, 5, 25),  # Whit Monday
        date(2026, 12, 25),  # Christmas Day
        date(2026, 12, 26),  # Boxing Day
    }


def test_weekends_and_holidays_are_not_business_days() -> None:
    assert is_business_day(date(2026, 3, 2))  # an ordinary Monday
    assert not is_business_day(date(2026, 3, 7))  # Saturday
    assert not is_business_day(date(2026, 3, 8))  # Sunday
    assert not is_business_day(date(2026, 5, 14))  # Ascension Day, a Thursday
    assert is_business_day(date(2026, 12, 24))  # Christmas Eve is not a public holiday


def test_easter_week_complaint_skips_maundy_thursday_good_friday_and_easter_monday() -> None:
    # Given a complaint received on Wednesday 24 March 2027 (Easter Sunday is 28 March)
    received = datetime(2027, 3, 24, 10, 0, tzinfo=UTC)
    # Then day 1 is Tuesday 30 March and day 15 is Monday 19 April
    assert add_business_days(date(2027, 3, 24), 1) == date(2027, 3, 30)
    assert complaint_due_at(received) == datetime(2027, 4, 19, 21, 59, 59, tzinfo=UTC)  # 23:59:59 CEST


def test_seventeenth_of_may_ascension_and_whit_monday_are_skipped() -> None:
    # 17 May 2028 is a Wednesday, Ascension Day is 25 May, Whit Monday 5 June
    assert add_business_days(date(2028, 5, 16), 1) == date(2028, 5, 18)
    assert add_business_days(date(2028, 5, 16), 15) == date(2028, 6, 9)


def test_christmas_and_new_year_are_skipped() -> None:
    assert add_business_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    # 28-31 Dec are days 1-4, 1 Jan is a holiday, so day 5 is Monday 4 January
    assert add_business_days(date(2026, 12, 24), 5) == date(2027, 1, 4)


def test_an_ordinary_fortnight_is_three_calendar_weeks() -> None:
    # Monday 2 March 2026: 15 business days later is Monday 23 March, 23:59:59 CET
    due = complaint_due_at(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    assert due == datetime(2026, 3, 23, 22, 59, 59, tzinfo=UTC)


def test_the_receipt_day_is_the_oslo_calendar_day() -> None:
    # 23:30 UTC on Monday 2 March is already Tuesday 3 March in Oslo
    late = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    assert complaint_due_at(late) == datetime(2026, 3, 24, 22, 59, 59, tzinfo=UTC)
    same_instant = late.astimezone(timezone(timedelta(hours=-5)))
    assert complaint_due_at(same_instant) == complaint_due_at(late)


def test_a_complaint_received_at_the_weekend_counts_from_monday() -> None:
    saturday = datetime(2026, 3, 7, 12, 0, tzinfo=UTC)
    assert complaint_due_at(saturday) == datetime(2026, 3, 27, 22, 59, 59, tzinfo=UTC)


def test_naive_times_and_non_positive_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        complaint_due_at(datetime(2026, 3, 2, 9, 0))
    with pytest.raises(ValueError):
        add_business_days(date(2026, 3, 2), 0)
