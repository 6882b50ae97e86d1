"""Job referrals offered to a claimant and the answers (Law 74/2025 Art 41.4.d: two refusals without a
good reason end the benefit). The jobs service records its referrals here too."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.core import audit
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.unemployment import rules, selectors
from ansinh.unemployment.errors import NoOpenClaim
from ansinh.unemployment.models import ClaimAction, ClaimStatus, JobReferral, ReferralOutcome
from ansinh.unemployment.permissions import CLAIM_HANDLE
from ansinh.unemployment.services.claims import claim_close, locked_claim, record_event


def referral_record(
    *,
    actor: Any,
    claim_id: int,
    employer_name: str,
    job_title: str,
    vacancy_reference: str = "",
    referred_on: date | None = None,
) -> JobReferral:
    employer_name, job_title = (employer_name or "").strip(), (job_title or "").strip()
    errors: dict[str, list[str]] = {}
    if not employer_name:
        errors["employer_name"] = [_("Name the employer.")]
    if not job_title:
        errors["job_title"] = [_("Name the job.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        claim = locked_claim(actor, claim_id)
        if not claim.is_open:
            raise NoOpenClaim()
        referral = JobReferral.objects.create(
            claim=claim,
            referred_on=referred_on or timezone.localdate(),
            employer_name=employer_name[:255],
            job_title=job_title[:255],
            vacancy_reference=(vacancy_reference or "")[:60],
            recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record_event(claim, ClaimAction.REFERRED, actor=actor, note=f"{job_title} — {employer_name}")
        audit.record(actor=actor, action="unemployment.referral_record", obj=referral)
    return referral


def referral_answer(*, actor: Any, referral_id: int, outcome: str, reason: str = "") -> JobReferral:
    """Record the claimant's answer; the second refusal without a good reason terminates the benefit."""
    if outcome not in ReferralOutcome.values or outcome == ReferralOutcome.PENDING:
        raise ValidationFailed.single("outcome", _("Choose the answer."))
    reason = (reason or "").strip()
    if outcome == ReferralOutcome.REFUSED_WITH_REASON and not reason:
        raise ValidationFailed.single("reason", _("Give the reason for the refusal."))
    with transaction.atomic():
        referral = JobReferral.objects.filter(
            pk=referral_id, claim__in=selectors.claims_in_scope(actor, CLAIM_HANDLE)
        ).first()
        if referral is None:
            raise NotFound()
        claim = locked_claim(actor, referral.claim_id)
        if referral.outcome != ReferralOutcome.PENDING:
            raise ValidationFailed.single("outcome", _("This referral is already answered."))
        referral.outcome = outcome
        referral.reason = reason
        referral.answered_on = timezone.localdate()
        referral.save(update_fields=["outcome", "reason", "answered_on"])
        record_event(
            claim, ClaimAction.REFERRAL_ANSWERED, actor=actor, note=f"{outcome}: {reason}".strip(": ")
        )
        audit.record(
            actor=actor, action="unemployment.referral_answer", obj=referral, changes={"outcome": outcome}
        )
        refused = claim.referrals.filter(outcome=ReferralOutcome.REFUSED).count()
        if (
            claim.status in (ClaimStatus.PAYING, ClaimStatus.SUSPENDED)
            and refused >= rules.REFUSED_REFERRALS_TERMINATE
        ):
            claim_close(
                claim,
                actor=actor,
                status=ClaimStatus.TERMINATED,
                action=ClaimAction.TERMINATED,
                reason="refused_referrals",
                on=timezone.localdate(),
                reserved_months=0,  # not a ground that reserves (Law 74 Art 41.5)
                note=_("Two job referrals refused without a good reason"),
            )
    return referral
