"""Run migrations as a CloudFormation custom resource and report back on the pre-signed URL."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from drop.db.conninfo import resolve_conninfo
from drop.db.migrations import apply_migrations
from drop.observability import logger


def handle_custom_resource(event: dict[str, Any], context: Any) -> None:
    status, reason, data = "SUCCESS", "ok", {}
    try:
        # Delete must never touch data: the database outlives the stack's custom resource.
        if event.get("RequestType") in ("Create", "Update"):
            applied = apply_migrations(resolve_conninfo())
            data = {"Applied": ",".join(applied) or "none"}
            logger.info("migrations applied", extra={"applied": applied})
    except Exception as exc:  # noqa: BLE001 - CloudFormation must hear about every failure
        logger.exception("migration failed")
        status, reason = "FAILED", f"{type(exc).__name__}: {exc}"[:500]
    _respond(event, context, status, reason, data)


def _respond(event: dict[str, Any], context: Any, status: str, reason: str, data: dict[str, str]) -> None:
    body = json.dumps(
        {
            "Status": status,
            "Reason": f"{reason} (log stream {getattr(context, 'log_stream_name', '?')})",
            "PhysicalResourceId": event.get("PhysicalResourceId") or "drop-migrations",
            "StackId": event["StackId"],
            "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"],
            "Data": data,
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - CloudFormation's pre-signed https URL
        event["ResponseURL"], data=body, method="PUT", headers={"Content-Type": ""}
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        response.read()
