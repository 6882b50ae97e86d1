"""Documents the applicant attaches. The type is read from the file's first bytes, never from its name;
the file goes through Django's storage API (local disk under var/, or S3) under a random name."""

import hashlib
from typing import Any

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from ansinh.core import audit
from ansinh.core.errors import NotFound
from ansinh.dossiers import permissions as perms
from ansinh.dossiers.errors import InvalidTransition, UploadRefused
from ansinh.dossiers.models import Attachment
from ansinh.dossiers.procedures import State
from ansinh.dossiers.selectors import dossiers_for_applicant, dossiers_for_applicant_side, dossiers_for_staff
from ansinh.dossiers.services.filing import procedure_of
from ansinh.dossiers.services.transitions import record_event

EDITABLE = (State.DRAFT, State.RETURNED)
_SNIFF_BYTES = 8192


def sniff_content_type(head: bytes) -> str | None:
    kind = filetype.guess(head)
    return kind.mime if kind is not None else None


def _refuse(message: str) -> UploadRefused:
    return UploadRefused({"file": [message]})


def attachment_add(*, actor: Any, dossier_id: int, document_code: str, upload: UploadedFile) -> Attachment:
    with transaction.atomic():
        dossier = dossiers_for_applicant_side(actor).select_for_update().filter(pk=dossier_id).first()
        if dossier is None:
            raise NotFound()
        if dossier.state not in EDITABLE:
            raise InvalidTransition(details={"state": dossier.state, "action": "attach"})
        spec = procedure_of(dossier).document(document_code)
        if spec is None:
            raise UploadRefused({"document_code": [_("This procedure does not ask for this document.")]})
        if dossier.attachments.filter(document_code=document_code).count() >= spec.max_files:
            raise _refuse(_("At most %(n)d files for this document.") % {"n": spec.max_files})
        size = upload.size or 0
        limit = settings.DOSSIER_UPLOAD_MAX_BYTES
        if size <= 0:
            raise _refuse(_("The file is empty."))
        if size > limit:
            raise _refuse(_("The file is larger than %(size)s.") % {"size": filesizeformat(limit)})
        upload.seek(0)
        sniffed = sniff_content_type(upload.read(_SNIFF_BYTES))
        if sniffed not in spec.content_types:
            allowed = ", ".join(t.split("/")[1].upper() for t in spec.content_types)
            raise _refuse(
                _("This kind of file is not accepted here. Accepted: %(types)s.") % {"types": allowed}
            )
        digest = hashlib.sha256()
        upload.seek(0)
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        attachment = Attachment(
            dossier=dossier,
            document_code=document_code,
            original_name=(upload.name or "file")[-200:],
            content_type=sniffed,
            size=size,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        attachment.file.save("upload", upload, save=False)
        # If anything below fails, the stored file must go too: nothing half-written.
        try:
            attachment.save()
            record_event(dossier, actor=actor, action="attach", note=str(spec.label))
            audit.record(
                actor=actor,
                action="dossier.attach",
                obj=dossier,
                changes={"document": document_code, "sha256": attachment.sha256, "size": size},
            )
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def attachment_remove(*, actor: Any, attachment_id: int) -> None:
    with transaction.atomic():
        attachment = (
            Attachment.objects.select_for_update()
            .filter(pk=attachment_id, dossier__in=dossiers_for_applicant_side(actor))
            .select_related("dossier")
            .first()
        )
        if attachment is None:
            raise NotFound()
        dossier = attachment.dossier
        if dossier.state not in EDITABLE:
            raise InvalidTransition(details={"state": dossier.state, "action": "detach"})
        stored = attachment.file.name or ""
        attachment.delete()
        record_event(dossier, actor=actor, action="detach", note=attachment.original_name)
        audit.record(actor=actor, action="dossier.detach", obj=dossier, changes={"sha256": attachment.sha256})
        storage = attachment.file.storage
        transaction.on_commit(lambda: storage.delete(stored))


def attachment_open(*, actor: Any, attachment_id: int) -> Attachment:
    """An attachment for download by its applicant or by staff in scope. Every download is audited:
    these are personal documents."""
    scope = dossiers_for_applicant(actor) | dossiers_for_staff(actor, perms.DOSSIER_READ)
    attachment = (
        Attachment.objects.filter(pk=attachment_id, dossier__in=scope).select_related("dossier").first()
    )
    if attachment is None:
        raise NotFound()
    audit.record(
        actor=actor,
        action="dossier.attachment_download",
        obj=attachment.dossier,
        changes={"attachment": attachment.pk, "document": attachment.document_code},
    )
    return attachment
