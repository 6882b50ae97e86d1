"""Uploaded worker lists hold personal data (identity numbers, passports, dates of birth) that is in the
database once the list is saved: the uploads are kept `OVERSEAS_IMPORT_KEEP_DAYS` after they were saved,
refused or given up, then their file, the rows kept from it and the error details (which quote the cells)
are deleted. The record of the upload stays: who uploaded which file (its hash), when, how many rows,
errors and workers saved. A list checked clean but never confirmed is closed the same way."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ansinh.core import audit
from ansinh.overseas.models import ImportStatus, WorkerImport
from ansinh.overseas.services.imports import forget_kept_rows

DEFAULT_KEEP_DAYS = 30


def keep_days() -> int:
    return max(1, int(getattr(settings, "OVERSEAS_IMPORT_KEEP_DAYS", DEFAULT_KEEP_DAYS)))


def imports_to_purge(now: datetime) -> list[int]:
    cutoff = now - timedelta(days=keep_days())
    return list(
        WorkerImport.objects.exclude(Q(file="") | Q(status=ImportStatus.CHECKING))
        .annotate(last=Coalesce("saved_at", "checked_at", "created_at"))
        .filter(last__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def import_purge(import_id: int) -> bool:
    """Deletes one old upload's personal data; False when there was nothing (left) to delete."""
    with transaction.atomic():
        imported = WorkerImport.objects.select_for_update().filter(pk=import_id).exclude(file="").first()
        if imported is None or imported.status == ImportStatus.CHECKING:
            return False
        stored = str(imported.file.name)
        changes: dict[str, object] = {"file": stored, "status": imported.status}
        if imported.status == ImportStatus.READY:
            # Never confirmed: it cannot be any more (the file goes), so it is closed with the reason.
            with translation.override("vi"):
                message = _("The list was not confirmed within %(days)d days. Upload it again.") % {
                    "days": keep_days()
                }
            imported.status = ImportStatus.FAILED
            imported.errors = [{"row": None, "column": "", "field": "file", "value": "", "message": message}]
            imported.error_count = 1
        else:
            imported.errors = []
        imported.file = ""
        imported.save(update_fields=["status", "errors", "error_count", "file"])
        audit.record(actor=None, action="overseas.worker_import_purge", obj=imported, changes=changes)
        storage = imported.file.storage

        def delete_files() -> None:
            # After the commit: a rollback must not leave a record pointing at a deleted file.
            forget_kept_rows(imported, name=stored)
            storage.delete(stored)

        transaction.on_commit(delete_files)
    return True


def imports_purge(now: datetime | None = None) -> int:
    """Every upload past the keeping time; returns how many were purged."""
    return sum(import_purge(pk) for pk in imports_to_purge(now or timezone.now()))
