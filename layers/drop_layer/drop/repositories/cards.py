"""Cards, their spending limits and their history.

Every read filters by the owner (DESIGN §8). Reads never select `pin_hash` (only whether one exists), and
only the row-locking read used before an issuer call selects `issuer_token`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drop.db import Cursor, get_db

_PUBLIC = (
    "id, user_id, type, status, last4, expiry_month, expiry_year, pin_hash IS NOT NULL AS has_pin,"
    " physical_ordered_at, created_at"
)
_LIMIT_ORDER = "ARRAY['daily', 'weekly', 'monthly', 'transaction']"


def list_open(user_id: str) -> list[dict[str, Any]]:
    # Served by the partial index cards_by_user (status <> 'cancelled').
    return get_db().fetch_all(
        f"SELECT {_PUBLIC} FROM cards WHERE user_id = %s AND status <> 'cancelled'"
        " ORDER BY created_at DESC, id DESC",
        (user_id,),
    )


def find(user_id: str, card_id: str) -> dict[str, Any] | None:
    return get_db().fetch_one(
        f"SELECT {_PUBLIC} FROM cards WHERE id = %s AND user_id = %s", (card_id, user_id)
    )


def lock_owned(cur: Cursor, user_id: str, card_id: str) -> dict[str, Any] | None:
    """The card with its issuer token, locked until the transaction ends (serialises changes to it)."""
    cur.execute(
        f"SELECT {_PUBLIC}, issuer_token FROM cards WHERE id = %s AND user_id = %s FOR UPDATE",
        (card_id, user_id),
    )
    return cur.fetchone()


def lock_user_cards(cur: Cursor, user_id: str) -> None:
    """Serialise card creation per user so the open-card cap cannot be raced past."""
    cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (f"cards:{user_id}",))


def count_open(cur: Cursor, user_id: str) -> int:
    # Bounded by the per-user cap, and answered from the partial index: not a growing-table count.
    cur.execute("SELECT count(*) AS n FROM cards WHERE user_id = %s AND status <> 'cancelled'", (user_id,))
    row = cur.fetchone()
    return int(row["n"]) if row else 0


def lock_open_of_user(cur: Cursor, user_id: str) -> list[dict[str, Any]]:
    cur.execute(
        "SELECT id, status, issuer_token FROM cards WHERE user_id = %s AND status <> 'cancelled'"
        " ORDER BY created_at, id FOR UPDATE",
        (user_id,),
    )
    return [dict(row) for row in cur.fetchall()]


def cancel_all_and_forget_pins(cur: Cursor, user_id: str) -> None:
    cur.execute(
        "UPDATE cards SET status = 'cancelled', pin_hash = NULL, updated_at = now()"
        " WHERE user_id = %s AND (status <> 'cancelled' OR pin_hash IS NOT NULL)",
        (user_id,),
    )


def insert(
    cur: Cursor,
    *,
    card_id: str,
    user_id: str,
    card_type: str,
    issuer_token: str,
    last4: str,
    expiry_month: int,
    expiry_year: int,
) -> dict[str, Any]:
    cur.execute(
        "INSERT INTO cards (id, user_id, type, status, issuer_token, last4, expiry_month, expiry_year)"
        f" VALUES (%s, %s, %s, 'active', %s, %s, %s, %s) RETURNING {_PUBLIC}",
        (card_id, user_id, card_type, issuer_token, last4, expiry_month, expiry_year),
    )
    return _one(cur)


def set_status(cur: Cursor, card_id: str, status: str) -> dict[str, Any]:
    cur.execute(
        f"UPDATE cards SET status = %s, updated_at = now() WHERE id = %s RETURNING {_PUBLIC}",
        (status, card_id),
    )
    return _one(cur)


def set_pin_hash(cur: Cursor, card_id: str, pin_hash: str) -> dict[str, Any]:
    cur.execute(
        f"UPDATE cards SET pin_hash = %s, updated_at = now() WHERE id = %s RETURNING {_PUBLIC}",
        (pin_hash, card_id),
    )
    return _one(cur)


def record_physical_order(cur: Cursor, card_id: str, address: str) -> dict[str, Any]:
    cur.execute(
        "UPDATE cards SET shipping_address = %s, physical_ordered_at = now(), updated_at = now()"
        f" WHERE id = %s RETURNING {_PUBLIC}",
        (address, card_id),
    )
    return _one(cur)


def add_event(
    cur: Cursor, card_id: str, action: str, from_status: str | None, to_status: str, detail: str | None = None
) -> None:
    cur.execute(
        "INSERT INTO card_events (card_id, action, from_status, to_status, detail)"
        " VALUES (%s, %s, %s, %s, %s)",
        (card_id, action, from_status, to_status, detail),
    )


def limits_of(user_id: str, card_id: str) -> list[dict[str, Any]] | None:
    """The card's limits in the documented order, [] when it has none, None when it is not the user's card.

    One round trip: the owner check and the limits come from the same LEFT JOIN.
    """
    rows = get_db().fetch_all(
        "SELECT l.limit_type, l.amount, l.currency, l.updated_at"
        " FROM cards c LEFT JOIN card_limits l ON l.card_id = c.id"
        f" WHERE c.id = %s AND c.user_id = %s ORDER BY array_position({_LIMIT_ORDER}, l.limit_type)",
        (card_id, user_id),
    )
    if not rows:
        return None
    return [row for row in rows if row["limit_type"] is not None]


def upsert_limit(cur: Cursor, card_id: str, limit_type: str, amount: Decimal) -> dict[str, Any]:
    """One row per (card, limit type): setting a type again replaces it."""
    cur.execute(
        "INSERT INTO card_limits (card_id, limit_type, amount) VALUES (%s, %s, %s)"
        " ON CONFLICT (card_id, limit_type) DO UPDATE SET amount = EXCLUDED.amount, updated_at = now()"
        " RETURNING limit_type, amount, currency, updated_at",
        (card_id, limit_type, amount),
    )
    return _one(cur)


def _one(cur: Cursor) -> dict[str, Any]:
    row = cur.fetchone()
    if row is None:
        raise LookupError("the card row vanished inside its own transaction")
    return dict(row)
