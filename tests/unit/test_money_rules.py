"""Pure money-movement rules: terms, idempotency hashing, the Oslo month, the sandbox PISP, the models."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from drop.adapters.pisp import PaymentOrder, PaymentRejected, PispUnavailable, SandboxPisp
from drop.errors import ValidationFailed
from drop.models.transactions import DisclosureIn, RemittanceIn, SettlementMessage
from drop.repositories.transactions import counter_for
from drop.services.disclosure import remittance_terms
from drop.services.idempotency import check_key, request_hash
from drop.services.transactions import month_start


def test_the_spec_example_2000_nok_to_serbia() -> None:
    terms = remittance_terms(Decimal("2000"), Decimal("11.7"), "RSD", "RS")
    assert (terms.amount, terms.fee, terms.total) == (
        Decimal("2000.00"),
        Decimal("10.00"),
        Decimal("2010.00"),
    )
    assert terms.receive_amount == Decimal("23400.00")
    assert terms.eta == "2-4 business days"


@pytest.mark.parametrize(
    ("amount", "fee"),
    [
        ("1", "0.01"),
        ("0.99", "0.00"),
        ("1.01", "0.01"),
        ("3", "0.02"),
        ("333.33", "1.67"),
        ("1000000", "5000.00"),
    ],
)
def test_the_remittance_fee_is_half_a_percent_rounded_half_up(amount: str, fee: str) -> None:
    assert remittance_terms(Decimal(amount), Decimal("1"), "PLN", "PL").fee == Decimal(fee)


def test_the_receive_amount_is_rounded_down_to_ore() -> None:
    assert remittance_terms(Decimal("1.01"), Decimal("11.719"), "RSD", "RS").receive_amount == Decimal(
        "11.83"
    )
    assert remittance_terms(Decimal("100"), Decimal("0.419999"), "PLN", "PL").receive_amount == Decimal(
        "41.99"
    )


def test_poland_is_the_eea_corridor() -> None:
    assert remittance_terms(Decimal("10"), Decimal("0.41"), "PLN", "PL").eta == "1-2 business days"
    for country in ("RS", "BA", "PK", "TR"):
        assert remittance_terms(Decimal("10"), Decimal("1"), "X", country).eta == "2-4 business days"


def test_the_request_hash_ignores_how_an_amount_or_the_currency_is_written() -> None:
    base = {"recipientId": "rcp_0123456789abcdef", "amount": Decimal("2000")}
    same = [
        {**base, "amount": Decimal("2000.00")},
        {**base, "currency": "NOK"},
        {**base, "currency": "nok"},
        {**base, "currency": None},
    ]
    digest = request_hash("r", RemittanceIn.model_validate(base))
    assert all(request_hash("r", RemittanceIn.model_validate(body)) == digest for body in same)
    assert request_hash("r", RemittanceIn.model_validate({**base, "amount": Decimal("2000.01")})) != digest
    assert request_hash("other route", RemittanceIn.model_validate(base)) != digest


@pytest.mark.parametrize("key", ["a", "order-7f3a", "x" * 255, "550e8400-e29b-41d4-a716-446655440000"])
def test_good_idempotency_keys(key: str) -> None:
    assert check_key(key) == key
    assert check_key(None) is None


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "new\nline", "æøå"])
def test_bad_idempotency_keys(key: str) -> None:
    with pytest.raises(ValidationFailed):
        check_key(key)


@pytest.mark.parametrize(
    ("now", "start"),
    [
        # Winter (UTC+1): 1 February 00:00 in Oslo is 31 January 23:00 UTC
        (datetime(2026, 2, 23, 12, 0, tzinfo=UTC), datetime(2026, 1, 31, 23, 0, tzinfo=UTC)),
        # 22:30 UTC on 31 March is already 1 April in Oslo (summer time, UTC+2)
        (datetime(2026, 3, 31, 22, 30, tzinfo=UTC), datetime(2026, 3, 31, 22, 0, tzinfo=UTC)),
        # Today is summer time but the 1st of March was winter time
        (datetime(2026, 3, 30, 12, 0, tzinfo=UTC), datetime(2026, 2, 28, 23, 0, tzinfo=UTC)),
    ],
)
def test_this_month_starts_at_midnight_on_the_first_in_oslo(now: datetime, start: datetime) -> None:
    assert month_start(now) == start


def _order(iban: str, tx_id: str = "tx_rem_0123456789abcdef") -> PaymentOrder:
    return PaymentOrder(tx_id, "1234.56.78901", iban, "Mama Jasmina", Decimal("2000.00"), "NOK")


def test_the_sandbox_pisp_accepts_deterministically() -> None:
    pisp = SandboxPisp()
    first = pisp.initiate(_order("RS35 2600 0560 1001 6113 79"))
    assert first == pisp.initiate(_order("RS35260005601001611379"))
    assert first.payment_id.startswith("pisp_")
    assert pisp.initiate(_order("RS35260005601001611379", "tx_rem_ffffffffffffffff")) != first


@pytest.mark.parametrize(
    "iban", ["RS20260005601001610000", "PL59109010140000071219810000", "RS98908500010000666666"]
)
def test_the_sandbox_pisp_rejects_the_documented_accounts(iban: str) -> None:
    with pytest.raises(PaymentRejected) as rejected:
        SandboxPisp().initiate(_order(iban))
    assert rejected.value.reason


def test_the_sandbox_pisp_is_unavailable_for_accounts_ending_9999() -> None:
    with pytest.raises(PispUnavailable):
        SandboxPisp().initiate(_order("RS95260005601001619999"))


def test_a_disclosure_names_the_counterparty_its_type_needs() -> None:
    with pytest.raises(ValidationError):
        DisclosureIn.model_validate({"type": "remittance", "amount": 10})
    with pytest.raises(ValidationError):
        DisclosureIn.model_validate(
            {"type": "qr_payment", "amount": 10, "recipientId": "rcp_0123456789abcdef"}
        )
    with pytest.raises(ValidationError):
        DisclosureIn.model_validate(
            {"type": "remittance", "amount": 10, "recipientId": "rcp_0123456789abcdef", "merchantId": "m"}
        )
    assert DisclosureIn.model_validate({"type": "qr_payment", "amount": 10}).currency == "NOK"


def test_only_nok_is_sent() -> None:
    with pytest.raises(ValidationError):
        RemittanceIn.model_validate({"recipientId": "rcp_0123456789abcdef", "amount": 10, "currency": "EUR"})


def test_every_list_filter_has_its_own_counter() -> None:
    assert counter_for(None, None) == "tx"
    assert counter_for("remittance", None) == "tx:type:remittance"
    assert counter_for(None, "failed") == "tx:status:failed"
    assert counter_for("qr_payment", "completed") == "tx:qr_payment:completed"


def test_a_settlement_message_names_a_remittance() -> None:
    assert SettlementMessage.model_validate({"transactionId": "tx_rem_0123456789abcdef"}).transaction_id
    for body in ({}, {"transactionId": "tx_qr_0123456789abcdef"}, {"transactionId": "x"}):
        with pytest.raises(ValidationError):
            SettlementMessage.model_validate(body)
