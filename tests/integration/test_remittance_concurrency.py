"""Concurrent remittances against one balance: the conditional debit lets exactly as many through as fit."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

from drop.db import get_db
from tests.support.lambda_invoke import ApiResponse
from tests.support.money import TransactionsApi, make_recipient
from tests.support.users import balance_of, make_user


def _in_parallel(count: int, call: object) -> list[ApiResponse]:
    # Each thread calls the handler and gets its own database connection (drop.db is per thread).
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(lambda _: call(), range(count)))  # type: ignore[operator]


def test_twenty_concurrent_remittances_each_needing_30_percent_let_exactly_three_through() -> None:
    # Given 6700.00 NOK and remittances of 2000 that each take 2010.00 (30 % of the balance)
    user = make_user(balances=(Decimal("6700.00"),))
    api = TransactionsApi(user.cookie)
    recipient_id = make_recipient(user.id)

    # When 20 are sent at the same time
    responses = _in_parallel(20, lambda: api.remittance({"recipientId": recipient_id, "amount": 2000}))

    # Then exactly 3 succeed, the rest are 402, and the debits add up to the balance change
    statuses = sorted(response.status for response in responses)
    assert statuses == [201] * 3 + [402] * 17
    assert all(r.json["error"] == "insufficient_balance" for r in responses if r.status == 402)
    balance = balance_of(user.account_ids[0])
    assert balance == Decimal("670.00")
    assert balance >= 0
    debited = get_db().fetch_one(
        "SELECT sum(debited_amount) AS total, count(*) AS n FROM transactions WHERE user_id = %s", (user.id,)
    )
    assert debited is not None
    assert (debited["n"], Decimal("6700.00") - debited["total"]) == (3, balance)


def test_concurrent_duplicates_with_one_key_move_money_once() -> None:
    user = make_user(balances=(Decimal("10000.00"),))
    api = TransactionsApi(user.cookie)
    recipient_id = make_recipient(user.id)

    responses = _in_parallel(
        8, lambda: api.remittance({"recipientId": recipient_id, "amount": 100}, key="dup")
    )

    created = [r for r in responses if r.status == 201]
    assert {r.status for r in responses} <= {201, 409}
    assert len({r.raw_body for r in created}) == 1  # every 201 is the same response, replayed
    assert balance_of(user.account_ids[0]) == Decimal("9899.50")
