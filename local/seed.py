"""Demo data for `make dev`: the BankID test persons of `local/bankid.py`, with their sandbox accounts.

They would be created on their first sign-in anyway; seeding them up front lets other demos (payments to
`approved2`, settlement) work before anyone has signed in. Idempotent: a person already in the database
is left alone (balances included), because `make dev` runs this on every start.
"""

from __future__ import annotations

from datetime import date

import psycopg
from psycopg.rows import dict_row

from drop.adapters.screening import ScreeningSubject, get_screening
from drop.repositories import users as users_repo
from drop.services.auth import BankIdIdentity, enroll, linked_accounts
from local.bankid import TEST_PERSONS


def seed_demo_data(conninfo: str) -> None:
    """Insert the test persons that are missing, in one transaction."""
    with psycopg.connect(conninfo, row_factory=dict_row) as conn, conn.transaction(), conn.cursor() as cur:
        for person in TEST_PERSONS:
            if users_repo.bankid_user_exists(cur, person.altsub):
                continue
            identity = BankIdIdentity(
                person.altsub, person.given_name, person.family_name, date.fromisoformat(person.birthdate)
            )
            kyc = get_screening().screen(
                ScreeningSubject(identity.altsub, identity.first_name, identity.last_name, identity.birthdate)
            )
            enroll(cur, identity, kyc, linked_accounts(identity.altsub))
