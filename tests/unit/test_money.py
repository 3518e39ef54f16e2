from __future__ import annotations

from decimal import Decimal

import pytest

from drop.money import delivery_estimate, qr_fee, receive_amount, remittance_fee


@pytest.mark.parametrize(
    ("amount", "fee"),
    [("2000", "10.00"), ("1", "0.01"), ("0.99", "0.00"), ("1.01", "0.01"), ("3", "0.02"), ("100.10", "0.50")],
)
def test_remittance_fee_is_half_a_percent_rounded_half_up_to_ore(amount: str, fee: str) -> None:
    assert remittance_fee(Decimal(amount)) == Decimal(fee)


def test_half_ore_rounds_up_not_to_even() -> None:
    # 0.5 % of 0.90 is 0.0045 → 0.00; of 1.00 is 0.005 → 0.01 (banker's rounding would give 0.00)
    assert remittance_fee(Decimal("1.00")) == Decimal("0.01")
    assert qr_fee(Decimal("0.50")) == Decimal("0.01")
    assert qr_fee(Decimal("129")) == Decimal("1.29")


def test_receive_amount_rounds_down() -> None:
    assert receive_amount(Decimal("2000"), Decimal("11.7")) == Decimal("23400.00")
    assert receive_amount(Decimal("10.01"), Decimal("0.089")) == Decimal("0.89")


def test_delivery_estimates_follow_the_eea_rule() -> None:
    assert delivery_estimate(None) == "Instant"
    assert delivery_estimate("PL") == "1-2 business days"
    for country in ("RS", "BA", "PK", "TR"):
        assert delivery_estimate(country) == "2-4 business days"
