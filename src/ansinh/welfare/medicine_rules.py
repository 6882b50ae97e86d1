"""Pure rules of the regular-medicine service (no ORM): the health-insurance card number, the pick-up
window or delivery day a clinic sets, the days of medicine per dispensing, and when the next request may
be made. The working-day calendar is passed in (`is_working_day`), so the rules stay pure and testable.

Sources (see /tmp/notes/decision-medicine.md):
- Days of medicine per outpatient prescription: at most 30 days in general, and more than 30 up to 90 days
  for the 252 long-term diseases listed in the annex of Circular 26/2025/TT-BYT (in force 01/07/2025;
  before it, Circular 52/2017/TT-BYT: 30 days). [S] news reports of the circular; article number [U].
  The clinic (the prescriber) decides whether the condition is on the list, so the software enforces the
  outer bound in force on the day and lets the clinic choose within it.
- The card number: the usual printed code has 15 characters, 2 letters (the beneficiary group), 1 digit (the
  benefit level), 2 digits (the province) and 10 digits (the social-insurance number). [U]: not confirmed in a
  primary text, so the check is soft: 15 letters or digits starting with two letters.
- Opening hours, the window length and the lead time for the next request are house rules [U].
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

# --- the health-insurance card number --------------------------------------------------------------------

CARD_NUMBER_LENGTH = 15
_CARD_SOFT = re.compile(r"[A-Z]{2}[A-Z0-9]{13}")
# The usual form (2 letters, benefit level 1-5, 2-digit province, 10-digit social-insurance number). [U]
_CARD_USUAL = re.compile(r"[A-Z]{2}[1-5]\d{2}\d{10}")
_SEPARATORS = re.compile(r"[\s.\-_/]+")


def normalise_card_number(raw: str) -> str:
    """Upper case, without the spaces, dots and dashes people type between the groups."""
    return _SEPARATORS.sub("", raw or "").upper()


def card_number_problem(number: str) -> str | None:
    """Why a (normalised) card number cannot be right, or None. Soft on purpose: any 15 letters or digits
    starting with two letters pass, because the exact format is not confirmed [U]."""
    if not number:
        return _("Enter the number printed on your health-insurance card.")
    if len(number) != CARD_NUMBER_LENGTH or not _CARD_SOFT.fullmatch(number):
        return _(
            "The health-insurance card number has 15 characters: two letters, then 13 letters or digits "
            "(for example DN4791234567890)."
        )
    return None


def is_usual_card_form(number: str) -> bool:
    """True for the usual printed form; a hint for the clinic, never a reason to refuse."""
    return bool(_CARD_USUAL.fullmatch(number))


# --- days of medicine per dispensing -----------------------------------------------------------------------


@dataclass(frozen=True)
class DatedLimit:
    valid_from: date
    max_days: int
    source: str


# Outer bound of days per outpatient prescription. [S] TT 52/2017/TT-BYT; TT 26/2025/TT-BYT (252 listed
# chronic diseases up to 90 days; others 30, which the prescriber applies).
MAX_DAYS_LIMITS = (
    DatedLimit(date(2017, 12, 29), 30, "Circular 52/2017/TT-BYT"),
    DatedLimit(date(2025, 7, 1), 90, "Circular 26/2025/TT-BYT"),
)
GENERAL_MAX_DAYS = 30  # for a condition not on the circular's list (the clinic's call) [S]


def max_days_per_dispensing(on: date) -> int:
    """The most days of medicine one dispensing may cover on `on`."""
    limit = MAX_DAYS_LIMITS[0]
    for candidate in MAX_DAYS_LIMITS:
        if candidate.valid_from <= on:
            limit = candidate
    return limit.max_days


def days_supplied_problem(days: int | None, on: date) -> str | None:
    if days is None:
        return _("Enter how many days of medicine the person receives.")
    most = max_days_per_dispensing(on)
    if days < 1 or days > most:
        return _("The days of medicine must be between 1 and %(most)d.") % {"most": most}
    return None


# --- when the next request may be made --------------------------------------------------------------------

NEXT_REQUEST_LEAD_DAYS = 5  # house rule [U]: ask again this many days before the medicine runs out


def supply_runs_out(dispensed_on: date, days_supplied: int) -> date:
    """The first day without medicine: the day of dispensing counts as the first day of the supply."""
    return dispensed_on + timedelta(days=days_supplied)


def next_request_from(dispensed_on: date, days_supplied: int | None) -> date:
    """The first day a new request may be sent after a dispensing: a few days before the supply ends,
    never before the day after the dispensing."""
    if not days_supplied:
        return dispensed_on
    earliest = supply_runs_out(dispensed_on, days_supplied) - timedelta(days=NEXT_REQUEST_LEAD_DAYS)
    return max(earliest, dispensed_on + timedelta(days=1))


# --- the pick-up window or delivery day ------------------------------------------------------------------

OPENS = time(7, 0)  # house rule [U]: a clinic's usual hours; the clinic's own hours are not in the data
CLOSES = time(17, 0)
MIN_WINDOW = timedelta(minutes=30)  # house rule [U]
MAX_WINDOW = timedelta(hours=4)  # house rule [U]
MAX_DAYS_AHEAD = 60  # house rule [U]: a schedule further ahead is a typing mistake


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def schedule_problems(
    *,
    pickup: bool,
    day: date | None,
    start: time | None,
    end: time | None,
    now: datetime,
    is_working_day: Callable[[date], bool],
) -> dict[str, list[str]]:
    """What is wrong with a schedule, by field (`scheduled_on`, `window_start`, `window_end`). `now` is the
    local (Vietnam) time. A pick-up needs a window; a delivery needs a day and may give a window too."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    if day is None:
        add("scheduled_on", _("Choose the day."))
    else:
        if day < now.date():
            add("scheduled_on", _("The day is in the past."))
        elif (day - now.date()).days > MAX_DAYS_AHEAD:
            add("scheduled_on", _("Choose a day within %(n)d days.") % {"n": MAX_DAYS_AHEAD})
        elif not is_working_day(day):
            add("scheduled_on", _("The clinic does not hand out medicine on that day: choose a working day."))
    if pickup and (start is None or end is None):
        if start is None:
            add("window_start", _("A pick-up needs the time the window opens."))
        if end is None:
            add("window_end", _("A pick-up needs the time the window closes."))
        return problems
    if start is None and end is None:
        return problems
    if start is None or end is None:
        field = "window_start" if start is None else "window_end"
        add(field, _("Give both times of the window, or neither."))
        return problems
    if start < OPENS or end > CLOSES:
        add(
            "window_start",
            _("The window must be within the opening hours, %(opens)s to %(closes)s.")
            % {"opens": OPENS.strftime("%H:%M"), "closes": CLOSES.strftime("%H:%M")},
        )
    length = _minutes(end) - _minutes(start)
    if length < MIN_WINDOW.total_seconds() // 60:
        add("window_end", _("The window must last at least 30 minutes."))
    elif length > MAX_WINDOW.total_seconds() // 60:
        add("window_end", _("The window may last at most 4 hours."))
    if day is not None and day == now.date() and _minutes(end) <= _minutes(now.time()):
        add("window_end", _("This window has already passed today."))
    return problems
