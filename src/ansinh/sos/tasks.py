"""Background work of the workers-abroad service. Tasks take ids and are safe to run twice."""

from celery import shared_task

from ansinh.notify.services import push_broadcast
from ansinh.sos import selectors
from ansinh.sos.services import desk


@shared_task(name="ansinh.sos.tasks.sweep_overdue_requests")
def sweep_overdue_requests() -> int:
    return desk.overdue_sweep()


@shared_task(name="ansinh.sos.tasks.push_urgent_notice")
def push_urgent_notice(notice_id: int) -> tuple[int, int]:
    """A web push to every subscribed phone in the notice's audience. The notice stays one row; the push
    is delivery, not a record (a phone that missed it sees the notice in the app)."""
    notice = selectors.published_notices().filter(pk=notice_id, urgent=True).first()
    if notice is None:  # withdrawn, or not urgent after all
        return 0, 0
    payload = {
        "title": notice.title,
        "body": notice.body[:180],
        "url": f"/notices/{notice.pk}/",
        "tag": f"ansinh-notice-{notice.pk}",
        "lang": "vi",
    }
    return push_broadcast(selectors.audience_push_subscriptions(notice), payload)
