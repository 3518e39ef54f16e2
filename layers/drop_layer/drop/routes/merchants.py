from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from drop.auth.context import authenticate
from drop.http.envelope import ok, page
from drop.http.request import parse_body, parse_query
from drop.models.base import PageQuery
from drop.models.merchants import DashboardQuery, RegisterMerchantIn
from drop.services.merchants import dashboard_for, merchant_of, payments_for, qr_for, register_merchant

router = Router()


@router.post("/api/merchants/register")
def post_register() -> Response[str]:
    user = authenticate(router.current_event)
    body = parse_body(router.current_event, RegisterMerchantIn)
    return ok(register_merchant(user.id, body), 201)


@router.get("/api/merchants/dashboard")
def get_dashboard() -> Response[str]:
    user = authenticate(router.current_event)
    merchant = merchant_of(user.id, user.role)
    query = parse_query(router.current_event, DashboardQuery)
    return ok(dashboard_for(merchant, query.period))


@router.get("/api/merchants/qr")
def get_qr() -> Response[str]:
    user = authenticate(router.current_event)
    merchant = merchant_of(user.id, user.role)
    return ok(qr_for(merchant))


@router.get("/api/merchants/transactions")
def get_transactions() -> Response[str]:
    user = authenticate(router.current_event)
    merchant = merchant_of(user.id, user.role)
    query = parse_query(router.current_event, PageQuery)
    total, items = payments_for(merchant, query)
    return page(items, page=query.page, limit=query.limit, total=total)
