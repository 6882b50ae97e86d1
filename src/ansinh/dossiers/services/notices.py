"""Telling applicants and officers what happened to a dossier (through `notify`, in each one's language)."""

from collections.abc import Sequence
from typing import Any

from django.urls import reverse

from ansinh.dossiers import messages
from ansinh.dossiers.models import STATE_LABELS, Dossier, DossierEvent, IssuedDocument
from ansinh.dossiers.procedures import State
from ansinh.dossiers.services.filing import procedure_of
from ansinh.notify.services import notify_org, notify_person, notify_user


def _date(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else "-"


def _base_context(dossier: Dossier) -> dict[str, Any]:
    procedure = procedure_of(dossier)
    return {
        "receipt_code": dossier.receipt_code or f"#{dossier.pk}",
        "procedure": procedure.name_vi,
        "state": STATE_LABELS[State(dossier.state)],
        "due_date": _date(dossier.due_date),
        "next_step": messages.next_step(dossier.state),
    }


def _tell(dossier: Dossier, template: str, context: dict[str, Any]) -> None:
    link = reverse("dossiers:detail", args=[dossier.pk])
    if dossier.applicant_person is not None:
        notify_person(dossier.applicant_person, template, context, link=link)
    elif dossier.applicant_organisation is not None:
        notify_org(dossier.applicant_organisation, template, context, link=link)


def tell_applicant_of_step(event: DossierEvent) -> None:
    dossier = event.dossier
    _tell(dossier, messages.STATE_CHANGED, {**_base_context(dossier), "note": event.note})


def tell_applicant_of_document(document: IssuedDocument) -> None:
    dossier = document.dossier
    context = {
        **_base_context(dossier),
        "note": document.event.note,
        "document": document.get_kind_display(),
        "short_code": document.short_code,
    }
    _tell(dossier, messages.DOCUMENT_ISSUED, context)


def tell_officer_assigned(officer: Any, dossiers: Sequence[Dossier]) -> None:
    codes = ", ".join(d.receipt_code or f"#{d.pk}" for d in dossiers)
    notify_user(
        officer, messages.ASSIGNED, {"count": len(dossiers), "codes": codes}, link=reverse("dossiers:queue")
    )
