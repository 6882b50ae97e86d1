"""Issued documents: the receipt and appointment slip, the approval and the refusal, as signed PDFs.

Each carries a short code and a QR code for the public verify page. Rendering and signing take a few
hundred milliseconds, so they run in a task after the step's commit (see after_commit), never inside the
step's transaction. Issuing is keyed on the timeline event: running the task twice issues one document.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ansinh.accounts.models import Organisation
from ansinh.core import audit, pdf, signing
from ansinh.dossiers import effects
from ansinh.dossiers.models import DocumentKindChoice, Dossier, DossierEvent, IssuedDocument
from ansinh.dossiers.services import case_decisions
from ansinh.dossiers.services.filing import deciding_body, procedure_of
from ansinh.dossiers.services.transitions import record_event

# Crockford-style alphabet: no 0/O, 1/I/L or U, so a code read aloud or typed from paper is unambiguous.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
SHORT_CODE_LENGTH = 10

TEMPLATES = {
    DocumentKindChoice.RECEIPT: "dossiers/pdf/receipt.html",
    DocumentKindChoice.APPROVAL: "dossiers/pdf/approval.html",
    DocumentKindChoice.REFUSAL: "dossiers/pdf/refusal.html",
    DocumentKindChoice.CASE_DECISION: "dossiers/pdf/case_decision.html",
}
REASONS = {
    DocumentKindChoice.RECEIPT: "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    DocumentKindChoice.APPROVAL: "Quyết định giải quyết hồ sơ",
    DocumentKindChoice.REFUSAL: "Văn bản từ chối giải quyết hồ sơ",
    DocumentKindChoice.CASE_DECISION: "Quyết định",
}


def new_short_code() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


def verify_url(short_code: str) -> str:
    return settings.PUBLIC_BASE_URL + reverse("dossiers:verify", args=[short_code])


def document_issue(*, event_id: int, kind: str) -> tuple[IssuedDocument, bool]:
    """Render, sign and store the document called for by a timeline event. Idempotent: the second call
    returns the first document and False."""
    event = DossierEvent.objects.select_related("dossier__receiving_organisation", "dossier__province").get(
        pk=event_id
    )
    existing = IssuedDocument.objects.filter(event=event).first()
    if existing is not None:
        return existing, False
    dossier = event.dossier
    doc_kind = DocumentKindChoice(kind)
    case_decision = (
        effects.case_decision(dossier, event) if doc_kind == DocumentKindChoice.CASE_DECISION else None
    )
    issuer = case_decision.issuer if case_decision else _issuer(dossier, doc_kind)
    short_code = new_short_code()
    signed = _render_and_sign(dossier, event, doc_kind, issuer, short_code, case_decision)
    document = IssuedDocument(
        dossier=dossier,
        kind=doc_kind,
        event=event,
        short_code=short_code,
        sha256=hashlib.sha256(signed).hexdigest(),
        signed_by=issuer.name,
        title=case_decision.title if case_decision else "",
        issued_at=timezone.now(),
    )
    document.file.save(f"{short_code}.pdf", ContentFile(signed), save=False)
    try:
        with transaction.atomic():
            document.save()
            if doc_kind == DocumentKindChoice.RECEIPT:
                _replace_earlier_receipts(dossier, document)
            label = case_decision.title if case_decision else doc_kind.label
            record_event(dossier, actor=None, action="document", note=f"{label}: {short_code}")
            audit.record(
                actor=None,
                action="dossier.document_issue",
                obj=dossier,
                changes={"kind": doc_kind.value, "short_code": short_code, "sha256": document.sha256},
            )
    except IntegrityError:
        # Another run of the same task got there first: keep its document, drop our file.
        document.file.delete(save=False)
        return IssuedDocument.objects.get(event=event), False
    return document, True


def _issuer(dossier: Dossier, kind: DocumentKindChoice) -> Organisation:
    if kind == DocumentKindChoice.RECEIPT:
        return dossier.receiving_organisation
    return deciding_body(procedure_of(dossier), dossier)


def _replace_earlier_receipts(dossier: Dossier, current: IssuedDocument) -> None:
    # A resubmitted dossier gets a new appointment date: the earlier slip stops being valid.
    dossier.documents.filter(kind=DocumentKindChoice.RECEIPT, revoked_at__isnull=True).exclude(
        pk=current.pk
    ).update(revoked_at=timezone.now(), revoked_reason="replaced")


def _render_and_sign(
    dossier: Dossier,
    event: DossierEvent,
    kind: DocumentKindChoice,
    issuer: Organisation,
    short_code: str,
    case_decision: effects.CaseDecision | None = None,
) -> bytes:
    procedure = procedure_of(dossier)
    url = verify_url(short_code)
    place = dossier.province.name if dossier.province else ""
    context = {
        "dossier": dossier,
        "procedure": procedure,
        "event": event,
        "issuer_name": issuer.name,
        "issuer_parent": issuer.parent.name if issuer.parent else "",
        "place": place,
        "issued_on": timezone.localdate(event.at),  # the step's day, even if the task ran later
        "short_code": short_code,
        "verify_url": url,
        "qr": pdf.qr_data_uri(url),
        "decision_facts": effects.decision_facts(dossier) if kind == DocumentKindChoice.APPROVAL else [],
        "case_decision": case_decision,
        "document_number": f"Số: {case_decision.number}" if case_decision else "",
        "documents": [
            (spec, [a for a in dossier.attachments.all() if a.document_code == spec.code])
            for spec in procedure.documents
        ],
    }
    rendered = pdf.render_pdf(TEMPLATES[kind], context, language="vi")
    reason = case_decision.title if case_decision else REASONS[kind]
    return signing.sign_pdf(
        rendered, org_code=issuer.code, org_name=issuer.name, reason=reason, location=place
    )


# --- verification ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileCheck:
    """What the verify page says about an uploaded PDF claiming to be document `short_code`."""

    same_as_issued: bool
    signature: signing.SignatureReport

    @property
    def authentic(self) -> bool:
        return self.same_as_issued and self.signature.valid


def document_check_file(document: IssuedDocument, pdf_bytes: bytes) -> FileCheck:
    same = hashlib.sha256(pdf_bytes).hexdigest() == document.sha256
    return FileCheck(same_as_issued=same, signature=signing.verify_pdf(pdf_bytes))


def stored_signature(document: IssuedDocument) -> signing.SignatureReport:
    """The signature check of the file as stored. Cached: the verify page is public, and a full PAdES
    validation is too much work to repeat for every visitor of the same document."""
    key = f"dossier-doc-signature:{document.pk}:{document.sha256}"
    report = cache.get(key)
    if report is None:
        with document.file.open("rb") as handle:
            report = signing.verify_pdf(handle.read())
        cache.set(key, report, 3600)
    return report


# A step's document is issued within seconds; one still missing after this long lost its task.
MISSING_AFTER = timedelta(minutes=10)
LOOK_BACK = timedelta(days=7)


def events_missing_documents(now: datetime | None = None, limit: int = 200) -> list[tuple[int, str]]:
    """Steps that call for a document and have none yet (the task was lost: broker down, worker died)."""
    from ansinh.dossiers.services.after_commit import DOCUMENT_FOR_STEP

    now = now or timezone.now()
    kinds = {step.value: kind.value for step, kind in DOCUMENT_FOR_STEP.items()}
    kinds[case_decisions.ACTION] = DocumentKindChoice.CASE_DECISION.value
    events = DossierEvent.objects.filter(
        action__in=list(kinds), document__isnull=True, at__lt=now - MISSING_AFTER, at__gte=now - LOOK_BACK
    ).order_by("at")[:limit]
    return [(event.pk, kinds[event.action]) for event in events]
