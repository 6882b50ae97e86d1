"""The worker list as a workbook: the columns the import reads, reading an uploaded .xlsx, and the
spreadsheets given to the enterprise.

- The columns: a header in Vietnamese (the template's) or English, or another name people write for it.
- `inspect_upload` checks what is cheap and certain when a file is uploaded: an .xlsx of at most 20 MB that
  unpacks to a sane size, a header row naming the required columns, at least one worker.
- `Sheet` streams the first sheet with openpyxl in read-only mode: the header row mapped to fields, then the
  non-empty rows one at a time, refused past `MAX_ROWS`.
- `error_report` (the errors of a list, in Vietnamese) and `import_template` (an empty list with a sheet
  explaining each column), with `safe_cell`: text from a file never becomes a formula.

Any problem with the file as a whole is a `FileProblem`, whose message names what is wrong.
"""

import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import openpyxl
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from ansinh.core.text import normalise_search
from ansinh.overseas.models import WorkerImport

MAX_ROWS = 100_000
MAX_BYTES = 20 * 1024 * 1024
# What the workbook may unpack to: a small file that inflates to gigabytes (a "zip bomb") is refused. A sheet
# of 100,000 workers written by openpyxl is about 45 MB of XML.
MAX_UNPACKED_BYTES = 400 * 1024 * 1024


# --- the columns -------------------------------------------------------------------------------------------


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
# A field's place in the list: the errors of a row are reported in this order.
COLUMN_ORDER = {column.field: index for index, column in enumerate(COLUMNS)}


def _not_xlsx() -> str:
    return _("This is not an Excel workbook (.xlsx). Save the file as .xlsx and try again.")


class FileProblem(Exception):
    """The file as a whole cannot be used: its message names what is wrong (in the active language)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- reading the sheet -------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
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
    text = cell_text(value).replace("*", "")
    if "(" in text:  # "Ngày sinh (DD/MM/YYYY)"
        text = text[: text.index("(")]
    return normalise_search(text.replace("_", " "))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Sheet:
    """The first sheet of a workbook, read as a stream: the header row found and mapped to fields, then the
    non-empty rows one at a time. Any failure of openpyxl while reading becomes a `FileProblem`."""

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
            raise FileProblem(_not_xlsx()) from exc
        self._rows = self._non_empty(sheet)
        self.columns: dict[int, str] = {}
        self.labels: dict[str, str] = {}
        self.header_row = 0
        try:
            self._header()
        except FileProblem:
            self.workbook.close()
            raise
        self.estimate = max(0, announced - self.header_row) if isinstance(announced, int) else 0

    def _non_empty(self, sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if not all(_blank(v) for v in values):
                    yield number, values
        except Exception as exc:  # a damaged sheet fails while it is read, not when it is opened
            raise FileProblem(_not_xlsx()) from exc

    def _header(self) -> None:
        first = next(self._rows, None)
        if first is None:
            raise FileProblem(_("The file is empty."))
        self.header_row, values = first
        for index, value in enumerate(values):
            column = _BY_ALIAS.get(_header_key(value))
            if column is None:
                continue
            if column.field in self.labels:
                raise FileProblem(
                    _("The column %(column)s appears twice in the header row.") % {"column": cell_text(value)}
                )
            self.columns[index] = column.field
            self.labels[column.field] = cell_text(value)
        missing = [c.header_vi for c in COLUMNS if c.required and c.field not in self.labels]
        if missing:
            raise FileProblem(
                _("The first row must hold the column names. Missing: %(columns)s.")
                % {"columns": ", ".join(missing)}
            )

    def rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(sheet row number, field -> cell value) for each worker; refused past MAX_ROWS."""
        for count, (number, values) in enumerate(self._rows, start=1):
            if count > MAX_ROWS:
                raise FileProblem(_too_many_rows())
            yield number, {name: values[i] for i, name in self.columns.items() if i < len(values)}

    def close(self) -> None:
        self.workbook.close()


def _too_many_rows() -> str:
    return _("The file has more than %(n)s workers. Split it into files of at most %(n)s rows.") % {
        "n": f"{MAX_ROWS:,}".replace(",", ".")
    }


def inspect_upload(upload: Any) -> None:
    """The checks an upload gets at once: .xlsx by name and content, size, unpacked size, header row, and at
    least one worker. The rows themselves are checked in the background."""
    name = str(getattr(upload, "name", "") or "")
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if not size:
        raise FileProblem(_("The file is empty."))
    if size > MAX_BYTES:
        raise FileProblem(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    upload.seek(0)
    if not name.lower().endswith(".xlsx") or upload.read(4) != b"PK\x03\x04":
        raise FileProblem(_not_xlsx())
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            unpacked = sum(m.file_size for m in members)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileProblem(_not_xlsx()) from exc
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names or unpacked > MAX_UNPACKED_BYTES:
        raise FileProblem(_not_xlsx())
    upload.seek(0)
    sheet = Sheet(upload)
    try:
        if next(sheet.rows(), None) is None:
            raise FileProblem(_("The file has a header row but no workers."))
    finally:
        sheet.close()
        upload.seek(0)


# --- spreadsheets for the enterprise -----------------------------------------------------------------------


def safe_cell(sheet: Any, value: Any) -> Any:
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
                    safe_cell(sheet, str(error.get("column") or "")),
                    safe_cell(sheet, str(error.get("value") or "")),
                    safe_cell(sheet, str(error.get("message") or "")),
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
                    safe_cell(
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
