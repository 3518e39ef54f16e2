from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from drop.auth.context import authenticate
from drop.http.envelope import no_content, ok, page
from drop.http.request import parse_body, parse_query
from drop.models.base import PageQuery
from drop.models.recipients import CreateRecipientIn
from drop.services.recipients import add_recipient, list_recipients, remove_recipient

router = Router()


@router.get("/api/recipients")
def get_recipients() -> Response[str]:
    user = authenticate(router.current_event)
    query = parse_query(router.current_event, PageQuery)
    total, items = list_recipients(user.id, query)
    return page(items, page=query.page, limit=query.limit, total=total)


@router.post("/api/recipients")
def post_recipient() -> Response[str]:
    user = authenticate(router.current_event)
    body = parse_body(router.current_event, CreateRecipientIn)
    return ok(add_recipient(user.id, body), 201)


@router.delete("/api/recipients/<recipient_id>")
def delete_recipient(recipient_id: str) -> Response[str]:
    user = authenticate(router.current_event)
    remove_recipient(user.id, recipient_id)
    return no_content()
