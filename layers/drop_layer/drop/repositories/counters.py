"""Maintained counters behind pagination totals (no count(*) over growing tables on hot paths)."""

from __future__ import annotations

from collections.abc import Iterable

from drop.db import Cursor, get_db


def bump(cur: Cursor, scope: str, names: Iterable[str], delta: int) -> None:
    """Add `delta` to each counter, inside the caller's transaction so counts move with the rows."""
    for name in names:
        if delta >= 0:
            cur.execute(
                "INSERT INTO counters (scope, name, value) VALUES (%s, %s, %s) "
                "ON CONFLICT (scope, name) DO UPDATE SET value = counters.value + EXCLUDED.value",
                (scope, name, delta),
            )
        else:
            # Not an upsert: CHECK (value >= 0) is tested on the proposed INSERT row before ON CONFLICT.
            cur.execute(
                "UPDATE counters SET value = GREATEST(value + %s, 0) WHERE scope = %s AND name = %s",
                (delta, scope, name),
            )


def read(scope: str, name: str) -> int:
    row = get_db().fetch_one("SELECT value FROM counters WHERE scope = %s AND name = %s", (scope, name))
    return int(row["value"]) if row else 0
