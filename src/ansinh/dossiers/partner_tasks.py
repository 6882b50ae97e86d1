"""Delivering partner callbacks. Tasks take ids and are safe to run twice (see
`services.partners.callback_deliver`); the registered names keep the `ansinh.dossiers.tasks` prefix."""

from typing import Any

from celery import shared_task

from ansinh.dossiers import partner_selectors
from ansinh.dossiers.models import CallbackStatus
from ansinh.dossiers.services import partners


@shared_task(
    bind=True,
    name="ansinh.dossiers.tasks.deliver_callback",
    acks_late=True,
    max_retries=partners.CALLBACK_MAX_ATTEMPTS,
)
def deliver_callback(self: Any, callback_id: int) -> str | None:
    """One attempt; in a worker, a failure that may pass is retried when the back-off says.

    Eager (no broker: the embedded default, and the tests) Celery would run the retry at once, inside the
    caller, with no back-off. There the callback stays pending with its next attempt time, and the sweep
    (`retry_due_callbacks`) sends it again when that time has come."""
    status = partners.callback_deliver(callback_id)
    in_worker = not (self.request.is_eager or self.request.called_directly)
    if status == CallbackStatus.PENDING and in_worker and self.request.retries < self.max_retries:
        wait = partner_selectors.callback_due_in(callback_id)
        if wait is not None:
            raise self.retry(countdown=wait)
    return status.value if status is not None else None


@shared_task(name="ansinh.dossiers.tasks.retry_due_callbacks")
def retry_due_callbacks(limit: int = 500) -> int:
    """The safety net, run by beat every minute: sends every pending callback whose next attempt is due
    (a retry lost with a worker, a broker that was down at commit, or eager mode's retries)."""
    ids = partner_selectors.due_callback_ids(limit)
    for callback_id in ids:
        deliver_callback.delay(callback_id)
    return len(ids)
