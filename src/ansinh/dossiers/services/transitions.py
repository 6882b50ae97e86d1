"""Moving a dossier through its states. One function, `dossier_act`, so every step is checked, timed,
written on the timeline and in the audit log the same way."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.accounts.models import User
from ansinh.accounts.selectors import grant_for
from ansinh.core import audit, workdays
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.dossiers import effects, rules
from ansinh.dossiers import permissions as perms
from ansinh.dossiers.errors import InvalidTransition, MissingDocuments
from ansinh.dossiers.forms_schema import clean_form_data
from ansinh.dossiers.models import NO_DUE_DATE, Dossier, DossierEvent
from ansinh.dossiers.procedures import ProcedureVersion, State
from ansinh.dossiers.rules import Action, Side
from ansinh.dossiers.selectors import dossiers_for_applicant_side, dossiers_to_handle, grant_covers
from ansinh.dossiers.services import after_commit
from ansinh.dossiers.services.filing import procedure_of
from ansinh.dossiers.services.receipts import allocate_receipt_code

NOTE_FIELD_MESSAGE = {
    Action.RETURN: _("Say what the applicant must add or correct."),
    Action.REFUSE: _("Give the reasons for the refusal."),
}


def _locked_dossier(actor: Any, dossier_id: int, action: Action) -> Dossier:
    side = rules.TRANSITIONS[action].side
    qs = (
        dossiers_to_handle(actor, perms.STEP_PERMISSION[action.value])
        if side == Side.STAFF
        else dossiers_for_applicant_side(actor)
    )
    dossier = qs.select_for_update().filter(pk=dossier_id).first()
    if dossier is None:
        raise NotFound()
    return dossier


def dossier_act(*, actor: Any, dossier_id: int, action: str, note: str = "") -> Dossier:
    """Take one step; `dossier.invalid_transition` when the state or the procedure does not allow it."""
    try:
        step = Action(action)
    except ValueError as exc:
        raise ValidationFailed.single("action", _("Unknown step.")) from exc
    with transaction.atomic():
        dossier = _locked_dossier(actor, dossier_id, step)
        apply_step(dossier, step, actor=actor, note=note)
    return dossier


def apply_step(dossier: Dossier, step: Action, *, actor: Any, note: str = "") -> DossierEvent:
    """The step on a dossier the caller has locked and is allowed to move (inside its transaction).
    `actor` is None for a partner system's submission."""
    note = (note or "").strip()
    procedure = procedure_of(dossier)
    source = State(dossier.state)
    transition = rules.transition_for(procedure, source, step)
    if transition is None:
        raise InvalidTransition(
            details={
                "state": source.value,
                "action": step.value,
                "allowed": [a.value for a in rules.allowed_actions(procedure, source, transition_side(step))],
            }
        )
    if transition.note_required and not note:
        raise ValidationFailed.single("note", NOTE_FIELD_MESSAGE.get(step, _("This field is required.")))
    now = timezone.now()
    _apply(dossier, procedure, step, note, now, actor)
    dossier.state = transition.target
    effects.before_step(dossier, step.value, actor)
    dossier.save()
    event = record_event(dossier, actor=actor, action=step.value, source=source, note=note, at=now)
    audit.record(
        actor=actor,
        action=f"dossier.{step.value}",
        obj=dossier,
        changes={"receipt_code": dossier.receipt_code, "from": source.value, "to": dossier.state},
    )
    after_commit.state_changed(dossier, step, event)
    return event


def transition_side(action: Action) -> Side:
    return rules.TRANSITIONS[action].side


def _apply(
    dossier: Dossier, procedure: ProcedureVersion, step: Action, note: str, now: datetime, actor: Any
) -> None:
    if step in (Action.SUBMIT, Action.RESUBMIT):
        _check_complete(dossier, procedure)
        if not dossier.receipt_code:
            dossier.receipt_code = allocate_receipt_code(
                dossier.receiving_organisation, timezone.localdate(now)
            )
        dossier.submitted_at = dossier.submitted_at or now
        _start_clock(dossier, procedure, now)
    elif step == Action.RETURN:
        # The clock stops; it starts again from zero when the completed dossier comes back.
        dossier.complete_on = None
        dossier.due_date = None
        dossier.queue_due = NO_DUE_DATE
    elif step == Action.START and dossier.assigned_to_id is None:
        dossier.assigned_to = actor
    elif step in (Action.APPROVE, Action.REFUSE):
        dossier.decided_at = now
        dossier.decision_note = note
    elif step in (Action.DELIVER, Action.WITHDRAW, Action.CANCEL):
        dossier.closed_at = now


def _start_clock(dossier: Dossier, procedure: ProcedureVersion, now: datetime) -> None:
    received = rules.received_on(timezone.localdate(now), workdays.is_working_day, workdays.next_working_day)
    dossier.received_on = dossier.received_on or received
    dossier.complete_on = received
    dossier.due_date = rules.due_date(received, procedure.processing_days, workdays.add_working_days)
    dossier.queue_due = dossier.due_date
    dossier.due_soon_warned_on = None
    dossier.overdue_warned_on = None


def _check_complete(dossier: Dossier, procedure: ProcedureVersion) -> None:
    """Every required field (not just what was typed) and every mandatory document, reported together."""
    errors: dict[str, list[str]] = {}
    try:
        clean_form_data(procedure.fields, dossier.form_data)
    except ValidationFailed as exc:
        errors.update(exc.details["fields"])
    present = set(dossier.attachments.values_list("document_code", flat=True))
    missing = [d for d in procedure.documents if d.mandatory and d.code not in present]
    for d in missing:
        errors[f"documents.{d.code}"] = [str(_("Attach this document: %(name)s") % {"name": d.label})]
    if missing:
        raise MissingDocuments(errors)
    if errors:
        raise ValidationFailed(errors)


def record_event(
    dossier: Dossier,
    *,
    actor: Any,
    action: str,
    source: State | None = None,
    note: str = "",
    at: datetime | None = None,
    public: bool = True,
) -> DossierEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    return DossierEvent.objects.create(
        dossier=dossier,
        at=at or timezone.now(),
        actor=user,
        actor_label=user.get_username() if user else "",
        action=action,
        from_state=source.value if source else "",
        to_state=dossier.state if source else "",
        note=note,
        due_date=dossier.due_date,
        public=public,
    )


def dossier_assign(*, actor: Any, dossier_ids: list[int], officer_id: int | None) -> int:
    """Assign open dossiers to an officer (or clear it). The officer must be able to process them."""
    grant = grant_for(actor, perms.DOSSIER_SUPERVISE)
    officer = User.objects.filter(pk=officer_id, is_active=True).first() if officer_id else None
    if officer_id and officer is None:
        raise ValidationFailed.single("officer", _("Choose an officer."))
    officer_grant = grant_for(officer, perms.DOSSIER_PROCESS) if officer else None
    changed = 0
    with transaction.atomic():
        dossiers = list(
            dossiers_to_handle(actor, perms.DOSSIER_SUPERVISE)
            .select_for_update()
            .filter(pk__in=dossier_ids)
            .exclude(state__in=rules.FINAL_STATES)
        )
        if len(dossiers) != len(set(dossier_ids)) or grant.empty:
            raise NotFound()
        for dossier in dossiers:
            if officer_grant is not None and not grant_covers(officer_grant, dossier):
                raise ValidationFailed.single(
                    "officer", _("This officer cannot process dossiers of this body.")
                )
            dossier.assigned_to = officer
            dossier.save(update_fields=["assigned_to", "updated_at"])
            label = officer.get_username() if officer else "-"
            record_event(dossier, actor=actor, action="assign", note=label, public=False)
            audit.record(actor=actor, action="dossier.assign", obj=dossier, changes={"officer": officer_id})
            changed += 1
    if officer is not None and changed:
        after_commit.assigned(officer, dossiers)
    return changed
