"""Decisions taken on a case after its dossier was decided: a benefit suspended, continued or ended.

The app that owns the case records the step here, inside its own transaction; the step joins the dossier's
timeline (the applicant sees it) and, once committed, the engine issues it as a signed PDF with a short code,
like the dossier's own decision. What the PDF says comes from the app's `effects.case_decision` hook, read
when the document is rendered, so the app keeps one record of the decision and the PDF cannot disagree.
"""

from typing import Any

from django.db import transaction

from ansinh.dossiers.models import DocumentKindChoice, Dossier, DossierEvent
from ansinh.dossiers.services.transitions import record_event

ACTION = "case_decision"


def case_decision_record(dossier: Dossier, *, actor: Any, title: str, number: str) -> DossierEvent:
    """The decision's step on the dossier's timeline. The app links its own record to the step, then
    calls `case_decision_issue`: the PDF is rendered from that record."""
    return record_event(dossier, actor=actor, action=ACTION, note=f"{title} số {number}")


def case_decision_issue(event: DossierEvent) -> None:
    from ansinh.dossiers.tasks import issue_document  # the tasks module imports the services

    kind = DocumentKindChoice.CASE_DECISION.value
    transaction.on_commit(lambda: issue_document.delay(event.pk, kind), robust=True)
