from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema

# Database ids: a number the database can hold (a 64-bit overflow is a 4xx, never a 500).
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]


class DocumentKindOut(Schema):
    code: str
    label: str
    mandatory: bool
    content_types: list[str]
    max_files: int


class ProcedureOut(Schema):
    code: str
    version: str
    valid_from: date
    valid_to: date | None
    name: str
    name_vi: str
    name_en: str
    description: str
    legal_basis: str
    receiving_kind: str
    deciding_kind: str
    level: str
    processing_days: int = Field(..., description="Working days from the complete dossier")
    deadline: str = Field(..., description="The time limit in words when it is not counted from a dossier")
    filing: str = Field(..., description="dossier (filed as a dossier), service (on its own page), triggered")
    applicant: str
    states: list[str]
    documents: list[DocumentKindOut]
    form_schema: dict[str, Any] = Field(..., description="JSON Schema (2020-12) of `form_data`")


class DossierCreateIn(Schema):
    procedure_code: str = Field(..., max_length=60)
    form_data: dict[str, Any] = Field(default_factory=dict)
    province_id: Id | None = None
    organisation_id: Id | None = Field(None, description="For procedures filed by an organisation")


class CounterDossierIn(Schema):
    procedure_code: str = Field(..., max_length=60)
    applicant_id_number: str = Field(
        ..., min_length=6, max_length=20, description="Personal ID or passport number on the card shown"
    )
    applicant_person_id: Id | None = Field(
        None, description="Only to choose among holders of one passport number"
    )
    form_data: dict[str, Any] = Field(default_factory=dict)


class FormDataIn(Schema):
    form_data: dict[str, Any]


class ActionIn(Schema):
    action: str = Field(
        ..., max_length=20, description="submit, resubmit, return, accept, start, approve, ..."
    )
    note: str = Field("", max_length=4000, description="Required to return (what is missing) and to refuse")


class AssignIn(Schema):
    dossier_ids: list[Id] = Field(..., min_length=1, max_length=200)
    officer_id: Id | None = None


class AttachmentOut(Schema):
    id: int
    document_code: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class IssuedDocumentOut(Schema):
    id: int
    kind: str
    short_code: str
    issued_at: datetime
    revoked_at: datetime | None
    signed_by: str


class EventOut(Schema):
    at: datetime
    action: str
    action_label: str
    from_state: str
    to_state: str
    to_state_label: str
    actor: str
    note: str
    due_date: date | None


class DossierSummaryOut(Schema):
    id: int
    receipt_code: str | None
    procedure_code: str
    procedure_name: str
    state: str
    state_label: str
    channel: str
    applicant_name: str
    receiving_organisation: str
    submitted_at: datetime | None
    due_date: date | None
    urgency: str
    assigned_to: str | None


class DossierOut(DossierSummaryOut):
    procedure_version: str
    form_data: dict[str, Any]
    complete_on: date | None
    decided_at: datetime | None
    decision_note: str
    next_step: str
    allowed_actions: list[str]
    attachments: list[AttachmentOut]
    documents: list[IssuedDocumentOut]
    timeline: list[EventOut]


class QueueOut(Schema):
    items: list[DossierSummaryOut]
    next_cursor: str | None
    counts: dict[str, int]


class LookupIn(Schema):
    receipt_code: str = Field(..., min_length=1, max_length=60)
    id_number: str = Field(..., min_length=1, max_length=20, description="Personal ID number or passport")


class PublicStatusOut(Schema):
    receipt_code: str
    procedure: str
    state: str
    state_label: str
    received_on: date | None
    due_date: date | None
    next_step: str
    receiving_organisation: str


class VerifyOut(Schema):
    short_code: str
    kind: str
    kind_label: str
    title: str = Field(description="The document's own name, in Vietnamese, when the kind says too little")
    receipt_code: str
    procedure: str
    issued_by: str
    issued_at: datetime
    valid: bool
    revoked: bool
    signature_valid: bool
    signature_problem: str


class AssignedOut(Schema):
    assigned: int
