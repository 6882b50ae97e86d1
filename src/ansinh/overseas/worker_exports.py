"""The worker list exported to Excel, for a stated purpose and logged (issue 6; the foundation's rule of
purpose-limited use: every export of personal data is logged with its purpose, nobody copies beyond their
scope).

`workers_export` takes the actor, the purpose (one of `ExportPurpose`, "other" with its text) and the
filters (`ExportFilters`: contract, destination country, status, departure dates, province of origin: those
of the worker list page and of the statistics), and returns the workbook as a temporary file:

- the rows are the workers the actor reads (`selectors.workers_in_scope`, `ovl.read`): an enterprise its own
  and its branches', a branch only its own (when reading was delegated to it), a province's officials the
  workers whose province of origin is theirs, the department the whole country. A filter narrows inside the
  scope, never beyond it (a contract must be one the actor sees; another province simply finds nobody);
- memory stays flat whatever the number of rows: one query (`values_list`, no model instances) read in
  chunks of `CHUNK_ROWS` (a server-side cursor on PostgreSQL, inside one transaction so it is not
  materialised), the small reference tables (countries, occupations, provinces) named from dictionaries,
  and openpyxl's write-only workbook, whose rows go to disk as they are appended (inline strings: no shared
  string table grows);
- every text is written as text: a value starting with = + - @ (or a tab, a carriage return, #) is stored as
  a string with Excel's quote prefix, so Excel neither evaluates it when the file opens nor when a cell is
  edited; control characters Excel refuses are dropped. Identity numbers stay text (leading zeros kept),
  dates are date cells shown DD/MM/YYYY;
- the headings, names and labels are Vietnamese (the file goes to the authorities as it is), with a second
  sheet stating who exported what, when, why and how many rows, and that the data is personal;
- one audit entry (`overseas.workers_export`) with the purpose, the filters, the row count and the file's
  SHA-256, in the same transaction as the read: no file is handed out unlogged. A refusal (no permission, no
  purpose, a filter that is not valid) is raised before anything is read and logs nothing.

Figures (100,000 workers, PostgreSQL): bench/overseas_export.py.
"""

import hashlib
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from ansinh.accounts.selectors import require_permission
from ansinh.core import audit
from ansinh.core.errors import ValidationFailed
from ansinh.geo.models import Country, Occupation, Province
from ansinh.overseas import permissions as perms
from ansinh.overseas import selectors
from ansinh.overseas.models import WorkerStatus

ACTION = "overseas.workers_export"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_ROWS = 2000
# Excel holds 1,048,576 rows a sheet: a longer list goes on in a second sheet (the whole country is ~700,000).
ROWS_PER_SHEET = 1_000_000
MAX_DETAIL = 500
# What Excel (or a spreadsheet after it) could read as the start of a formula or an error value.
RISKY_FIRST = frozenset("=+-@\t\r#")
DATE_FORMAT = "DD/MM/YYYY"
WIDTHS = [16, 28, 16, 12, 8, 14, 20, 30, 18, 30, 14, 14, 26, 24]


class ExportPurpose(models.TextChoices):
    """Why personal data leaves the platform (asked before every export, kept in the audit entry)."""

    AUTHORITY_REPORT = "authority_report", gettext_lazy("Reporting to a competent authority")
    CONTRACT_MANAGEMENT = "contract_management", gettext_lazy("Managing contracts")
    WORKER_SUPPORT = "worker_support", gettext_lazy("Supporting workers")
    INSPECTION = "inspection", gettext_lazy("Inspection and supervision")
    OTHER = "other", gettext_lazy("Another purpose (state it)")


@dataclass(frozen=True)
class ExportFilters:
    """Which workers of the scope: each empty filter keeps every worker."""

    contract_id: int | None = None
    contract_number: str = ""  # the staff pages type a number rather than choose among every contract
    country: str = ""  # ISO code of the destination
    status: str = ""
    departed_from: date | None = None
    departed_to: date | None = None
    province: str = ""  # code of the province of origin

    def logged(self) -> dict[str, Any]:
        """The filters that were set, as they go into the audit entry."""
        values = {
            "contract_id": self.contract_id,
            "contract_number": self.contract_number,
            "country": self.country,
            "status": self.status,
            "departed_from": self.departed_from.isoformat() if self.departed_from else None,
            "departed_to": self.departed_to.isoformat() if self.departed_to else None,
            "province": self.province,
        }
        return {key: value for key, value in values.items() if value not in (None, "")}


@dataclass
class WorkerExport:
    """The workbook, at its start; the caller hands it out and closes it (FileResponse does)."""

    file: IO[bytes]
    filename: str
    rows: int
    sha256: str


@dataclass
class _Chosen:
    """The filters checked and resolved to keys (and to names, for the file's information sheet)."""

    filters: ExportFilters
    contract_numbers: list[str]
    country_id: int | None = None
    province_id: int | None = None


# --- checking the request -----------------------------------------------------------------------------------


def purpose_problems(purpose: str, detail: str) -> dict[str, list[str]]:
    """What the stated purpose lacks, by field (empty when it is fine)."""
    purpose, detail = (purpose or "").strip(), (detail or "").strip()
    problems: dict[str, list[str]] = {}
    if not purpose:
        problems["purpose"] = [_("State the purpose of the export: it is logged with the export.")]
    elif purpose not in ExportPurpose.values:
        problems["purpose"] = [_("Choose a purpose from the list.")]
    elif purpose == ExportPurpose.OTHER and not detail:
        problems["purpose_detail"] = [_("Describe the purpose of the export.")]
    if len(detail) > MAX_DETAIL:
        problems["purpose_detail"] = [_("Enter at most %(n)s characters.") % {"n": MAX_DETAIL}]
    return problems


def _checked_filters(actor: Any, filters: ExportFilters, problems: dict[str, list[str]]) -> _Chosen:
    """The filters resolved, every problem added to `problems` (by field). A contract counts only when the
    actor sees it: one out of scope reads as unknown, so its existence is not revealed."""
    contract_numbers: list[str] = []
    if filters.contract_id is not None:
        found = (
            selectors.contracts_in_scope(actor)
            .filter(pk=filters.contract_id)
            .values_list("number", flat=True)
            .first()
        )
        if found is None:
            problems["contract_id"] = [_("Choose a contract from the list.")]
        else:
            contract_numbers.append(found)
    if filters.contract_number:
        contract_numbers.append(filters.contract_number)
    chosen = _Chosen(filters=filters, contract_numbers=contract_numbers)
    if filters.country:
        chosen.country_id = (
            Country.objects.filter(iso2=filters.country.upper()).values_list("pk", flat=True).first()
        )
        if chosen.country_id is None:
            problems["country"] = [_("Choose a country from the list.")]
    if filters.province:
        chosen.province_id = (
            Province.objects.filter(code=filters.province).values_list("pk", flat=True).first()
        )
        if chosen.province_id is None:
            problems["province"] = [_("Choose a province from the list.")]
    if filters.status and filters.status not in WorkerStatus.values:
        problems["status"] = [_("Choose a status from the list.")]
    if filters.departed_from and filters.departed_to and filters.departed_to < filters.departed_from:
        problems["departed_to"] = [_("The end date is before the start date.")]
    return chosen


def _rows_of(actor: Any, chosen: _Chosen) -> QuerySet[Any]:
    filters = chosen.filters
    found = selectors.workers_in_scope(actor, perms.READ)
    if filters.contract_id is not None:
        found = found.filter(contract_id=filters.contract_id)
    if filters.contract_number:
        found = found.filter(contract__number=filters.contract_number)
    if chosen.country_id is not None:
        found = found.filter(country_id=chosen.country_id)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.departed_from:
        found = found.filter(departure_date__gte=filters.departed_from)
    if filters.departed_to:
        found = found.filter(departure_date__lte=filters.departed_to)
    if chosen.province_id is not None:
        found = found.filter(province_id=chosen.province_id)
    # Registration order: stable, and the primary key needs no sort of its own.
    return found.order_by("pk").values_list(*COLUMNS)


# --- the workbook ------------------------------------------------------------------------------------------

# The columns read, in the order of the sheet (the reference tables are named afterwards, not joined).
COLUMNS = (
    "worker_code",
    "person__full_name",
    "person__personal_id",
    "person__date_of_birth",
    "sex",
    "passport_number",
    "contract__number",
    "employer_name",
    "country_id",
    "occupation_id",
    "departure_date",
    "return_date",
    "status",
    "province_id",
)


def headings() -> list[str]:
    """The column headings, in the current language (the workbook is written in Vietnamese)."""
    return [
        _("Worker code"),
        _("Full name"),
        _("Personal ID number"),
        _("Date of birth"),
        _("Sex"),
        _("Passport number"),
        _("Contract number"),
        _("Employer abroad"),
        _("Country"),
        _("Occupation"),
        _("Departure date"),
        _("Return date"),
        _("Status"),
        _("Province of origin"),
    ]


class _Names:
    """The names of the keys a row holds, in the current language, read once from the small tables."""

    def __init__(self) -> None:
        self.countries = {c.pk: c.name for c in Country.objects.only("pk", "name_vi", "name_en")}
        self.occupations = {o.pk: o.name for o in Occupation.objects.only("pk", "name_vi", "name_en")}
        self.provinces = {p.pk: str(p) for p in Province.objects.only("pk", "name", "name_en")}
        self.statuses = {value: str(label) for value, label in WorkerStatus.choices}
        self.sexes = {"M": _("Male"), "F": _("Female")}


def _clean(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value) if ILLEGAL_CHARACTERS_RE.search(value) else value


class _Writer:
    """Cells of the right kind for the write-only sheet: the common case is a plain value (fast); a risky
    text or a date gets a cell of its own."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.bold = Font(bold=True)

    def text(self, sheet: Any, value: str | None) -> Any:
        if not value:
            return None
        value = _clean(value)
        if value[:1] not in RISKY_FIRST:
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # never a formula or an error value, whatever the text starts with
        cell.quotePrefix = True  # and still text when someone edits the cell in Excel
        return cell

    def day(self, sheet: Any, value: date | None) -> Any:
        if value is None:
            return None
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell

    def heading(self, sheet: Any, value: str) -> Any:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = self.bold
        return cell

    def new_sheet(self, index: int) -> Any:
        title = _("Workers abroad")
        sheet = self.book.create_sheet(title if index == 1 else f"{title} ({index})")
        for column, width in enumerate(WIDTHS):
            sheet.column_dimensions[chr(ord("A") + column)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([self.heading(sheet, h) for h in headings()])
        return sheet


def _write_rows(writer: _Writer, rows: Iterable[tuple[Any, ...]], names: _Names) -> int:
    """Every row into the workbook, a new sheet every `ROWS_PER_SHEET` rows; returns the count."""
    text, day = writer.text, writer.day
    countries, occupations, provinces = names.countries, names.occupations, names.provinces
    statuses, sexes = names.statuses, names.sexes
    count = 0
    sheet: Any = None
    for (
        code,
        full_name,
        personal_id,
        born,
        sex,
        passport,
        contract,
        employer,
        country,
        occupation,
        departed,
        returned,
        status,
        province,
    ) in rows:
        if count % ROWS_PER_SHEET == 0:
            if sheet is not None:
                sheet.auto_filter.ref = f"A1:N{ROWS_PER_SHEET + 1}"
            sheet = writer.new_sheet(count // ROWS_PER_SHEET + 1)
        sheet.append(
            [
                text(sheet, code),
                text(sheet, full_name),
                text(sheet, personal_id),
                day(sheet, born),
                sexes.get(sex),
                text(sheet, passport),
                text(sheet, contract),
                text(sheet, employer),
                countries.get(country),
                occupations.get(occupation),
                day(sheet, departed),
                day(sheet, returned),
                statuses.get(status, status),
                provinces.get(province),
            ]
        )
        count += 1
    if sheet is None:
        sheet = writer.new_sheet(1)  # nobody matched: the headings alone
    sheet.auto_filter.ref = f"A1:N{(count - 1) % ROWS_PER_SHEET + 2 if count else 1}"
    return count


def _filters_text(chosen: _Chosen, names: _Names) -> str:
    filters, parts = chosen.filters, []
    if chosen.contract_numbers:
        parts.append(_("contract: %(number)s") % {"number": ", ".join(chosen.contract_numbers)})
    if chosen.country_id is not None:
        parts.append(_("country: %(name)s") % {"name": names.countries.get(chosen.country_id, "")})
    if filters.status:
        parts.append(_("status: %(name)s") % {"name": names.statuses.get(filters.status, "")})
    if filters.departed_from:
        parts.append(_("departed from %(day)s") % {"day": filters.departed_from.strftime("%d/%m/%Y")})
    if filters.departed_to:
        parts.append(_("departed until %(day)s") % {"day": filters.departed_to.strftime("%d/%m/%Y")})
    if chosen.province_id is not None:
        parts.append(
            _("province of origin: %(name)s") % {"name": names.provinces.get(chosen.province_id, "")}
        )
    return "; ".join(parts) or _("none (every worker in your scope)")


def _about_sheet(
    writer: _Writer,
    *,
    actor: Any,
    purpose: str,
    detail: str,
    filters_text: str,
    rows: int,
    at: datetime,
) -> None:
    """Who exported what, when, why: the file says it itself."""
    sheet = writer.book.create_sheet(_("About this export"))
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 90
    label = ExportPurpose(purpose).label
    lines = [
        (_("Exported by"), actor.get_username()),
        (_("Exported at"), timezone.localtime(at).strftime("%H:%M %d/%m/%Y")),
        (_("Purpose"), f"{label}: {detail}" if detail else str(label)),
        (_("Filters"), filters_text),
        (_("Workers"), f"{rows:,}".replace(",", ".")),
    ]
    sheet.append([writer.heading(sheet, _("Worker list exported from the overseas-labour database"))])
    sheet.append([])
    for name, value in lines:
        sheet.append([writer.heading(sheet, name), writer.text(sheet, value)])
    sheet.append([])
    sheet.append(
        [
            writer.heading(sheet, _("Personal data")),
            _(
                "This file holds personal data. Use it only for the purpose stated above, keep it safe, do "
                "not share it beyond your remit, and delete it when the purpose is served. The export is "
                "logged."
            ),
        ]
    )


def _digest(file: IO[bytes]) -> str:
    file.seek(0)
    digest = hashlib.sha256()
    while block := file.read(1 << 20):
        digest.update(block)
    file.seek(0)
    return digest.hexdigest()


# --- the export --------------------------------------------------------------------------------------------


def workers_export(
    *, actor: Any, purpose: str, purpose_detail: str = "", filters: ExportFilters | None = None
) -> WorkerExport:
    """The workers in the actor's scope that match `filters`, as an .xlsx in a temporary file (see the
    module's docstring), and the audit entry of the export.

    Raises PermissionDenied without `ovl.read` (a branch: unless reading was delegated to it), and
    ValidationFailed naming each field at fault (`purpose`, `purpose_detail`, `contract_id`, `country`,
    `status`, `departed_to`, `province`); neither reads a row nor writes anything."""
    require_permission(actor, perms.READ)
    filters = filters or ExportFilters()
    purpose, detail = (purpose or "").strip(), (purpose_detail or "").strip()
    problems = purpose_problems(purpose, detail)
    chosen = _checked_filters(actor, filters, problems)
    if problems:
        raise ValidationFailed(problems)
    at = timezone.now()
    file = tempfile.TemporaryFile(prefix="ansinh-export-", suffix=".xlsx")  # noqa: SIM115 (handed out open)
    try:
        with translation.override("vi"), transaction.atomic():
            names = _Names()
            book = Workbook(write_only=True)
            writer = _Writer(book)
            rows = _write_rows(writer, _rows_of(actor, chosen).iterator(chunk_size=CHUNK_ROWS), names)
            _about_sheet(
                writer,
                actor=actor,
                purpose=purpose,
                detail=detail,
                filters_text=_filters_text(chosen, names),
                rows=rows,
                at=at,
            )
            book.save(file)
            sha256 = _digest(file)
            filename = f"danh-sach-nguoi-lao-dong-{timezone.localtime(at):%Y%m%d-%H%M}.xlsx"
            audit.record(
                actor=actor,
                action=ACTION,
                object_type="overseas.worker",
                changes={
                    "purpose": purpose,
                    "purpose_detail": detail,
                    "filters": filters.logged(),
                    "rows": rows,
                    "filename": filename,
                    "sha256": sha256,
                },
            )
    except BaseException:
        file.close()
        raise
    return WorkerExport(file=file, filename=filename, rows=rows, sha256=sha256)
