"""Rate limiting with counters in Postgres (DESIGN §6.4), shared by every Lambda instance.

Fixed one-minute windows counted with one atomic upsert; the previous window is weighted by how much
of it still overlaps the last 60 seconds, which approximates a sliding window without a row per hit.
"""

from __future__ import annotations

from datetime import datetime

from drop.db import get_db
from drop.errors import RateLimited

WINDOW_MS = 60_000  # integer milliseconds: the limiter does exact integer arithmetic, no floats

_HIT = """
WITH hit AS (
    INSERT INTO rate_limits (bucket, window_start, count)
    VALUES (%(bucket)s, date_bin('60 seconds', now(), timestamptz 'epoch'), 1)
    ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limits.count + 1
    RETURNING count, window_start
)
SELECT hit.count AS current,
       coalesce(prev.count, 0) AS previous,
       (extract(epoch FROM now() - hit.window_start) * 1000)::bigint AS elapsed_ms
FROM hit
LEFT JOIN rate_limits prev
       ON prev.bucket = %(bucket)s AND prev.window_start = hit.window_start - interval '60 seconds'
"""


_PEEK = """
SELECT coalesce(sum(count) FILTER (WHERE window_start = w.start), 0) AS current,
       coalesce(sum(count) FILTER (WHERE window_start = w.start - interval '60 seconds'), 0) AS previous,
       (extract(epoch FROM now() - w.start) * 1000)::bigint AS elapsed_ms
FROM (SELECT date_bin('60 seconds', now(), timestamptz 'epoch') AS start) w
LEFT JOIN rate_limits r
       ON r.bucket = %(bucket)s AND r.window_start IN (w.start, w.start - interval '60 seconds')
GROUP BY w.start
"""

_RECORD = """
INSERT INTO rate_limits (bucket, window_start, count)
VALUES (%(bucket)s, date_bin('60 seconds', now(), timestamptz 'epoch'), 1)
ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_limits.count + 1
"""


def hit(bucket: str, limit: int) -> None:
    """Count one request against `bucket`; raise RateLimited once more than `limit` fall in a minute."""
    row = get_db().fetch_one(_HIT, {"bucket": bucket})
    assert row is not None
    _enforce(int(row["current"]), int(row["previous"]), int(row["elapsed_ms"]), limit)


def check(bucket: str, limit: int) -> None:
    """Raise RateLimited when `limit` events were already recorded in the last minute; records nothing.

    For limits on outcomes rather than requests (payments made), paired with `record()` on success.
    """
    row = get_db().fetch_one(_PEEK, {"bucket": bucket})
    assert row is not None
    _enforce(int(row["current"]) + 1, int(row["previous"]), int(row["elapsed_ms"]), limit)


def record(bucket: str) -> None:
    get_db().execute(_RECORD, {"bucket": bucket})


def _enforce(current: int, previous: int, elapsed_ms: int, limit: int) -> None:
    """Allow while current + previous * (share of the previous window inside the last minute) <= limit."""
    remaining_ms = WINDOW_MS - min(max(elapsed_ms, 0), WINDOW_MS)
    if current * WINDOW_MS + previous * remaining_ms <= limit * WINDOW_MS:
        return
    if current > limit or previous == 0:
        retry_ms = remaining_ms
    else:
        # Until enough of the previous window slid out: previous * (remaining - t) <= (limit - current) * W
        retry_ms = remaining_ms - (limit - current) * WINDOW_MS // previous
    raise RateLimited(max(1, -(-retry_ms // 1000)))


def purge_before(cutoff: datetime) -> int:
    return get_db().execute("DELETE FROM rate_limits WHERE window_start < %s", (cutoff,))
