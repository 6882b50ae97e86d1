"""The dossier API: the public catalogue, status look-up and document verification; the applicant's
dossiers; the staff queue. Thin: every call goes to a service or a selector."""

from datetime import date
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.throttling import AnonRateThrottle

from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.core.errors import NotFound
from ansinh.core.middleware import client_ip
from ansinh.dossiers import presenters, selectors
from ansinh.dossiers.models import Dossier
from ansinh.dossiers.procedures import catalogue, version_on
from ansinh.dossiers.schemas import (
    ActionIn,
    AssignedOut,
    AssignIn,
    AttachmentOut,
    CounterDossierIn,
    DossierCreateIn,
    DossierOut,
    DossierSummaryOut,
    FormDataIn,
    Id,
    LookupIn,
    ProcedureOut,
    PublicStatusOut,
    QueueOut,
    VerifyOut,
)
from ansinh.dossiers.services import attachments, documents, filing, lookup, transitions

router = Router(tags=["dossiers"])


# --- public -----------------------------------------------------------------------------------------------


@router.get("/procedures", auth=None, response=list[ProcedureOut], summary="Procedures in force")
def procedure_list(request: HttpRequest, on: date | None = None) -> list[dict[str, Any]]:
    return [presenters.procedure_data(v) for v in catalogue(on or timezone.localdate())]


@router.get(
    "/procedures/{code}", auth=None, response=ProcedureOut, summary="One procedure and its form schema"
)
def procedure_detail(request: HttpRequest, code: str, on: date | None = None) -> dict[str, Any]:
    version = version_on(code, on or timezone.localdate())
    if version is None:
        raise NotFound()
    return presenters.procedure_data(version)


@router.post(
    "/dossiers/lookup",
    auth=None,
    response={200: PublicStatusOut},
    throttle=[AnonRateThrottle("30/m")],
    summary="Status of a dossier by receipt code and the applicant's ID number (no login)",
)
def dossier_lookup(request: HttpRequest, payload: LookupIn) -> Any:
    status = lookup.dossier_status_lookup(
        receipt_code=payload.receipt_code,
        id_number=payload.id_number,
        client=client_ip(request) or "",
    )
    if status is None:
        raise NotFound()
    return status


@router.get(
    "/documents/{short_code}", auth=None, response=VerifyOut, summary="Is this issued document genuine?"
)
def document_verify(request: HttpRequest, short_code: str) -> dict[str, Any]:
    document = selectors.document_by_short_code(short_code)
    if document is None:
        raise NotFound()
    report = documents.stored_signature(document)
    return {
        "short_code": document.short_code,
        "kind": document.kind,
        "kind_label": document.get_kind_display(),
        "title": document.title,
        "receipt_code": document.dossier.receipt_code or "",
        "procedure": presenters.procedure_name(document.dossier),
        "issued_by": document.signed_by,
        "issued_at": document.issued_at,
        "valid": report.valid and document.revoked_at is None,
        "revoked": document.revoked_at is not None,
        "signature_valid": report.valid,
        "signature_problem": report.problem,
    }


# --- the applicant ----------------------------------------------------------------------------------------


def _detail(request: HttpRequest, dossier_id: int) -> dict[str, Any]:
    actor = current_user(request)
    dossier, as_staff = selectors.dossier_get_for(actor, dossier_id)
    powers = selectors.staff_powers(actor, dossier) if as_staff else set()
    applicant_side = not as_staff or filing.may_file_for(actor, dossier)
    events = list(selectors.timeline(dossier, staff=as_staff))
    return presenters.dossier_detail(
        dossier,
        presenters.Today.now(),
        powers=powers,
        applicant_side=applicant_side,
        events=events,
        viewer_id=actor.pk,
    )


@router.get("/dossiers", response=list[DossierSummaryOut], summary="My dossiers")
@paginate(PageNumber)
def my_dossiers(request: HttpRequest) -> list[dict[str, Any]]:
    today = presenters.Today.now()
    qs = selectors.dossiers_for_applicant(current_user(request)).select_related(
        "receiving_organisation", "assigned_to"
    )
    return _LazySummaries(qs.order_by("-created_at", "-id"), today)  # type: ignore[return-value]


class _LazySummaries:
    """A queryset that the paginator slices and counts, turned into summaries only for the page shown."""

    def __init__(self, qs: Any, today: presenters.Today):
        self.qs, self.today = qs, today

    def count(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [presenters.dossier_summary(d, self.today) for d in self.qs[item]]


@router.post("/dossiers", response={201: DossierOut}, summary="Open a draft dossier online")
def dossier_create(request: HttpRequest, payload: DossierCreateIn) -> Status[dict[str, Any]]:
    dossier = filing.dossier_start(
        actor=current_user(request),
        procedure_code=payload.procedure_code,
        form_data=payload.form_data,
        province_id=payload.province_id,
        organisation_id=payload.organisation_id,
    )
    return Status(201, _detail(request, dossier.pk))


@router.get("/dossiers/{dossier_id}", response=DossierOut, summary="One dossier with its timeline")
def dossier_detail(request: HttpRequest, dossier_id: int) -> dict[str, Any]:
    return _detail(request, dossier_id)


@router.patch(
    "/dossiers/{dossier_id}", response=DossierOut, summary="Save the form of a draft or returned dossier"
)
def dossier_update(request: HttpRequest, dossier_id: int, payload: FormDataIn) -> dict[str, Any]:
    filing.dossier_update_form(
        actor=current_user(request), dossier_id=dossier_id, form_data=payload.form_data
    )
    return _detail(request, dossier_id)


@router.post(
    "/dossiers/{dossier_id}/actions", response=DossierOut, summary="Take a step (submit, accept, ...)"
)
def dossier_action(request: HttpRequest, dossier_id: int, payload: ActionIn) -> dict[str, Any]:
    transitions.dossier_act(
        actor=current_user(request), dossier_id=dossier_id, action=payload.action, note=payload.note
    )
    return _detail(request, dossier_id)


@router.post(
    "/dossiers/{dossier_id}/attachments",
    response={201: AttachmentOut},
    summary=f"Attach a document (PDF, JPEG or PNG; at most {settings.DOSSIER_UPLOAD_MAX_BYTES // 2**20} MB)",
)
def attachment_upload(
    request: HttpRequest, dossier_id: int, document_code: Form[str], file: File[UploadedFile]
) -> Status[Any]:
    attachment = attachments.attachment_add(
        actor=current_user(request), dossier_id=dossier_id, document_code=document_code, upload=file
    )
    return Status(201, attachment)


@router.delete("/dossiers/{dossier_id}/attachments/{attachment_id}", response={204: None})
def attachment_delete(request: HttpRequest, dossier_id: int, attachment_id: int) -> Status[None]:
    attachments.attachment_remove(actor=current_user(request), attachment_id=attachment_id)
    return Status(204, None)


@router.get("/dossiers/{dossier_id}/attachments/{attachment_id}", summary="Download an attachment (audited)")
def attachment_download(request: HttpRequest, dossier_id: int, attachment_id: int) -> FileResponse:
    attachment = attachments.attachment_open(actor=current_user(request), attachment_id=attachment_id)
    if attachment.dossier_id != dossier_id:
        raise NotFound()
    return FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type, filename=attachment.original_name
    )


@router.get("/dossiers/{dossier_id}/documents/{document_id}", summary="Download an issued PDF")
def document_download(request: HttpRequest, dossier_id: int, document_id: int) -> FileResponse:
    dossier, _staff = selectors.dossier_get_for(current_user(request), dossier_id)
    document = selectors.documents_of(dossier).filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    return FileResponse(
        document.file.open("rb"), content_type="application/pdf", filename=f"{document.short_code}.pdf"
    )


# --- staff ------------------------------------------------------------------------------------------------


class QueueQuery(Schema):
    state: list[str] = []
    search: str = ""
    urgency: str = ""
    organisation_id: Id | None = None
    procedure_code: str = ""
    assigned_to_id: Id | None = None
    unassigned: bool = False
    cursor: str | None = None
    page_size: int = 25


@router.get("/queue", response=QueueOut, summary="The staff work queue, by due date (keyset pages)")
def queue(request: HttpRequest, query: Query[QueueQuery]) -> dict[str, Any]:
    actor = current_user(request)
    today = presenters.Today.now()
    flt = selectors.QueueFilter(
        organisation_id=query.organisation_id,
        states=tuple(query.state),
        search=query.search[:100],
        urgency=query.urgency,
        assigned_to_id=query.assigned_to_id,
        unassigned=query.unassigned,
        procedure_code=query.procedure_code,
    )
    qs = selectors.queue_for(actor, flt, today.day, today.due_soon_until)
    page = selectors.queue_page(qs, cursor=query.cursor, size=max(1, min(query.page_size, 200)))
    return {
        "items": [presenters.dossier_summary(d, today) for d in page.items],
        "next_cursor": page.next_cursor,
        "counts": selectors.state_counts(actor, query.organisation_id),
    }


@router.post("/queue/assign", response=AssignedOut, summary="Assign dossiers to an officer")
def queue_assign(request: HttpRequest, payload: AssignIn) -> dict[str, int]:
    n = transitions.dossier_assign(
        actor=current_user(request), dossier_ids=payload.dossier_ids, officer_id=payload.officer_id
    )
    return {"assigned": n}


@router.post(
    "/counter/dossiers", response={201: DossierOut}, summary="Open a dossier at the one-stop counter"
)
def counter_dossier(request: HttpRequest, payload: CounterDossierIn) -> Status[dict[str, Any]]:
    dossier: Dossier = filing.dossier_receive_at_counter(
        actor=current_user(request),
        procedure_code=payload.procedure_code,
        applicant_id_number=payload.applicant_id_number,
        applicant_person_id=payload.applicant_person_id,
        form_data=payload.form_data,
    )
    return Status(201, _detail(request, dossier.pk))
