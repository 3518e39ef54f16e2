"""Invoke a handler module in-process as Lambda would, and read its proxy response."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class FakeLambdaContext:
    function_name: str = "drop-test"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:eu-north-1:123456789012:function:drop-test"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    log_group_name: str = "/aws/lambda/drop-test"
    log_stream_name: str = "test"

    def get_remaining_time_in_millis(self) -> int:
        return 15_000


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    raw_body: str

    @property
    def json(self) -> Any:
        return json.loads(self.raw_body, parse_float=Decimal) if self.raw_body else None

    @property
    def data(self) -> Any:
        return self.json["data"]


def invoke(handler: Any, event: dict[str, Any]) -> ApiResponse:
    result = handler.lambda_handler(event, FakeLambdaContext())
    headers = {k.lower(): v for k, v in (result.get("headers") or {}).items()}
    multi = {k.lower(): v for k, v in (result.get("multiValueHeaders") or {}).items()}
    for key, values in multi.items():
        headers.setdefault(key, values[-1])
    cookies = list(multi.get("set-cookie", []))
    if "set-cookie" in (result.get("headers") or {}):
        cookies.append(result["headers"]["set-cookie"])
    return ApiResponse(result["statusCode"], headers, cookies, result.get("body") or "")
