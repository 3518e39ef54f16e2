"""The envelope (DESIGN §6.7): `{"data": …}`; lists add `pagination`; errors `{error, message, details}`."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.shared.cookies import Cookie

from drop.http.json import dumps

JSON = "application/json"


def respond(
    body: Any,
    status: int = 200,
    *,
    headers: dict[str, str] | None = None,
    cookies: list[Cookie] | None = None,
) -> Response[str]:
    return Response(
        status_code=status,
        content_type=JSON,
        body=dumps(body),
        headers={"Cache-Control": "no-store", **(headers or {})},
        cookies=cookies,
    )


def ok(
    data: Any,
    status: int = 200,
    *,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    cookies: list[Cookie] | None = None,
) -> Response[str]:
    return respond({"data": data, **(extra or {})}, status, headers=headers, cookies=cookies)


def page(items: list[Any], *, page: int, limit: int, total: int) -> Response[str]:
    total_pages = (total + limit - 1) // limit if limit else 0
    pagination = {"page": page, "limit": limit, "total": total, "totalPages": total_pages}
    return respond({"data": items, "pagination": pagination})


def no_content(*, cookies: list[Cookie] | None = None) -> Response[str]:
    return Response(status_code=204, body="", headers={"Cache-Control": "no-store"}, cookies=cookies)


def error(
    status: int,
    code: str,
    message: str,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[str]:
    return respond({"error": code, "message": message, "details": details or []}, status, headers=headers)
