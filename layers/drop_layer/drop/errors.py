"""Domain errors. Services raise these; `drop.http.app` maps them to HTTP in one place."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status: int = 400
    code: str = "bad_request"
    default_message: str = "Bad request"

    def __init__(
        self,
        message: str | None = None,
        *,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        status: int | None = None,
        code: str | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.details = details or []
        self.headers = headers or {}
        if status is not None:
            self.status = status
        if code is not None:
            self.code = code
        super().__init__(self.message)


class BadRequest(DomainError):
    status, code, default_message = 400, "bad_request", "Bad request"


class Unauthorized(DomainError):
    status, code, default_message = 401, "unauthorized", "Authentication required"


class PaymentRequired(DomainError):
    status, code, default_message = 402, "insufficient_balance", "Insufficient balance"


class Forbidden(DomainError):
    status, code, default_message = 403, "forbidden", "Not allowed"


class NotFound(DomainError):
    status, code, default_message = 404, "not_found", "Not found"


class Conflict(DomainError):
    status, code, default_message = 409, "conflict", "Conflict"


class Gone(DomainError):
    status, code, default_message = 410, "gone", "This endpoint is gone"


class ValidationFailed(DomainError):
    status, code, default_message = 422, "validation_error", "Validation failed"


class RateLimited(DomainError):
    status, code, default_message = 429, "rate_limited", "Too many requests"

    def __init__(self, retry_after: int) -> None:
        super().__init__(headers={"Retry-After": str(max(1, retry_after))})
        self.retry_after = max(1, retry_after)


class ServiceUnavailable(DomainError):
    status, code, default_message = 503, "service_unavailable", "Service temporarily unavailable"
