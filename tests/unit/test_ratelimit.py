"""The sliding-window estimate of the rate limiter, in exact integer milliseconds."""

from __future__ import annotations

import pytest

from drop.errors import RateLimited
from drop.ratelimit import _enforce


def test_up_to_the_limit_in_a_fresh_window_is_allowed() -> None:
    _enforce(current=60, previous=0, elapsed_ms=1_000, limit=60)


def test_one_more_is_limited_until_the_window_ends() -> None:
    with pytest.raises(RateLimited) as caught:
        _enforce(current=61, previous=0, elapsed_ms=20_500, limit=60)
    assert caught.value.retry_after == 40  # 39.5 s rounded up


def test_the_previous_window_counts_by_how_much_of_it_is_still_inside_the_minute() -> None:
    # 15 s into the window, 3/4 of the previous one still overlaps: 40 + 30 * 0.75 = 62.5 > 60
    with pytest.raises(RateLimited) as caught:
        _enforce(current=40, previous=30, elapsed_ms=15_000, limit=60)
    # allowed once 30 * (45 - t) / 60 <= 20, i.e. after t = 5 s
    assert caught.value.retry_after == 5
    _enforce(current=40, previous=30, elapsed_ms=20_000, limit=60)  # 40 + 30 * 2/3 = 60
