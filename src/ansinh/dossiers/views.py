"""Pages of the dossier engine: the public catalogue, look-up and verify pages; the applicant's dossiers;
the staff queue and counter. Thin: the same services and selectors as the API."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ansinh.accounts.selectors import active_memberships
from ansinh.core.errors import DomainError, NotFound, ValidationFailed
from ansinh.core.middleware import client_ip
from ansinh.dossiers import forms as dossier_forms
from ansinh.dossiers import presenters, rules, selectors
from ansinh.dossiers.models import STATE_CHOICES
from ansinh.dossiers.procedures import FieldType, FormField, catalogue, version_on
from ansinh.dossiers.services import attachments, documents, filing, lookup, transitions
from ansinh.web.forms import error_text

QUEUE_PAGE_SIZE = 25
VERIFY_MAX_BYTES = 20 * 1024 * 1024


def _error_page(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "web/denied.html", {"error": exc}, status=exc.status)


# --- public -----------------------------------------------------------------------------------------------


@require_safe
def procedure_list(request: HttpRequest) -> HttpResponse:
    return render(request, "dossiers/procedures.html", {"procedures": catalogue(timezone.localdate())})


@require_safe
def procedure_detail(request: HttpRequest, code: str) -> HttpResponse:
    version = version_on(code, timezone.localdate())
    if version is None:
        raise Http404
    return render(request, "dossiers/procedure_detail.html", {"procedure": version})


def status_lookup(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {"receipt_code": "", "id_number": ""}
    status = 200
    if request.method == "POST":
        context["receipt_code"] = request.POST.get("receipt_code", "")[:60]
        context["id_number"] = request.POST.get("id_number", "")[:20]
        try:
            found = lookup.dossier_status_lookup(
                receipt_code=context["receipt_code"],
                id_number=context["id_number"],
                client=client_ip(request) or "",
            )
        except DomainError as exc:
            context["error"] = exc.message
            status = exc.status
        else:
            if found is None:
                context["error"] = _(
                    "No dossier matches this receipt code and ID number. Check both and try again."
                )
                status = 404
            context["found"] = found
    return render(request, "dossiers/lookup.html", context, status=status)


def verify(request: HttpRequest, short_code: str) -> HttpResponse:
    document = selectors.document_by_short_code(short_code)
    if document is None:
        return render(
            request, "dossiers/verify.html", {"short_code": short_code, "unknown": True}, status=404
        )
    context: dict[str, Any] = {
        "document": document,
        "procedure": presenters.procedure_name(document.dossier),
        "stored": documents.stored_signature(document),
        "applicant": _masked_name(document.dossier.applicant_name),
    }
    if request.method == "POST":
        upload = request.FILES.get("file")
        if not lookup.verify_check_allowed(client_ip(request) or ""):
            context["file_error"] = _("Too many checks. Please wait a few minutes and try again.")
        elif upload is None or not upload.size or upload.size > VERIFY_MAX_BYTES:
            context["file_error"] = _("Choose the PDF file to check (at most 20 MB).")
        else:
            context["check"] = documents.document_check_file(document, upload.read())
    return render(request, "dossiers/verify.html", context)


def _masked_name(name: str) -> str:
    # The verify page shows enough to match the paper in hand, not the full name to anyone with the code.
    parts = name.split()
    if len(parts) <= 1:
        return name[:1] + "…"
    return " ".join([*(p[0] + "." for p in parts[:-1]), parts[-1]])


# --- the applicant ----------------------------------------------------------------------------------------


@login_required
@require_safe
def my_dossiers(request: HttpRequest) -> HttpResponse:
    today = presenters.Today.now()
    qs = (
        selectors.dossiers_for_applicant(request.user)
        .select_related("receiving_organisation", "assigned_to")
        .order_by("-created_at", "-id")[:100]
    )
    rows = [presenters.dossier_summary(d, today) for d in qs]
    return render(request, "dossiers/my_dossiers.html", {"rows": rows})


@login_required
def dossier_new(request: HttpRequest, code: str) -> HttpResponse:
    procedure = version_on(code, timezone.localdate())
    if procedure is None or not procedure.filed_as_dossier:
        raise Http404
    extra = _applicant_fields(request, procedure)
    if request.method == "POST":
        form = dossier_forms.procedure_form(procedure.fields, request.POST, extra=extra)
        organisation = request.POST.get("organisation", "")
        try:
            dossier = filing.dossier_start(
                actor=request.user,
                procedure_code=code,
                form_data=dossier_forms.raw_values(procedure.fields, request.POST),
                organisation_id=int(organisation) if extra and organisation.isdigit() else None,
            )
        except ValidationFailed as exc:
            dossier_forms.show_errors(form, exc)
        except DomainError as exc:
            return _error_page(request, exc)
        else:
            messages.success(request, _("Draft saved. Attach the documents, then submit."))
            return redirect("dossiers:detail", dossier.pk)
    else:
        form = dossier_forms.procedure_form(procedure.fields, extra=extra)
    return render(request, "dossiers/new.html", {"procedure": procedure, "form": form})


def _applicant_fields(request: HttpRequest, procedure: Any) -> dict[str, Any]:
    """A procedure an organisation files (an enterprise's licence): the user picks which of theirs."""
    if procedure.applicant != "organisation":
        return {}
    named = {m.organisation_id: m.organisation.name for m in active_memberships(request.user)}
    return {"organisation": dossier_forms.organisation_field(sorted(named.items(), key=lambda x: x[1]))}


def _detail_context(request: HttpRequest, dossier_id: int) -> dict[str, Any]:
    dossier, as_staff = selectors.dossier_get_for(request.user, dossier_id)
    procedure = filing.procedure_of(dossier)
    powers = selectors.staff_powers(request.user, dossier) if as_staff else set()
    applicant_side = not as_staff or filing.may_file_for(request.user, dossier)
    detail = presenters.dossier_detail(
        dossier,
        presenters.Today.now(),
        powers=powers,
        applicant_side=applicant_side,
        events=list(selectors.timeline(dossier, staff=as_staff)),
        viewer_id=request.user.pk,
    )
    editable = applicant_side and dossier.state in attachments.EDITABLE
    files_by_kind = [
        (spec, [a for a in detail["attachments"] if a.document_code == spec.code])
        for spec in procedure.documents
    ]
    return {
        "dossier": dossier,
        "procedure": procedure,
        "detail": detail,
        "as_staff": as_staff,
        "editable": editable,
        "files_by_kind": files_by_kind,
        "form": dossier_forms.procedure_form(procedure.fields, initial=dossier.form_data)
        if editable
        else None,
        "form_values": [
            (spec.label, _shown(spec, dossier.form_data.get(spec.name))) for spec in procedure.fields
        ],
        "staff_actions": [a for a in detail["allowed_actions"] if not _applicant_step(a)],
        "applicant_actions": [a for a in detail["allowed_actions"] if _applicant_step(a)],
        "note_required": ("return", "refuse"),
    }


def _applicant_step(action: str) -> bool:
    return rules.TRANSITIONS[rules.Action(action)].side == rules.Side.APPLICANT


def _shown(spec: FormField, value: Any) -> Any:
    """A form value as people read it: the label of a choice, not its code; a date as dd/mm/yyyy."""
    if spec.type == FieldType.CHOICE:
        return next((choice.label for choice in spec.choices if choice.value == value), value)
    if spec.type == FieldType.DATE and isinstance(value, str) and value:
        try:
            return dateformat.format(date.fromisoformat(value), "d/m/Y")
        except ValueError:
            return value
    return value


@login_required
@require_safe
def dossier_detail(request: HttpRequest, dossier_id: int) -> HttpResponse:
    try:
        context = _detail_context(request, dossier_id)
    except NotFound as exc:
        return _error_page(request, exc)
    return render(request, "dossiers/detail.html", context)


@login_required
@require_POST
def dossier_save(request: HttpRequest, dossier_id: int) -> HttpResponse:
    try:
        context = _detail_context(request, dossier_id)
    except NotFound as exc:
        return _error_page(request, exc)
    procedure = context["procedure"]
    form = dossier_forms.procedure_form(procedure.fields, request.POST)
    try:
        filing.dossier_update_form(
            actor=request.user,
            dossier_id=dossier_id,
            form_data=dossier_forms.raw_values(procedure.fields, request.POST),
        )
    except ValidationFailed as exc:
        dossier_forms.show_errors(form, exc)
        context["form"] = form
        return render(request, "dossiers/detail.html", context, status=422)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("dossiers:detail", dossier_id)


@login_required
@require_POST
def dossier_attach(request: HttpRequest, dossier_id: int) -> HttpResponse:
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise ValidationFailed.single("file", _("Choose a file."))
        attachments.attachment_add(
            actor=request.user,
            dossier_id=dossier_id,
            document_code=request.POST.get("document_code", ""),
            upload=upload,
        )
    except NotFound as exc:
        return _error_page(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("File attached."))
    return redirect("dossiers:detail", dossier_id)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, dossier_id: int, attachment_id: int) -> HttpResponse:
    try:
        attachments.attachment_remove(actor=request.user, attachment_id=attachment_id)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("dossiers:detail", dossier_id)


@login_required
@require_safe
def attachment_download(request: HttpRequest, dossier_id: int, attachment_id: int) -> HttpResponseBase:
    try:
        attachment = attachments.attachment_open(actor=request.user, attachment_id=attachment_id)
    except NotFound as exc:
        return _error_page(request, exc)
    if attachment.dossier_id != dossier_id:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type, filename=attachment.original_name
    )


@login_required
@require_safe
def document_download(request: HttpRequest, dossier_id: int, document_id: int) -> HttpResponseBase:
    try:
        dossier, _staff = selectors.dossier_get_for(request.user, dossier_id)
    except NotFound as exc:
        return _error_page(request, exc)
    document = selectors.documents_of(dossier).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"{document.short_code}.pdf"
    )


@login_required
@require_POST
def dossier_act(request: HttpRequest, dossier_id: int) -> HttpResponse:
    action = request.POST.get("action", "")
    try:
        transitions.dossier_act(
            actor=request.user, dossier_id=dossier_id, action=action, note=request.POST.get("note", "")[:4000]
        )
    except NotFound as exc:
        return _error_page(request, exc)
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Done."))
    return redirect("dossiers:detail", dossier_id)


# --- staff ------------------------------------------------------------------------------------------------


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    today = presenters.Today.now()
    state = request.GET.get("state", "")
    flt = selectors.QueueFilter(
        states=(state,) if state else (),
        search=request.GET.get("q", "")[:100],
        urgency=request.GET.get("urgency", ""),
        unassigned=request.GET.get("unassigned") == "1",
    )
    try:
        qs = selectors.queue_for(request.user, flt, today.day, today.due_soon_until)
        page = selectors.queue_page(qs, cursor=request.GET.get("cursor") or None, size=QUEUE_PAGE_SIZE)
    except ValidationFailed as exc:
        return _error_page(request, exc)
    params = request.GET.copy()
    params.pop("cursor", None)
    counts = selectors.state_counts(request.user)
    return render(
        request,
        "dossiers/queue.html",
        {
            "rows": [presenters.dossier_summary(d, today) for d in page.items],
            "page": page,
            "states": [
                (v, label, counts.get(v, 0)) for v, label in STATE_CHOICES if v in selectors.OPEN_STATES
            ],
            "state": state,
            "q": flt.search,
            "urgency": flt.urgency,
            "unassigned": flt.unassigned,
            "base_query": params.urlencode(),
            "officers": selectors.officers_for(request.user),
        },
    )


@login_required
@require_POST
def queue_assign(request: HttpRequest) -> HttpResponse:
    try:
        ids = [int(v) for v in request.POST.getlist("dossier")]
        officer = request.POST.get("officer") or None
        n = transitions.dossier_assign(
            actor=request.user, dossier_ids=ids, officer_id=int(officer) if officer else None
        )
    except (ValueError, ValidationError):
        messages.error(request, _("Choose the dossiers and the officer."))
    except DomainError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(n)d dossier(s) assigned.") % {"n": n})
    return redirect("dossiers:queue")


@login_required
def counter(request: HttpRequest) -> HttpResponse:
    """The one-stop desk: find the citizen by ID number, open a dossier for them."""
    procedures = [p for p in catalogue(timezone.localdate()) if p.filed_as_dossier]
    context: dict[str, Any] = {"procedures": procedures, "id_number": "", "people": []}
    if request.method == "POST":
        person_id = request.POST.get("person")
        try:
            if person_id:
                dossier = filing.dossier_receive_at_counter(
                    actor=request.user,
                    procedure_code=request.POST.get("procedure", ""),
                    applicant_id_number=request.POST.get("id_number", "")[:20],
                    applicant_person_id=int(person_id),
                )
                return redirect("dossiers:detail", dossier.pk)
        except (ValueError, DomainError) as exc:
            context["error"] = error_text(exc) if isinstance(exc, DomainError) else _("Choose the applicant.")
    id_number = (request.GET.get("id_number") or request.POST.get("id_number") or "").strip()[:20]
    if id_number:
        context["id_number"] = id_number
        context["people"] = selectors.counter_person_find(request.user, id_number)
    return render(request, "dossiers/counter.html", context)
