"""Settling a remittance: initiate the payment through the PISP and record how it ended.

Per message (one transaction id):
- the transaction is locked only while it is `processing`; anything else (already settled by an earlier
  delivery of the same message, or an id that does not exist) is a no-op that succeeds, so SQS
  redelivery changes nothing;
- accepted → `completed`; rejected → `failed` with the debited amount + fee given back to the cached balance,
  in the same database transaction; either way one history event, the counters moved and a notification;
- a transient PISP error propagates: the record is reported as a batch item failure, SQS redelivers it, and
  after 5 receives the queue's redrive policy moves it to the DLQ. A body that does not parse fails the
  same way (the model rejects it), so it cannot block the batch and ends in the DLQ too.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.parser.models import SqsRecordModel
from pydantic import Json

from drop.adapters.pisp import PaymentOrder, PaymentRejected, get_pisp
from drop.db import Cursor, get_db
from drop.models.transactions import SettlementMessage
from drop.observability import logger, metrics
from drop.repositories import bank_accounts, notifications
from drop.repositories import transactions as tx_repo


class SettlementRecord(SqsRecordModel):
    """An SQS record whose body is a settlement message (parsed by BatchProcessor before our handler)."""

    body: Json[SettlementMessage]  # type: ignore[assignment]


def settle_record(record: SettlementRecord) -> None:
    try:
        settle(record.body.transaction_id)
    except Exception:
        # Re-raised so BatchProcessor reports the record as failed and SQS redelivers it.
        logger.warning(
            "settlement failed; the message will be retried",
            extra={
                "transaction_id": record.body.transaction_id,
                "receive_count": record.attributes.ApproximateReceiveCount,
            },
            exc_info=True,
        )
        raise


def settle(transaction_id: str) -> str:
    """Settle one remittance; returns what happened (`completed`, `failed` or `skipped`)."""
    with get_db().transaction() as cur:
        tx = tx_repo.lock_processing(cur, transaction_id)
        if tx is None:
            # Settled by an earlier delivery, or no such transaction: retrying would never change that.
            logger.info("nothing to settle", extra={"transaction_id": transaction_id})
            return "skipped"
        order = PaymentOrder(
            end_to_end_id=tx["id"],
            debtor_account=tx["debtor_account"],
            creditor_iban=tx["recipient_iban"],
            creditor_name=tx["recipient_name"] or "",
            amount=tx["send_amount"],
            currency=tx["send_currency"],
        )
        try:
            accepted = get_pisp().initiate(order)
        except PaymentRejected as rejected:
            _fail(cur, tx, rejected.reason)
            outcome = "failed"
        else:
            _complete(cur, tx, accepted.payment_id)
            outcome = "completed"
    logger.info(f"remittance {outcome}", extra={"transaction_id": transaction_id})
    metrics.add_metric(name=f"Remittances{outcome.capitalize()}", unit=MetricUnit.Count, value=1)
    return outcome


def _complete(cur: Cursor, tx: dict[str, Any], payment_id: str) -> None:
    tx_repo.mark_completed(cur, tx["id"], payment_id)
    tx_repo.add_event(cur, tx["id"], "processing", "completed")
    tx_repo.count_status_change(
        cur, user_id=tx["user_id"], type=tx["type"], old="processing", new="completed"
    )
    notifications.insert(
        cur,
        user_id=tx["user_id"],
        type="transaction",
        title="Transfer completed",
        body=f"Your transfer of {_money(tx)} to {tx['recipient_name']} has been sent.",
    )


def _fail(cur: Cursor, tx: dict[str, Any], reason: str) -> None:
    tx_repo.mark_failed(cur, tx["id"], reason)
    # Give back exactly what the remittance took (amount + fee), in the same database transaction.
    bank_accounts.restore(cur, account_id=tx["bank_account_id"], amount=tx["debited_amount"])
    tx_repo.add_event(cur, tx["id"], "processing", "failed", reason)
    tx_repo.count_status_change(cur, user_id=tx["user_id"], type=tx["type"], old="processing", new="failed")
    notifications.insert(
        cur,
        user_id=tx["user_id"],
        type="transaction",
        title="Transfer failed",
        body=(
            f"Your transfer of {_money(tx)} to {tx['recipient_name']} failed:"
            f" {reason}. {tx['debited_amount']} {tx['send_currency']} was returned to your account."
        ),
    )


def _money(tx: dict[str, Any]) -> str:
    return f"{tx['send_amount']} {tx['send_currency']}"
