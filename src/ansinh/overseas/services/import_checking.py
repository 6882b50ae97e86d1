"""The check of a worker list's rows, the same for the background check and for the confirmation (which
checks again: time passed since the check).

Every row is cleaned with the same function as the form and the API (`workers.clean_worker_row`), after
reading the cells as a person meant them (an Excel date, a serial number, D/M/YYYY text, "Male"); the same
personal ID or passport twice in the file is found; and each batch of `BATCH` rows is checked against the
database: the person already on the contract, a passport already used on the contract by someone else, a
personal ID registered with another name. The errors (row, column, value, reason, in the active language) are
counted in an `Outcome`, which keeps the first `MAX_STORED_ERRORS` of them; progress is reported every
`PROGRESS_EVERY` rows.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from ansinh.accounts.models import Person
from ansinh.core.identifiers import normalise_passport, parse_personal_id
from ansinh.core.text import normalise_search
from ansinh.overseas.models import Contract, Worker
from ansinh.overseas.services.import_sheets import COLUMN_ORDER, FileProblem, Sheet, cell_text
from ansinh.overseas.services.workers import WorkerRow, clean_worker_row

MAX_STORED_ERRORS = 5_000
PROGRESS_EVERY = 2_000
# Rows checked against the database, and written, per batch: a handful of queries per batch, each well under
# PostgreSQL's 65,535 parameters. Also the size of the batches the kept rows are read back in.
BATCH = 2_000
LONGEST_NAME = Person._meta.get_field("full_name").max_length or 150
_DATE_TEXT = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ENGLISH_SEXES = {"MALE": "M", "FEMALE": "F"}


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
            return converted.date() if isinstance(converted, datetime) else cell_text(value)
        return cell_text(value)
    text = cell_text(value)
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
    raw: dict[str, Any] = {name: cell_text(values.get(name)) for name in COLUMN_ORDER}
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
    parsed = parse_personal_id(cell_text(values.get("personal_id")))
    try:
        passport = normalise_passport(cell_text(values.get("passport_number")))
    except ValueError:
        passport = ""
    return (parsed.number if parsed.valid else ""), passport


# --- the outcome of a check --------------------------------------------------------------------------------


@dataclass
class Outcome:
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
                    "value": cell_text(value),
                    "message": str(message),
                }
            )

    def sorted_errors(self) -> list[dict[str, Any]]:
        return sorted(self.errors, key=lambda e: (e["row"] or 0, COLUMN_ORDER.get(e["field"], 99)))


@dataclass(frozen=True)
class Checked:
    """A row that passed every check: its sheet row number and the cleaned worker."""

    number: int
    row: WorkerRow


@dataclass(frozen=True)
class Known:
    pk: int
    full_name: str
    date_of_birth: date | None
    passport_number: str
    province_id: int | None


def against_database(
    batch: list[Checked], contract: Contract, outcome: Outcome
) -> tuple[dict[str, Known], list[Checked]]:
    """The people of the batch already registered, and the rows that pass the checks against the database
    (the others are added to the outcome): a personal ID registered with another name (a mistyped number,
    not the same person), the person already on this contract, the passport already used on this contract
    by another person."""
    known = {
        str(pid): Known(pk, name, born, passport, province)
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
    passed: list[Checked] = []
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


def validate(
    sheet: Sheet,
    contract: Contract,
    *,
    today: date,
    on_batch: Callable[[list[Checked], dict[str, Known]], None],
    on_progress: Callable[[Outcome], None] = lambda outcome: None,
) -> Outcome:
    """Every row of the sheet: cleaned, duplicates in the file found, and checked against the database in
    batches. `on_batch` receives each batch's rows that passed, with the people already registered."""
    outcome = Outcome(labels=sheet.labels)
    first_with_id: dict[str, int] = {}
    first_with_passport: dict[str, int] = {}
    pending: list[Checked] = []

    def flush() -> None:
        if pending:
            known, passed = against_database(pending, contract, outcome)
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
        for name in sorted(errors, key=lambda n: COLUMN_ORDER.get(n, 99)):
            outcome.add(number, name, errors[name], values.get(name))
        if row is not None and not errors:
            pending.append(Checked(number, row))
        if len(pending) >= BATCH:
            flush()
        if outcome.rows % PROGRESS_EVERY == 0:
            on_progress(outcome)
    flush()
    if outcome.rows == 0:
        raise FileProblem(_("The file has a header row but no workers."))
    return outcome
