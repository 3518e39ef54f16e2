from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router

from drop.auth.context import authenticate
from drop.http.cookies import cleared_cookie
from drop.http.envelope import ok, page, respond
from drop.http.request import client_ip, parse_body, parse_query
from drop.models.privacy import ComplaintRequest, ComplaintsQuery, ConsentRequest
from drop.services.complaints import COMMITMENT_NOTE, list_complaints, submit_complaint
from drop.services.consents import list_consents, record_consent
from drop.services.privacy import ERASURE_MESSAGE, RETENTION_NOTE, erase_account, export_user_data

router = Router()


@router.get("/api/user/data-export")
def data_export() -> Response[str]:
    user = authenticate(router.current_event)
    result = export_user_data(user.id)
    # `exportedAt` sits beside `data`, as the spec shows (API.md §11.9 G1).
    return ok(result.export, extra={"exportedAt": result.exported_at})


@router.delete("/api/user/account")
def delete_account() -> Response[str]:
    user = authenticate(router.current_event)
    erase_account(user.id, ip_address=client_ip(router.current_event))
    body = {"message": ERASURE_MESSAGE, "retentionNote": RETENTION_NOTE}
    return respond(body, 200, cookies=[cleared_cookie()])


@router.get("/api/consents")
def get_consents() -> Response[str]:
    user = authenticate(router.current_event)
    return ok(list_consents(user.id))


@router.post("/api/consents")
def post_consent() -> Response[str]:
    user = authenticate(router.current_event)
    request = parse_body(router.current_event, ConsentRequest)
    result = record_consent(user.id, request, ip_address=client_ip(router.current_event))
    return ok(result.consent, 201 if result.created else 200)


@router.get("/api/complaints")
def get_complaints() -> Response[str]:
    user = authenticate(router.current_event)
    query = parse_query(router.current_event, ComplaintsQuery)
    result = list_complaints(user.id, limit=query.limit, offset=query.offset)
    return page(result.items, page=query.page, limit=query.limit, total=result.total)


@router.post("/api/complaints")
def post_complaint() -> Response[str]:
    user = authenticate(router.current_event)
    request = parse_body(router.current_event, ComplaintRequest)
    complaint = submit_complaint(user.id, request)
    return ok(complaint, 201, extra={"commitmentNote": COMMITMENT_NOTE})
