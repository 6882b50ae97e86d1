"""Delivering messages in the background. Tasks take ids and are safe to run twice (see
`services.delivery_attempt`)."""

from datetime import timedelta
from typing import Any

from celery import shared_task
from django.utils import timezone

from ansinh.notify import rules, selectors, services


@shared_task(name="ansinh.notify.tasks.deliver_message")
def deliver_message(message_id: int) -> int:
    """Fans a message out to one task per pending delivery, so a slow channel never holds up the others."""
    ids = selectors.pending_delivery_ids(message_id)
    for delivery_id in ids:
        deliver.delay(delivery_id)
    return len(ids)


@shared_task(bind=True, name="ansinh.notify.tasks.deliver", max_retries=rules.MAX_ATTEMPTS - 1)
def deliver(self: Any, delivery_id: int) -> str:
    # Retry only in a worker. Eager (no broker: the embedded default, and the tests) Celery would run the
    # retry at once, inside the caller, with no back-off; called directly, `retry` raises into the caller.
    # There the failure is recorded and the delivery stops.
    in_worker = not (self.request.is_eager or self.request.called_directly)
    attempt = services.delivery_attempt(
        delivery_id=delivery_id, may_retry=in_worker and self.request.retries < self.max_retries
    )
    if attempt.retry_in is not None:
        raise self.retry(countdown=attempt.retry_in)
    return attempt.status


# Longer than the longest back-off between a worker's own retries (rules.MAX_ATTEMPTS), so a delivery a
# worker is still retrying is not picked up here; if it is anyway, the attempt's claim stops a double send.
STALE_AFTER = timedelta(minutes=30)


@shared_task(name="ansinh.notify.tasks.resend_stale_deliveries")
def resend_stale_deliveries() -> int:
    """Queues again the deliveries whose task was lost, so that no message is silently dropped."""
    ids = selectors.stale_pending_delivery_ids(untouched_since=timezone.now() - STALE_AFTER)
    for delivery_id in ids:
        deliver.delay(delivery_id)
    return len(ids)
