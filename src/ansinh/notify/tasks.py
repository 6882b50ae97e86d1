"""Delivering messages in the background. Tasks take ids and are safe to run twice (see
`services.delivery_attempt`)."""

from typing import Any

from celery import shared_task

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
