"""The centre's pages for benefits being paid: the list in scope, one claim with its months, history and
referrals, and the officer's acts on it (a notification at the counter, a referral and its answer, a
termination found in the data, a cancellation, receiving a claim moved from another province); and the
province's setting of who decides. Plain forms; the same services as the API."""

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ansinh.accounts.selectors import has_permission
from ansinh.core import audit
from ansinh.core.errors import DomainError, PermissionDenied, ValidationFailed
from ansinh.unemployment import contribution_selectors, selectors
from ansinh.unemployment.models import ClaimStatus, ProvinceDelegation, ReferralOutcome
from ansinh.unemployment.permissions import CLAIM_HANDLE, CLAIM_READ, DELEGATION_MANAGE
from ansinh.unemployment.services import claims, delegation, months, referrals, terminations, transfers
from ansinh.web.forms import error_text

View = Callable[..., HttpResponse]
PAGE_SIZE = 50


def _error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "web/denied.html", {"error": exc}, status=exc.status)


def staff_page(permission: str) -> Callable[[View], View]:
    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not has_permission(request.user, permission):
                return _error(request, PermissionDenied())
            try:
                return view(request, *args, **kwargs)
            except DomainError as exc:
                return _error(request, exc)

        return wrapped

    return decorate


@require_safe
@staff_page(CLAIM_READ)
def claim_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in ClaimStatus.values:
        status = ""
    search = request.GET.get("q", "")[:60]
    before = request.GET.get("before", "")
    rows = selectors.claims_page(
        request.user,
        status=status,
        search=search,
        before=int(before) if before.isdigit() else None,
        size=PAGE_SIZE,
    )
    return render(
        request,
        "unemployment/staff/claims.html",
        {
            "rows": rows,
            "status": status,
            "statuses": ClaimStatus.choices,
            "q": search,
            "next_before": rows[-1].pk if len(rows) == PAGE_SIZE else None,
            "incoming": list(selectors.incoming_transfers(request.user)[:100]),
            "can_delegate": has_permission(request.user, DELEGATION_MANAGE),
        },
    )


@require_safe
@staff_page(CLAIM_READ)
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = selectors.claim_get_for_staff(request.user, claim_id)
    # The page shows a person's benefit and contact: a staff read of personal data, logged.
    audit.record_read(actor=request.user, obj=claim, reason="unemployment.claim")
    today = timezone.localdate()
    return render(
        request,
        "unemployment/staff/claim.html",
        {
            "claim": claim,
            "months": list(claim.months.order_by("number")),
            "events": list(claim.events.select_related("centre", "actor").order_by("-at")),
            "referrals": list(claim.referrals.order_by("-referred_on", "-id")),
            "open_month": selectors.month_open_on(claim, today),
            "can_handle": selectors.grant_covers_centre(request.user, claim.centre)
            or (
                claim.transfer_to is not None
                and selectors.grant_covers_centre(request.user, claim.transfer_to)
            ),
            "can_receive": claim.status == ClaimStatus.TRANSFERRING
            and claim.transfer_to is not None
            and selectors.grant_covers_centre(request.user, claim.transfer_to),
            "grounds": list(terminations.CENTRE_GROUNDS.items()),
            "new_jobs": contribution_selectors.new_jobs_reported(claim, today=today) if claim.is_open else [],
            "answers": [c for c in ReferralOutcome.choices if c[0] != ReferralOutcome.PENDING],
            "today": today,
        },
    )


def _do(request: HttpRequest, claim_id: int, act: str) -> str:
    """One act on the claim; returns the message to show."""
    post = request.POST
    user = request.user
    if act == "notify":
        month = months.notification_record(
            actor=user, claim_id=claim_id, activities=post.get("activities", "")
        )
        return _("Notification recorded for benefit month %(n)d.") % {"n": month.number}
    if act == "refer":
        referrals.referral_record(
            actor=user,
            claim_id=claim_id,
            employer_name=post.get("employer_name", ""),
            job_title=post.get("job_title", ""),
            vacancy_reference=post.get("vacancy_reference", ""),
        )
        return _("Referral recorded.")
    if act == "answer":
        referral_id = post.get("referral", "")
        if not referral_id.isdigit():
            raise ValidationFailed.single("referral", _("Choose the referral."))
        referrals.referral_answer(
            actor=user,
            referral_id=int(referral_id),
            outcome=post.get("outcome", ""),
            reason=post.get("reason", ""),
        )
        return _("Answer recorded.")
    if act == "terminate":
        try:
            on = date.fromisoformat(post.get("on", ""))
        except ValueError as exc:
            raise ValidationFailed.single("on", _("Enter a valid date (YYYY-MM-DD).")) from exc
        terminations.claim_terminate(
            actor=user,
            claim_id=claim_id,
            ground=post.get("ground", ""),
            on=on,
            note=post.get("note", "")[:500],
        )
        return _("The benefit is terminated.")
    if act == "cancel":
        claims.claim_cancel(actor=user, claim_id=claim_id, note=post.get("note", "")[:500])
        return _("The decision is cancelled; the months are reserved.")
    if act == "receive":
        transfers.claim_transfer_receive(actor=user, claim_id=claim_id)
        return _("The claim is received; your centre pays the following months.")
    raise ValidationFailed.single("act", _("Unknown step."))


@require_POST
@staff_page(CLAIM_HANDLE)
def claim_act(request: HttpRequest, claim_id: int) -> HttpResponse:
    try:
        text = _do(request, claim_id, request.POST.get("act", ""))
    except ValidationFailed as exc:
        messages.error(request, error_text(exc))
    except DomainError as exc:
        if exc.status == 404:
            raise
        messages.error(request, error_text(exc))
    else:
        messages.success(request, text)
    return redirect("unemployment:claim", claim_id)


@staff_page(DELEGATION_MANAGE)
def delegation_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        province = request.POST.get("province", "")
        try:
            delegation.delegation_set(
                actor=request.user,
                province_id=int(province) if province.isdigit() else 0,
                decider=request.POST.get("decider", ""),
                legal_basis=request.POST.get("legal_basis", ""),
            )
        except ValidationFailed as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect("unemployment:delegation")
    provinces = selectors.provinces_to_delegate(request.user)
    current = selectors.delegations_by_province([p.pk for p in provinces])
    rows = [(p, current.get(p.pk)) for p in provinces]
    return render(
        request,
        "unemployment/staff/delegation.html",
        {"rows": rows, "deciders": ProvinceDelegation.Decider.choices},
    )
