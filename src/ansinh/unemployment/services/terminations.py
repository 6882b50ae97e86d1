"""Termination reported by the claimant (Mẫu 17, a dossier) or found by the centre; the decision (Mẫu 18)
closes the benefit and reserves the months the law allows."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ansinh.core import workdays
from ansinh.core.errors import ValidationFailed
from ansinh.dossiers import effects
from ansinh.dossiers.models import Dossier
from ansinh.unemployment import rules, selectors
from ansinh.unemployment.errors import NoOpenClaim
from ansinh.unemployment.models import BenefitClaim, ClaimAction, ClaimStatus
from ansinh.unemployment.procedures import TERMINATION
from ansinh.unemployment.services.claims import claim_close, locked_claim, months_received

CENTRE_GROUNDS = {
    "new_job": gettext_lazy("A new job was reported by an employer"),
    "pension": gettext_lazy("Receives a monthly pension"),
    "emigration": gettext_lazy("Settled abroad"),
    "death": gettext_lazy("Deceased"),
    "detention": gettext_lazy("Serving a prison sentence"),
    "penalty": gettext_lazy("Administrative penalty on unemployment insurance"),
}


def terminate(
    claim: BenefitClaim, *, actor: Any, ground: str, on: date, reported_on: date, note: str = ""
) -> None:
    told_in_time = reported_on <= workdays.add_working_days(on, rules.TERMINATION_NOTICE_WORKING_DAYS)
    reserved = rules.reserved_after_termination(
        claim.contribution_months, months_received(claim), claim.rule_set, ground, told_in_time
    )
    claim_close(
        claim,
        actor=actor,
        status=ClaimStatus.TERMINATED,
        action=ClaimAction.TERMINATED,
        reason=ground,
        on=on,
        reserved_months=reserved,
        note=note,
    )


def _claim_of_applicant(dossier: Dossier) -> BenefitClaim:
    claim = selectors.current_claim_of(dossier.applicant_person_id)
    if claim is None:
        raise NoOpenClaim()
    return BenefitClaim.objects.select_for_update().select_related("person").get(pk=claim.pk)


def _event_date(dossier: Dossier) -> date:
    try:
        return date.fromisoformat(dossier.form_data.get("event_date", ""))
    except ValueError as exc:
        raise ValidationFailed.single("event_date", _("Enter a valid date (YYYY-MM-DD).")) from exc


def on_termination_step(dossier: Dossier, step: str, actor: Any) -> None:
    if step in ("submit", "resubmit"):
        _claim_of_applicant(dossier)
        if _event_date(dossier) > timezone.localdate():
            raise ValidationFailed.single("event_date", _("The date cannot be in the future."))
    elif step == "approve":
        claim = _claim_of_applicant(dossier)
        submitted = timezone.localdate(dossier.submitted_at) if dossier.submitted_at else timezone.localdate()
        terminate(
            claim,
            actor=actor,
            ground=dossier.form_data.get("event", "own_request"),
            on=_event_date(dossier),
            reported_on=submitted,
            note=dossier.form_data.get("details", ""),
        )


def claim_terminate(*, actor: Any, claim_id: int, ground: str, on: date, note: str = "") -> BenefitClaim:
    """The centre ends a benefit on what the data show (a new job reported by an employer, a pension...)."""
    if ground not in CENTRE_GROUNDS:
        raise ValidationFailed.single("ground", _("Choose the ground for the termination."))
    if on > timezone.localdate():
        raise ValidationFailed.single("on", _("The date cannot be in the future."))
    with transaction.atomic():
        claim = locked_claim(actor, claim_id)
        if not claim.is_open:
            raise NoOpenClaim()
        # Not reported by the claimant: the months are not reserved (Decree 374 Art 19).
        note = note or str(CENTRE_GROUNDS[ground])
        terminate(claim, actor=actor, ground=ground, on=on, reported_on=date.max, note=note)
    return claim


effects.register(TERMINATION, effects.Effects(before_step=on_termination_step))
