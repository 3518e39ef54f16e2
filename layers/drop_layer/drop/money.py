"""Decimal money rules (DESIGN §7): fees round half-up to øre, received amounts round down."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

ORE = Decimal("0.01")
REMITTANCE_FEE_RATE = Decimal("0.005")
QR_FEE_RATE = Decimal("0.01")
REMITTANCE_FEE_PERCENT = Decimal("0.5")
QR_FEE_PERCENT = Decimal("1")
MAX_AMOUNT = Decimal("1000000.00")

# Of the supported corridors only Poland is in the EEA (DESIGN §6.6).
COUNTRY_CURRENCY: dict[str, str] = {"RS": "RSD", "BA": "BAM", "PL": "PLN", "PK": "PKR", "TR": "TRY"}
COUNTRY_NAME: dict[str, str] = {
    "RS": "Serbia",
    "BA": "Bosnia and Herzegovina",
    "PL": "Poland",
    "PK": "Pakistan",
    "TR": "Turkey",
}
EEA_COUNTRIES = frozenset({"PL"})
SEND_CURRENCY = "NOK"


def to_ore(amount: Decimal) -> Decimal:
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def fee_for(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(ORE, rounding=ROUND_HALF_UP)


def remittance_fee(amount: Decimal) -> Decimal:
    return fee_for(amount, REMITTANCE_FEE_RATE)


def qr_fee(amount: Decimal) -> Decimal:
    return fee_for(amount, QR_FEE_RATE)


def receive_amount(amount: Decimal, exchange_rate: Decimal) -> Decimal:
    return (amount * exchange_rate).quantize(ORE, rounding=ROUND_DOWN)


def delivery_estimate(country: str | None) -> str:
    """QR (no country) is instant; EEA 1-2 business days; everything else 2-4."""
    if country is None:
        return "Instant"
    return "1-2 business days" if country in EEA_COUNTRIES else "2-4 business days"
