from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from drop import ratelimit
from drop.http.envelope import ok
from drop.http.request import client_ip
from drop.services.rates import get_rate, list_rates

router = Router()

RATES_PER_MINUTE = 60


def _limit() -> None:
    # One budget per client IP shared by both rates routes (DESIGN §6.4).
    ratelimit.hit(f"rates:ip:{client_ip(router.current_event)}", RATES_PER_MINUTE)


@router.get("/api/rates")
def get_rates() -> Response[str]:
    _limit()
    return ok(list_rates())


@router.get("/api/rates/<currency>")
def get_rate_for(currency: str) -> Response[str]:
    _limit()
    return ok(get_rate(currency))
