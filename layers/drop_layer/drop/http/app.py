"""The resolver factory and the one place where domain errors become HTTP responses."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from pydantic import ValidationError

from drop.errors import DomainError, ServiceUnavailable
from drop.http.envelope import error
from drop.http.json import dumps, loads
from drop.http.request import json_body, validation_details
from drop.observability import logger


def build_app(*routers: Router) -> APIGatewayRestResolver:
    app = APIGatewayRestResolver(serializer=dumps, json_body_deserializer=loads)
    for router in routers:
        app.include_router(router)
    app.use(middlewares=[reject_malformed_json])

    @app.exception_handler(DomainError)
    def on_domain_error(exc: DomainError) -> Response[str]:
        if exc.status >= 500:
            logger.warning("request failed", extra={"error": exc.code, "reason": exc.message})
        return error(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(ValidationError)
    def on_validation_error(exc: ValidationError) -> Response[str]:
        return error(422, "validation_error", "Validation failed", validation_details(exc))

    @app.not_found
    def on_not_found(_: NotFoundError) -> Response[str]:
        return error(404, "not_found", "Route not found")

    @app.exception_handler(Exception)
    def on_unexpected(exc: Exception) -> Response[str]:
        if _is_database_outage(exc):
            unavailable = ServiceUnavailable()
            logger.warning("database unavailable", extra={"error": type(exc).__name__})
            return error(unavailable.status, unavailable.code, unavailable.message)
        # Log under the correlation id; tell the client only the id. A database error's text can quote
        # row contents (DETAIL: Failing row contains …), so for those only the type and SQLSTATE are logged.
        correlation_id = logger.get_correlation_id() or "unknown"
        if _is_database_error(exc):
            logger.error(
                "unhandled database error",
                extra={
                    "correlation_id": correlation_id,
                    "error_type": type(exc).__name__,
                    "sqlstate": getattr(exc, "sqlstate", None),
                },
            )
        else:
            logger.exception("unhandled error", extra={"correlation_id": correlation_id})
        return error(
            500,
            "internal_error",
            "Something went wrong on our side",
            [{"correlationId": correlation_id}],
        )

    return app


def reject_malformed_json(app: APIGatewayRestResolver, next_middleware: NextMiddleware) -> Response[str]:
    """A body that is not JSON is a 400 on every route, before authentication or anything else runs."""
    event = app.current_event
    if event.http_method in ("POST", "PUT", "PATCH") and event.body and event.body.strip():
        json_body(event)  # raises BadRequest
    return next_middleware(app)


def _is_database_error(exc: Exception) -> bool:
    import psycopg

    return isinstance(exc, psycopg.Error)


def _is_database_outage(exc: Exception) -> bool:
    import psycopg  # local import: keeps handler import light when the error path is never hit

    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)
