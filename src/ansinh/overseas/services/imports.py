"""The worker-list import: an enterprise (or a branch it delegated worker registration to) uploads an Excel
file of up to 100,000 workers for one registered contract.

1. `import_upload` checks what is cheap and certain at once (an .xlsx of at most 20 MB that unpacks to a
   sane size, a header row naming the required columns, at least one worker), stores the file and enqueues
   the check after commit. The answer is immediate; the list's status is "being checked".
2. `import_check` (a Celery task) streams the sheet with openpyxl in read-only mode, cleans every row with the
   same function as the form and the API (`workers.clean_worker_row`), finds the same personal ID or passport
   twice in the file, and checks each batch of rows against the database: the person already on the
   contract, a passport already used on the contract by someone else, a personal ID registered with another
   name. Progress (`rows_checked` / `rows_total`) is written every `PROGRESS_EVERY` rows. The errors (row,
   column, value, reason, in Vietnamese) are stored, the first `MAX_STORED_ERRORS` of them, and the list ends
   "has errors", "ready" or "failed" (the file itself could not be read). A ready list's cleaned rows are
   kept beside the upload (gzipped JSON lines) so the confirmation does not parse the workbook again.
3. `import_confirm` saves a ready list once: the row is locked, the rows are checked against the database
   again inside the transaction (time passed since the check), and everything is written in ONE transaction
   with bulk inserts — the new people, their worker codes, the workers and their "registered" events — and
   one audit row for the batch. A process killed half-way leaves the database as it was. If the database
   changed meanwhile, nothing is saved and the list goes back to "has errors" with the new errors.

Nothing of the list is saved until the enterprise confirms a file with no errors.
"""

import gzip
import hashlib
import io
import json
import logging
import re
import secrets
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import openpyxl
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from ansinh.accounts.models import Person
from ansinh.core import audit
from ansinh.core.errors import Conflict, NotFound, ValidationFailed
from ansinh.core.identifiers import normalise_passport, parse_personal_id
from ansinh.core.text import normalise_search
from ansinh.overseas import permissions as perms
from ansinh.overseas import selectors
from ansinh.overseas.errors import ImportStateInvalid
from ansinh.overseas.models import (
    Contract,
    ImportStatus,
    Worker,
    WorkerCode,
    WorkerEvent,
    WorkerImport,
    WorkerStatus,
)
from ansinh.overseas.services.workers import CODE_ALPHABET, WorkerRow, clean_worker_row, usable_contract

logger = logging.getLogger(__name__)

MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024
# What the workbook may unpack to: a small file that inflates to gigabytes (a "zip bomb") is refused. A sheet
# of 100,000 workers written by openpyxl is about 45 MB of XML.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_STORED_ERRORS = 5_000
PROGRESS_EVERY = 2_000
# Rows checked against the database, and written, per batch: a handful of queries per batch, each well under
# PostgreSQL's 65,535 parameters.
BATCH = 2_000
# Lists of one organisation being checked at the same time (each check reads a whole workbook).
MAX_CHECKING_PER_ORGANISATION = 3
# A check not finished after this long lost its worker (the process died): it is run again, and given up
# after STALLED_GIVE_UP (a file that kills the worker must not be retried forever).
STALLED_AFTER = timedelta(minutes=10)
STALLED_GIVE_UP = timedelta(hours=1)
LONGEST_NAME = Person._meta.get_field("full_name").max_length or 150
_CACHE_VERSION = 1


@dataclass(frozen=True)
class Column:
    """A column of the worker list: its field, its header in the template (Vietnamese) and in English, and
    other headers people write for it."""

    field: str
    header_vi: str
    header_en: str
    required: bool
    also: tuple[str, ...] = ()

    @property
    def aliases(self) -> set[str]:
        names = {self.header_vi, self.header_en, self.field.replace("_", " "), *self.also}
        return {normalise_search(name) for name in names}


COLUMNS = (
    Column(
        "personal_id",
        "Số định danh cá nhân",
        "Personal ID",
        True,
        ("Số CCCD", "CCCD", "Số căn cước", "Số căn cước công dân", "Personal ID number", "ID number"),
    ),
    Column("passport_number", "Số hộ chiếu", "Passport", True, ("Passport number", "Hộ chiếu")),
    Column("full_name", "Họ và tên", "Full name", True, ("Họ tên", "Name")),
    Column("date_of_birth", "Ngày sinh", "Date of birth", True, ("Ngày tháng năm sinh", "Birth date")),
    Column("sex", "Giới tính", "Sex", True, ("Gender",)),
    Column("phone", "Điện thoại", "Phone", False, ("Số điện thoại", "Phone number")),
    Column("employer_name", "Chủ sử dụng", "Employer", False, ("Chủ sử dụng lao động", "Employer name")),
)
_BY_ALIAS = {alias: column for column in COLUMNS for alias in column.aliases}
_ORDER = {column.field: index for index, column in enumerate(COLUMNS)}
_DATE_TEXT = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ENGLISH_SEXES = {"MALE": "M", "FEMALE": "F"}


def _not_xlsx() -> str:
    return _("This is not an Excel workbook (.xlsx). Save the file as .xlsx and try again.")


class _FileProblem(Exception):
    """The file as a whole cannot be used: its message names what is wrong (in the active language)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- reading the sheet -------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """A cell as the person typed it, for the error report: digits stay digits, dates read DD/MM/YYYY."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return " ".join(unicodedata.normalize("NFC", str(value)).split())[:200]


def _header_key(value: Any) -> str:
    text = _cell_text(value).replace("*", "")
    if "(" in text:  # "Ngày sinh (DD/MM/YYYY)"
        text = text[: text.index("(")]
    return normalise_search(text.replace("_", " "))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Sheet:
    """The first sheet of a workbook, read as a stream: the header row found and mapped to fields, then the
    non-empty rows one at a time. Any failure of openpyxl while reading becomes a `_FileProblem`."""

    def __init__(self, stream: Any):
        try:
            self.workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
            sheet = self.workbook.worksheets[0]
            # The row count the sheet announces (Excel writes it; some writers do not): an estimate for the
            # progress bar only, never a reason to refuse (formatted empty rows count in it). Then forgotten:
            # openpyxl would stop reading at it, and some writers announce fewer rows than they wrote.
            announced = sheet.max_row
            sheet.reset_dimensions()
        except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
            raise _FileProblem(_not_xlsx()) from exc
        self._rows = self._non_empty(sheet)
        self.columns: dict[int, str] = {}
        self.labels: dict[str, str] = {}
        self.header_row = 0
        try:
            self._header()
        except _FileProblem:
            self.workbook.close()
            raise
        self.estimate = max(0, announced - self.header_row) if isinstance(announced, int) else 0

    def _non_empty(self, sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if not all(_blank(v) for v in values):
                    yield number, values
        except Exception as exc:  # a damaged sheet fails while it is read, not when it is opened
            raise _FileProblem(_not_xlsx()) from exc

    def _header(self) -> None:
        first = next(self._rows, None)
        if first is None:
            raise _FileProblem(_("The file is empty."))
        self.header_row, values = first
        for index, value in enumerate(values):
            column = _BY_ALIAS.get(_header_key(value))
            if column is None:
                continue
            if column.field in self.labels:
                raise _FileProblem(
                    _("The column %(column)s appears twice in the header row.")
                    % {"column": _cell_text(value)}
                )
            self.columns[index] = column.field
            self.labels[column.field] = _cell_text(value)
        missing = [c.header_vi for c in COLUMNS if c.required and c.field not in self.labels]
        if missing:
            raise _FileProblem(
                _("The first row must hold the column names. Missing: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(sheet row number, field -> cell value) for each worker; refused past MAX_ROWS."""
        for count, (number, values) in enumerate(self._rows, start=1):
            if count > MAX_ROWS:
                raise _FileProblem(_too_many_rows())
            yield number, {name: values[i] for i, name in self.columns.items() if i < len(values)}

    def close(self) -> None:
        self.workbook.close()


def _too_many_rows() -> str:
    return _("The file has more than %(n)s workers. Split it into files of at most %(n)s rows.") % {
        "n": f"{MAX_ROWS:,}".replace(",", ".")
    }


def _inspect(upload: Any) -> None:
    """The checks an upload gets at once: .xlsx by name and content, size, unpacked size, header row, and at
    least one worker. The rows themselves are checked in the background."""
    name = str(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if not size:
        raise _FileProblem(_("The file is empty."))
    if size > MAX_BYTES:
        raise _FileProblem(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    upload.seek(0)
    if not name.lower().endswith(".xlsx") or upload.read(4) != b"PK\x03\x04":
        raise _FileProblem(_not_xlsx())
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            unpacked = sum(m.file_size for m in members)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _FileProblem(_not_xlsx()) from exc
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names or unpacked > MAX_UNPACKED_BYTES:
        raise _FileProblem(_not_xlsx())
    upload.seek(0)
    sheet = _Sheet(upload)
    try:
        if next(sheet.rows(), None) is None:
            raise _FileProblem(_("The file has a header row but no workers."))
    finally:
        sheet.close()
        upload.seek(0)


# --- cleaning a row ----------------------------------------------------------------------------------------


def _as_date(value: Any) -> Any:
    """A date cell, an Excel serial number or D/M/YYYY text as a date; anything else unchanged (the cleaning
    function then says what is wrong)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # Excel's serial days up to 9999-12-31
            converted = from_excel(value)
            return converted.date() if isinstance(converted, datetime) else _cell_text(value)
        return _cell_text(value)
    text = _cell_text(value)
    match = _DATE_TEXT.fullmatch(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return text
    if _ISO_DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _clean(values: dict[str, Any], today: date) -> tuple[WorkerRow | None, dict[str, str]]:
    """One row of the sheet through `clean_worker_row`, after reading the cells as a person meant them."""
    problems: dict[str, str] = {}
    raw: dict[str, Any] = {name: _cell_text(values.get(name)) for name in _ORDER}
    personal_id = values.get("personal_id")
    if (
        isinstance(personal_id, int | float)
        and not isinstance(personal_id, bool)
        and len(raw["personal_id"]) < 12
    ):
        # Excel keeps a number, not the digits typed: "001090001234" became 1090001234.
        problems["personal_id"] = _(
            "The personal ID number was stored as a number and lost its leading zeros: format the column "
            "as Text and enter all 12 digits."
        )
    raw["date_of_birth"] = _as_date(values.get("date_of_birth"))
    raw["sex"] = _ENGLISH_SEXES.get(raw["sex"].upper(), raw["sex"])
    row, errors = clean_worker_row(raw, today=today)
    errors.update(problems)
    if len(raw["full_name"]) > LONGEST_NAME:
        errors["full_name"] = _("At most %(n)d characters.") % {"n": LONGEST_NAME}
    if errors:
        return None, errors
    return row, {}


def _identifiers(row: WorkerRow | None, values: dict[str, Any]) -> tuple[str, str]:
    """The personal ID and passport of a row for finding duplicates, even when another cell is wrong."""
    if row is not None:
        return row.personal_id, row.passport_number
    parsed = parse_personal_id(_cell_text(values.get("personal_id")))
    try:
        passport = normalise_passport(_cell_text(values.get("passport_number")))
    except ValueError:
        passport = ""
    return (parsed.number if parsed.valid else ""), passport


# --- the outcome of a check --------------------------------------------------------------------------------


@dataclass
class _Outcome:
    labels: dict[str, str]
    rows: int = 0
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    def add(self, row: int | None, name: str, message: str, value: Any = "") -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(
                {
                    "row": row,
                    "column": self.labels.get(name, ""),
                    "field": name,
                    "value": _cell_text(value),
                    "message": str(message),
                }
            )

    def sorted_errors(self) -> list[dict[str, Any]]:
        return sorted(self.errors, key=lambda e: (e["row"] or 0, _ORDER.get(e["field"], 99)))


@dataclass(frozen=True)
class _Checked:
    """A row that passed every check: its sheet row number and the cleaned worker."""

    number: int
    row: WorkerRow


@dataclass(frozen=True)
class _Known:
    pk: int
    full_name: str
    date_of_birth: date | None
    passport_number: str
    province_id: int | None


def _against_database(
    batch: list[_Checked], contract: Contract, outcome: _Outcome
) -> tuple[dict[str, _Known], list[_Checked]]:
    """The people of the batch already registered, and the rows that pass the checks against the database
    (the others are added to the outcome): a personal ID registered with another name (a mistyped number,
    not the same person), the person already on this contract, the passport already used on this contract
    by another person."""
    known = {
        str(pid): _Known(pk, name, born, passport, province)
        for pk, pid, name, born, passport, province in Person.objects.filter(
            personal_id__in=[c.row.personal_id for c in batch]
        ).values_list("pk", "personal_id", "full_name", "date_of_birth", "passport_number", "province_id")
    }
    on_contract = set(
        Worker.objects.filter(contract=contract, person_id__in=[k.pk for k in known.values()]).values_list(
            "person_id", flat=True
        )
    )
    passport_holders = dict(
        Worker.objects.filter(
            contract=contract, passport_number__in=[c.row.passport_number for c in batch]
        ).values_list("passport_number", "person_id")
    )
    passed: list[_Checked] = []
    for checked in batch:
        row = checked.row
        person = known.get(row.personal_id)
        failed = False
        if person is not None and normalise_search(person.full_name) != normalise_search(row.full_name):
            outcome.add(
                checked.number,
                "full_name",
                _("The name differs from the person registered with this personal ID number."),
                row.full_name,
            )
            failed = True
        if person is not None and person.pk in on_contract:
            outcome.add(
                checked.number,
                "personal_id",
                _("This worker is already on the contract's list."),
                row.personal_id,
            )
            failed = True
        elif row.passport_number in passport_holders and (
            person is None or passport_holders[row.passport_number] != person.pk
        ):
            outcome.add(
                checked.number,
                "passport_number",
                _("This passport number is already used on this contract by another worker."),
                row.passport_number,
            )
            failed = True
        if not failed:
            passed.append(checked)
    return known, passed


def _validate(
    sheet: _Sheet,
    contract: Contract,
    *,
    today: date,
    on_batch: Callable[[list[_Checked], dict[str, _Known]], None],
    on_progress: Callable[[_Outcome], None] = lambda outcome: None,
) -> _Outcome:
    """Every row of the sheet: cleaned, duplicates in the file found, and checked against the database in
    batches. `on_batch` receives each batch's rows that passed, with the people already registered."""
    outcome = _Outcome(labels=sheet.labels)
    first_with_id: dict[str, int] = {}
    first_with_passport: dict[str, int] = {}
    pending: list[_Checked] = []

    def flush() -> None:
        if pending:
            known, passed = _against_database(pending, contract, outcome)
            on_batch(passed, known)
            pending.clear()

    for number, values in sheet.rows():
        outcome.rows += 1
        row, errors = _clean(values, today)
        personal_id, passport = _identifiers(row, values)
        if personal_id and personal_id in first_with_id:
            errors.setdefault(
                "personal_id",
                _("The same personal ID number is already on row %(row)d.")
                % {"row": first_with_id[personal_id]},
            )
        if passport and passport in first_with_passport:
            errors.setdefault(
                "passport_number",
                _("The same passport number is already on row %(row)d.")
                % {"row": first_with_passport[passport]},
            )
        if personal_id:
            first_with_id.setdefault(personal_id, number)
        if passport:
            first_with_passport.setdefault(passport, number)
        for name in sorted(errors, key=lambda n: _ORDER.get(n, 99)):
            outcome.add(number, name, errors[name], values.get(name))
        if row is not None and not errors:
            pending.append(_Checked(number, row))
        if len(pending) >= BATCH:
            flush()
        if outcome.rows % PROGRESS_EVERY == 0:
            on_progress(outcome)
    flush()
    if outcome.rows == 0:
        raise _FileProblem(_("The file has a header row but no workers."))
    return outcome


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

    def add(self, batch: list[_Checked], known: dict[str, _Known]) -> None:
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


def _cached_batches(imported: WorkerImport) -> tuple[dict[str, str], Iterator[list[_Checked]]] | None:
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

    def batches() -> Iterator[list[_Checked]]:
        try:
            batch: list[_Checked] = []
            for line in stream:
                number, pid, passport, full_name, born, sex, phone, employer = json.loads(line)
                row = WorkerRow(pid, passport, full_name, date.fromisoformat(born), sex, phone, employer)
                batch.append(_Checked(number, row))
                if len(batch) >= BATCH:
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


def _forget_cache(imported: WorkerImport) -> None:
    try:
        imported.file.storage.delete(_cache_name(imported))
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
        _inspect(file)
    except _FileProblem as problem:
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
            sheet = _Sheet(handle)
            try:
                cache = _CacheWriter(imported, sheet.labels)
                estimate = sheet.estimate

                def progress(outcome: _Outcome) -> None:
                    update: dict[str, int] = {"rows_checked": outcome.rows}
                    if estimate:  # otherwise unknown (0) until the end
                        update["rows_total"] = max(estimate, outcome.rows)
                    _still_checking(imported).update(**update)

                _still_checking(imported).update(rows_total=estimate, rows_checked=0)
                outcome = _validate(
                    sheet, imported.contract, today=today, on_batch=cache.add, on_progress=progress
                )
            finally:
                sheet.close()
    except _FileProblem as problem:
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


class _Stale(Exception):
    def __init__(self, outcome: _Outcome):
        super().__init__("stale")
        self.outcome = outcome


CODE_LENGTH = 10


def _new_codes(count: int) -> list[str]:
    """`count` distinct random codes, drawn from the operating system's generator in one call per thousand
    (each byte below 240 — eight times the alphabet's 30 letters — picks a letter without bias)."""
    codes: set[str] = set()
    letters: list[str] = []
    while len(codes) < count:
        for byte in secrets.token_bytes(16 * (count - len(codes)) + 16):
            if byte < 240:
                letters.append(CODE_ALPHABET[byte % 30])
                if len(letters) == CODE_LENGTH:
                    codes.add("".join(letters))
                    letters = []
                    if len(codes) == count:
                        break
    return list(codes)


def codes_for_many(registered: list[int], new: list[int]) -> dict[int, str]:
    """`workers.codes_for` for thousands at a time: the worker code of each person already `registered`
    (issued to those who have none), and a fresh code for each `new` person (created in this transaction, so
    without one), all issued with one insert. A fresh code that happens to be taken already (one chance in
    billions per code) fails the insert on the unique index; the confirmation then tries again."""
    known: dict[int, str] = dict(
        WorkerCode.objects.filter(person_id__in=registered).values_list("person_id", "code")
    )
    wanted = [pk for pk in dict.fromkeys([*registered, *new]) if pk not in known]
    fresh = dict(zip(wanted, _new_codes(len(wanted)), strict=True))
    WorkerCode.objects.bulk_create([WorkerCode(person_id=pk, code=code) for pk, code in fresh.items()])
    known.update(fresh)
    return known


class _Instances:
    """Model instances for a bulk insert, built through Django's positional fast path (`Model(*values)`, a
    third of the cost of keywords; it counts at 300,000 instances a list): the fields named, by attribute
    name, and every other concrete field at its default as `Model(**fields)` would set it."""

    def __init__(self, model: Any, names: tuple[str, ...]):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        attnames = [f.attname for f in self.fields]
        unknown = set(names) - set(attnames)
        if unknown:
            raise ValueError(f"{model.__name__} has no field {sorted(unknown)}")
        self.slots = [names.index(a) if a in names else -1 for a in attnames]

    def __call__(self, rows: list[tuple[Any, ...]]) -> list[Any]:
        # The defaults once per batch (a callable default such as timezone.now is the same for the batch).
        plan = [
            (slot, None if slot >= 0 else f.get_default())
            for slot, f in zip(self.slots, self.fields, strict=True)
        ]
        model = self.model
        return [model(*[row[slot] if slot >= 0 else default for slot, default in plan]) for row in rows]


_PEOPLE = _Instances(
    Person, ("full_name", "name_search", "personal_id", "passport_number", "date_of_birth", "sex", "phone")
)
_WORKERS = _Instances(
    Worker,
    (
        "person_id",
        "worker_code",
        "passport_number",
        "enterprise_id",
        "contract_id",
        "country_id",
        "occupation_id",
        "employer_name",
        "sex",
        "org_path",
        "province_id",
        "created_at",
    ),
)
_EVENTS = _Instances(WorkerEvent, ("worker_id", "status", "on", "note", "actor_id", "at"))


@dataclass
class _Saver:
    """Writes the batches of a confirmed list: new people, the registered people's new passport, worker codes,
    workers and their first event. Stops writing (but keeps checking) at the first error."""

    imported: WorkerImport
    contract: Contract
    actor: Any
    today: date
    outcome: _Outcome
    note: str
    saved: int = 0
    people_created: int = 0
    people_updated: int = 0

    def __call__(self, batch: list[_Checked], known: dict[str, _Known]) -> None:
        if self.outcome.error_count or not batch:
            return
        now = timezone.now()
        rows = [c.row for c in batch]
        new_people = _PEOPLE(
            [
                (
                    r.full_name,
                    normalise_search(r.full_name),
                    r.personal_id,
                    r.passport_number,
                    r.date_of_birth,
                    r.sex,
                    r.phone,
                )
                for r in rows
                if r.personal_id not in known
            ]
        )
        Person.objects.bulk_create(new_people)
        if any(p.pk is None for p in new_people):  # pragma: no cover - a database without RETURNING
            person_ids = dict(
                Person.objects.filter(personal_id__in=[p.personal_id for p in new_people]).values_list(
                    "personal_id", "pk"
                )
            )
            for p in new_people:
                p.pk = person_ids[p.personal_id]
        person_of: dict[str, tuple[int, int | None]] = {str(p.personal_id): (p.pk, None) for p in new_people}
        # The people registered already: their new passport (and a date of birth they lacked), all in one
        # statement (INSERT ... ON CONFLICT (personal_id) DO UPDATE: every one of them conflicts).
        changed = []
        for r in rows:
            person = known.get(r.personal_id)
            if person is None:
                continue
            person_of[r.personal_id] = (person.pk, person.province_id)
            if person.passport_number != r.passport_number or person.date_of_birth is None:
                born = person.date_of_birth or r.date_of_birth
                changed.append(
                    (
                        person.full_name,
                        normalise_search(person.full_name),
                        r.personal_id,
                        r.passport_number,
                        born,
                        r.sex,
                        r.phone,
                    )
                )
        if changed:
            Person.objects.bulk_create(
                _PEOPLE(changed),
                update_conflicts=True,
                unique_fields=["personal_id"],
                update_fields=["passport_number", "date_of_birth", "updated_at"],
            )
        registered = [person_of[r.personal_id][0] for r in rows if r.personal_id in known]
        codes = codes_for_many(registered, [p.pk for p in new_people])
        contract = self.contract
        employer = contract.foreign_party.name
        enterprise_id, org_path = self.imported.enterprise_id, self.imported.org_path
        workers = _WORKERS(
            [
                (
                    person_of[r.personal_id][0],
                    codes[person_of[r.personal_id][0]],
                    r.passport_number,
                    enterprise_id,
                    contract.pk,
                    contract.country_id,
                    contract.occupation_id,
                    r.employer_name or employer,
                    r.sex,
                    org_path,
                    person_of[r.personal_id][1],
                    now,
                )
                for r in rows
            ]
        )
        Worker.objects.bulk_create(workers)
        if any(w.pk is None for w in workers):  # pragma: no cover - a database without RETURNING
            worker_ids = dict(
                Worker.objects.filter(
                    contract=contract, person_id__in=[w.person_id for w in workers]
                ).values_list("person_id", "pk")
            )
            for w in workers:
                w.pk = worker_ids[w.person_id]
        actor_id = getattr(self.actor, "pk", None)
        WorkerEvent.objects.bulk_create(
            _EVENTS([(w.pk, WorkerStatus.REGISTERED, self.today, self.note, actor_id, now) for w in workers])
        )
        self.saved += len(workers)
        self.people_created += len(new_people)
        self.people_updated += len(changed)


class _Reread(Exception):
    """The rows kept by the check cannot be used: the confirmation reads the workbook again."""


def _save(imported: WorkerImport, contract: Contract, actor: Any, *, kept: bool) -> _Saver:
    """Checks the list against the database again and writes it, from the rows the check kept (`kept`) or
    from the workbook. Raises `_Stale` when a row no longer passes; the caller's savepoint then undoes
    whatever was written."""
    today = timezone.localdate()
    outcome = _Outcome(labels={})
    saver = _Saver(
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
            known, passed = _against_database(batch, contract, outcome)
            saver(passed, known)
        if outcome.rows != imported.rows_total:  # not the whole list
            raise _Reread()
    else:
        with imported.file.open("rb") as handle:
            sheet = _Sheet(handle)
            outcome.labels = sheet.labels
            try:
                _validate(sheet, contract, today=today, on_batch=saver)
            finally:
                sheet.close()
    if outcome.error_count:
        raise _Stale(outcome)
    return saver


def _save_once(imported: WorkerImport, contract: Contract, actor: Any) -> _Saver:
    try:
        with transaction.atomic():
            return _save(imported, contract, actor, kept=True)
    except _Reread:
        with transaction.atomic():
            return _save(imported, contract, actor, kept=False)


def import_confirm(*, actor: Any, import_id: int) -> WorkerImport:
    """Saves a checked list with no errors, once, in one transaction."""
    stale: _Outcome | None = None
    saver: _Saver | None = None
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
                except _FileProblem as problem:  # the stored file can no longer be read
                    stale = _Outcome(labels={})
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
        transaction.on_commit(lambda: _forget_cache(imported), robust=True)
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


# --- spreadsheets for the enterprise -----------------------------------------------------------------------


def _safe_cell(sheet: Any, value: Any) -> Any:
    """A cell that is always text as written: "=..." from a file must not become a formula in the report."""
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"
        return cell
    return value


def error_report(imported: WorkerImport) -> bytes:
    """The list's errors as a workbook (row, column, value, reason; in Vietnamese), written as a stream."""
    workbook = openpyxl.Workbook(write_only=True)
    with translation.override("vi"):
        sheet = workbook.create_sheet(_("Errors"))
        sheet.column_dimensions["A"].width = 8
        sheet.column_dimensions["B"].width = 24
        sheet.column_dimensions["C"].width = 28
        sheet.column_dimensions["D"].width = 80
        sheet.append([_("Row"), _("Column"), _("Value"), _("Reason")])
        for error in imported.errors or []:
            sheet.append(
                [
                    error.get("row"),
                    _safe_cell(sheet, str(error.get("column") or "")),
                    _safe_cell(sheet, str(error.get("value") or "")),
                    _safe_cell(sheet, str(error.get("message") or "")),
                ]
            )
        listed = len(imported.errors or [])
        if imported.error_count > listed:
            sheet.append([])
            sheet.append(
                [
                    None,
                    None,
                    None,
                    _safe_cell(
                        sheet,
                        _(
                            "Only the first %(listed)s of %(total)s errors are listed. Correct them and "
                            "upload the file again."
                        )
                        % {
                            "listed": f"{listed:,}".replace(",", "."),
                            "total": f"{imported.error_count:,}".replace(",", "."),
                        },
                    ),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_NOTES = {
    "personal_id": (
        "12 chữ số; định dạng cột là Văn bản (Text) để giữ số 0 ở đầu / 12 digits, column formatted as Text"
    ),
    "passport_number": "6-12 chữ và số, như trong hộ chiếu / 6-12 letters and digits, as in the passport",
    "full_name": "Như trong hộ chiếu / as in the passport",
    "date_of_birth": "DD/MM/YYYY hoặc ô ngày / or a date cell; đủ 18 tuổi / at least 18",
    "sex": "Nam hoặc Nữ / Nam (male) or Nữ (female)",
    "phone": "0912 345 678, hoặc số nước ngoài bắt đầu bằng + / or a foreign number starting with +",
    "employer_name": "Để trống: chủ sử dụng trong hợp đồng / blank: the contract's employer",
}


def import_template() -> bytes:
    """An empty list with the header row the import reads (text columns kept as text, a date column, the
    sex chosen from a list), and a sheet explaining each column."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Danh sách"
    sheet.append([c.header_vi for c in COLUMNS])
    sheet.freeze_panes = "A2"
    for index, column in enumerate(COLUMNS):
        letter = chr(ord("A") + index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = 24
        dimension.number_format = "DD/MM/YYYY" if column.field == "date_of_birth" else "@"
        sheet[f"{letter}1"].font = Font(bold=True)
    sexes = DataValidation(type="list", formula1='"Nam,Nữ"', allow_blank=True)
    sexes.add(f"E2:E{MAX_ROWS + 1}")
    sheet.add_data_validation(sexes)
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Column", "Bắt buộc / Required", "Ghi chú / Notes"])
    for column in COLUMNS:
        guide.append(
            [column.header_vi, column.header_en, "x" if column.required else "", _NOTES[column.field]]
        )
    guide.append([])
    rows, megabytes = f"{MAX_ROWS:,}".replace(",", "."), MAX_BYTES // (1024 * 1024)
    guide.append(
        [
            f"Tối đa {rows} người, tệp .xlsx tối đa {megabytes} MB / "
            f"at most {rows} workers, an .xlsx of at most {megabytes} MB"
        ]
    )
    for letter, width in zip("ABCD", (24, 18, 20, 90), strict=True):
        guide.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
