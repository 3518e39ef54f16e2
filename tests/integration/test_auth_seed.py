"""`make dev`'s demo data: the BankID test persons, seeded once, then found by their first sign-in."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest

from drop.db import get_db
from local.seed import seed_demo_data
from tests.support.bankid import BankIdDriver, bankid_driver, counts


@pytest.fixture
def bankid(monkeypatch: pytest.MonkeyPatch) -> Iterator[BankIdDriver]:
    yield from bankid_driver(monkeypatch)


def test_seeding_creates_every_test_person_once_and_keeps_their_balances(database: str) -> None:
    seed_demo_data(database)
    assert counts()["users"] == 5 and counts()["accounts"] == 5
    get_db().execute("UPDATE bank_accounts SET balance = 1.00")

    seed_demo_data(database)

    assert counts()["users"] == 5 and counts()["accounts"] == 5
    assert get_db().fetch_one("SELECT sum(balance) AS total FROM bank_accounts") == {"total": Decimal("5.00")}
    kyc = get_db().fetch_all("SELECT kyc_status, count(*) AS n FROM users GROUP BY 1 ORDER BY 1")
    assert kyc == [
        {"kyc_status": "approved", "n": 3},
        {"kyc_status": "pending", "n": 1},
        {"kyc_status": "rejected", "n": 1},
    ]


def test_a_seeded_person_signs_in_as_the_same_user(database: str, bankid: BankIdDriver) -> None:
    seed_demo_data(database)
    seeded = get_db().fetch_one("SELECT id FROM users WHERE first_name = 'Amir'")

    bankid.web_token("approved")

    assert counts()["users"] == 5
    assert get_db().fetch_one("SELECT user_id AS id FROM sessions") == seeded
