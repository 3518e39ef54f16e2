"""Lambda entry point for the transactions route group; the routes live in drop.routes.transactions."""

from typing import Any

from drop.http.app import build_app
from drop.observability import api_handler
from drop.routes.transactions import router

app = build_app(router)


@api_handler
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return app.resolve(event, context)
