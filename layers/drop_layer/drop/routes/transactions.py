from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from drop import ratelimit
from drop.auth.context import authenticate
from drop.http.envelope import JSON, ok, page
from drop.http.request import parse_body, parse_query
from drop.models.transactions import DisclosureIn, QrPaymentIn, RemittanceIn, TransactionListQuery
from drop.services import idempotency
from drop.services.disclosure import create_disclosure
from drop.services.qr_payment import create_qr_payment
from drop.services.remittance import create_remittance
from drop.services.transactions import get_transaction, list_transactions, receipt, summary

router = Router()

# DESIGN §6.4: 10 remittances and 10 QR payments a minute per user. Counted on payments made, so a burst
# of attempts that fail (402, 422) does not lock the user out; attempts have their own, looser bound.
PAYMENTS_PER_MINUTE = 10
PAYMENT_ATTEMPTS_PER_MINUTE = 60
DISCLOSURES_PER_MINUTE = 60  # not in the spec: each disclosure stores a quote, so it is bounded too


def _idempotency_key() -> str | None:
    return idempotency.check_key(router.current_event.headers.get("Idempotency-Key"))


def _limited(kind: str, user_id: str) -> str:
    ratelimit.hit(f"{kind}-attempts:user:{user_id}", PAYMENT_ATTEMPTS_PER_MINUTE)
    bucket = f"{kind}:user:{user_id}"
    ratelimit.check(bucket, PAYMENTS_PER_MINUTE)
    return bucket


def _made(bucket: str, outcome: idempotency.Outcome) -> Response[str]:
    if outcome.status == 201 and not outcome.replayed:
        ratelimit.record(bucket)
    return _sent(outcome)


def _sent(outcome: idempotency.Outcome) -> Response[str]:
    # The body is already the exact JSON (stored for replays), so it is sent as is, not re-serialised.
    headers = {"Cache-Control": "no-store"}
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(status_code=outcome.status, content_type=JSON, body=outcome.body, headers=headers)


@router.get("/api/transactions")
def get_transactions() -> Response[str]:
    user = authenticate(router.current_event)
    query = parse_query(router.current_event, TransactionListQuery)
    items, total = list_transactions(user, query)
    return page(items, page=query.page, limit=query.limit, total=total)


# Registered before /<id> so "summary" is never taken for a transaction id.
@router.get("/api/transactions/summary")
def get_summary() -> Response[str]:
    return ok(summary(authenticate(router.current_event)))


@router.get("/api/transactions/<transaction_id>")
def get_one(transaction_id: str) -> Response[str]:
    return ok(get_transaction(authenticate(router.current_event), transaction_id))


@router.get("/api/transactions/<transaction_id>/receipt")
def get_receipt(transaction_id: str) -> Response[str]:
    return ok(receipt(authenticate(router.current_event), transaction_id))


@router.post("/api/transactions/disclosure")
def post_disclosure() -> Response[str]:
    user = authenticate(router.current_event)
    ratelimit.hit(f"disclosure:user:{user.id}", DISCLOSURES_PER_MINUTE)
    request = parse_body(router.current_event, DisclosureIn)
    return ok(create_disclosure(user, request))


@router.post("/api/transactions/remittance")
def post_remittance() -> Response[str]:
    user = authenticate(router.current_event)
    bucket = _limited("remittance", user.id)
    request = parse_body(router.current_event, RemittanceIn)
    return _made(bucket, create_remittance(user, request, _idempotency_key()))


@router.post("/api/transactions/qr-payment")
def post_qr_payment() -> Response[str]:
    user = authenticate(router.current_event)
    bucket = _limited("qr", user.id)
    request = parse_body(router.current_event, QrPaymentIn)
    return _made(bucket, create_qr_payment(user, request, _idempotency_key()))
