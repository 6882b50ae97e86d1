"""Working days for legal deadlines (pure: no ORM, no clock; `ansinh.core.workdays` feeds it from the DB).

A day is a working day unless it is a Saturday, a Sunday or a public holiday. Government day swaps are
overrides: a Saturday made a working day (làm bù) or a weekday given off; an override always wins.

Counting rule (Decree 374/2025/NĐ-CP Art 45.3, domain/README.md section 8 item 5): the day of the event
(the dossier is complete, the decision is issued, ...) is not counted; if that day is not a working day,
counting starts from the next working day.

Decision on the wording. "Counting starts from the next working day" is read as: the event is *deemed to
happen* on the next working day, and that deemed day is the uncounted first day. A dossier completed on
Saturday 3 January 2026 is deemed completed on Monday 5 January; the 1st working day of its deadline is
Tuesday 6 January. This matches how one-stop-shop offices treat filings made outside working hours
(received on the next working day) and never gives an agency less time than a weekday filing would. The
other reading (Monday itself is day 1) is one day shorter; `effective_start` is the single place to change
if the ministry ever rules otherwise.
"""

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, timedelta

_ONE_DAY = timedelta(days=1)
_SATURDAY = 5
_MAX_REMEMBERED = 100_000  # (day, n) answers kept per calendar: a few MB at most


def _is_weekend(day: date) -> bool:
    return day.weekday() >= _SATURDAY


def _weekdays_between(start: date, end: date) -> int:
    """Monday-Friday days in the half-open range (start, end], for start <= end, in O(1)."""
    days = (end - start).days
    full_weeks, rest = divmod(days, 7)
    count = full_weeks * 5
    weekday = start.weekday()
    for _ in range(rest):
        weekday = (weekday + 1) % 7
        if weekday < _SATURDAY:
            count += 1
    return count


class WorkingCalendar:
    """Answers working-day questions from a fixed set of holidays and overrides.

    `holidays`: public holidays (including observed/substitute days). `working_days`: days made working
    even though they fall on a weekend or holiday. `days_off`: weekdays given off. Immutable once built.
    """

    def __init__(
        self,
        holidays: Iterable[date] = (),
        *,
        working_days: Iterable[date] = (),
        days_off: Iterable[date] = (),
    ) -> None:
        working = set(working_days)
        off = (set(holidays) | set(days_off)) - working
        # Only the exceptions to the Monday-Friday rule matter for counting, kept sorted for bisect.
        self._extra_off = sorted(d for d in off if not _is_weekend(d))
        self._extra_working = sorted(d for d in working if _is_weekend(d))
        self._extra_off_set = frozenset(self._extra_off)
        self._extra_working_set = frozenset(self._extra_working)
        # Answers of add_working_days: the calendar never changes, and deadlines are asked for the same few
        # hundred days over and over (the estimator, the dossier queue). Bounded by the days asked.
        self._added: dict[tuple[date, int], date] = {}

    def is_working_day(self, day: date) -> bool:
        if _is_weekend(day):
            return day in self._extra_working_set
        return day not in self._extra_off_set

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def effective_start(self, day: date) -> date:
        """The uncounted first day of a period: `day` itself if it is a working day, else the next one."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The date on which the n-th working day after `start` falls (Art 45.3 counting, see module doc).

        `n == 0` gives the effective start. A 15-working-day deadline from a complete dossier received on
        `start` ends at the end of `add_working_days(start, 15)`.
        """
        if n < 0:
            raise ValueError("n must not be negative")
        key = (start, n)
        found = self._added.get(key)
        if found is None:
            found = self.effective_start(start)
            for _ in range(n):
                found = self.next_working_day(found)
            if len(self._added) < _MAX_REMEMBERED:
                self._added[key] = found
        return found

    def count_working_days(self, start: date, end: date) -> int:
        """Working days after the (effective) start up to and including `end`; 0 if `end` is not later.

        The inverse of `add_working_days`: `count_working_days(d, add_working_days(d, n)) == n`.
        """
        first = self.effective_start(start)
        if end <= first:
            return 0
        count = _weekdays_between(first, end)
        count -= bisect_right(self._extra_off, end) - bisect_right(self._extra_off, first)
        count += bisect_right(self._extra_working, end) - bisect_right(self._extra_working, first)
        return count
