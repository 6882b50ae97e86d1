"""What follows a step once its transaction has committed: documents to issue, people to tell.

Work is enqueued with `transaction.on_commit`, so a rolled-back step issues nothing and tells no one; the
tasks take ids and are safe to run twice. Partner callbacks are different: their rows are written inside
the step's transaction (an outbox), so a callback can never be lost between the commit and the queue.
"""

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from ansinh.dossiers.models import DocumentKindChoice, Dossier, DossierEvent
from ansinh.dossiers.rules import Action

DOCUMENT_FOR_STEP = {
    Action.SUBMIT: DocumentKindChoice.RECEIPT,
    Action.RESUBMIT: DocumentKindChoice.RECEIPT,
    Action.APPROVE: DocumentKindChoice.APPROVAL,
    Action.REFUSE: DocumentKindChoice.REFUSAL,
}


def state_changed(dossier: Dossier, step: Action, event: DossierEvent) -> None:
    # Imported here: the tasks module imports the services (a cycle at import time otherwise).
    from ansinh.dossiers.services.notices import tell_applicant_of_step
    from ansinh.dossiers.services.partners import partner_callback_enqueue
    from ansinh.dossiers.tasks import issue_document

    if dossier.partner_id:
        partner_callback_enqueue(dossier, event)
    kind = DOCUMENT_FOR_STEP.get(step)
    if kind is not None:
        transaction.on_commit(lambda: issue_document.delay(event.pk, kind.value), robust=True)
    else:
        # In the step's transaction: notify is an outbox, so the notice commits (or not) with the step.
        tell_applicant_of_step(event)


def assigned(officer: Any, dossiers: Iterable[Dossier]) -> None:
    from ansinh.dossiers.tasks import tell_officer_assigned

    ids = [d.pk for d in dossiers]
    transaction.on_commit(lambda: tell_officer_assigned.delay(officer.pk, ids), robust=True)
