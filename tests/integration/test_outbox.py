"""The outbox: a message that could not be sent after commit is sent by the sweeper; housekeeping."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import outbox_handler
import psycopg
import pytest
import settlement_handler

from drop.adapters.queue import use_publisher
from drop.db import get_db
from local.queue_poller import scheduled_event
from tests.support.lambda_invoke import FakeLambdaContext
from tests.support.money import TransactionsApi, make_recipient, receive, settle, transaction_row
from tests.support.users import make_user


class BrokenQueue:
    def send(self, queue_url: str, body: str) -> str:
        raise ConnectionError("SQS is unreachable")


@pytest.fixture
def broken_queue() -> Iterator[None]:
    use_publisher(BrokenQueue())
    yield
    use_publisher(None)


def _sweep() -> dict[str, int]:
    result: dict[str, int] = outbox_handler.lambda_handler(scheduled_event("eu-north-1"), FakeLambdaContext())
    return result


def _outbox() -> list[dict[str, object]]:
    return get_db().fetch_all("SELECT id, payload, sent_at, attempts, last_error FROM outbox ORDER BY id")


def _age_outbox(seconds: int) -> None:
    get_db().execute("UPDATE outbox SET created_at = now() - make_interval(secs => %s)", (seconds,))


def test_a_message_sqs_refused_after_commit_is_sent_by_the_sweeper(aws: dict[str, str]) -> None:
    # Given a remittance committed while SQS was unreachable
    user = make_user()
    use_publisher(BrokenQueue())
    try:
        response = TransactionsApi(user.cookie).remittance(
            {"recipientId": make_recipient(user.id), "amount": 100}
        )
    finally:
        use_publisher(None)

    # Then the request still succeeded, and the outbox row waits with the error recorded
    assert response.status == 201
    [row] = _outbox()
    assert row["sent_at"] is None
    assert row["attempts"] == 1
    assert "SQS is unreachable" in str(row["last_error"])
    assert receive(aws["queue_url"]).messages == []

    # When the sweeper runs before 30 seconds have passed, it leaves the row to the request
    assert _sweep()["sent"] == 0

    # When it runs after 30 seconds
    _age_outbox(31)
    result = _sweep()

    # Then the message is on the queue, marked sent, and settles like any other
    assert result["sent"] == 1
    assert _outbox()[0]["sent_at"] is not None
    received = receive(aws["queue_url"])
    assert received.bodies == [{"transactionId": response.data["id"]}]
    settle(settlement_handler, received)
    assert transaction_row(response.data["id"])["status"] == "completed"
    # And a second sweep sends nothing again
    assert _sweep()["sent"] == 0


def test_a_message_sent_right_after_commit_is_marked_and_not_swept(aws: dict[str, str]) -> None:
    user = make_user()
    TransactionsApi(user.cookie).remittance({"recipientId": make_recipient(user.id), "amount": 100})
    [row] = _outbox()
    assert row["sent_at"] is not None
    assert row["attempts"] == 1
    _age_outbox(60)
    assert _sweep()["sent"] == 0
    assert len(receive(aws["queue_url"]).messages) == 1


def test_a_failed_sweep_records_the_attempt_and_tries_again_next_time(broken_queue: None) -> None:
    user = make_user()
    TransactionsApi(user.cookie).remittance({"recipientId": make_recipient(user.id), "amount": 100})
    _age_outbox(31)

    first = _sweep()
    second = _sweep()

    assert (first["sent"], first["failed"]) == (0, 1)
    assert (second["sent"], second["failed"]) == (0, 1)
    [row] = _outbox()
    assert row["sent_at"] is None
    assert row["attempts"] == 3  # the request's own try, then two sweeps


def test_a_row_another_sweeper_holds_is_skipped(
    aws: dict[str, str], database: str, broken_queue: None
) -> None:
    user = make_user(balances=(Decimal("1000.00"),))
    api = TransactionsApi(user.cookie)
    recipient_id = make_recipient(user.id)
    api.remittance({"recipientId": recipient_id, "amount": 10})
    api.remittance({"recipientId": recipient_id, "amount": 10})
    _age_outbox(31)
    use_publisher(None)
    first_id, second_id = (row["id"] for row in _outbox())

    with psycopg.connect(database) as other:  # another sweep, mid-flight, holding the first row
        other.execute("SELECT id FROM outbox WHERE id = %s FOR UPDATE", (first_id,))
        result = _sweep()

    assert result["sent"] == 1
    sent = {row["id"]: row["sent_at"] for row in _outbox()}
    assert sent[first_id] is None
    assert sent[second_id] is not None


def test_the_sweeper_purges_expired_keys_old_rate_windows_and_expired_login_flows() -> None:
    user = make_user()
    db = get_db()
    db.execute(
        "INSERT INTO idempotency_keys (user_id, idempotency_key, route, request_hash, status, expires_at)"
        " VALUES (%s, 'old', 'r', 'h', 'completed', now() - interval '1 minute'),"
        "        (%s, 'live', 'r', 'h', 'completed', now() + interval '1 hour')",
        (user.id, user.id),
    )
    now = datetime.now(UTC)
    db.execute(
        "INSERT INTO rate_limits (bucket, window_start, count) VALUES ('b', %s, 1), ('b', %s, 1)",
        (now - timedelta(hours=2), now - timedelta(minutes=1)),
    )
    db.execute(
        "INSERT INTO auth_flows (state, nonce, code_verifier, platform, expires_at)"
        " VALUES ('gone', 'n', 'v', 'web', now() - interval '1 minute'),"
        "        ('live', 'n', 'v', 'web', now() + interval '5 minutes')",
    )

    result = _sweep()

    assert (
        result["idempotency_keys_purged"],
        result["rate_limit_windows_purged"],
        result["auth_flows_purged"],
    ) == (
        1,
        1,
        1,
    )
    assert [
        row["idempotency_key"] for row in db.fetch_all("SELECT idempotency_key FROM idempotency_keys")
    ] == ["live"]
    assert [row["state"] for row in db.fetch_all("SELECT state FROM auth_flows")] == ["live"]
