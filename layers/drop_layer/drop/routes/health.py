from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from drop.http.envelope import ok
from drop.services.health import check_health

router = Router()


@router.get("/api/health")
def get_health() -> Response[str]:
    report = check_health()
    return ok(report.body, 200 if report.healthy else 503)
