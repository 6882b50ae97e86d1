"""Writes of workers' accounts: the centre provisions workers abroad (one at a time, or an Excel file of
them), the worker keeps their own profile, and an operator checks a worker's security answer on the phone.

A worker signs in with the passport number used at departure, and the first password is that number too
(as the COLAB SOS app did, seed 000). A passport number is not a secret, so the first password must be
changed at once and that first change also asks the date of birth (`User.first_login_check`). Until the
overseas-labour database is the source, records come from the demo data and the centre's Excel import.
"""

import functools
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import openpyxl
import pycountry
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.datetime import from_excel

from ansinh.accounts import services as accounts
from ansinh.accounts.models import FirstLoginCheck, Person
from ansinh.accounts.selectors import require_permission
from ansinh.core import audit
from ansinh.core.errors import Conflict, NotFound, RateLimited, ValidationFailed
from ansinh.core.identifiers import normalise_passport, normalise_phone
from ansinh.core.models import AuditEntry
from ansinh.core.text import normalise_search
from ansinh.sos.models import Programme, WorkerProfile, WorkerSource
from ansinh.sos.permissions import SOS_HANDLE, WORKER_MANAGE
from ansinh.sos.selectors import worker_profile_of

MAX_IMPORT_ROWS = 20_000
MAX_IMPORT_BYTES = 10 * 1024 * 1024
# What the workbook may unpack to: a small file that inflates to gigabytes (a "zip bomb") is refused.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_LISTED_ERRORS = 200
ANSWER_WINDOW = timedelta(hours=1)
ANSWER_LIMIT = 5
EARLIEST_BIRTH = date(1900, 1, 1)

# Questions offered to the worker (any other question of their own is accepted too).
SECURITY_QUESTIONS = [
    gettext_lazy("What is your nickname at home?"),
    gettext_lazy("What is your mother's given name?"),
    gettext_lazy("What is the name of your home village?"),
    gettext_lazy("What was the name of your primary school?"),
    gettext_lazy("What is the name of your best friend from childhood?"),
]


@dataclass(frozen=True)
class Column:
    """A field of a worker's record, with its header in the Excel template (Vietnamese) and in English."""

    field: str
    header_vi: str
    header_en: str
    required: bool = False

    @property
    def aliases(self) -> set[str]:
        return {
            normalise_search(self.header_vi),
            normalise_search(self.header_en),
            self.field.replace("_", " "),
        }


COLUMNS = (
    Column("passport_number", "Số hộ chiếu", "Passport number", required=True),
    Column("full_name", "Họ và tên", "Full name", required=True),
    Column("date_of_birth", "Ngày sinh", "Date of birth", required=True),
    Column("country", "Nước", "Country", required=True),
    Column("programme", "Chương trình", "Programme"),
    Column("employer", "Chủ sử dụng", "Employer"),
    Column("enterprise", "Doanh nghiệp", "Enterprise"),
    Column("contract_number", "Số hợp đồng", "Contract number"),
    Column("departure_date", "Ngày xuất cảnh", "Departure date"),
    Column("contract_end", "Ngày hết hạn hợp đồng", "Contract end"),
    Column("phone", "Điện thoại", "Phone"),
)
_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
_OPTIONAL_FIELDS = (
    "programme",
    "employer",
    "enterprise",
    "contract_number",
    "departure_date",
    "contract_end",
)
_TEXT_LIMITS = {"full_name": 150, "employer": 255, "enterprise": 255, "contract_number": 60}


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


# --- cleaning ----------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell or field as text: Excel gives numbers for cells of digits ("12345678.0" must stay 12345678)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _date(value: Any) -> date | None:
    """A date from a date cell, an Excel serial number or text (dd/mm/yyyy, or yyyy-mm-dd)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # Excel's serial days up to 9999-12-31
            converted = from_excel(value)
            return converted.date() if isinstance(converted, datetime) else None
        return None
    text = _text(value)
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("Enter a date as dd/mm/yyyy, e.g. 14/03/1995."))


@functools.cache
def _programme_names() -> dict[str, str]:
    """Each programme's code and its names in Vietnamese and English, normalised, to its code."""
    names: dict[str, str] = {}
    for code, label in Programme.choices:
        names[normalise_search(code)] = str(code)
        for language in ("vi", "en"):
            with translation.override(language):
                names[normalise_search(str(label))] = str(code)
    return names


def _programme(value: str) -> str:
    """A programme by its code or its name in Vietnamese or English."""
    if not value or value in Programme.values:
        return value
    code = _programme_names().get(normalise_search(value))
    if code is None:
        raise ValueError(
            _("Unknown programme. Use one of: %(codes)s.") % {"codes": ", ".join(Programme.values)}
        )
    return code


def _country(value: str) -> str:
    code = value.strip().upper()
    if not code:
        raise ValueError(_("Enter the country where the worker works."))
    if len(code) != 2 or not code.isascii() or pycountry.countries.get(alpha_2=code) is None:
        raise ValueError(_("Use the two-letter country code (ISO 3166), e.g. KR, JP, TW, DE."))
    if code == "VN":
        raise ValueError(_("A worker abroad works in a country other than Viet Nam."))
    return code


def worker_phone(value: str, country: str) -> str:
    """E.164. A number without + is read as Vietnamese first (as everywhere on the platform), then as a
    number of the country the worker is in, so "010-1234-5678" from a worker in Korea is understood."""
    text = _text(value)
    if not text:
        return ""
    try:
        return normalise_phone(text)
    except ValueError as first:
        if country:
            try:
                return normalise_phone(text, default_region=country)
            except ValueError:
                pass
        if text.isdigit() and not text.startswith("0"):
            try:  # a cell of digits that lost its "+"
                return normalise_phone("+" + text)
            except ValueError:
                pass
        raise first


def clean_worker(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """A worker's record checked and normalised, and the messages per field (all of them, not the first)."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    try:
        cleaned["passport_number"] = normalise_passport(_text(fields.get("passport_number")))
    except ValueError as exc:
        fail("passport_number", str(exc))
    for field in ("full_name", "employer", "enterprise", "contract_number"):
        cleaned[field] = _text(fields.get(field))
        if len(cleaned[field]) > _TEXT_LIMITS[field]:
            fail(field, _("At most %(n)d characters.") % {"n": _TEXT_LIMITS[field]})
    if not cleaned["full_name"]:
        fail("full_name", _("Enter the full name as in the passport."))
    for field in ("date_of_birth", "departure_date", "contract_end"):
        try:
            cleaned[field] = _date(fields.get(field))
        except ValueError as exc:
            cleaned[field] = None
            fail(field, str(exc))
    born = cleaned["date_of_birth"]
    if born is None and "date_of_birth" not in errors:
        fail("date_of_birth", _("Enter the date of birth."))
    elif born is not None and not EARLIEST_BIRTH <= born < timezone.localdate():
        fail("date_of_birth", _("The date of birth must be in the past."))
    if (
        cleaned["departure_date"]
        and cleaned["contract_end"]
        and cleaned["contract_end"] < cleaned["departure_date"]
    ):
        fail("contract_end", _("The contract cannot end before the departure date."))
    try:
        cleaned["country"] = _country(_text(fields.get("country")))
    except ValueError as exc:
        cleaned["country"] = ""
        fail("country", str(exc))
    try:
        cleaned["programme"] = _programme(_text(fields.get("programme")))
    except ValueError as exc:
        fail("programme", str(exc))
    try:
        cleaned["phone"] = worker_phone(_text(fields.get("phone")), cleaned["country"])
    except ValueError as exc:
        fail("phone", str(exc))
    return cleaned, errors


# --- provisioning ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Provisioned:
    profile: WorkerProfile
    created: bool
    account_id: int
    account_created: bool


def _provision(*, actor: Any, data: dict[str, Any], source: str, audited: bool = True) -> _Provisioned:
    """Writes one cleaned record: the person, the worker's profile and the account. Empty optional values
    keep what the record already holds (an import with fewer columns never erases data). `audited=False`:
    the import writes one audit row for the whole file instead."""
    passport = data["passport_number"]
    profile = WorkerProfile.objects.select_related("person").filter(passport_number=passport).first()
    created = profile is None
    if profile is not None:
        person = profile.person
    else:
        # Someone already in the people register with this passport and birth date is the same person.
        person = (
            Person.objects.filter(
                passport_number=passport, date_of_birth=data["date_of_birth"], worker_abroad__isnull=True
            )
            .order_by("pk")
            .first()
        ) or Person()
        profile = WorkerProfile(person=person, passport_number=passport)
    person.full_name = data["full_name"]
    person.name_search = normalise_search(data["full_name"])
    person.date_of_birth = data["date_of_birth"]
    person.passport_number = passport
    if data.get("phone"):
        person.phone = data["phone"]
    person.save()
    profile.person = person
    profile.country = data["country"]
    for field in _OPTIONAL_FIELDS:
        if data.get(field):
            setattr(profile, field, data[field])
    profile.source = source
    profile.save()
    try:
        user, account_created = accounts.account_provision(
            actor=actor,
            username=passport,
            person=person,
            first_password=passport,
            first_login_check=FirstLoginCheck.DATE_OF_BIRTH,
            phone=data.get("phone", ""),
            audited=audited,
        )
    except ValidationFailed as exc:
        messages = [m for ms in exc.details.get("fields", {}).values() for m in ms]
        raise ValidationFailed({"passport_number": messages}) from exc
    if audited:
        audit.record(
            actor=actor,
            action="worker.provision",
            obj=profile,
            changes={"created": created, "source": source, "country": profile.country},
        )
    return _Provisioned(profile, created, user.pk, account_created)


@transaction.atomic
def worker_provision(
    *,
    actor: Any,
    passport_number: str,
    full_name: str,
    date_of_birth: date | None,
    country: str,
    programme: str = "",
    employer: str = "",
    enterprise: str = "",
    contract_number: str = "",
    departure_date: date | None = None,
    contract_end: date | None = None,
    phone: str = "",
    source: str = WorkerSource.IMPORT,
) -> tuple[WorkerProfile, bool]:
    """Creates or updates a worker abroad and their account (username and first password: the passport
    number; the first sign-in must change it and give the date of birth). A password the worker has
    already changed is never reset. Returns the profile and whether it is new."""
    if actor is not None:
        require_permission(actor, WORKER_MANAGE)
    if source not in WorkerSource.values:
        raise ValidationFailed.single("source", _("Unknown source."))
    data, errors = clean_worker(
        {
            "passport_number": passport_number,
            "full_name": full_name,
            "date_of_birth": date_of_birth,
            "country": country,
            "programme": programme,
            "employer": employer,
            "enterprise": enterprise,
            "contract_number": contract_number,
            "departure_date": departure_date,
            "contract_end": contract_end,
            "phone": phone,
        }
    )
    if errors:
        raise ValidationFailed(errors)
    done = _provision(actor=actor, data=data, source=source)
    return done.profile, done.created


# --- the Excel import --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    field: str
    message: str

    def __str__(self) -> str:
        if not self.column:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


def _file_error(message: str) -> ValidationFailed:
    return ValidationFailed.single("file", message)


def _header_key(value: Any) -> str:
    text = _text(value).replace("*", "")
    if "(" in text:  # "Ngày sinh (dd/mm/yyyy)"
        text = text[: text.index("(")]
    return normalise_search(text.replace("_", " "))


def _open_sheet(file: Any) -> Any:
    data = file.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise _file_error(_("The file is larger than %(mb)d MB.") % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)})
    not_xlsx = _("This is not an Excel workbook (.xlsx). Save the file as .xlsx and try again.")
    if not data.startswith(b"PK\x03\x04"):
        raise _file_error(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise _file_error(not_xlsx)
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ValidationFailed:
        raise
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
        raise _file_error(not_xlsx) from exc


def _read_rows(file: Any) -> tuple[dict[str, str], list[tuple[int, dict[str, Any]]]]:
    """The header (field -> header as written) and the non-empty rows (sheet row number, field -> value)."""
    workbook = _open_sheet(file)
    try:
        sheet = workbook.worksheets[0]
        by_alias = {alias: column for column in COLUMNS for alias in column.aliases}
        header: dict[int, str] = {}
        labels: dict[str, str] = {}
        rows: list[tuple[int, dict[str, Any]]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if not any(v not in (None, "") for v in values):
                continue
            if not header:
                for index, value in enumerate(values):
                    column = by_alias.get(_header_key(value))
                    if column is None:
                        continue
                    if column.field in labels:
                        raise _file_error(
                            _("The column %(column)s appears twice in the header row.")
                            % {"column": _text(value)}
                        )
                    header[index] = column.field
                    labels[column.field] = _text(value)
                missing = [c.header_vi for c in COLUMNS if c.required and c.field not in labels]
                if missing:
                    raise _file_error(
                        _("The first row must hold the column names. Missing: %(columns)s.")
                        % {"columns": ", ".join(missing)}
                    )
                continue
            if len(rows) >= MAX_IMPORT_ROWS:
                raise _file_error(
                    _("The file has more than %(n)s workers. Split it into files of at most %(n)s rows.")
                    % {"n": f"{MAX_IMPORT_ROWS:,}".replace(",", ".")}
                )
            rows.append((number, {field: values[i] for i, field in header.items() if i < len(values)}))
    except ValidationFailed:
        raise
    except Exception as exc:  # a damaged sheet fails while it is read, not when opened
        raise _file_error(
            _("This is not an Excel workbook (.xlsx). Save the file as .xlsx and try again.")
        ) from exc
    finally:
        workbook.close()
    if not labels:
        raise _file_error(_("The file is empty."))
    if not rows:
        raise _file_error(_("The file has a header row but no workers."))
    return labels, rows


def _errors_raised(problems: list[RowError]) -> ValidationFailed:
    listed = [str(p) for p in problems[:MAX_LISTED_ERRORS]]
    if len(problems) > MAX_LISTED_ERRORS:
        listed.append(_("… and %(n)d more errors.") % {"n": len(problems) - MAX_LISTED_ERRORS})
    exc = ValidationFailed(
        {"file": listed},
        _("The file was not imported: %(n)d errors. Nothing was saved; correct the rows and send it again.")
        % {"n": len(problems)},
    )
    exc.details["rows"] = [
        {"row": p.row, "column": p.column, "field": p.field, "message": p.message}
        for p in problems[:MAX_LISTED_ERRORS]
    ]
    return exc


def worker_import(*, actor: Any, file: Any) -> ImportResult:
    """The centre's Excel file of workers: every row is checked first, and if any is wrong nothing is saved
    and the answer lists each error as "row N, column X: message". Otherwise all rows are provisioned in
    one transaction (the same rules as `worker_provision`)."""
    require_permission(actor, WORKER_MANAGE)
    labels, rows = _read_rows(file)
    problems: list[RowError] = []
    cleaned_rows: list[tuple[int, dict[str, Any]]] = []
    first_row_of: dict[str, int] = {}
    for number, raw in rows:
        data, errors = clean_worker(raw)
        for field, messages in errors.items():
            problems.extend(RowError(number, labels.get(field, field), field, m) for m in messages)
        passport = data.get("passport_number")
        if passport:
            if passport in first_row_of:
                problems.append(
                    RowError(
                        number,
                        labels["passport_number"],
                        "passport_number",
                        _("The same passport number is already on row %(row)d.")
                        % {"row": first_row_of[passport]},
                    )
                )
            first_row_of.setdefault(passport, number)
        if not errors:
            cleaned_rows.append((number, data))
    if problems:
        raise _errors_raised(problems)
    done: list[_Provisioned] = []
    with transaction.atomic():
        for number, data in cleaned_rows:
            try:
                with transaction.atomic():
                    done.append(_provision(actor=actor, data=data, source=WorkerSource.IMPORT, audited=False))
            except ValidationFailed as exc:
                for field, messages in exc.details.get("fields", {}).items():
                    problems.extend(RowError(number, labels.get(field, field), field, m) for m in messages)
        if problems:
            raise _errors_raised(problems)  # rolls back every row written above
        created = [d.profile.pk for d in done if d.created]
        updated = [d.profile.pk for d in done if not d.created]
        # One row for the file, naming every record and account it wrote: a row per worker would hold the
        # audit chain's lock (and so every other write of the platform) for the whole import.
        audit.record(
            actor=actor,
            action="worker.import",
            object_type="sos.workerprofile",
            changes={
                "rows": len(cleaned_rows),
                "created": len(created),
                "updated": len(updated),
                "created_ids": created,
                "updated_ids": updated,
                "accounts_created": [d.account_id for d in done if d.account_created],
            },
        )
    return ImportResult(created=len(created), updated=len(updated))


def import_template() -> bytes:
    """An empty workbook with the header row the import reads, and a sheet explaining the columns."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append([c.header_vi for c in COLUMNS])
    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Column", "Bắt buộc", "Ghi chú / Notes"])
    notes = {
        "passport_number": "6-12 chữ và số, như trong hộ chiếu khi xuất cảnh / as in the passport",
        "date_of_birth": "dd/mm/yyyy",
        "country": "Mã 2 chữ ISO 3166 / two-letter code: KR, JP, TW, DE",
        "programme": ", ".join(Programme.values),
        "departure_date": "dd/mm/yyyy",
        "contract_end": "dd/mm/yyyy",
        "phone": "+82 10 1234 5678 (số nước ngoài bắt đầu bằng + / foreign numbers start with +)",
    }
    for column in COLUMNS:
        guide.append(
            [column.header_vi, column.header_en, "x" if column.required else "", notes.get(column.field, "")]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the worker's own profile ------------------------------------------------------------------------------


def _own_profile(actor: Any) -> WorkerProfile:
    profile = worker_profile_of(actor)
    if profile is None:
        raise NotFound()
    return profile


def answer_key(answer: str) -> str:
    """What is hashed: the answer in lower case, without diacritics or extra spaces, so "Tèo" said on the
    phone matches "teo" typed by the operator."""
    return normalise_search(answer)


@transaction.atomic
def profile_update(
    *, actor: Any, phone: str, security_question: str, security_answer: str = "", language: str
) -> WorkerProfile:
    """The worker's phone (foreign numbers welcome), security question and answer (stored hashed; an
    empty answer keeps the old one unless the question changes) and language."""
    profile = _own_profile(actor)
    errors: dict[str, list[str]] = {}
    try:
        phone = worker_phone(phone, profile.country)
    except ValueError as exc:
        errors["phone"] = [str(exc)]
    question = " ".join((security_question or "").split())
    key = answer_key(security_answer or "")
    if len(question) > 200:
        errors["security_question"] = [_("At most %(n)d characters.") % {"n": 200}]
    if key and not question:
        errors["security_question"] = [_("Choose a security question first.")]
    elif question and not key and (question != profile.security_question or not profile.security_answer_hash):
        errors["security_answer"] = [_("Give the answer to your security question.")]
    elif key and len(key) < 2:
        errors["security_answer"] = [_("The answer is too short.")]
    if language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose Vietnamese or English.")]
    if errors:
        raise ValidationFailed(errors)
    changed = []
    person = profile.person
    if person.phone != phone:
        person.phone = phone
        person.save(update_fields=["phone", "updated_at"])
        changed.append("phone")
    if question != profile.security_question:
        changed.append("security_question")
    profile.security_question = question
    if not question:
        profile.security_answer_hash = ""
    elif key:
        profile.security_answer_hash = make_password(key)
        changed.append("security_answer")
    profile.save(update_fields=["security_question", "security_answer_hash", "updated_at"])
    accounts.account_set_phone(user=actor, phone=phone)
    accounts.account_set_language(user=actor, language=language)
    audit.record(actor=actor, action="worker.profile_update", obj=profile, changes={"fields": changed})
    return profile


# --- the desk checks who is calling ------------------------------------------------------------------------


def security_answer_check(*, actor: Any, worker_id: int, answer: str) -> bool:
    """An operator asks a caller the worker's security question: True if the answer matches. Audited;
    after 5 wrong answers in an hour for the same worker, further checks are refused for a while."""
    require_permission(actor, SOS_HANDLE)
    if not answer_key(answer or ""):
        raise ValidationFailed.single("answer", _("Type the answer the caller gives."))
    with transaction.atomic():
        profile = WorkerProfile.objects.select_for_update().filter(pk=worker_id).first()
        if profile is None:
            raise NotFound()
        if not profile.security_answer_hash:
            raise Conflict(_("This worker has not set a security question yet. Verify them another way."))
        now = timezone.now()
        wrong = AuditEntry.objects.filter(
            action="worker.answer_wrong",
            object_type="sos.workerprofile",
            object_id=str(profile.pk),
            at__gte=now - ANSWER_WINDOW,
        ).order_by("at")
        recent = list(wrong.values_list("at", flat=True))
        ok = refused = False
        if len(recent) >= ANSWER_LIMIT:
            audit.record(actor=actor, action="worker.answer_refused", obj=profile)
            # Free again when enough of the wrong answers have left the window.
            seconds = max(1, int((recent[len(recent) - ANSWER_LIMIT] + ANSWER_WINDOW - now).total_seconds()))
            refused = True
        else:
            ok = check_password(answer_key(answer), profile.security_answer_hash)
            audit.record(
                actor=actor, action="worker.answer_checked" if ok else "worker.answer_wrong", obj=profile
            )
    if refused:
        raise RateLimited(
            _("Too many wrong answers for this worker in the last hour. Verify them another way."),
            details={"retry_after_seconds": seconds},
        )
    return ok
