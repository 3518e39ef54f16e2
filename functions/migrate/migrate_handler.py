"""CloudFormation custom resource: apply the SQL migrations on every deploy that changes the layer."""

from typing import Any

from drop.observability import worker_handler
from drop.services.migrate import handle_custom_resource


@worker_handler
def lambda_handler(event: dict[str, Any], context: Any) -> None:
    handle_custom_resource(event, context)
