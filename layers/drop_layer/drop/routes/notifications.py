from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from drop import flags
from drop.auth.context import authenticate
from drop.errors import NotFound
from drop.http.envelope import ok, page
from drop.http.request import parse_body, parse_query
from drop.models.base import PageQuery
from drop.models.notifications import MarkReadRequest
from drop.services.notifications import list_notifications, mark_read

router = Router()


def _require_enabled() -> None:
    # Checked before authentication: a disabled feature looks exactly like a route that does not exist.
    if not flags.is_enabled("notifications"):
        raise NotFound("Route not found")


@router.get("/api/notifications")
def get_notifications() -> Response[str]:
    _require_enabled()
    user = authenticate(router.current_event)
    query = parse_query(router.current_event, PageQuery)
    result = list_notifications(user.id, limit=query.limit, offset=query.offset)
    return page(result.items, page=query.page, limit=query.limit, total=result.total)


@router.patch("/api/notifications")
def patch_notifications() -> Response[str]:
    _require_enabled()
    user = authenticate(router.current_event)
    request = parse_body(router.current_event, MarkReadRequest)
    return ok(mark_read(user.id, request.notification_ids))
