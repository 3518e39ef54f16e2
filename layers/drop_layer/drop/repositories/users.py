"""Users as sign-in sees them: BankID enrolment (user + linked bank accounts), profile, password login."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg

from drop.db import Cursor, get_db


def find_by_altsub(*altsubs: str) -> dict[str, Any] | None:
    """The user (deleted ones included) known under any of these BankID keys."""
    return get_db().fetch_one(
        "SELECT id, deleted_at FROM users WHERE bankid_altsub = ANY(%s)"
        " ORDER BY deleted_at NULLS FIRST LIMIT 1",
        (list(altsubs),),
    )


def bankid_user_exists(cur: Cursor, altsub: str) -> bool:
    cur.execute("SELECT 1 AS found FROM users WHERE bankid_altsub = %s", (altsub,))
    return cur.fetchone() is not None


def upsert_bankid_user(
    cur: Cursor,
    *,
    user_id: str,
    altsub: str,
    first_name: str,
    last_name: str,
    birthdate: date | None,
    kyc_status: str,
) -> dict[str, Any] | None:
    """Create the person or refresh what BankID and screening say; None when the account was erased.

    The `WHERE deleted_at IS NULL` on the conflict branch is the atomic guard: an erasure that lands
    between the caller's check and this statement still wins.
    """
    cur.execute(
        """
        INSERT INTO users (id, bankid_altsub, first_name, last_name, date_of_birth, kyc_status)
        VALUES (%(id)s, %(altsub)s, %(first)s, %(last)s, %(dob)s, %(kyc)s)
        ON CONFLICT (bankid_altsub) DO UPDATE
            SET first_name = EXCLUDED.first_name,
                last_name = EXCLUDED.last_name,
                date_of_birth = coalesce(EXCLUDED.date_of_birth, users.date_of_birth),
                kyc_status = EXCLUDED.kyc_status,
                updated_at = now()
            WHERE users.deleted_at IS NULL
        RETURNING id, email, role, kyc_status
        """,
        {
            "id": user_id,
            "altsub": altsub,
            "first": first_name,
            "last": last_name,
            "dob": birthdate,
            "kyc": kyc_status,
        },
    )
    row = cur.fetchone()
    return dict(row) if row else None


def link_bank_accounts(cur: Cursor, user_id: str, accounts: list[dict[str, Any]]) -> None:
    """Upsert the AISP reading by (user_id, account_number); exactly one account ends up primary.

    Every other primary is cleared first: the one-primary unique index is not deferrable, so the new
    primary must never be set while the old one still is.
    """
    if not accounts:
        return
    primary = next(a["account_number"] for a in accounts if a["is_primary"])
    cur.execute(
        "UPDATE bank_accounts SET is_primary = false"
        " WHERE user_id = %s AND is_primary AND account_number <> %s",
        (user_id, primary),
    )
    cur.executemany(
        """
        INSERT INTO bank_accounts
            (id, user_id, bank_name, account_number, balance, currency, is_primary, balance_updated_at)
        VALUES (%(id)s, %(user_id)s, %(bank_name)s, %(account_number)s, %(balance)s, %(currency)s,
                %(is_primary)s, now())
        ON CONFLICT (user_id, account_number) DO UPDATE
            SET bank_name = EXCLUDED.bank_name,
                balance = EXCLUDED.balance,
                currency = EXCLUDED.currency,
                is_primary = EXCLUDED.is_primary,
                balance_updated_at = now()
        """,
        [{**account, "user_id": user_id} for account in accounts],
    )


def profile_rows(user_id: str) -> list[dict[str, Any]]:
    """The user and each linked account in one round trip: one row per account (one row if none)."""
    return get_db().fetch_all(
        """
        SELECT u.id, u.email, u.first_name, u.last_name, u.kyc_status, u.created_at,
               b.id AS account_id, b.bank_name, b.account_number, b.balance, b.currency, b.is_primary
        FROM users u
        LEFT JOIN bank_accounts b ON b.user_id = u.id
        WHERE u.id = %s AND u.deleted_at IS NULL
        ORDER BY b.is_primary DESC, b.created_at, b.id
        """,
        (user_id,),
    )


# --- legacy password accounts (flag legacyPasswordAuth) ----------------------------------------------


def email_taken(email: str) -> bool:
    row = get_db().fetch_one(
        "SELECT 1 AS taken FROM users WHERE lower(email) = lower(%s) AND email IS NOT NULL", (email,)
    )
    return row is not None


def insert_password_user(
    *,
    user_id: str,
    email: str,
    password_hash: str,
    first_name: str,
    last_name: str,
    phone: str | None,
    date_of_birth: date,
) -> dict[str, Any] | None:
    """The new user, or None when the e-mail is taken (the unique index decides a concurrent race)."""
    try:
        with get_db().transaction() as cur:
            cur.execute(
                """
                INSERT INTO users (id, email, password_hash, first_name, last_name, phone, date_of_birth)
                VALUES (%s, %s, %s, %s, %s, %s, %s)
                RETURNING id, email, first_name, last_name, date_of_birth, kyc_status, created_at
                """,
                (user_id, email, password_hash, first_name, last_name, phone, date_of_birth),
            )
            row = cur.fetchone()
    except psycopg.errors.UniqueViolation as exc:
        if exc.diag.constraint_name == "users_email_key":
            return None
        raise
    return dict(row) if row else None


def find_password_user(email: str) -> dict[str, Any] | None:
    return get_db().fetch_one(
        """
        SELECT id, email, first_name, last_name, kyc_status, role, password_hash
        FROM users
        WHERE lower(email) = lower(%s) AND email IS NOT NULL AND deleted_at IS NULL
        """,
        (email,),
    )
