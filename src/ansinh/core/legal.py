"""Values fixed by law for a period: regional minimum wages, the base salary (domain/README.md sections 2
and 2b). Rows live in `LegalParameter` (loaded from `core/data/legal_parameters.csv` by
`ansinh load_reference`), so a new decree is a data change, not a release.

Codes: `min_wage_month` and `min_wage_hour` (region "I".."IV"), `base_salary` (region ""). All values are
integer VND.
"""

import csv
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ansinh.core.errors import DomainError
from ansinh.core.reference_models import LegalParameter, SourceStatus

MIN_WAGE_MONTH = "min_wage_month"
MIN_WAGE_HOUR = "min_wage_hour"
BASE_SALARY = "base_salary"
REGIONS = ("I", "II", "III", "IV")
PARAMETER_FILE = Path(__file__).resolve().parent / "data" / "legal_parameters.csv"


class ParameterMissing(DomainError):
    """No value of the parameter applies on that day (before the first known row, or an unknown code)."""

    code = "reference.parameter_missing"
    status = 422
    default_message = _("No legal value is recorded for this date. Ask an administrator to add it.")


class _Dated(Protocol):
    valid_from: date
    valid_to: date | None


def applies_on[T: _Dated](rows: Iterable[T], on: date) -> T | None:
    """The row in force on `on` (pure). Rows may come in any order; where periods overlap because of a
    data-entry error, the latest start wins, which is also what the database query does."""
    best: T | None = None
    for row in rows:
        in_force = row.valid_from <= on and (row.valid_to is None or on <= row.valid_to)
        if in_force and (best is None or row.valid_from > best.valid_from):
            best = row
    return best


def parameter_get(code: str, on: date, region: str = "") -> LegalParameter:
    """The row in force on `on`, with its source and source status (the UI flags unconfirmed values)."""
    row = (
        LegalParameter.objects.filter(code=code, region=region, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )
    if row is None:
        raise ParameterMissing(details={"code": code, "region": region, "on": on.isoformat()})
    return row


def parameter_value(code: str, on: date, region: str = "") -> int:
    """The value (integer VND) of `code` for `region` in force on `on`; raises ParameterMissing."""
    return int(parameter_get(code, on, region).value)


def min_wage_month(region: str, on: date) -> int:
    return parameter_value(MIN_WAGE_MONTH, on, region)


def base_salary(on: date) -> int:
    return parameter_value(BASE_SALARY, on)


def parameter_file_rows(path: Path = PARAMETER_FILE) -> list[dict[str, Any]]:
    """The rows of the parameter file as model field dicts, `valid_to` derived: each row ends the day
    before the next row of the same code and region starts; the latest row has no end.

    The file lists only start dates because that is how decrees are written ("from 1 January 2026"), and
    a derived end cannot disagree with the next start.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    series: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for record in records:
        row: dict[str, Any] = {
            "code": record["code"].strip(),
            "region": record["region"].strip(),
            "valid_from": date.fromisoformat(record["valid_from"].strip()),
            "value": int(record["value"]),
            "source": record["source"].strip(),
            "source_status": record["source_status"].strip(),
            "note": record["note"].strip(),
        }
        if row["source_status"] not in SourceStatus.values:
            raise ValueError(f"{path.name}: source_status of {row['code']} must be P, S or U")
        series.setdefault((row["code"], row["region"]), []).append(row)
    rows: list[dict[str, Any]] = []
    for key in sorted(series):
        starts: list[date] = sorted(r["valid_from"] for r in series[key])
        if len(set(starts)) != len(starts):
            raise ValueError(f"{path.name}: two rows of {key} start on the same day")
        ends: dict[date, date | None] = {
            start: (following - timedelta(days=1) if following else None)
            for start, following in zip(starts, [*starts[1:], None], strict=True)
        }
        for row in sorted(series[key], key=lambda r: r["valid_from"]):
            rows.append({**row, "valid_to": ends[row["valid_from"]]})
    return rows
