"""GDPR: the export's reads, the erasure's writes and the `data_access_requests` log.

Every export query names its columns and filters by the subject's user id: password and PIN hashes,
issuer tokens, sessions and idempotency records never leave the database this way.
"""

from __future__ import annotations

from typing import Any

from drop.db import Cursor


def _masked(column: str) -> str:
    return f"'*****' || right(regexp_replace({column}, '[^A-Za-z0-9]', '', 'g'), 4) AS {column}"


_EXPORT_QUERIES: dict[str, str] = {
    "transactions": """
        SELECT id, type, status, send_amount, send_currency, receive_amount, receive_currency,
               exchange_rate, fee, fee_percent, total, debited_amount, recipient_id, recipient_name,
               recipient_country, merchant_id, merchant_name, bank_account_id, from_account, eta,
               pisp_payment_id, failure_reason, created_at, updated_at, completed_at
        FROM transactions WHERE user_id = %s ORDER BY created_at DESC, id DESC""",
    # Account numbers masked like everywhere else: DESIGN §8 allows no full account number in a response.
    "recipients": f"""
        SELECT id, name, country, currency, {_masked("bank_account")}, bank_name, created_at, deleted_at
        FROM recipients WHERE user_id = %s ORDER BY created_at DESC, id DESC""",
    "bank_accounts": f"""
        SELECT id, bank_name, {_masked("account_number")}, balance, currency, is_primary,
               balance_updated_at, created_at
        FROM bank_accounts WHERE user_id = %s ORDER BY created_at, id""",
    "consents": """
        SELECT id, user_id, consent_type, granted, granted_at, withdrawn_at, ip_address
        FROM consents WHERE user_id = %s ORDER BY consent_type""",
    "notifications": """
        SELECT id, type, title, body, read, read_at, created_at
        FROM notifications WHERE user_id = %s ORDER BY created_at DESC, id DESC""",
    "complaints": """
        SELECT id, category, subject, description, status, resolution, created_at, resolved_at, due_at
        FROM complaints WHERE user_id = %s ORDER BY created_at DESC, id DESC""",
}


def begin_consistent_read(cur: Cursor) -> None:
    """Must be the transaction's first statement: every export query then sees one snapshot."""
    cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


def profile(cur: Cursor, user_id: str) -> dict[str, Any] | None:
    cur.execute(
        "SELECT id, email, first_name, last_name, phone, date_of_birth, kyc_status, role, created_at"
        " FROM users WHERE id = %s AND deleted_at IS NULL",
        (user_id,),
    )
    row = cur.fetchone()
    return dict(row) if row else None


def export_rows(cur: Cursor, section: str, user_id: str) -> list[dict[str, Any]]:
    cur.execute(_EXPORT_QUERIES[section], (user_id,))
    return [dict(row) for row in cur.fetchall()]


def merchant(cur: Cursor, user_id: str) -> dict[str, Any] | None:
    cur.execute(
        f"SELECT id, business_name, org_number, address, {_masked('bank_account')}, created_at"
        " FROM merchants WHERE user_id = %s",
        (user_id,),
    )
    row = cur.fetchone()
    return dict(row) if row else None


def record_request(cur: Cursor, *, request_id: str, user_id: str, type: str) -> None:
    """The request is served at once, so it is logged as completed."""
    cur.execute(
        "INSERT INTO data_access_requests (id, user_id, type, status, completed_at)"
        " VALUES (%s, %s, %s, 'completed', now())",
        (request_id, user_id, type),
    )


def erase_user(cur: Cursor, user_id: str) -> bool:
    """Soft delete and pseudonymise what AML retention does not need (names, birth date stay).

    The BankID key becomes `erased:<sha256 of it>`, the form `drop.services.auth.erased_altsub` looks for:
    the old identity no longer opens this account, yet an erased person who signs in again is recognised.
    False when the user was already erased (a concurrent request won).
    """
    cur.execute(
        """
        UPDATE users SET deleted_at = now(), pseudonymised_at = now(), updated_at = now(),
               email = NULL, phone = NULL, password_hash = NULL,
               bankid_altsub = 'erased:' || encode(sha256(convert_to(bankid_altsub, 'UTF8')), 'hex')
        WHERE id = %s AND deleted_at IS NULL
        """,
        (user_id,),
    )
    return cur.rowcount == 1


def retire_auth_codes(cur: Cursor, user_id: str) -> None:
    """Unused mobile one-time codes of the user's sessions can no longer be exchanged."""
    cur.execute(
        "UPDATE auth_codes SET used_at = now() WHERE used_at IS NULL"
        " AND session_id IN (SELECT id FROM sessions WHERE user_id = %s)",
        (user_id,),
    )
