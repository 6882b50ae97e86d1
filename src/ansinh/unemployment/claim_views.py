"""The claimant's page: the benefit being paid, the next step, the monthly job-search notification, the
payment schedule and the decisions; before a claim, the eligibility check on one's own contribution
record. Thin: the same services and selectors as the API."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ansinh.core.errors import DomainError, ValidationFailed
from ansinh.unemployment import selectors
from ansinh.unemployment.models import BenefitClaim, ClaimStatus
from ansinh.unemployment.procedures import BENEFIT_CLAIM, BENEFIT_TRANSFER, TERMINATION
from ansinh.unemployment.services import months
from ansinh.web.forms import error_text


def _claim_context(claim: BenefitClaim, today: date) -> dict[str, Any]:
    return {
        "claim": claim,
        "step": selectors.next_step(claim, today),
        "months": list(claim.months.order_by("number")),
        "events": list(claim.events.select_related("centre").order_by("-at")[:50]),
        "decisions": list(selectors.decision_papers(claim)),
        "today": today,
    }


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    person_id = getattr(request.user, "person_id", None)
    claim = selectors.current_claim_of(person_id)
    past = selectors.claims_of_person(person_id)
    if claim is not None:
        past = past.exclude(pk=claim.pk)
    context: dict[str, Any] = {
        "claim_code": BENEFIT_CLAIM,
        "transfer_code": BENEFIT_TRANSFER,
        "termination_code": TERMINATION,
        "past": list(past[:10]),
    }
    if claim is not None:
        context.update(_claim_context(claim, today))
    elif person_id is not None:
        context.update(_eligibility(request, person_id, today))
    return render(request, "unemployment/mine.html", context)


def _eligibility(request: HttpRequest, person_id: int, today: date) -> dict[str, Any]:
    """The check on the claimant's own contribution record, for the day their contract ended."""
    raw = request.GET.get("termination_date", "").strip()
    context: dict[str, Any] = {
        "termination_date": raw,
        "months_on_record": len(selectors.contributions_of(person_id)),
    }
    if not raw:
        return context
    try:
        termination = date.fromisoformat(raw)
        context["check"] = selectors.own_estimate(person_id, termination, today=today)
    except ValueError:
        context["check_error"] = _("Enter a valid date (YYYY-MM-DD).")
    except ValidationFailed as exc:
        context["check_error"] = error_text(exc)
    return context


@login_required
@require_POST
def notify(request: HttpRequest) -> HttpResponse:
    activities = request.POST.get("activities", "")[: months.MAX_ACTIVITIES]
    if request.POST.get("still_unemployed") != "on":
        messages.error(
            request,
            _("If you have found a job, report it with the termination form instead of notifying."),
        )
        return redirect("unemployment:mine")
    claim = selectors.current_claim_of(getattr(request.user, "person_id", None))
    was_suspended = claim is not None and claim.status == ClaimStatus.SUSPENDED
    try:
        month = months.notification_record(actor=request.user, activities=activities)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        if was_suspended:
            text = _("Your benefit continues from benefit month %(n)d.") % {"n": month.number}
        else:
            text = _("Your job search for benefit month %(n)d is recorded.") % {"n": month.number}
        messages.success(request, text)
    return redirect("unemployment:mine")
