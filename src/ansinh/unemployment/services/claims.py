"""The benefit decided on a claim dossier, and the decisions that end it.

The dossier engine moves the claim dossier (receive, accept, decide); the steps' effects here turn an
approval into a `BenefitClaim` with its months and notification windows, computed by `rules` from the
contribution record, in the step's own transaction: an approval that cannot be computed is not taken.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts.selectors import active_memberships
from ansinh.core import audit, workdays
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.dossiers import effects
from ansinh.dossiers.models import Dossier
from ansinh.dossiers.permissions import DOSSIER_DECIDE
from ansinh.dossiers.services.case_decisions import case_decision_issue
from ansinh.notify.services import notify_person
from ansinh.unemployment import messages, rules, selectors
from ansinh.unemployment.errors import NotEligible, NotTheDecider, TooLateToWithdraw
from ansinh.unemployment.models import (
    BenefitClaim,
    BenefitMonth,
    ClaimAction,
    ClaimEvent,
    ClaimStatus,
    MonthStatus,
)
from ansinh.unemployment.permissions import CLAIM_HANDLE
from ansinh.unemployment.procedures import BENEFIT_CLAIM
from ansinh.unemployment.services import decision_documents

# The claim form asks the kind of the last contract; a seasonal contract (under 12 months) is counted on
# the 36-month window under both laws, which any length from 3 to 11 months gives.
SHORT_CONTRACT_MONTHS = 3


def record_event(
    claim: BenefitClaim,
    action: ClaimAction,
    *,
    actor: Any = None,
    month: int | None = None,
    decision_number: str = "",
    note: str = "",
) -> ClaimEvent:
    user = actor if getattr(actor, "is_authenticated", False) else None
    paper = decision_number and action in decision_documents.DOCUMENTED
    event = ClaimEvent.objects.create(
        claim=claim,
        at=timezone.now(),
        actor=user,
        action=action,
        month_number=month,
        centre_id=claim.centre_id,
        decision_number=decision_number,
        note=note,
        dossier_event=decision_documents.paper_step(claim, action, decision_number, actor) if paper else None,
    )
    if event.dossier_event is not None:
        case_decision_issue(event.dossier_event)
    return event


def decision_number(claim: BenefitClaim, suffix: str) -> str:
    """Numbers of the decisions taken on a claim: the claim's own number with a running suffix."""
    count = claim.events.exclude(decision_number="").count()
    return f"{claim.decision_number}-{suffix}{count}"


def estimate_for_dossier(dossier: Dossier, decided_on: date) -> rules.Estimate:
    person_id = dossier.applicant_person_id
    if person_id is None:
        raise ValidationFailed.single("applicant", _("A benefit is claimed by a person."))
    form = dossier.form_data
    try:
        termination = date.fromisoformat(form.get("termination_date", ""))
    except ValueError as exc:
        raise ValidationFailed.single("termination_date", _("Enter a valid date (YYYY-MM-DD).")) from exc
    contract_months = form.get("contract_months") or (
        SHORT_CONTRACT_MONTHS if form.get("contract_kind") == "seasonal" else None
    )
    claim = rules.Claim(
        termination_date=termination,
        contributions=selectors.contributions_of(person_id),
        pay_regime=rules.STATE if selectors.state_pay_scale(person_id) else rules.EMPLOYER,
        contract_months=contract_months,
        decided_on=decided_on,
        filed_on=dossier.complete_on or decided_on,
        previous_claim=selectors.previous_claim_of(person_id, termination),
    )
    return selectors.benefit_estimate(claim, today=decided_on)


def claim_decide(dossier: Dossier, actor: Any, *, decided_on: date | None = None) -> BenefitClaim:
    """The benefit of an approved claim dossier (inside the approval's transaction)."""
    decided_on = decided_on or timezone.localdate()
    estimate = estimate_for_dossier(dossier, decided_on)
    if selectors.current_claim_of(dossier.applicant_person_id) is not None:
        estimate.eligible = False
        estimate.reasons.append(_("The claimant is already receiving an unemployment benefit."))
    if not estimate.eligible:
        raise NotEligible(details={"reasons": estimate.reasons})
    assert estimate.start_date is not None  # an eligible estimate has a start
    assert dossier.applicant_person_id is not None  # checked by estimate_for_dossier
    centre = dossier.receiving_organisation
    province_id = dossier.province_id or centre.province_id
    if province_id is None:
        raise ValidationFailed.single("province", _("The receiving centre has no province."))
    claim = BenefitClaim.objects.create(
        dossier=dossier,
        person_id=dossier.applicant_person_id,
        centre=centre,
        org_path=centre.path,
        province_id=province_id,
        decision_number=f"{dossier.receipt_code}/QĐ-TCTN",
        decided_on=decided_on,
        decided_month=decided_on.replace(day=1),
        rule_set=estimate.rule_set,
        termination_date=date.fromisoformat(dossier.form_data["termination_date"]),
        contribution_months=estimate.contribution_months,
        average_wage=estimate.average_wage,
        monthly_benefit=estimate.monthly_benefit,
        benefit_months=estimate.benefit_months,
        reserved_months=estimate.reserved_months,
        start_date=estimate.start_date,
        end_date=estimate.periods[-1].end,
        explanation=[
            {"step": s.step, "value": str(s.value), "legal_basis": s.legal_basis}
            for s in estimate.explanation
        ],
        bank_account=dossier.form_data.get("bank_account", ""),
        created_at=timezone.now(),
    )
    windows = rules.notification_windows(estimate.periods, decided_on, workdays.add_working_days)
    BenefitMonth.objects.bulk_create(
        BenefitMonth(
            claim=claim,
            number=number,
            start=period.start,
            end=period.end,
            notify_from=opens,
            notify_until=closes,
        )
        for number, (period, (opens, closes)) in enumerate(zip(estimate.periods, windows, strict=True), 1)
    )
    record_event(claim, ClaimAction.DECIDED, actor=actor, decision_number=claim.decision_number)
    audit.record(
        actor=actor,
        action="unemployment.claim_decide",
        obj=claim,
        changes={"monthly_benefit": claim.monthly_benefit, "benefit_months": claim.benefit_months},
    )
    return claim


def claim_close(
    claim: BenefitClaim,
    *,
    actor: Any,
    status: ClaimStatus,
    action: ClaimAction,
    reason: str,
    on: date,
    reserved_months: int,
    note: str = "",
) -> None:
    """End a benefit: the months after `on` are not due; the month running on `on` is paid in full when
    notified (Decree 374 Art 19.4)."""
    claim.status = status
    claim.closed_on = on
    claim.close_reason = reason
    claim.reserved_months = reserved_months
    claim.transfer_to = None
    claim.save(update_fields=["status", "closed_on", "close_reason", "reserved_months", "transfer_to"])
    claim.months.filter(start__gt=on).update(status=MonthStatus.NOT_DUE)
    number = decision_number(claim, "CD")
    record_event(claim, action, actor=actor, decision_number=number, note=note or reason)
    audit.record(actor=actor, action=f"unemployment.claim_{action}", obj=claim, changes={"reason": reason})
    notify_person(
        claim.person,
        messages.CLAIM_CLOSED,
        {"day": on.strftime("%d/%m/%Y"), "reason": note or reason, "reserved": reserved_months},
    )


def locked_claim(actor: Any, claim_id: int, permission: str = CLAIM_HANDLE) -> BenefitClaim:
    """A claim in the actor's scope, locked for the caller's transaction."""
    claim = (
        selectors.claims_in_scope(actor, permission)
        .select_for_update(of=("self",))
        .select_related("person")
        .filter(pk=claim_id)
        .first()
    )
    if claim is None:
        raise NotFound()
    return claim


def months_received(claim: BenefitClaim) -> int:
    return claim.months.filter(status=MonthStatus.NOTIFIED).count()


def claim_cancel(*, actor: Any, claim_id: int, note: str) -> BenefitClaim:
    """The decision was not collected (Decree 374 Art 16.3): cancelled, every month reserved."""
    if not note.strip():
        raise ValidationFailed.single("note", _("Say why the decision is cancelled."))
    with transaction.atomic():
        claim = locked_claim(actor, claim_id)
        if months_received(claim):
            raise ValidationFailed.single("claim", _("A benefit already paid cannot be cancelled."))
        claim_close(
            claim,
            actor=actor,
            status=ClaimStatus.CANCELLED,
            action=ClaimAction.CANCELLED,
            reason="not_collected",
            on=timezone.localdate(),
            reserved_months=claim.contribution_months,
            note=note.strip(),
        )
        claim.months.update(status=MonthStatus.NOT_DUE)
    return claim


# --- the claim dossier's effects ----------------------------------------------------------------------------


def _check_decider(dossier: Dossier, actor: Any) -> None:
    """Only the body the province delegated decides (seed 003), for a dossier of that province."""
    if getattr(actor, "is_superuser", False):
        return
    kind = selectors.decider_kind(dossier.province_id)
    allowed = any(
        m.organisation.kind == kind
        and m.organisation.province_id == dossier.province_id
        and DOSSIER_DECIDE in m.role.permissions
        for m in active_memberships(actor)
    )
    if not allowed:
        raise NotTheDecider()


def _check_withdrawal_in_time(dossier: Dossier) -> None:
    if dossier.submitted_at is None:
        return  # a draft can always be dropped
    filed = timezone.localdate(dossier.submitted_at)
    if timezone.localdate() > workdays.add_working_days(filed, rules.WITHDRAWAL_WORKING_DAYS):
        raise TooLateToWithdraw()


def on_claim_step(dossier: Dossier, step: str, actor: Any) -> None:
    if step in ("approve", "refuse"):
        _check_decider(dossier, actor)
    if step == "approve":
        claim_decide(dossier, actor)
    elif step == "withdraw":
        _check_withdrawal_in_time(dossier)


def _money(value: int) -> str:
    return f"{value:,}".replace(",", ".") + " đồng"


def claim_decision_facts(dossier: Dossier) -> list[tuple[str, str]]:
    """The figures the benefit decision (Mẫu 12) states; always in Vietnamese, like the document."""
    claim = BenefitClaim.objects.filter(dossier=dossier).first()
    if claim is None:
        return []
    return [
        ("Số quyết định", claim.decision_number),
        ("Số tháng đóng bảo hiểm thất nghiệp", str(claim.contribution_months)),
        ("Mức lương bình quân", _money(claim.average_wage)),
        ("Mức hưởng trợ cấp hằng tháng", _money(claim.monthly_benefit)),
        ("Số tháng hưởng", str(claim.benefit_months)),
        ("Thời gian hưởng", f"{claim.start_date:%d/%m/%Y} - {claim.end_date:%d/%m/%Y}"),
        ("Số tháng bảo lưu", str(claim.reserved_months)),
        ("Nơi nhận thông báo tìm kiếm việc làm", claim.centre.name),
    ]


def claim_decider_kind(dossier: Dossier) -> str | None:
    return selectors.decider_kind(dossier.province_id)


effects.register(
    BENEFIT_CLAIM,
    effects.Effects(
        before_step=on_claim_step,
        decision_facts=claim_decision_facts,
        deciding_kind=claim_decider_kind,
        case_decision=decision_documents.claim_case_decision,
    ),
)
