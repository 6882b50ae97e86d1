"""Dossiers and procedures as plain data for the API and the pages (one shape for both)."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from ansinh.dossiers import rules
from ansinh.dossiers.forms_schema import json_schema
from ansinh.dossiers.messages import action_label, next_step
from ansinh.dossiers.models import STATE_LABELS, Dossier, DossierEvent
from ansinh.dossiers.permissions import STEP_PERMISSION
from ansinh.dossiers.procedures import ProcedureVersion, State, version_named
from ansinh.dossiers.rules import Side, Urgency
from ansinh.dossiers.services.deadlines import due_soon_limit


@dataclass(frozen=True)
class Today:
    """Today and the last "due soon" day, computed once per request (the calendar costs a query)."""

    day: date
    due_soon_until: date

    @classmethod
    def now(cls) -> "Today":
        day = timezone.localdate()
        return cls(day, due_soon_limit(day))

    def urgency(self, dossier: Dossier) -> Urgency:
        if dossier.state not in rules.CLOCK_RUNNING:
            return Urgency.ON_TIME
        return rules.urgency(dossier.due_date, self.day, self.due_soon_until)


def procedure_data(version: ProcedureVersion) -> dict[str, Any]:
    return {
        "code": version.code,
        "version": version.version,
        "valid_from": version.valid_from,
        "valid_to": version.valid_to,
        "name": version.name,
        "name_vi": version.name_vi,
        "name_en": version.name_en,
        "description": version.description,
        "legal_basis": version.legal_basis,
        "receiving_kind": version.receiving_kind,
        "deciding_kind": version.deciding_kind,
        "level": version.level,
        "processing_days": version.processing_days,
        "deadline": version.deadline,
        "filing": version.filing.value,
        "applicant": version.applicant,
        "states": sorted(s.value for s in version.states),
        "documents": [
            {
                "code": d.code,
                "label": str(d.label),
                "mandatory": d.mandatory,
                "content_types": list(d.content_types),
                "max_files": d.max_files,
            }
            for d in version.documents
        ],
        "form_schema": json_schema(version.fields),
    }


def procedure_name(dossier: Dossier) -> str:
    version = version_named(dossier.procedure_code, dossier.procedure_version)
    return version.name if version else dossier.procedure_code


def dossier_summary(dossier: Dossier, today: Today) -> dict[str, Any]:
    return {
        "id": dossier.pk,
        "receipt_code": dossier.receipt_code,
        "procedure_code": dossier.procedure_code,
        "procedure_name": procedure_name(dossier),
        "state": dossier.state,
        "state_label": dossier.state_label,
        "channel": dossier.channel,
        "applicant_name": dossier.applicant_name,
        "receiving_organisation": dossier.receiving_organisation.name,
        "submitted_at": dossier.submitted_at,
        "due_date": dossier.due_date,
        "urgency": today.urgency(dossier).value,
        "assigned_to": dossier.assigned_to.get_username()
        if dossier.assigned_to_id and dossier.assigned_to
        else None,
    }


def allowed_actions(dossier: Dossier, *, powers: set[str], applicant_side: bool) -> list[str]:
    version = version_named(dossier.procedure_code, dossier.procedure_version)
    if version is None:
        return []
    state = State(dossier.state)
    actions: list[str] = []
    if applicant_side:
        actions += [a.value for a in rules.allowed_actions(version, state, Side.APPLICANT)]
    actions += [
        a.value
        for a in rules.allowed_actions(version, state, Side.STAFF)
        if STEP_PERMISSION[a.value] in powers
    ]
    return actions


def event_data(event: DossierEvent, *, show_actor: bool = True) -> dict[str, Any]:
    return {
        "at": event.at,
        "action": event.action,
        "action_label": action_label(event.action),
        "from_state": event.from_state,
        "to_state": event.to_state,
        "to_state_label": str(STATE_LABELS[State(event.to_state)]) if event.to_state else "",
        "actor": event.actor_label if show_actor else "",
        "note": event.note,
        "due_date": event.due_date,
    }


def dossier_detail(
    dossier: Dossier,
    today: Today,
    *,
    powers: set[str],
    applicant_side: bool,
    events: list[DossierEvent],
    viewer_id: int | None = None,
) -> dict[str, Any]:
    return {
        **dossier_summary(dossier, today),
        "procedure_version": dossier.procedure_version,
        "form_data": dossier.form_data,
        "complete_on": dossier.complete_on,
        "decided_at": dossier.decided_at,
        "decision_note": dossier.decision_note,
        "next_step": str(next_step(dossier.state)),
        "allowed_actions": allowed_actions(dossier, powers=powers, applicant_side=applicant_side),
        "attachments": list(dossier.attachments.all()),
        "documents": list(dossier.documents.all()),
        # Applicants see that the body acted, not which officer's login did (staff see the names).
        "timeline": [event_data(e, show_actor=bool(powers) or e.actor_id == viewer_id) for e in events],
    }
