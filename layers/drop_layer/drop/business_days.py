"""The Norwegian business-day calendar behind the complaint deadline (Finansavtaleloven §3-53).

A business day is Monday to Friday and not a Norwegian public holiday (helligdager and 1 and 17 May).
Easter-based holidays follow Easter Sunday from the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
The receipt day is the Oslo calendar day a complaint arrived on; day 1 is the first business day after it,
and the deadline is the end of the 15th (23:59:59 Oslo time), which gives the customer every hour of it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache

from drop.clock import OSLO

COMPLAINT_RESPONSE_BUSINESS_DAYS = 15
END_OF_DAY = time(23, 59, 59)


def easter_sunday(year: int) -> date:
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    leap = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * leap) // 451
    month, day = divmod(h + leap - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def public_holidays(year: int) -> frozenset[date]:
    easter = easter_sunday(year)
    fixed = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 17), date(year, 12, 25), date(year, 12, 26)}
    # Maundy Thursday, Good Friday, Easter Sunday and Monday, Ascension Day, Whit Sunday and Monday.
    moving = {easter + timedelta(days=offset) for offset in (-3, -2, 0, 1, 39, 49, 50)}
    return frozenset(fixed | moving)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_business_days(start: date, count: int) -> date:
    """The `count`-th business day after `start` (start itself never counts)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return day


def complaint_due_at(received_at: datetime) -> datetime:
    """End of the 15th Norwegian business day after the Oslo day of receipt, in UTC."""
    if received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    receipt_day = received_at.astimezone(OSLO).date()
    due_day = add_business_days(receipt_day, COMPLAINT_RESPONSE_BUSINESS_DAYS)
    return datetime.combine(due_day, END_OF_DAY, tzinfo=OSLO).astimezone(UTC)
