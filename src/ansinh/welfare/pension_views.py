"""The pensioner's page (`/social/pension/`): the pension, how and where it is paid now, the payment days
of the next months, the months paid at service points, the history of arrangements, and the form to change
the arrangement. Thin: the same selectors and services as the API."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from ansinh.core.errors import DomainError
from ansinh.web.pages import show_error, signed_in_page
from ansinh.welfare import pension_calendar, pension_selectors
from ansinh.welfare.models import Pension
from ansinh.welfare.pension_forms import PensionArrangementForm
from ansinh.welfare.services import pensions

CALENDAR_MONTHS = 6


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() and len(raw) < 10 else None


def _pension_context(pension: Pension) -> dict[str, Any]:
    today = timezone.localdate()
    this_month = pension_calendar.month_start(today)
    cash = list(pension_selectors.cash_payments_of(pension)[:24])
    paid = {payment.period for payment in cash}
    return {
        "pension": pension,
        "kind_label": pension_selectors.pension_kind_label(pension.pension_kind),
        "in_force": pension_selectors.arrangement_in_force(pension, this_month),
        "coming": pension_selectors.arrangement_next(pension, this_month),
        "calendar": pension_selectors.payment_calendar(pension, this_month, CALENDAR_MONTHS),
        "paid_periods": paid,
        "cash_payments": cash,
        "history": list(pension_selectors.arrangement_history(pension)),
        "applies_from": pension_calendar.arrangement_takes_effect(today),
        "cutoff_day": pension_calendar.ARRANGEMENT_CUTOFF_DAY,
    }


def _page(request: HttpRequest, form: PensionArrangementForm | None, pension: Pension | None) -> HttpResponse:
    person = pension_selectors.person_of(request.user)
    all_pensions = list(pension_selectors.pensions_of(person))
    if pension is None and all_pensions:
        chosen = _int(request.GET.get("pension"))
        pension = next((p for p in all_pensions if p.pk == chosen), all_pensions[0])
    context: dict[str, Any] = {"pensions": all_pensions, "has_person": person is not None}
    if pension is not None:
        context.update(_pension_context(pension))
        if form is None:
            form = _blank_form(request, pension, context["in_force"] or context["coming"])
        context["form"] = form
    status = 422 if form is not None and form.errors else 200
    return render(request, "welfare/pension/home.html", context, status=status)


def _blank_form(request: HttpRequest, pension: Pension, current: Any) -> PensionArrangementForm:
    """The form filled with the arrangement now; `?province=` shows another province's service points."""
    province_id = _int(request.GET.get("province")) or pension.province_id
    initial: dict[str, Any] = {"province_id": province_id}
    if current is not None:
        initial.update(
            method=current.method,
            bank_name=current.bank_name,
            account_holder=current.account_holder,
            delivery_address=current.delivery_address,
            delivery_reason=current.delivery_reason,
        )
        if current.service_point_id and current.province_id == province_id:
            initial["service_point_id"] = current.service_point_id
    form = PensionArrangementForm(initial=initial, province_id=province_id)
    form.fields["province_id"].initial = province_id
    return form


@signed_in_page()
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return _page(request, None, None)


@signed_in_page()
@require_http_methods(["POST"])
def change(request: HttpRequest, pension_id: int) -> HttpResponse:
    pension = pension_selectors.pension_get_for(request.user, pension_id)
    form = PensionArrangementForm(request.POST, province_id=_int(request.POST.get("province_id")))
    if form.is_valid():
        try:
            arrangement = pensions.arrangement_change(
                actor=request.user, pension_id=pension.pk, **form.arguments()
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(
                request,
                _("Your choice is saved. Your pension is paid this way from %(month)s.")
                % {"month": date_format(arrangement.valid_from, "m/Y")},
            )
            return redirect(f"{reverse('welfare_pension:home')}?pension={pension.pk}")
    return _page(request, form, pension)
