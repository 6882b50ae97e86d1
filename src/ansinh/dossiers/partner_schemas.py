"""Pydantic schemas of the partner API."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

# A partner's own dossier reference: letters, digits and . _ : - (it appears in a URL path).
REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$"
# Base64 of the largest accepted file (10 MB by default) with room to spare; the size is checked again
# on the decoded bytes against DOSSIER_UPLOAD_MAX_BYTES.
MAX_BASE64_CHARS = 14_500_000


class PartnerApplicantIn(Schema):
    full_name: str = Field(..., min_length=1, max_length=150)
    personal_id: str = Field(..., min_length=1, max_length=20, description="12-digit personal ID number")
    date_of_birth: date | None = None
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)


class PartnerAttachmentIn(Schema):
    document_code: str = Field(
        ..., min_length=1, max_length=60, description="A document code of the procedure"
    )
    filename: str = Field("", max_length=200)
    content_base64: str = Field(..., min_length=1, max_length=MAX_BASE64_CHARS)


class PartnerDossierIn(Schema):
    reference: str = Field(
        ...,
        min_length=1,
        max_length=100,
        pattern=REFERENCE_PATTERN,
        description="Your own id of the dossier. A repeat with the same reference returns the first dossier.",
    )
    procedure_code: str = Field(..., min_length=1, max_length=60)
    applicant: PartnerApplicantIn
    province_code: str | None = Field(
        None, max_length=8, description="Where the dossier is filed (default: the applicant's province)"
    )
    form_data: dict[str, Any] = Field(default_factory=dict)
    attachments: list[PartnerAttachmentIn] = Field(default_factory=list, max_length=30)


class PartnerDossierOut(Schema):
    id: int
    reference: str
    procedure_code: str
    receipt_code: str | None
    state: str
    state_label: str
    due_date: date | None
    submitted_at: datetime | None
    decided_at: datetime | None
    decision_note: str


class PartnerSubmitOut(PartnerDossierOut):
    created: bool = Field(..., description="False when the reference was already filed (the first dossier)")
