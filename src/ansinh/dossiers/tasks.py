"""Celery tasks of the dossier engine: thin, take ids, safe to run twice."""

from celery import shared_task

from ansinh.accounts.models import User
from ansinh.dossiers.models import Dossier
from ansinh.dossiers.services import deadlines, documents, notices


@shared_task(name="ansinh.dossiers.tasks.issue_document", acks_late=True)
def issue_document(event_id: int, kind: str) -> str:
    document, created = documents.document_issue(event_id=event_id, kind=kind)
    if created:
        notices.tell_applicant_of_document(document)
    return document.short_code


@shared_task(name="ansinh.dossiers.tasks.issue_missing_documents")
def issue_missing_documents() -> int:
    """Issues the documents whose task was lost, and tells the applicant."""
    missing = documents.events_missing_documents()
    for event_id, kind in missing:
        issue_document.delay(event_id, kind)
    return len(missing)


@shared_task(name="ansinh.dossiers.tasks.tell_officer_assigned")
def tell_officer_assigned(officer_id: int, dossier_ids: list[int]) -> None:
    officer = User.objects.get(pk=officer_id)
    notices.tell_officer_assigned(officer, list(Dossier.objects.filter(pk__in=dossier_ids).order_by("id")))


@shared_task(name="ansinh.dossiers.tasks.sweep_deadlines")
def sweep_deadlines() -> dict[str, int]:
    result = deadlines.deadline_sweep()
    return {"due_soon": result.due_soon, "overdue": result.overdue}


# The partner callback tasks live beside the partner service; importing them here registers them.
from ansinh.dossiers.partner_tasks import deliver_callback, retry_due_callbacks  # noqa: E402, F401
