"""The monthly social allowance pages: the citizen's (what it is, the amounts in force, a calculator, the
application through the dossier engine, my allowance with its schedule, change reports) and the commune's
(its allowances, the change reports queue, suspend / resume / end). Thin: the same selectors and services
as the API. The application dossier itself is received and decided on the engine's own staff pages."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ansinh.core import audit
from ansinh.core.errors import DomainError, NotFound
from ansinh.web.forms import error_text
from ansinh.web.pages import page_of, show_error, signed_in_page
from ansinh.welfare import allowance_rules as rules
from ansinh.welfare import allowance_selectors as selectors
from ansinh.welfare.allowance_forms import (
    AllowanceChangeAcceptForm,
    AllowanceChangeRejectForm,
    AllowanceChangeReportForm,
    AllowanceEndForm,
    AllowanceEstimateForm,
    AllowanceReasonForm,
)
from ansinh.welfare.models import AllowanceStatus, SocialAllowance
from ansinh.welfare.permissions import ALLOWANCE_MANAGE
from ansinh.welfare.procedures import ALLOWANCE_APPLICATION, PAYMENT_METHODS
from ansinh.welfare.services import allowance_changes, allowances

SCHEDULE_MONTHS = 12


def group_name(code: str) -> str:
    return " + ".join(
        rules.GROUPS_BY_CODE[c].name if c in rules.GROUPS_BY_CODE else c for c in rules.group_codes(code)
    )


def method_name(code: str) -> str:
    return next((str(c.label) for c in PAYMENT_METHODS if c.value == code), code)


def _allowance_context(allowance: SocialAllowance) -> dict[str, Any]:
    today = timezone.localdate()
    month_now = selectors.allowance_month_now(allowance, today)
    return {
        "allowance": allowance,
        "month_now": month_now,
        "amount_now": selectors.amount_in_month(allowance, month_now),
        "group_name": group_name(allowance.group),
        "method_name": method_name(allowance.payment_method),
        "explained": selectors.allowance_explanation(allowance, today),
        "schedule": selectors.allowance_schedule(allowance, today)[:SCHEDULE_MONTHS],
        "decision": selectors.decision_document(allowance),
    }


def _estimate(form: AllowanceEstimateForm) -> rules.AllowanceAmount | None:
    if not form.is_bound or not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return rules.highest_allowance(
            data["groups"], data["birth_date"], timezone.localdate(), children=data["children"] or 1
        )
    except rules.NotApplicable as exc:
        form.add_error(exc.field if exc.field in form.fields else "groups", exc.message)
        return None


def _home(
    request: HttpRequest, change_form: AllowanceChangeReportForm | None = None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    user = request.user
    person = getattr(user, "person", None) if user.is_authenticated else None
    if "groups" in request.GET:
        estimate_form = AllowanceEstimateForm(request.GET)
    else:
        initial = {"birth_date": person.date_of_birth} if person is not None and person.date_of_birth else {}
        estimate_form = AllowanceEstimateForm(initial=initial)
    context: dict[str, Any] = {
        "rules": selectors.rules_in_force(today),
        "estimate_form": estimate_form,
        "estimate": _estimate(estimate_form),
        "apply_url": reverse("dossiers:new", args=[ALLOWANCE_APPLICATION]),
        "procedure_url": reverse("dossiers:procedure", args=[ALLOWANCE_APPLICATION]),
        "allowance": None,
    }
    if user.is_authenticated:
        current = selectors.my_current_allowance(user)
        if current is not None:
            context |= _allowance_context(current)
        context["changes"] = list(selectors.my_changes(user).order_by("-reported_at", "-pk")[:20])
        context["change_form"] = change_form or AllowanceChangeReportForm(initial={"happened_on": today})
        context["has_profile_ward"] = bool(person is not None and person.ward_id)
    return render(request, "welfare/allowance/home.html", context, status=status)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return _home(request)


@signed_in_page()
@require_POST
def change_report(request: HttpRequest, allowance_id: int) -> HttpResponse:
    form = AllowanceChangeReportForm(request.POST)
    if form.is_valid():
        try:
            allowance_changes.change_report(
                actor=request.user, allowance_id=allowance_id, **form.cleaned_data
            )
        except NotFound:
            raise
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(
                request, _("Your report was sent to the commune. You will be told what it decides.")
            )
            return redirect(reverse("welfare_allowance:home") + "#changes")
    return _home(request, change_form=form, status=422)


# --- the commune --------------------------------------------------------------------------------------------


@signed_in_page(ALLOWANCE_MANAGE)
@require_safe
def commune(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")[:12]
    search = request.GET.get("q", "")[:20]
    today = timezone.localdate()
    page, query = page_of(request, selectors.allowances_filtered(request.user, status=status, search=search))
    queue = list(selectors.change_queue(request.user)[:50])
    return render(
        request,
        "welfare/allowance/commune.html",
        {
            # The commune chairman decides a suspension (Circular 02/2021 Art 2.3.a): the page lists them.
            "uncollected": selectors.uncollected_allowances(request.user, today),
            "suspend_after": rules.SUSPEND_AFTER_UNCOLLECTED_MONTHS,
            "uncollected_source": rules.UNCOLLECTED_SOURCE,
            "page": page,
            "query": query,
            "status": status,
            "q": search,
            "statuses": AllowanceStatus.choices,
            "rows": [
                (
                    a,
                    group_name(a.group),
                    selectors.amount_in_month(a, selectors.allowance_month_now(a, today)),
                )
                for a in page.object_list
            ],
            # Each report's forms get their own field ids, so every label names its own field.
            "queue": [
                (
                    change,
                    AllowanceChangeAcceptForm(auto_id=f"accept-{change.pk}-%s"),
                    AllowanceChangeRejectForm(auto_id=f"reject-{change.pk}-%s"),
                )
                for change in queue
            ],
        },
    )


def _managed(request: HttpRequest, allowance_id: int) -> SocialAllowance:
    allowance = (
        selectors.allowances_in_scope(request.user)
        .select_related("person", "commune", "dossier")
        .filter(pk=allowance_id)
        .first()
    )
    if allowance is None:
        raise NotFound()
    return allowance


def _uncollected(request: HttpRequest, allowance: SocialAllowance) -> selectors.UncollectedAllowance | None:
    if allowance.status != AllowanceStatus.ACTIVE:
        return None
    rows = selectors.uncollected_allowances(request.user, timezone.localdate(), allowance_id=allowance.pk)
    return rows[0] if rows else None


@signed_in_page(ALLOWANCE_MANAGE)
@require_safe
def commune_allowance(request: HttpRequest, allowance_id: int) -> HttpResponse:
    allowance = _managed(request, allowance_id)
    audit.record_read(actor=request.user, obj=allowance, reason="welfare.allowance")
    context = _allowance_context(allowance)
    uncollected = _uncollected(request, allowance)
    context |= {
        "changes": list(allowance.changes.order_by("-reported_at", "-pk")),
        "uncollected": uncollected,
        "uncollected_source": rules.UNCOLLECTED_SOURCE,
        # Not collected for 3 months: the suspension's reason is written for the officer, who still decides.
        "reason_form": AllowanceReasonForm(
            initial={"reason": rules.UNCOLLECTED_REASON} if uncollected else None
        ),
        "end_form": AllowanceEndForm(),
        "can_suspend": allowance.status == AllowanceStatus.ACTIVE,
        "can_resume": allowance.status == AllowanceStatus.SUSPENDED,
        "can_end": allowance.status != AllowanceStatus.ENDED,
    }
    return render(request, "welfare/allowance/commune_allowance.html", context)


def _form_errors(form: Any) -> str:
    """A refused form as one page message, each error after its field's label."""
    return "; ".join(f"{form.fields[f].label}: {' '.join(str(m) for m in e)}" for f, e in form.errors.items())


_ACTS = {
    "suspend": (allowances.allowance_suspend, AllowanceReasonForm, _("The allowance is suspended.")),
    "resume": (allowances.allowance_resume, AllowanceReasonForm, _("The allowance is paid again.")),
    "end": (allowances.allowance_end, AllowanceEndForm, _("The allowance has ended.")),
}


@signed_in_page(ALLOWANCE_MANAGE)
@require_POST
def allowance_act(request: HttpRequest, allowance_id: int, action: str) -> HttpResponse:
    if action not in _ACTS:
        raise NotFound()
    service, form_class, done = _ACTS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            service(actor=request.user, allowance_id=allowance_id, **form.cleaned_data)
        except NotFound:
            raise
        except DomainError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, done)
    return redirect("welfare_allowance:commune_allowance", allowance_id)


@signed_in_page(ALLOWANCE_MANAGE)
@require_POST
def change_act(request: HttpRequest, change_id: int, action: str) -> HttpResponse:
    if action == "accept":
        form: Any = AllowanceChangeAcceptForm(request.POST)
    elif action == "reject":
        form = AllowanceChangeRejectForm(request.POST)
    else:
        raise NotFound()
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(reverse("welfare_allowance:commune") + "#queue")
    try:
        if action == "accept":
            allowance_changes.change_accept(actor=request.user, change_id=change_id, **form.cleaned_data)
        else:
            allowance_changes.change_reject(actor=request.user, change_id=change_id, **form.cleaned_data)
    except NotFound:
        raise
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request, _("The report is accepted.") if action == "accept" else _("The report is not accepted.")
        )
    return redirect(reverse("welfare_allowance:commune") + "#queue")
