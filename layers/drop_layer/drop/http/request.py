"""Request parsing: bad JSON is 400 `bad_request`, field errors are 422 `validation_error` with details."""

from __future__ import annotations

import base64
from typing import Any, TypeVar

from aws_lambda_powertools.utilities.data_classes.common import BaseProxyEvent
from pydantic import BaseModel, ValidationError

from drop.errors import BadRequest, ValidationFailed
from drop.http.json import loads

M = TypeVar("M", bound=BaseModel)


def validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    details = []
    for err in exc.errors(include_url=False, include_input=False):
        field = ".".join(str(part) for part in err["loc"]) or "body"
        message = err["msg"]
        if err["type"] == "extra_forbidden":
            message = "Unknown field"
        details.append({"field": field, "message": message, "type": err["type"]})
    return details


def json_body(event: BaseProxyEvent) -> Any:
    raw = event.body
    if raw and event.is_base64_encoded:
        try:
            raw = base64.b64decode(raw).decode("utf-8")
        except (ValueError, UnicodeDecodeError) as exc:
            raise BadRequest("Request body is not valid base64 UTF-8") from exc
    if raw is None or not raw.strip():
        raise BadRequest("Request body is required")
    try:
        return loads(raw)
    except (ValueError, RecursionError) as exc:
        raise BadRequest("Request body is not valid JSON") from exc


def parse_body(event: BaseProxyEvent, model: type[M]) -> M:
    data = json_body(event)
    if not isinstance(data, dict):
        raise BadRequest("Request body must be a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(details=validation_details(exc)) from exc


def parse_query(event: BaseProxyEvent, model: type[M]) -> M:
    params = dict(event.query_string_parameters or {})
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        raise ValidationFailed("Invalid query parameters", details=validation_details(exc)) from exc


def client_ip(event: BaseProxyEvent) -> str:
    # API Gateway's sourceIp is the TCP peer it saw; X-Forwarded-For is client-controlled and ignored.
    identity = (event.get("requestContext") or {}).get("identity") or {}
    return str(identity.get("sourceIp") or "unknown")
