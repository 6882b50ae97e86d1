"""The partner API: other systems (the national public-service portal) file dossiers for citizens and read
their status. Partners do not use user tokens: each call is authenticated here with the partner's own
token (and, when sent, its HMAC signature over the raw body)."""

import base64
import binascii
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from ansinh.core.errors import ValidationFailed
from ansinh.dossiers import partner_selectors
from ansinh.dossiers.models import Dossier, Partner
from ansinh.dossiers.partner_schemas import (
    REFERENCE_PATTERN,
    PartnerDossierIn,
    PartnerDossierOut,
    PartnerSubmitOut,
)
from ansinh.dossiers.services import partners

router = Router(tags=["partner"], auth=None)

_AUTH_HELP = (
    "Authenticate with `Authorization: Bearer <partner token>` (not a user token). Optionally sign the "
    "request: `X-Ansinh-Timestamp: <Unix seconds>` and `X-Ansinh-Signature: sha256=<hex HMAC-SHA256 of "
    "'<timestamp>.<raw body>' with the partner secret>`; a signature that is sent must be right and at most "
    "5 minutes old. Refusals answer 401 with code `partner.unauthenticated`."
)


def _partner(request: HttpRequest) -> Partner:
    return partners.partner_authenticate(
        authorization=request.headers.get("Authorization"),
        signature=request.headers.get("X-Ansinh-Signature"),
        timestamp=request.headers.get("X-Ansinh-Timestamp"),
        body=request.body,
    )


def _out(dossier: Dossier, **extra: Any) -> dict[str, Any]:
    return {
        "id": dossier.pk,
        "reference": dossier.partner_reference,
        "procedure_code": dossier.procedure_code,
        "receipt_code": dossier.receipt_code,
        "state": dossier.state,
        "state_label": dossier.state_label,
        "due_date": dossier.due_date,
        "submitted_at": dossier.submitted_at,
        "decided_at": dossier.decided_at,
        "decision_note": dossier.decision_note,
        **extra,
    }


def _decoded(payload: PartnerDossierIn) -> list[tuple[str, str, bytes]]:
    files: list[tuple[str, str, bytes]] = []
    errors: dict[str, list[str]] = {}
    for i, item in enumerate(payload.attachments):
        try:
            content = base64.b64decode("".join(item.content_base64.split()), validate=True)
        except (binascii.Error, ValueError):
            errors[f"attachments.{i}.content_base64"] = [_("The file content is not valid base64.")]
            continue
        files.append((item.document_code, item.filename, content))
    if errors:
        raise ValidationFailed(errors)
    return files


@router.post(
    "/dossiers",
    response={200: PartnerSubmitOut, 201: PartnerSubmitOut},
    summary="File and submit a dossier (idempotent by your reference)",
    description=(
        "Files the dossier for the applicant (found by personal ID number, or registered) and submits it. "
        "201: filed now. 200: this reference was filed before; the first dossier is returned and nothing "
        "is filed again. Status changes are sent to the partner's callback URL, signed the same way. "
        + _AUTH_HELP
    ),
)
def dossier_submit(request: HttpRequest, payload: PartnerDossierIn) -> Status:
    partner = _partner(request)
    files = _decoded(payload)
    dossier, created = partners.partner_submit(
        partner=partner,
        reference=payload.reference,
        procedure_code=payload.procedure_code,
        applicant=payload.applicant.model_dump(),
        form_data=payload.form_data,
        province_code=payload.province_code,
        attachments=files,
    )
    return Status(201 if created else 200, _out(dossier, created=created))


@router.get(
    "/dossiers/{reference}",
    response={200: PartnerDossierOut},
    summary="The status of a dossier you filed",
    description=_AUTH_HELP,
)
def dossier_status(
    request: HttpRequest, reference: str = Path(..., max_length=100, pattern=REFERENCE_PATTERN)
) -> dict[str, Any]:
    partner = _partner(request)
    return _out(partner_selectors.partner_dossier_get(partner, reference))
