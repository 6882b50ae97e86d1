"""The worker-list import: an enterprise (or a branch it delegated worker registration to) uploads an Excel
file of up to 100,000 workers for one registered contract.

1. `import_upload` checks what is cheap and certain at once (`import_sheets.inspect_upload`: an .xlsx of at
   most 20 MB that unpacks to a sane size, a header row naming the required columns, at least one worker),
   stores the file and enqueues the check after commit. The answer is immediate; the list's status is "being
   checked".
2. `import_check` (a Celery task) streams the sheet with openpyxl in read-only mode and checks every row
   (`import_checking`): cleaned with the same function as the form and the API, the same personal ID or
   passport twice in the file, and each batch against the database. Progress (`rows_checked` / `rows_total`)
   is written as it goes. The errors (row, column, value, reason, in Vietnamese) are stored, the first
   `import_checking.MAX_STORED_ERRORS` of them, and the list ends "has errors", "ready" or "failed" (the
   file itself could not be read). A ready list's cleaned rows are kept beside the upload (gzipped JSON
   lines) so the confirmation does not parse the workbook again.
3. `import_confirm` saves a ready list once: the row is locked, the rows are checked against the database
   again inside the transaction (time passed since the check), and everything is written in ONE transaction
   with bulk inserts (`import_saving`) — the new people, their worker codes, the workers and their
   "registered" events — and one audit row for the batch. A process killed half-way leaves the database as it
   was. If the database changed meanwhile, nothing is saved and the list goes back to "has errors" with the
   new errors.

4. After the commit, the list as saved is signed with the uploading organisation's certificate
   (`import_signing`).

Nothing of the list is saved until the enterprise confirms a file with no errors. The spreadsheets given to
the enterprise (the error report, the template) are in `import_sheets`.
"""

import gzip
import hashlib
import json
import logging
import secrets
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ansinh.core import audit
from ansinh.core.errors import Conflict, NotFound, ValidationFailed
from ansinh.overseas import permissions as perms
from ansinh.overseas import selectors
from ansinh.overseas.errors import ImportStateInvalid
from ansinh.overseas.models import Contract, ImportStatus, WorkerImport
from ansinh.overseas.services import import_checking
from ansinh.overseas.services.import_checking import Checked, Known, Outcome, against_database, validate
from ansinh.overseas.services.import_saving import Saver
from ansinh.overseas.services.import_sheets import FileProblem, Sheet, inspect_upload
from ansinh.overseas.services.workers import WorkerRow, usable_contract

logger = logging.getLogger(__name__)

# Lists of one organisation being checked at the same time (each check reads a whole workbook).
MAX_CHECKING_PER_ORGANISATION = 3
# A check not finished after this long lost its worker (the process died): it is run again, and given up
# after STALLED_GIVE_UP (a file that kills the worker must not be retried forever).
STALLED_AFTER = timedelta(minutes=10)
STALLED_GIVE_UP = timedelta(hours=1)
_CACHE_VERSION = 1


# --- the checked rows, kept for the confirmation -----------------------------------------------------------


def _cache_name(imported: WorkerImport) -> str:
    return f"{imported.file.name}.checked.jsonl.gz"


def _cache_head(imported: WorkerImport) -> dict[str, Any]:
    return {"version": _CACHE_VERSION, "import": imported.pk, "sha256": imported.sha256}


class _CacheWriter:
    """The rows that passed, as gzipped JSON lines in a temporary file, stored beside the upload when the
    whole list passed."""

    def __init__(self, imported: WorkerImport, labels: dict[str, str]):
        self.imported = imported
        self.temp = tempfile.TemporaryFile()  # noqa: SIM115 - closed by store() or discard()
        self.gz = gzip.GzipFile(fileobj=self.temp, mode="wb", compresslevel=1)
        self.count = 0
        self._line({**_cache_head(imported), "labels": labels})

    def _line(self, value: Any) -> None:
        self.gz.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")

    def add(self, batch: list[Checked], known: dict[str, Known]) -> None:
        for checked in batch:
            r = checked.row
            self._line(
                [
                    checked.number,
                    r.personal_id,
                    r.passport_number,
                    r.full_name,
                    r.date_of_birth.isoformat(),
                    r.sex,
                    r.phone,
                    r.employer_name,
                ]
            )
            self.count += 1

    def store(self) -> None:
        self.gz.close()
        self.temp.seek(0)
        storage = self.imported.file.storage
        name = _cache_name(self.imported)
        try:
            storage.delete(name)
            stored = storage.save(name, File(self.temp, name=name))
            if stored != name:  # another run of the check stored it meanwhile: the confirmation re-reads
                storage.delete(stored)
        finally:
            self.temp.close()

    def discard(self) -> None:
        self.gz.close()
        self.temp.close()


def _cached_batches(imported: WorkerImport) -> tuple[dict[str, str], Iterator[list[Checked]]] | None:
    """The column labels and the checked rows the check kept, in batches; None when they are missing or not
    this list's. A damaged file shows while it is read: `_Reread` then."""
    storage = imported.file.storage
    name = _cache_name(imported)
    try:
        handle = storage.open(name, "rb")
    except OSError:
        return None
    stream = gzip.GzipFile(fileobj=handle, mode="rb")
    try:
        head = json.loads(stream.readline() or b"null")
    except (OSError, ValueError, EOFError):
        head = None
    if not isinstance(head, dict) or {k: head.get(k) for k in ("version", "import", "sha256")} != _cache_head(
        imported
    ):
        stream.close()
        handle.close()
        return None

    def batches() -> Iterator[list[Checked]]:
        try:
            batch: list[Checked] = []
            for line in stream:
                number, pid, passport, full_name, born, sex, phone, employer = json.loads(line)
                row = WorkerRow(pid, passport, full_name, date.fromisoformat(born), sex, phone, employer)
                batch.append(Checked(number, row))
                if len(batch) >= import_checking.BATCH:  # read when used: the same batches as the check
                    yield batch
                    batch = []
            if batch:
                yield batch
        except (OSError, ValueError, EOFError, TypeError) as exc:
            raise _Reread() from exc
        finally:
            stream.close()
            handle.close()

    return dict(head.get("labels") or {}), batches()


def forget_kept_rows(imported: WorkerImport, *, name: str = "") -> None:
    """Deletes the rows kept beside the upload (`name`: the upload's stored name, when the record no longer
    holds it)."""
    try:
        imported.file.storage.delete(f"{name}.checked.jsonl.gz" if name else _cache_name(imported))
    except OSError:  # pragma: no cover - the storage is gone; nothing to clean
        logger.warning("Could not delete the checked rows of worker import %s", imported.pk)


# --- services ----------------------------------------------------------------------------------------------


def import_upload(*, actor: Any, contract_id: int, file: Any) -> WorkerImport:
    """An Excel file of workers for a registered contract of the actor's enterprise, stored and queued for
    the check. Refused at once (field `file`) when it is not an .xlsx, too big, without the header row or
    without any worker."""
    enterprise, organisation = selectors.acting_enterprise(actor, perms.WORKER_REGISTER)
    contract = usable_contract(actor, contract_id)
    if file is None:
        raise ValidationFailed.single("file", _("Choose the Excel file of the worker list."))
    try:
        inspect_upload(file)
    except FileProblem as problem:
        raise ValidationFailed.single("file", problem.message) from problem
    busy = WorkerImport.objects.filter(
        organisation=organisation,
        status=ImportStatus.CHECKING,
        created_at__gte=timezone.now() - STALLED_AFTER,
    ).count()
    if busy >= MAX_CHECKING_PER_ORGANISATION:
        raise ValidationFailed.single(
            "file",
            _("Other lists of yours are still being checked. Wait until they are done, then try again."),
        )
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    filename = (
        str(getattr(file, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][-255:] or "list.xlsx"
    )
    imported = WorkerImport(
        enterprise=enterprise,
        contract=contract,
        organisation=organisation,
        org_path=organisation.path,
        uploaded_by=actor,
        filename=filename,
        sha256=digest.hexdigest(),
        status=ImportStatus.CHECKING,
    )
    # Stored under a random name; the person's file name is kept only as a label.
    imported.file.save(f"{secrets.token_hex(16)}.xlsx", file, save=False)
    try:
        with transaction.atomic():
            imported.save()
            audit.record(
                actor=actor,
                action="overseas.worker_import_upload",
                obj=imported,
                changes={"contract": contract.number, "sha256": imported.sha256},
            )
            from ansinh.overseas.tasks import check_worker_import  # the tasks import the services

            pk = imported.pk
            transaction.on_commit(lambda: check_worker_import.delay(pk), robust=True)
    except Exception:
        imported.file.delete(save=False)  # nothing half-written
        raise
    return imported


def import_check(import_id: int) -> str:
    """The background check of an uploaded list (safe to run twice: a list no longer being checked is left
    as it is). Returns the list's status."""
    imported = WorkerImport.objects.select_related("contract").filter(pk=import_id).first()
    if imported is None:
        return ""
    if imported.status != ImportStatus.CHECKING:
        return imported.status
    with translation.override("vi"):  # the stored reasons and the error report are in Vietnamese
        return _check(imported)


def _still_checking(imported: WorkerImport) -> Any:
    return WorkerImport.objects.filter(pk=imported.pk, status=ImportStatus.CHECKING)


def _check(imported: WorkerImport) -> str:
    today = timezone.localdate()
    cache: _CacheWriter | None = None
    try:
        with imported.file.open("rb") as handle:
            sheet = Sheet(handle)
            try:
                cache = _CacheWriter(imported, sheet.labels)
                estimate = sheet.estimate

                def progress(outcome: Outcome) -> None:
                    update: dict[str, int] = {"rows_checked": outcome.rows}
                    if estimate:  # otherwise unknown (0) until the end
                        update["rows_total"] = max(estimate, outcome.rows)
                    _still_checking(imported).update(**update)

                _still_checking(imported).update(rows_total=estimate, rows_checked=0)
                outcome = validate(
                    sheet, imported.contract, today=today, on_batch=cache.add, on_progress=progress
                )
            finally:
                sheet.close()
    except FileProblem as problem:
        if cache is not None:
            cache.discard()
        _still_checking(imported).update(
            status=ImportStatus.FAILED,
            errors=[{"row": None, "column": "", "field": "file", "value": "", "message": problem.message}],
            error_count=1,
            checked_at=timezone.now(),
        )
        return ImportStatus.FAILED
    except Exception:
        if cache is not None:
            cache.discard()
        raise
    assert cache is not None
    status = ImportStatus.HAS_ERRORS if outcome.error_count else ImportStatus.READY
    if status == ImportStatus.READY:
        cache.store()
    else:
        cache.discard()
    _still_checking(imported).update(
        status=status,
        rows_total=outcome.rows,
        rows_checked=outcome.rows,
        error_count=outcome.error_count,
        errors=outcome.sorted_errors(),
        checked_at=timezone.now(),
    )
    return status


# --- the confirmation --------------------------------------------------------------------------------------


class _Stale(Exception):
    def __init__(self, outcome: Outcome):
        super().__init__("stale")
        self.outcome = outcome


class _Reread(Exception):
    """The rows kept by the check cannot be used: the confirmation reads the workbook again."""


def _save(imported: WorkerImport, contract: Contract, actor: Any, *, kept: bool) -> Saver:
    """Checks the list against the database again and writes it, from the rows the check kept (`kept`) or
    from the workbook. Raises `_Stale` when a row no longer passes; the caller's savepoint then undoes
    whatever was written."""
    today = timezone.localdate()
    outcome = Outcome(labels={})
    saver = Saver(
        imported=imported,
        contract=contract,
        actor=actor,
        today=today,
        outcome=outcome,
        note=_("Registered from the worker list no. %(id)d") % {"id": imported.pk},
    )
    cached = _cached_batches(imported) if kept else None
    if kept and cached is None:
        raise _Reread()
    if cached is not None:
        outcome.labels, batches = cached
        for batch in batches:
            outcome.rows += len(batch)
            known, passed = against_database(batch, contract, outcome)
            saver(passed, known)
        if outcome.rows != imported.rows_total:  # not the whole list
            raise _Reread()
    else:
        with imported.file.open("rb") as handle:
            sheet = Sheet(handle)
            outcome.labels = sheet.labels
            try:
                validate(sheet, contract, today=today, on_batch=saver)
            finally:
                sheet.close()
    if outcome.error_count:
        raise _Stale(outcome)
    return saver


def _save_once(imported: WorkerImport, contract: Contract, actor: Any) -> Saver:
    try:
        with transaction.atomic():
            return _save(imported, contract, actor, kept=True)
    except _Reread:
        with transaction.atomic():
            return _save(imported, contract, actor, kept=False)


def import_confirm(*, actor: Any, import_id: int) -> WorkerImport:
    """Saves a checked list with no errors, once, in one transaction."""
    stale: Outcome | None = None
    saver: Saver | None = None
    collided = False
    with transaction.atomic():
        imported = (
            selectors.imports_in_scope(actor, perms.WORKER_REGISTER)
            .select_for_update(of=("self",))
            .filter(pk=import_id)
            .first()
        )
        if imported is None:
            raise NotFound()
        if imported.status != ImportStatus.READY:
            raise ImportStateInvalid(details={"status": imported.status})
        # Still a registered contract of the actor's enterprise, which still holds its licence.
        contract = usable_contract(actor, imported.contract_id)
        with translation.override("vi"):  # reasons stored for the error report
            for attempt in range(3):
                try:
                    saver = _save_once(imported, contract, actor)
                    break
                except _Stale as exc:
                    stale = exc.outcome
                    break
                except FileProblem as problem:  # the stored file can no longer be read
                    stale = Outcome(labels={})
                    stale.add(None, "file", problem.message)
                    break
                except IntegrityError:
                    # Another list saved some of the same people or passports at the same moment and has
                    # committed by now: the next attempt reports them as errors.
                    collided = attempt == 2
        if collided:  # (the message in the reader's language: outside the Vietnamese of the stored reasons)
            raise Conflict(_("Another list was being saved at the same time. Try again in a moment."))
        if stale is not None:
            imported.status = ImportStatus.HAS_ERRORS
            imported.errors = stale.sorted_errors()
            imported.error_count = stale.error_count
            imported.checked_at = timezone.now()
            imported.save(update_fields=["status", "errors", "error_count", "checked_at"])
        else:
            assert saver is not None
            imported.status = ImportStatus.SAVED
            imported.saved_count = saver.saved
            imported.saved_at = timezone.now()
            imported.save(update_fields=["status", "saved_count", "saved_at"])
            # One row for the whole list, written last: the audit chain's lock is held only until the commit.
            audit.record(
                actor=actor,
                action="overseas.worker_import",
                obj=imported,
                changes={
                    "contract": contract.number,
                    "workers": saver.saved,
                    "people_created": saver.people_created,
                    "people_updated": saver.people_updated,
                    "sha256": imported.sha256,
                },
            )
            from ansinh.overseas.tasks import sign_worker_list  # the tasks import the services

            saved_pk = imported.pk
            transaction.on_commit(lambda: sign_worker_list.delay(saved_pk), robust=True)
        transaction.on_commit(lambda: forget_kept_rows(imported), robust=True)
    if stale is not None:
        message = _(
            "The list changed in the database since it was checked: %(n)d errors. Nothing was saved; see the "
            "error report, correct the file and upload it again."
        ) % {"n": stale.error_count}
        raise ValidationFailed({"file": [message]}, message)
    return imported


def imports_stalled_sweep() -> list[int]:
    """Lists whose check lost its worker: those waiting longer than STALLED_AFTER are returned to be checked
    again; past STALLED_GIVE_UP they fail, asking for the file to be uploaded again."""
    now = timezone.now()
    with translation.override("vi"):
        message = _("The check did not finish. Upload the file again.")
    WorkerImport.objects.filter(status=ImportStatus.CHECKING, created_at__lt=now - STALLED_GIVE_UP).update(
        status=ImportStatus.FAILED,
        errors=[{"row": None, "column": "", "field": "file", "value": "", "message": message}],
        error_count=1,
        checked_at=now,
    )
    return list(
        WorkerImport.objects.filter(
            status=ImportStatus.CHECKING, created_at__lt=now - STALLED_AFTER
        ).values_list("pk", flat=True)
    )
