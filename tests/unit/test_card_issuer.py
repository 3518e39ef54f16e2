"""The sandbox card issuer: a token and the last four digits, never a card number."""

from __future__ import annotations

import re
from dataclasses import asdict, fields
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from drop.adapters.card_issuer import IssuedCard, IssuerError, SandboxCardIssuer, get_issuer, use_issuer


def test_an_issued_card_is_a_token_last4_and_a_future_expiry_and_nothing_more() -> None:
    issuer = SandboxCardIssuer()
    issued = issuer.issue_card("usr_0123456789abcdef", "virtual")
    assert {f.name for f in fields(IssuedCard)} == {"token", "last4", "expiry_month", "expiry_year"}
    assert re.fullmatch(r"[0-9]{4}", issued.last4)
    assert issued.token.startswith("ic_sandbox_")
    assert 1 <= issued.expiry_month <= 12
    assert issued.expiry_year == datetime.now(UTC).year + 3
    # No field holds anything that looks like a PAN (13-19 digits) or a CVV
    for value in asdict(issued).values():
        assert not re.search(r"[0-9]{5,}", str(value).replace(issued.token, ""))


def test_the_token_stays_out_of_repr_so_a_log_line_cannot_carry_it() -> None:
    issued = SandboxCardIssuer().issue_card("usr_0123456789abcdef", "physical")
    assert issued.token not in repr(issued)
    assert issued.last4 in repr(issued)


def test_every_card_gets_its_own_token() -> None:
    issuer = SandboxCardIssuer()
    tokens = {issuer.issue_card("usr_0123456789abcdef", "virtual").token for _ in range(50)}
    assert len(tokens) == 50


def test_state_changes_are_recorded_and_idempotent() -> None:
    issuer = SandboxCardIssuer()
    token = issuer.issue_card("usr_0123456789abcdef", "virtual").token
    issuer.freeze(token)
    issuer.freeze(token)
    assert issuer.cards[token].status == "frozen"
    issuer.unfreeze(token)
    assert issuer.cards[token].status == "active"
    issuer.set_pin(token, "0042")
    issuer.set_spending_limit(token, "daily", Decimal("100.00"))
    issuer.order_physical(token, "Karl Johans gate 1, 0154 Oslo")
    card = issuer.cards[token]
    assert (card.has_pin, card.limits, card.physical_address) == (
        True,
        {"daily": Decimal("100.00")},
        "Karl Johans gate 1, 0154 Oslo",
    )
    assert "0042" not in repr(card)  # the sandbox keeps the fact, not the PIN
    issuer.cancel(token)
    issuer.cancel(token)
    assert issuer.cards[token].status == "cancelled"


def test_a_cancelled_card_cannot_be_unfrozen_or_shipped() -> None:
    issuer = SandboxCardIssuer()
    token = issuer.issue_card("usr_0123456789abcdef", "virtual").token
    issuer.cancel(token)
    with pytest.raises(IssuerError):
        issuer.unfreeze(token)
    with pytest.raises(IssuerError):
        issuer.order_physical(token, "Karl Johans gate 1, 0154 Oslo")


def test_a_token_from_another_container_is_accepted_but_garbage_is_not() -> None:
    issuer = SandboxCardIssuer()
    issuer.freeze("ic_sandbox_" + "ab" * 12)
    with pytest.raises(IssuerError):
        issuer.freeze("4111111111111111")


@pytest.mark.parametrize("pin", ["123", "12345", "12a4", " 123"])
def test_the_sandbox_refuses_a_malformed_pin(pin: str) -> None:
    issuer = SandboxCardIssuer()
    token = issuer.issue_card("usr_0123456789abcdef", "virtual").token
    with pytest.raises(IssuerError):
        issuer.set_pin(token, pin)


def test_an_unknown_card_type_is_refused() -> None:
    with pytest.raises(IssuerError):
        SandboxCardIssuer().issue_card("usr_0123456789abcdef", "metal")


def test_the_issuer_can_be_swapped_and_restored() -> None:
    fake = SandboxCardIssuer()
    use_issuer(fake)
    try:
        assert get_issuer() is fake
    finally:
        use_issuer(None)
    assert get_issuer() is not fake
    assert isinstance(get_issuer(), SandboxCardIssuer)
