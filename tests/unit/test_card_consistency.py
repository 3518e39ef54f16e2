"""When the issuer said yes but our commit failed, the issuer's step is undone where it can be."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest

from drop.adapters.card_issuer import SandboxCardIssuer, use_issuer
from drop.repositories import cards as cards_repo
from drop.services import cards as cards_service

USER = "usr_0123456789abcdef"
CARD = "card_0123456789abcdef"


class CommitFails:
    """A database whose every transaction fails at commit, after its body ran."""

    @contextmanager
    def transaction(self) -> Iterator[object]:
        yield object()
        raise psycopg.OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxCardIssuer]:
    issuer = SandboxCardIssuer()
    token = issuer.issue_card(USER, "virtual").token
    row = {
        "id": CARD,
        "user_id": USER,
        "type": "virtual",
        "status": "active",
        "last4": "0042",
        "expiry_month": 2,
        "expiry_year": 2029,
        "has_pin": False,
        "physical_ordered_at": None,
        "created_at": datetime(2026, 2, 23, tzinfo=UTC),
        "issuer_token": token,
    }
    monkeypatch.setattr(cards_service, "get_db", CommitFails)
    monkeypatch.setattr(cards_repo, "lock_owned", lambda cur, user_id, card_id: dict(row))
    monkeypatch.setattr(cards_repo, "lock_user_cards", lambda cur, user_id: None)
    monkeypatch.setattr(cards_repo, "count_open", lambda cur, user_id: 0)
    monkeypatch.setattr(cards_repo, "set_status", lambda cur, card_id, status: {**row, "status": status})
    monkeypatch.setattr(cards_repo, "insert", lambda cur, **kw: {**row, "id": kw["card_id"]})
    monkeypatch.setattr(cards_repo, "add_event", lambda *args, **kw: None)
    use_issuer(issuer)
    yield issuer
    use_issuer(None)


def only_token(issuer: SandboxCardIssuer) -> str:
    (token,) = issuer.cards
    return token


def test_a_freeze_whose_commit_fails_is_unfrozen_again_at_the_issuer(sandbox: SandboxCardIssuer) -> None:
    with pytest.raises(psycopg.OperationalError):
        cards_service.set_status(USER, CARD, "frozen")
    assert sandbox.cards[only_token(sandbox)].status == "active"


def test_an_issued_card_whose_insert_never_commits_is_cancelled(sandbox: SandboxCardIssuer) -> None:
    before = set(sandbox.cards)
    with pytest.raises(psycopg.OperationalError):
        cards_service.create_card(USER, "virtual")
    (new_token,) = set(sandbox.cards) - before
    assert sandbox.cards[new_token].status == "cancelled"


def test_a_cancel_that_cannot_be_undone_is_logged_for_reconciliation_without_the_token(
    sandbox: SandboxCardIssuer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    with pytest.raises(psycopg.OperationalError):
        cards_service.cancel_card(USER, CARD)
    token = only_token(sandbox)
    assert sandbox.cards[token].status == "cancelled"  # the issuer's cancel stands; a retry converges
    records = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [r.getMessage() for r in records] == ["card issuer and database disagree"]
    logged: dict[str, Any] = records[0].__dict__
    assert logged["card_id"] == CARD
    assert token not in str(logged)


def test_a_failing_undo_is_logged_instead(caplog: pytest.LogCaptureFixture) -> None:
    def undo() -> None:
        raise RuntimeError("issuer down")

    caplog.set_level(logging.ERROR)
    cards_service._reconcile(CARD, "frozen", undo)
    assert [r.getMessage() for r in caplog.records] == ["card issuer and database disagree"]
