"""Lambda entry point for the settlement queue: one remittance per SQS message, partial batch failures.

Only the records that raised come back in `batchItemFailures`; SQS redelivers those and, after the
queue's maxReceiveCount, moves them to the DLQ. The rules per message live in drop.services.settlement.
"""

from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse

from drop.observability import worker_handler
from drop.services.settlement import SettlementRecord, settle_record

# Even when every record of a batch fails, answer with the list of failures instead of raising: the
# records are then retried one by one through SQS, exactly like a partially failed batch.
processor = BatchProcessor(
    event_type=EventType.SQS, model=SettlementRecord, raise_on_entire_batch_failure=False
)


@worker_handler
def lambda_handler(event: dict[str, Any], context: Any) -> PartialItemFailureResponse:
    return process_partial_response(
        event=event, record_handler=settle_record, processor=processor, context=context
    )
