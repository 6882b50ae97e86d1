"""Staff pages of the benefit payments: the months a centre hands off to the provincial social-insurance
agency (Decree 374/2025 Art 16.2), the hand-off itself, and the day's list as an Excel file. Thin: the
reads are `payment_selectors`, the write is `services.payments.payments_hand_off` (the same calls the
partner API's agency side meets).

URL names (namespace "unemployment"): `payments`, `payments_hand_off`, `payments_xlsx`."""

import io
from datetime import date, datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from ansinh.accounts.selectors import has_permission
from ansinh.core.errors import DomainError, PermissionDenied, ValidationFailed
from ansinh.unemployment import payment_selectors
from ansinh.unemployment import permissions as perms
from ansinh.unemployment.models import BenefitMonth
from ansinh.unemployment.services import payments as payment_services
from ansinh.web.templatetags.money import vnd

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _deny(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "web/denied.html", {"error": exc}, status=exc.status)


def _after(request: HttpRequest) -> int:
    raw = request.GET.get("after", "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else 0


def _row(month: BenefitMonth, pay_by: date) -> dict[str, Any]:
    claim = month.claim
    return {
        "id": month.pk,
        "decision_number": claim.decision_number,
        "full_name": claim.person.full_name,
        "personal_id": claim.person.personal_id or "",
        "bank_account": claim.bank_account,
        "number": month.number,
        "start": month.start,
        "end": month.end,
        "notified_at": month.notified_at,
        "pay_by": pay_by,
        "amount": vnd(month.amount),
        "centre": claim.centre.name,
    }


@login_required
@require_safe
def payments(request: HttpRequest) -> HttpResponse:
    try:
        permission = payment_selectors.payments_permission(request.user)
    except DomainError as exc:
        return _deny(request, exc)
    as_of = timezone.now()
    after = _after(request)
    totals = payment_selectors.payable_totals(request.user, permission, notified_until=as_of)
    rows = payment_selectors.payable_page(
        request.user, permission, after=after, limit=payment_selectors.PAGE_SIZE + 1, notified_until=as_of
    )
    more = len(rows) > payment_selectors.PAGE_SIZE
    rows = rows[: payment_selectors.PAGE_SIZE]
    context = {
        "rows": [_row(month, due) for month, due in payment_selectors.with_pay_by(rows)],
        "totals": totals,
        "total_amount": vnd(totals.amount),
        "as_of": as_of.isoformat(),
        "as_of_local": timezone.localtime(as_of),
        "may_hand_off": permission == perms.CLAIM_HANDLE,
        "next_after": rows[-1].pk if more and rows else None,
        "first_page": after == 0,
        "today": timezone.localdate().isoformat(),
        "pay_days": payment_selectors.PAYMENT_WORKING_DAYS,
    }
    return render(request, "unemployment/payments.html", context)


@login_required
@require_POST
def payments_hand_off(request: HttpRequest) -> HttpResponseBase:
    if not has_permission(request.user, perms.CLAIM_HANDLE):
        return _deny(request, PermissionDenied())
    back = reverse("unemployment:payments")
    as_of = parse_datetime(request.POST.get("as_of", "")[:40])
    if as_of is None or timezone.is_naive(as_of):
        messages.error(request, _("The list was not sent with the button. Check the list and try again."))
        return redirect(back)
    try:
        done = payment_services.payments_hand_off(actor=request.user, notified_until=as_of)
    except ValidationFailed as exc:
        messages.error(request, str(exc.message))
        return redirect(back)
    except DomainError as exc:
        return _deny(request, exc)
    if done.months:
        messages.success(
            request,
            ngettext(
                "%(months)d month of %(claims)d claim(s) handed off to social insurance: %(amount)s.",
                "%(months)d months of %(claims)d claim(s) handed off to social insurance: %(amount)s.",
                done.months,
            )
            % {"months": done.months, "claims": done.claims, "amount": vnd(done.amount)},
        )
    else:
        messages.info(request, _("Nothing to hand off: every payable month was handed off already."))
    return redirect(back)


def _local(value: datetime | None) -> datetime | None:
    # Excel has no time zones: Vietnam's time, as the pages show it.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _header() -> list[str]:
    return [
        _("Decision number"),
        _("Decided on"),
        _("Full name"),
        _("Personal ID number"),
        _("Bank account"),
        _("Month"),
        _("From"),
        _("To"),
        _("Amount (VND)"),
        _("Employment service centre"),
        _("Province"),
        _("Handed off at"),
        _("Pay by"),
        _("Paid on"),
    ]


def hand_off_workbook(day: date, months: list[BenefitMonth]) -> bytes:
    """The day's hand-off as an Excel workbook: one line per month, then the total."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Payments")[:31])
    sheet.append([_("Unemployment benefit payments handed off to social insurance")])
    sheet.append([_("Handed off on"), day, _("Vietnam time (Asia/Ho_Chi_Minh).")])
    sheet.append([_("Legal basis"), _("Decree 374/2025/ND-CP, Article 16.2")])
    sheet.append([])
    sheet.append(_header())
    total = 0
    for month, due in payment_selectors.with_pay_by(months):
        claim = month.claim
        total += month.amount
        sheet.append(
            [
                claim.decision_number,
                claim.decided_on,
                claim.person.full_name,
                claim.person.personal_id or "",
                claim.bank_account,
                month.number,
                month.start,
                month.end,
                month.amount,
                claim.centre.name,
                claim.province.name,
                _local(month.handed_off_at),
                due,
                month.paid_on,
            ]
        )
    sheet.append([_("Total"), None, None, None, None, len(months), None, None, total])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@login_required
@require_safe
def payments_xlsx(request: HttpRequest) -> HttpResponse:
    try:
        permission = payment_selectors.payments_permission(request.user)
    except DomainError as exc:
        return _deny(request, exc)
    raw = request.GET.get("date", "")
    try:
        day = parse_date(raw[:10]) if raw else timezone.localdate()
    except ValueError:
        day = None
    if day is None:
        messages.error(request, _("Enter a valid date (YYYY-MM-DD)."))
        return redirect(reverse("unemployment:payments"))
    months = payment_selectors.hand_off_export(request.user, day, permission)
    response = HttpResponse(hand_off_workbook(day, months), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="unemployment-payments-{day:%Y%m%d}.xlsx"'
    response["Cache-Control"] = "no-store"
    return response
