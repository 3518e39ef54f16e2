"""Reading transactions: the list, one transaction, the summary and the receipt (API.md T1-T3, T7)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from drop.auth.context import AuthUser
from drop.clock import OSLO, utcnow
from drop.errors import NotFound
from drop.ids import looks_like_id
from drop.models.transactions import (
    PeriodSummary,
    QrPaymentDetail,
    QrPaymentListItem,
    ReceiptMerchant,
    ReceiptOut,
    ReceiptParty,
    RemittanceDetail,
    RemittanceListItem,
    SummaryOut,
    TransactionListQuery,
)
from drop.money import COUNTRY_NAME
from drop.repositories import transactions as tx_repo

ListItem = RemittanceListItem | QrPaymentListItem


def list_transactions(user: AuthUser, query: TransactionListQuery) -> tuple[list[ListItem], int]:
    total, rows = tx_repo.page_for_user(
        user.id, type=query.type, status=query.status, limit=query.limit, offset=query.offset
    )
    return [_list_item(row) for row in rows], total


def _list_item(row: dict[str, Any]) -> ListItem:
    # API.md T1 and §13 C23: shown as outgoing, the send amount without the fee.
    amount = -row["send_amount"]
    if row["type"] == "remittance":
        return RemittanceListItem(
            id=row["id"],
            status=row["status"],
            amount=amount,
            currency=row["send_currency"],
            recipient_name=row["recipient_name"],
            created_at=row["created_at"],
        )
    return QrPaymentListItem(
        id=row["id"],
        status=row["status"],
        amount=amount,
        currency=row["send_currency"],
        merchant_name=row["merchant_name"],
        created_at=row["created_at"],
    )


def _owned(user: AuthUser, transaction_id: str) -> dict[str, Any]:
    # A malformed id cannot exist: 404 without a query, same as someone else's transaction.
    if not (looks_like_id(transaction_id, "tx_rem") or looks_like_id(transaction_id, "tx_qr")):
        raise NotFound("Transaction not found")
    row = tx_repo.find_owned(user.id, transaction_id)
    if row is None:
        raise NotFound("Transaction not found")
    return row


def _country_name(code: str | None) -> str | None:
    return COUNTRY_NAME.get(code, code) if code else None


def get_transaction(user: AuthUser, transaction_id: str) -> RemittanceDetail | QrPaymentDetail:
    row = _owned(user, transaction_id)
    if row["type"] == "remittance":
        return RemittanceDetail(
            id=row["id"],
            status=row["status"],
            send_amount=row["send_amount"],
            send_currency=row["send_currency"],
            receive_amount=row["receive_amount"],
            receive_currency=row["receive_currency"],
            exchange_rate=row["exchange_rate"],  # the rate stored at creation (DESIGN §6.5)
            fee=row["fee"],
            total=row["total"],
            recipient_name=row["recipient_name"],
            recipient_country=_country_name(row["recipient_country"]),
            created_at=row["created_at"],
            completed_at=row["completed_at"],
        )
    return QrPaymentDetail(
        id=row["id"],
        status=row["status"],
        amount=row["send_amount"],
        currency=row["send_currency"],
        fee=row["fee"],
        merchant_name=row["merchant_name"],
        merchant_id=row["merchant_id"],
        created_at=row["created_at"],
        completed_at=row["completed_at"],
    )


def month_start(now: datetime) -> datetime:
    """Midnight on the first of the current month in Oslo, as a UTC instant."""
    local = now.astimezone(OSLO)
    # Built afresh, not replace()d: the offset on the 1st may differ from today's (summer time).
    return datetime(local.year, local.month, 1, tzinfo=OSLO).astimezone(UTC)


def summary(user: AuthUser, now: datetime | None = None) -> SummaryOut:
    row = tx_repo.summary(user.id, month_start(now or utcnow()))
    return SummaryOut(
        all_time=PeriodSummary(
            total_count=row["total_count"],
            total_sent=row["total_sent"],
            total_paid=row["total_paid"],
            remittance_count=row["remittance_count"],
            qr_payment_count=row["qr_payment_count"],
        ),
        this_month=PeriodSummary(
            total_count=row["month_total_count"],
            total_sent=row["month_total_sent"],
            total_paid=row["month_total_paid"],
            remittance_count=row["month_remittance_count"],
            qr_payment_count=row["month_qr_payment_count"],
        ),
    )


def receipt(user: AuthUser, transaction_id: str) -> dict[str, Any]:
    row = _owned(user, transaction_id)
    remittance = row["type"] == "remittance"
    out = ReceiptOut(
        transaction_id=row["id"],
        date=row["created_at"],
        type=row["type"],
        amount=row["send_amount"],
        currency=row["send_currency"],
        fee=row["fee"],
        exchange_rate=row["exchange_rate"],
        receive_amount=row["receive_amount"],
        receive_currency=row["receive_currency"],
        recipient=ReceiptParty(name=row["recipient_name"], country=row["recipient_country"])
        if remittance
        else None,
        merchant=None if remittance else ReceiptMerchant(id=row["merchant_id"], name=row["merchant_name"]),
        reference=row["id"],
        status=row["status"],
        # The delivery estimate only means something while the money is on its way.
        estimated_completion=row["eta"] if row["status"] == "processing" else None,
        completed_at=row["completed_at"],
    )
    return out.wire()
