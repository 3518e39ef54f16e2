"""Merchants: registration (the user becomes a merchant), the QR they show, and what they earned."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from drop.clock import utcnow
from drop.db import get_db
from drop.errors import Conflict, Forbidden
from drop.ids import new_id
from drop.models.base import PageQuery
from drop.models.merchants import (
    DashboardOut,
    MerchantOut,
    MerchantPaymentOut,
    MerchantQrOut,
    Period,
    RegisterMerchantIn,
)
from drop.money import to_ore
from drop.norway import next_business_day_at, period_start
from drop.repositories import merchants as merchants_repo

# Payout rule: one batch per Norwegian business day at 06:00 Europe/Oslo pays out every completed QR
# payment made before it (net of the 1 % fee). So the next payout is today at 06:00 when that is still
# ahead on a business day, otherwise 06:00 on the next business day (weekends and public holidays skipped).
PAYOUT_TIME = time(6, 0)


def qr_value(merchant_id: str) -> str:
    return f"drop://pay/{merchant_id}"


def register_merchant(user_id: str, body: RegisterMerchantIn) -> MerchantOut:
    with get_db().transaction() as cur:
        row = merchants_repo.insert(
            cur,
            merchant_id=new_id("mer"),
            user_id=user_id,
            business_name=body.business_name,
            org_number=body.org_number,
            address=body.address,
            bank_account=body.bank_account,
        )
        if row is None:
            if merchants_repo.user_is_registered(cur, user_id):
                raise Conflict("You are already registered as a merchant")
            raise Conflict("This organisation number is already registered")
        merchants_repo.make_user_a_merchant(cur, user_id)
    return MerchantOut(
        merchant_id=row["id"],
        business_name=row["business_name"],
        org_number=row["org_number"],
        address=row["address"],
        qr_value=qr_value(row["id"]),
        created_at=row["created_at"],
    )


def merchant_of(user_id: str, role: str) -> dict[str, Any]:
    """The caller's merchant record; 403 unless the role (from the users row, not the JWT) is merchant."""
    merchant = merchants_repo.find_by_user(user_id) if role == "merchant" else None
    if merchant is None:
        raise Forbidden("Only merchants can do this")
    return merchant


def qr_for(merchant: dict[str, Any]) -> MerchantQrOut:
    return MerchantQrOut(
        merchant_id=merchant["id"],
        business_name=merchant["business_name"],
        qr_value=qr_value(merchant["id"]),
        address=merchant["address"],
    )


def dashboard_for(merchant: dict[str, Any], period: Period, now: datetime | None = None) -> DashboardOut:
    now = now or utcnow()
    totals = merchants_repo.revenue_since(merchant["id"], period_start(period, now))
    revenue, fees = to_ore(totals["revenue"]), to_ore(totals["fees"])
    return DashboardOut(
        revenue=revenue,
        transaction_count=int(totals["payments"]),
        fees=fees,
        net_revenue=revenue - fees,
        next_payout=next_business_day_at(now, PAYOUT_TIME),
        payout_time=PAYOUT_TIME.strftime("%H:%M"),
    )


def customer_name(first_name: str, last_name: str) -> str:
    """First name and last initial ("Amir B."): merchants see who paid, not the full name (API §9.10)."""
    first = first_name.strip()
    initial = last_name.strip()[:1].upper()
    return f"{first} {initial}." if initial else first


def payments_for(merchant: dict[str, Any], query: PageQuery) -> tuple[int, list[MerchantPaymentOut]]:
    total, rows = merchants_repo.payments_page(merchant["id"], limit=query.limit, offset=query.offset)
    items = [
        MerchantPaymentOut(
            id=row["id"],
            amount=row["amount"],
            fee=row["fee"],
            net_amount=row["amount"] - row["fee"],
            currency=row["currency"],
            status=row["status"],
            customer_name=customer_name(row["first_name"], row["last_name"]),
            created_at=row["created_at"],
        )
        for row in rows
    ]
    return total, items
