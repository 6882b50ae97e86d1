"""The employment service centres' pages: the staff home, counselling, career talks, the one-stop counter
(the officer's desk and the waiting-room screen), placements, the satisfaction surveys and their audit, the
yearly targets, the live target-vs-actual dashboard and the labour-market bulletin (with Excel downloads),
and the person's own counselling bookings.

Thin: every read is a selector taking the actor, every write a service; errors are shown beside the fields.
"""

import io
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, numberformat, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from ansinh.accounts.selectors import has_permission
from ansinh.core import charts
from ansinh.core.errors import DomainError, PermissionDenied
from ansinh.geo.models import Province, Ward
from ansinh.jobs import bulletin as jobs_bulletin
from ansinh.jobs import centre_forms as forms
from ansinh.jobs import centre_selectors as sel
from ansinh.jobs import dashboard as jobs_dashboard
from ansinh.jobs import permissions as perms
from ansinh.jobs.centres import centre_for_province
from ansinh.jobs.models import (
    AppointmentStatus,
    Indicator,
    PlacementStatus,
    ServiceKind,
)
from ansinh.jobs.services import career_talks, counselling, counter, placements, targets
from ansinh.web.forms import error_text
from ansinh.web.pages import denied, page_of, show_error, signed_in_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 2020
SCREEN_REFRESH_SECONDS = 10
DESK_SESSION_KEY = "jobs_counter_desk"
# What Excel could read as the start of a formula or an error value.
RISKY_FIRST = frozenset("=+-@\t\r#")


# --- small helpers -----------------------------------------------------------------------------------------


def count_text(value: float) -> str:
    """12.345 in Vietnamese, 12,345 in English."""
    return numberformat.format(
        int(value),
        formats.get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def percent_text(value: float | None) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, decimal_pos=1) + "%"


def _years() -> list[int]:
    return list(range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1))


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and int(raw) in _years() else timezone.localdate().year


def _centre_id(request: HttpRequest) -> str:
    return (request.POST.get("centre") or request.GET.get("centre") or "").strip()[:12]


def _ticket_number(number: int) -> str:
    return f"{number:03d}"


def _nav_context(request: HttpRequest, centre: Any = None, centres: Any = None) -> dict[str, Any]:
    return {"centre": centre, "centres": centres if centres is not None else [centre] if centre else []}


# --- the staff home ----------------------------------------------------------------------------------------


@require_safe
@signed_in_page()
def home(request: HttpRequest) -> HttpResponse:
    codes = (perms.CENTRE_OPERATE, perms.STATISTICS_READ, perms.TARGET_SET)
    allowed = {code for code in codes if has_permission(request.user, code)}
    if not allowed:
        return denied(request, PermissionDenied())
    context: dict[str, Any] = {"allowed": allowed}
    if perms.CENTRE_OPERATE in allowed:
        centres = list(sel.centres_for(request.user))
        context["centres"] = centres
        context["to_verify"] = (
            sel.placement_list_for(request.user, status=PlacementStatus.REPORTED)
            .exclude(reported_by_id=request.user.pk)
            .count()
        )
        context["booked"] = sel.appointment_list_for(request.user, status=AppointmentStatus.BOOKED).count()
    return render(request, "jobs/centre/home.html", context)


# --- counselling -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.CENTRE_OPERATE)
def counselling_list(request: HttpRequest) -> HttpResponseBase:
    centres = list(sel.centres_for(request.user))
    centre = sel.centre_get_for(request.user, _centre_id(request))
    form = forms.WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appointment = counselling.appointment_book_walk_in(
                actor=request.user, centre_id=centre.pk, **form.cleaned_data
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The appointment is booked."))
            return redirect("jobs_centre:appointment", appointment.pk)
    status = request.GET.get("status", "")[:20]
    found = sel.appointment_list_for(request.user, centre=centre, status=status)
    page, query = page_of(request, found)
    context = {
        **_nav_context(request, centre, centres),
        "form": form,
        "page": page,
        "query": query,
        "status": status,
        "statuses": AppointmentStatus.choices,
    }
    return render(request, "jobs/centre/counselling.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.CENTRE_OPERATE)
def appointment_detail(request: HttpRequest, appointment_id: int) -> HttpResponseBase:
    appointment = sel.appointment_get_for(request.user, appointment_id)
    form = forms.RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            counselling.appointment_record(
                actor=request.user, appointment_id=appointment.pk, **form.cleaned_data
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The appointment is recorded."))
            return redirect("jobs_centre:appointment", appointment.pk)
    service = sel.service_for(ServiceKind.COUNSELLING, appointment.pk)
    context = {"appointment": appointment, "form": form, "service": service, "centre": appointment.centre}
    return render(request, "jobs/centre/appointment.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page()
def my_counselling(request: HttpRequest) -> HttpResponseBase:
    """A signed-in person's bookings, and the form to book (the centre of their province first)."""
    centres = list(sel.public_centres())
    person = getattr(request.user, "person", None)
    home_centre = centre_for_province(person.province_id) if person is not None else None
    initial = {"centre_id": home_centre.pk} if home_centre else {}
    form = forms.BookForm(request.POST or None, centres=centres, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            counselling.appointment_book(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Your appointment is booked. The centre will expect you."))
            return redirect("jobs_centre:my_counselling")
    context = {"form": form, "appointments": sel.my_appointments(request.user)[:50]}
    return render(request, "jobs/centre/my_counselling.html", context, status=422 if form.errors else 200)


@require_POST
@signed_in_page()
def my_counselling_cancel(request: HttpRequest, appointment_id: int) -> HttpResponseBase:
    counselling.appointment_cancel_own(actor=request.user, appointment_id=appointment_id)
    messages.success(request, _("Your appointment is cancelled."))
    return redirect("jobs_centre:my_counselling")


# --- career talks ------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.CENTRE_OPERATE)
def talks(request: HttpRequest) -> HttpResponseBase:
    centres = list(sel.centres_for(request.user))
    centre = sel.centre_get_for(request.user, _centre_id(request))
    wards = Ward.objects.filter(province_id=centre.province_id).order_by("name") if centre.province_id else []
    form = forms.TalkForm(request.POST or None, wards=wards)
    if request.method == "POST" and form.is_valid():
        try:
            career_talks.talk_record(actor=request.user, centre_id=centre.pk, **form.cleaned_data)
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The career talk is recorded."))
            return redirect(f"{reverse('jobs_centre:talks')}?{urlencode({'centre': centre.pk})}")
    year = _year(request)
    found = sel.talk_list_for(request.user, centre=centre, year=year)
    page, query = page_of(request, found)
    figures = jobs_dashboard.actuals([centre.pk], year)[centre.pk]
    context = {
        **_nav_context(request, centre, centres),
        "form": form,
        "page": page,
        "query": query,
        "year": year,
        "years": _years(),
        "talk_count": figures[Indicator.CAREER_TALKS],
        "students": figures[Indicator.TALK_ATTENDEES],
    }
    return render(request, "jobs/centre/talks.html", context, status=422 if form.errors else 200)


# --- the counter -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.CENTRE_OPERATE)
def desk(request: HttpRequest) -> HttpResponseBase:
    """The officer's desk: hand out numbers, call the next one, mark the person served or gone."""
    centres = list(sel.centres_for(request.user))
    centre = sel.centre_get_for(request.user, _centre_id(request))
    here = f"{reverse('jobs_centre:desk')}?{urlencode({'centre': centre.pk})}"
    desk_name = request.session.get(DESK_SESSION_KEY, "")
    issue_form = forms.TicketForm(request.POST if request.POST.get("action") == "issue" else None)
    call_form = forms.CallForm(
        request.POST if request.POST.get("action") == "call" else None, initial={"desk": desk_name}
    )
    serve_form = forms.ServeForm(request.POST if request.POST.get("action") == "serve" else None)
    action = request.POST.get("action", "")
    if request.method == "POST":
        try:
            if action == "issue" and issue_form.is_valid():
                ticket = counter.ticket_issue(
                    actor=request.user, centre_id=centre.pk, **issue_form.cleaned_data
                )
                messages.success(
                    request, _("Ticket number %(n)s is issued.") % {"n": _ticket_number(ticket.number)}
                )
                return redirect(here)
            if action == "call" and call_form.is_valid():
                request.session[DESK_SESSION_KEY] = call_form.cleaned_data["desk"]
                ticket = counter.ticket_call_next(
                    actor=request.user, centre_id=centre.pk, **call_form.cleaned_data
                )
                messages.success(
                    request,
                    _("Number %(n)s is called to desk %(desk)s.")
                    % {"n": _ticket_number(ticket.number), "desk": ticket.desk},
                )
                return redirect(here)
            if action in ("serve", "leave"):
                ticket_id = int(request.POST.get("ticket", "0") or 0)
                if action == "leave":
                    counter.ticket_leave(actor=request.user, ticket_id=ticket_id)
                    return redirect(here)
                if serve_form.is_valid():
                    counter.ticket_serve(actor=request.user, ticket_id=ticket_id, **serve_form.cleaned_data)
                    messages.success(request, _("The person is served."))
                    return redirect(here)
        except ValueError:
            messages.error(request, _("Choose a ticket."))
        except counter.QueueEmpty as exc:
            messages.info(request, str(exc.message))
            return redirect(here)
        except DomainError as exc:
            form = {"issue": issue_form, "call": call_form, "serve": serve_form}.get(action)
            if form is None or exc.status in (403, 404):
                raise
            show_error(form, exc)
    summary = sel.queue_summary(centre, timezone.localdate())
    mine = [t for t in summary["called"] if t.served_by_id == request.user.pk]
    context = {
        **_nav_context(request, centre, centres),
        "summary": summary,
        "mine": mine,
        "issue_form": issue_form,
        "call_form": call_form,
        "serve_form": serve_form,
        "screen_url": reverse("jobs_centre:screen", args=[centre.pk]),
    }
    invalid = request.method == "POST" and any(f.errors for f in (issue_form, call_form, serve_form))
    return render(request, "jobs/centre/desk.html", context, status=422 if invalid else 200)


@require_safe
def screen(request: HttpRequest, centre_id: int) -> HttpResponse:
    """The waiting-room screen: numbers and desks only (no names), updating itself every few seconds."""
    try:
        centre = sel.public_centre_get(centre_id)
    except DomainError as exc:
        return denied(request, exc)
    summary = sel.queue_summary(centre, timezone.localdate())
    called = summary["called"][:6]
    context = {
        "centre": centre,
        "latest": called[0] if called else None,
        "called": called[1:],
        "waiting": len(summary["waiting"]),
        "next_numbers": [_ticket_number(t.number) for t in summary["waiting"][:8]],
        "refresh": SCREEN_REFRESH_SECONDS,
        "now": timezone.localtime(),
    }
    return render(request, "jobs/centre/screen.html", context)


# --- placements --------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.CENTRE_OPERATE)
def placement_list(request: HttpRequest) -> HttpResponseBase:
    centres = list(sel.centres_for(request.user))
    centre = sel.centre_get_for(request.user, _centre_id(request))
    form = forms.PlacementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            placement = placements.placement_report(
                actor=request.user, centre_id=centre.pk, **form.cleaned_data
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(
                request, _("The placement is reported. Another officer of the centre verifies it.")
            )
            return redirect("jobs_centre:placement", placement.pk)
    status = request.GET.get("status", "")[:20]
    found = sel.placement_list_for(request.user, centre=centre, status=status)
    page, query = page_of(request, found)
    context = {
        **_nav_context(request, centre, centres),
        "form": form,
        "page": page,
        "query": query,
        "status": status,
        "statuses": PlacementStatus.choices,
    }
    return render(request, "jobs/centre/placements.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.CENTRE_OPERATE)
def placement_detail(request: HttpRequest, placement_id: int) -> HttpResponseBase:
    placement = sel.placement_get_for(request.user, placement_id)
    reject_form = forms.RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "verify":
                placements.placement_verify(actor=request.user, placement_id=placement.pk)
                messages.success(request, _("The placement is verified."))
                return redirect("jobs_centre:placement", placement.pk)
            if action == "reject" and reject_form.is_valid():
                placements.placement_reject(
                    actor=request.user, placement_id=placement.pk, **reject_form.cleaned_data
                )
                messages.success(request, _("The placement is marked not confirmed."))
                return redirect("jobs_centre:placement", placement.pk)
        except DomainError as exc:
            if exc.status in (403, 404):
                raise
            messages.error(request, error_text(exc))
            return redirect("jobs_centre:placement", placement.pk)
    service = sel.service_for(ServiceKind.PLACEMENT, placement.pk)
    context = {
        "placement": placement,
        "reject_form": reject_form,
        "service": service,
        "centre": placement.centre,
        "may_check": placement.status == PlacementStatus.REPORTED
        and placement.reported_by_id != request.user.pk,
    }
    return render(request, "jobs/centre/placement.html", context, status=422 if reject_form.errors else 200)


# --- satisfaction surveys ----------------------------------------------------------------------------------


@require_safe
@signed_in_page(perms.STATISTICS_READ)
def surveys(request: HttpRequest) -> HttpResponse:
    """The figures per centre, and every answer with the service it is about, so the satisfied share can be
    checked line by line."""
    year = _year(request)
    centres = list(sel.centres_for(request.user, perms.STATISTICS_READ))
    centre = (
        sel.centre_get_for(request.user, _centre_id(request), perms.STATISTICS_READ)
        if _centre_id(request)
        else None
    )
    shown = [centre] if centre else centres
    figures = sel.survey_figures([c.pk for c in shown], year)
    rows = [(c, figures.get(c.pk, sel.SurveyFigures())) for c in shown]
    score = request.GET.get("score", "")[:1]
    answers = sel.survey_answers_for(request.user, centre=centre, year=year, score=score)
    page, query = page_of(request, answers, size=50)
    may_open = has_permission(request.user, perms.CENTRE_OPERATE)
    context = {
        "centre": centre,
        "centres": centres,
        "year": year,
        "years": _years(),
        "rows": [(c, f, percent_text(f.percent)) for c, f in rows],
        "page": page,
        "query": query,
        "score": score,
        "may_open": may_open,
        "kinds": dict(ServiceKind.choices),
    }
    return render(request, "jobs/centre/surveys.html", context)


# --- targets -----------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
@signed_in_page(perms.TARGET_SET)
def targets_page(request: HttpRequest) -> HttpResponseBase:
    centres = list(sel.centres_for(request.user, perms.TARGET_SET))
    centre = sel.centre_get_for(request.user, _centre_id(request), perms.TARGET_SET)
    raw_year = request.POST.get("year") or request.GET.get("year") or str(timezone.localdate().year)
    year = int(raw_year) if raw_year.isdigit() else timezone.localdate().year
    current = sel.target_list_for(request.user, centre=centre, year=year)
    form = forms.TargetsForm(request.POST or None, initial=current)
    if request.method == "POST" and form.is_valid():
        try:
            targets.targets_set(
                actor=request.user, centre_id=centre.pk, year=raw_year, targets=form.cleaned_data
            )
        except DomainError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("The targets are saved."))
            return redirect(
                f"{reverse('jobs_centre:targets')}?{urlencode({'centre': centre.pk, 'year': year})}"
            )
    this_year = timezone.localdate().year
    context = {
        **_nav_context(request, centre, centres),
        "form": form,
        "year": year,
        "years": [this_year + 1, this_year, this_year - 1],
    }
    return render(request, "jobs/centre/targets.html", context, status=422 if form.errors else 200)


# --- the dashboard -----------------------------------------------------------------------------------------


def _dashboard(request: HttpRequest) -> tuple[int, list[jobs_dashboard.CentreFigures], Any]:
    year = _year(request)
    province = request.GET.get("province", "")[:8]
    rows = jobs_dashboard.dashboard_for(
        request.user, year=year, centre_id=_centre_id(request) or None, province_id=province or None
    )
    return year, rows, jobs_dashboard.totals(rows, year) if len(rows) > 1 else None


def _line_text(line: jobs_dashboard.Line) -> dict[str, Any]:
    shown = percent_text(line.actual) if line.is_percent else count_text(line.actual)
    target = (
        "—" if line.target is None else (f"{line.target}%" if line.is_percent else count_text(line.target))
    )
    return {"line": line, "actual": shown, "target": target, "percent": percent_text(line.percent)}


@require_safe
@signed_in_page(perms.STATISTICS_READ)
def dashboard(request: HttpRequest) -> HttpResponse:
    year, rows, total = _dashboard(request)
    single = rows[0] if len(rows) == 1 else None
    focus = single or total or (rows[0] if rows else None)
    chart = ""
    if focus is not None:
        measured = [line for line in focus.lines if line.percent is not None]
        if measured:
            chart = charts.horizontal_bars(
                [(line.label, float(line.percent or 0)) for line in measured],
                title=_("Share of the year's target reached (%)"),
                chart_id="chart-targets",
                description=_(
                    "Each bar is the actual figure as a share of the target; the table lists both."
                ),
                value_format=lambda v: f"{v:.0f}%",
            )
    query = {"year": str(year)}
    if _centre_id(request):
        query["centre"] = _centre_id(request)
    if request.GET.get("province"):
        query["province"] = request.GET["province"][:8]
    context = {
        "year": year,
        "years": _years(),
        "single": single,
        "focus": [_line_text(line) for line in focus.lines] if focus else [],
        "rows": [(r.centre, [_line_text(line) for line in r.lines]) for r in rows],
        "indicators": Indicator.choices,
        "centres": list(sel.centres_for(request.user, perms.STATISTICS_READ)),
        "chart": chart,
        "xlsx_query": urlencode(query),
        "may_set": has_permission(request.user, perms.TARGET_SET),
        "as_of": timezone.localtime(),
    }
    return render(request, "jobs/centre/dashboard.html", context)


@require_safe
@signed_in_page(perms.STATISTICS_READ)
def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    year, rows, total = _dashboard(request)
    headings = [_("Centre"), _("Indicator"), _("Target"), _("Actual"), _("Share of target (%)")]
    lines: list[list[Any]] = []
    for figures in [*rows, *([total] if total else [])]:
        name = figures.centre.name if figures is not total else _("All centres")
        for line in figures.lines:
            lines.append([name, line.label, line.target, line.actual, line.percent])
    title = _("Targets and results of the employment service centres, %(year)d") % {"year": year}
    response = HttpResponse(workbook([(title[:31], title, headings, lines)]), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="chi-tieu-trung-tam-{year}.xlsx"'
    return response


# --- the bulletin ------------------------------------------------------------------------------------------


def _bulletin(request: HttpRequest) -> jobs_bulletin.Bulletin:
    code = request.GET.get("province", "").strip()[:8]
    province = Province.objects.filter(code=code).first() if code else None
    return jobs_bulletin.bulletin(province=province)


def bulletin_context(figures: jobs_bulletin.Bulletin, *, detailed: bool) -> dict[str, Any]:
    def bars(rows: list[jobs_bulletin.Row], attribute: str, chart_id: str, title: str, colour: str) -> str:
        items = sorted(
            (
                (f"{r.code} {r.name}" if r.code[:1].isdigit() else r.name, float(getattr(r, attribute)))
                for r in rows
            ),
            key=lambda item: -item[1],
        )[:12]
        if not any(value for _label, value in items):
            return ""
        return charts.horizontal_bars(
            items,
            title=title,
            chart_id=chart_id,
            colour=colour,
            value_format=count_text,
            description=_("The table below lists every figure."),
        )

    return {
        "figures": figures,
        "charts": {
            "major_openings": bars(
                figures.by_major,
                "openings",
                "chart-openings",
                _("Job openings by occupation group"),
                charts.BLUE,
            ),
            "major_seekers": bars(
                figures.by_major,
                "seekers",
                "chart-seekers",
                _("People looking for work by occupation group"),
                charts.VERMILLION,
            ),
            "province_openings": bars(
                figures.by_province,
                "openings",
                "chart-provinces",
                _("Job openings by province"),
                charts.BLUISH_GREEN,
            ),
        },
        "detailed": detailed,
        "provinces": Province.objects.order_by("name"),
    }


@require_safe
@signed_in_page(perms.STATISTICS_READ)
def bulletin(request: HttpRequest) -> HttpResponse:
    figures = _bulletin(request)
    query = urlencode({"province": figures.province.code}) if figures.province else ""
    context = {**bulletin_context(figures, detailed=True), "xlsx_query": query}
    return render(request, "jobs/centre/bulletin.html", context)


@require_safe
def public_bulletin(request: HttpRequest) -> HttpResponse:
    """The same counts for everyone (no vacancy or person is named), without the sub-major groups."""
    figures = _bulletin(request)
    return render(request, "jobs/centre/bulletin.html", bulletin_context(figures, detailed=False))


@require_safe
@signed_in_page(perms.STATISTICS_READ)
def bulletin_xlsx(request: HttpRequest) -> HttpResponse:
    figures = _bulletin(request)
    headings = [_("Code"), _("Name"), _("Open vacancies"), _("Job openings"), _("People looking for work")]

    def table(rows: list[jobs_bulletin.Row]) -> list[list[Any]]:
        return [[r.code or None, r.name, r.vacancies, r.openings, r.seekers] for r in rows]

    place = f" — {figures.province.name}" if figures.province else ""
    day = figures.as_of.strftime("%d/%m/%Y")
    sheets = [
        (
            _("Occupation groups"),
            _("By occupation group (ISCO-08), %(day)s") % {"day": day} + place,
            headings,
            table(figures.by_major),
        ),
        (
            _("Occupation sub-groups"),
            _("By occupation sub-major group (ISCO-08), %(day)s") % {"day": day} + place,
            headings,
            table(figures.by_sub_major),
        ),
        (
            _("Provinces"),
            _("By province, %(day)s") % {"day": day} + place,
            headings,
            table(figures.by_province),
        ),
    ]
    response = HttpResponse(workbook(sheets), content_type=XLSX)
    suffix = f"-{figures.province.code}" if figures.province else ""
    response["Content-Disposition"] = (
        f'attachment; filename="ban-tin-thi-truong-lao-dong-{figures.as_of:%Y%m%d}{suffix}.xlsx"'
    )
    return response


# --- the workbook ------------------------------------------------------------------------------------------


def workbook(sheets: list[tuple[str, str, list[str], list[list[Any]]]]) -> bytes:
    """Sheets of (name, title, headings, rows), write-only: numbers stay numbers, texts stay texts (a text
    that Excel would read as a formula gets the quote prefix)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, title, headings, rows in sheets:
        sheet = book.create_sheet(str(name)[:31])

        def cell(value: Any, *, strong: bool = False, sheet: Any = sheet) -> Any:
            c = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str) and value[:1] in RISKY_FIRST:
                c.data_type = "s"  # never a formula, whatever the text starts with
                c.quotePrefix = True
            if isinstance(value, int | float) and not isinstance(value, bool):
                c.number_format = "#,##0.#" if isinstance(value, float) else "#,##0"
            if strong:
                c.font = bold
            return c

        sheet.append([cell(title, strong=True)])
        sheet.append([])
        sheet.append([cell(h, strong=True) for h in headings])
        for row in rows:
            sheet.append([cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
