"""Reads of the unemployment app: the wage tables in force, and the estimate any visitor can ask for."""

import threading
from datetime import date

from django.db.models import Count, Max, Sum

from ansinh.core import workdays
from ansinh.core.errors import ValidationFailed
from ansinh.core.reference_models import LegalParameter
from ansinh.unemployment import rules

_WAGE_CODES = ("min_wage_month", "base_salary")
_lock = threading.Lock()
_cached: tuple[tuple[object, ...], rules.WageTable] | None = None


def _signature() -> tuple[object, ...]:
    agg = LegalParameter.objects.filter(code__in=_WAGE_CODES).aggregate(
        n=Count("id"), top=Max("id"), total=Sum("value")
    )
    return (agg["n"], agg["top"], agg["total"])


def wage_table() -> rules.WageTable:
    """The legal wages as a `WageTable`, kept per process; one small query checks that no row changed
    (a new decree is a data change that every process sees on its next estimate)."""
    global _cached
    signature = _signature()
    with _lock:
        if _cached is not None and _cached[0] == signature:
            return _cached[1]
    rows = LegalParameter.objects.filter(code__in=_WAGE_CODES).values(
        "code", "region", "valid_from", "valid_to", "value", "source", "source_status"
    )
    table = rules.WageTable(_with_status(row) for row in rows)
    with _lock:
        _cached = (signature, table)
    return table


def _with_status(row: dict[str, object]) -> dict[str, object]:
    # A value read only in a secondary source is used, and the explanation says so (domain README legend).
    if row["source_status"] != "P":
        row = {**row, "source": f"{row['source']} [{row['source_status']}]"}
    return row


def benefit_estimate(claim: rules.Claim, *, today: date) -> rules.Estimate:
    """The estimate for `claim`; bad input is `ValidationFailed` naming the field."""
    try:
        return rules.estimate(claim, wage_table(), workdays.add_working_days, today)
    except rules.InvalidClaim as exc:
        raise ValidationFailed.single(exc.field, exc.message) from exc
