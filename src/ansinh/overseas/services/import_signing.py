"""The enterprise signs the worker lists it submits (seed 002: registration dossiers, worker lists and
reports are signed with the organisation's certificate).

A saved list is attested, not reprinted: the signed paper names the organisation that uploaded it, the
contract, the file by its name and SHA-256 hash, the number of workers saved and when; whoever holds the
file can prove it is the one submitted, and the signature still stands after the upload itself is purged
(`import_purge`). It is signed in the name of the organisation that uploaded the list (the enterprise, or the
branch it delegated worker registration to: the branch's own records), verified against the trusted
authorities at once, and kept with its hash and the signer the certificate names. Signing runs after the save
commits (a task, run again by the stalled-imports sweep when it was lost), never inside the save's lock.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from ansinh.core import audit, pdf
from ansinh.overseas.models import ImportStatus, WorkerImport
from ansinh.overseas.services.signatures import sign_as

REASON = "Danh sách người lao động đi làm việc ở nước ngoài theo hợp đồng"
UNSIGNED_AFTER = timedelta(minutes=10)


def worker_list_pdf(imported: WorkerImport) -> bytes:
    return pdf.render_pdf(
        "overseas/pdf/worker_list.html",
        {"imported": imported, "contract": imported.contract, "organisation": imported.organisation},
        language="vi",
    )


def worker_list_sign(import_id: int) -> bool:
    """Signs a saved list once; False when there is nothing to sign (not saved, or signed already)."""
    with transaction.atomic():
        imported = (
            WorkerImport.objects.select_for_update(of=("self",))
            .select_related("organisation", "enterprise__organisation", "contract__country", "uploaded_by")
            .filter(pk=import_id, status=ImportStatus.SAVED, signed_at__isnull=True)
            .first()
        )
        if imported is None:
            return False
        paper = sign_as(imported.organisation, worker_list_pdf(imported), REASON)
        paper.keep_on(imported, str(imported.pk))
        imported.save(update_fields=["signed_file", "signature_sha256", "signed_by", "signed_at"])
        audit.record(
            actor=None,
            action="overseas.worker_list_sign",
            obj=imported,
            changes={"sha256": imported.signature_sha256, "signer": imported.signed_by},
        )
    return True


def unsigned_lists() -> list[int]:
    """Saved lists whose signing was lost (broker down, worker killed), to be signed again."""
    return list(
        WorkerImport.objects.filter(
            status=ImportStatus.SAVED,
            signed_at__isnull=True,
            saved_at__lt=timezone.now() - UNSIGNED_AFTER,
        ).values_list("pk", flat=True)
    )
