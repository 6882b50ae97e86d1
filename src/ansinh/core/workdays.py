"""Working days from real data: Vietnam's public holidays from the `holidays` package plus the
`WorkingDayOverride` rows staff maintain, fed into the pure `ansinh.core.calendar.WorkingCalendar`.

What the `holidays` package gives for VN (checked against its source, version 0.109): the five Tết days
(eve to the 4th day, from 2013; 29 Tết or the 5th day when one falls on a weekend, from 2014), Hùng Kings'
day, 30/4, 1/5, two National Day days (from 2021), Vietnam Culture Day 24/11 (from 2026), observed days
for holidays on a weekend (nghỉ bù), and the government's day swaps: the weekday given off is a holiday
("Ngày nghỉ (thay cho ngày ...)") and the Saturday worked instead is in `weekend_workdays`. Rows in
`WorkingDayOverride` win over the package, so a swap announced after the package release, or one the
package got wrong, is fixed by data entry, not a release.

The calendar is cached per process. Each call checks a one-query signature of the override table (count,
highest id, last change), so an override saved by any process is seen by every process on its next call.
"""

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
from django.db.models import Count, Max

from ansinh.core.calendar import WorkingCalendar
from ansinh.core.reference_models import WorkingDayOverride

Signature = tuple[int, int | None, datetime | None]


@dataclass(frozen=True)
class _Cached:
    first_year: int
    last_year: int
    signature: Signature
    calendar: WorkingCalendar


_lock = threading.Lock()
_cached: _Cached | None = None


def _override_signature() -> Signature:
    agg = WorkingDayOverride.objects.aggregate(n=Count("id"), top=Max("id"), changed=Max("updated_at"))
    return (agg["n"], agg["top"], agg["changed"])


def _build(first_year: int, last_year: int) -> WorkingCalendar:
    official = holidays.country_holidays("VN", years=range(first_year, last_year + 1))
    overrides = dict(WorkingDayOverride.objects.values_list("date", "is_working_day"))
    made_working = {d for d, working in overrides.items() if working}
    made_off = {d for d, working in overrides.items() if not working}
    return WorkingCalendar(
        (d for d in official if d not in made_working),
        working_days=(set(official.weekend_workdays) - made_off) | made_working,
        days_off=made_off,
    )


def calendar_for(years: range | list[int] | tuple[int, ...]) -> WorkingCalendar:
    """A calendar correct for every day of `years` (and the years next to them).

    The process keeps one calendar and widens it when asked for years outside it, so callers need not care
    which years they ask for: asking for more is cheap.
    """
    global _cached
    wanted_first, wanted_last = min(years) - 1, max(years) + 1
    signature = _override_signature()
    with _lock:
        cached = _cached
        if cached is not None and cached.signature == signature:
            if cached.first_year <= wanted_first and wanted_last <= cached.last_year:
                return cached.calendar
            wanted_first = min(wanted_first, cached.first_year)
            wanted_last = max(wanted_last, cached.last_year)
        calendar = _build(wanted_first, wanted_last)
        _cached = _Cached(wanted_first, wanted_last, signature, calendar)
        return calendar


def clear_cache() -> None:
    """Forget the cached calendar (tests; after changing the `holidays` package at runtime)."""
    global _cached
    with _lock:
        _cached = None


def is_working_day(day: date) -> bool:
    return calendar_for([day.year]).is_working_day(day)


def next_working_day(day: date) -> date:
    return calendar_for([day.year]).next_working_day(day)


def add_working_days(start: date, n: int) -> date:
    """The day the n-th working day after `start` falls on (Decree 374 Art 45.3; see core.calendar)."""
    # n working days span at most about 2n + 30 calendar days (Tết adds nine days off in a row), and
    # calendar_for also covers the following year; the check below makes the estimate only a hint.
    last_year = (start + timedelta(days=2 * n + 30)).year
    while True:
        result = calendar_for(range(start.year, last_year + 1)).add_working_days(start, n)
        if result.year <= last_year + 1:
            return result
        last_year = result.year


def count_working_days(start: date, end: date) -> int:
    """Working days after the (effective) start up to and including `end` (Art 45.3)."""
    return calendar_for(range(min(start, end).year, max(start, end).year + 1)).count_working_days(start, end)
