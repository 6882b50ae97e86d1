"""The unemployment-benefit rules as code (domain/README.md section 1): pure functions, no database.

Two rule sets, chosen by the day the claim is decided (Law 74/2025 Art 55.4: claims not decided by
1 January 2026 are decided under the new law):
- `law-38-2013`: Law on Employment 38/2013 and Decree 28/2015 (to 31 December 2025);
- `law-74-2025`: Law on Employment 74/2025 and Decree 374/2025 (from 1 January 2026).

Every amount comes from the dated wage tables (`WageTable`, filled from the foundation's legal parameters);
no wage or salary figure is written here. Every figure of an `Estimate` has a step in its explanation,
with the legal basis, in words a claimant can read.
"""

from bisect import bisect_left, bisect_right
from calendar import isleap
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from operator import attrgetter, lt
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

OLD_RULES = "law-38-2013"
NEW_RULES = "law-74-2025"
NEW_RULES_FROM = date(2026, 1, 1)
REGIONS = ("I", "II", "III", "IV")
EMPLOYER, STATE = "employer", "state"

BENEFIT_SHARE_TENTHS = 6  # 60 % (Law 38 Art 50.1; Law 74 Art 39.1)
CONTRIBUTION_CAP_MULTIPLE = 20  # Law 38 Art 58; Law 74 Art 34.2
BENEFIT_CAP_MULTIPLE = 5  # Law 38 Art 50.1; Law 74 Art 39.1
MONTHS_REQUIRED = 12
WINDOW_MONTHS, SHORT_CONTRACT_WINDOW_MONTHS = 24, 36
AVERAGE_OVER = 6
FIRST_BENEFIT_MONTHS, FIRST_CONTRIBUTION_BLOCK = 3, 36  # 12-36 months give 3 months (Art 50.2 / 39.2)
BLOCK = 12  # each further full 12 months: one more month
MAX_BENEFIT_MONTHS = 12
NEW_RULES_RESERVE_LIMIT = 144  # Decree 374 Art 8.1: beyond 144 months nothing is reserved
FILING_MONTHS = 3
# The benefit starts on this working day after the full dossier (Law 38 Art 50.3 and Decree 28 Art 18.1;
# Law 74 Art 39.3).
START_WORKING_DAYS = {OLD_RULES: 16, NEW_RULES: 11}
NOTIFY_WORKING_DAYS = 3  # Decree 374 Art 21.2: the monthly job-search notification window
MISSED_IN_A_ROW_TERMINATES = 3  # Law 74/2025 Art 41.4.đ; Law 38/2013 Art 53.1
REFUSED_REFERRALS_TERMINATE = 2  # Law 74/2025 Art 41.4.d
WITHDRAWAL_WORKING_DAYS = 10  # Decree 374 Art 14.3: "đề nghị không hưởng" (Mẫu 11)
# Termination grounds after which the months not received are reserved (Law 74/2025 Art 41.5: points a,
# b, g, k, l, m, n), provided the claimant told the centre within 3 working days (Decree 374 Art 19).
RESERVING_GROUNDS = frozenset(
    {"new_job", "own_business", "abroad", "military", "study", "rehabilitation", "missing", "detention",
     "own_request"}
)  # fmt: skip
TERMINATION_NOTICE_WORKING_DAYS = 3


class InvalidClaim(ValueError):
    """Bad input, naming the field (the API turns it into a 422)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Contribution:
    month: date  # the first day of the month
    wage: int  # declared for unemployment insurance that month, before any cap
    region: str = "I"  # of the workplace that month


@dataclass(frozen=True)
class PreviousClaim:
    termination_date: date
    reserved_months: int


@dataclass(frozen=True)
class Claim:
    termination_date: date
    contributions: Sequence[Contribution]
    pay_regime: str = EMPLOYER
    contract_months: int | None = None  # of the last contract; None = indefinite
    decided_on: date | None = None  # picks the rule set; default: the filing day
    filed_on: date | None = None  # the day the full dossier is received; default: the decision day
    previous_claim: PreviousClaim | None = None
    months_already_received: int = 0
    benefit_start_date: date | None = None


@dataclass(slots=True)  # not frozen: an estimate makes about twenty of these and Periods
class Step:
    step: str
    value: Any
    legal_basis: str
    unit: str = ""  # VND, MONTHS, DAY or RULE_SET: how the value reads


VND, MONTHS, DAY, RULE_SET = "vnd", "months", "date", "rule_set"


@dataclass(frozen=True, slots=True)  # shared between estimates (benefit_periods remembers them)
class Period:
    start: date
    end: date


@dataclass
class Estimate:
    eligible: bool
    rule_set: str
    reasons: list[str] = field(default_factory=list)
    contribution_months: int = 0
    average_wage: int = 0
    monthly_benefit: int = 0
    benefit_cap: int = 0
    benefit_months: int = 0
    reserved_months: int = 0
    start_date: date | None = None
    periods: list[Period] = field(default_factory=list)
    explanation: list[Step] = field(default_factory=list)


# --- the wage tables --------------------------------------------------------------------------------------


class WageTable:
    """Dated values (integer VND) by code and region, e.g. from `core.legal.parameter_file_rows()` or the
    `LegalParameter` rows: `min_wage_month` by region, `base_salary`."""

    def __init__(self, rows: Iterable[Mapping[str, Any]]):
        self._rows: dict[tuple[str, str], list[tuple[date, date | None, int, str]]] = {}
        for row in rows:
            key = (row["code"], row["region"] or "")
            self._rows.setdefault(key, []).append(
                (row["valid_from"], row["valid_to"], int(row["value"]), row.get("source", ""))
            )
        for series in self._rows.values():
            series.sort()
        self._found: dict[tuple[str, date, str], tuple[int, str]] = {}  # a few thousand months at most

    def value(self, code: str, on: date, region: str = "") -> tuple[int, str]:
        key = (code, on, region)
        try:
            return self._found[key]
        except KeyError:
            found = self._found[key] = self._lookup(code, on, region)
            return found

    def _lookup(self, code: str, on: date, region: str) -> tuple[int, str]:
        found = None
        for start, end, value, source in self._rows.get((code, region), []):
            if start <= on and (end is None or on <= end):
                found = (value, source)
        if found is None:
            raise InvalidClaim("contributions", _("No legal wage is recorded for %(day)s.") % {"day": on})
        return found

    def min_wage(self, region: str, on: date) -> tuple[int, str]:
        return self.value("min_wage_month", on, region)

    def base_salary(self, on: date) -> tuple[int, str]:
        return self.value("base_salary", on)


# --- months ------------------------------------------------------------------------------------------------


_ONE_DAY = timedelta(days=1)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_BY_MONTH = attrgetter("month")
_REGION_SET = frozenset(REGIONS)


def _dmy(day: date) -> str:
    return "%02d/%02d/%d" % (day.day, day.month, day.year)  # noqa: UP031 (as strftime("%d/%m/%Y"), 5x faster)


def month_of(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day that does not exist in that month becomes its last day."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    day_of_month = day.day
    if day_of_month > 28:  # the 29th to the 31st may not exist in that month
        last = 29 if month == 1 and isleap(year) else _DAYS_IN_MONTH[month]
        day_of_month = min(day_of_month, last)
    return date(year, month + 1, day_of_month)


def rule_set_on(decided_on: date) -> str:
    return NEW_RULES if decided_on >= NEW_RULES_FROM else OLD_RULES


def _first_bad_contribution(claim: Claim, this_month: date) -> None:
    """Raise for the first bad contribution, naming it (the API's field paths: contributions.0.month)."""
    seen: set[date] = set()
    for index, item in enumerate(claim.contributions):
        where = f"contributions.{index}"
        if item.month in seen:
            raise InvalidClaim(f"{where}.month", _("This month is listed twice."))
        seen.add(item.month)
        if item.month > this_month:
            raise InvalidClaim(f"{where}.month", _("This month is in the future."))
        if item.wage < 0:
            raise InvalidClaim(f"{where}.wage", _("A wage cannot be negative."))
        if item.region not in REGIONS:
            raise InvalidClaim(f"{where}.region", _("The region is I, II, III or IV."))


# Unemployment insurance began in 2009 (Law on Social Insurance 71/2006); days far ahead are typing errors
# (and would overflow the calendar's year 9999 in the arithmetic).
FIRST_DAY, YEARS_AHEAD = date(2009, 1, 1), 2


def _check_days(claim: Claim, today: date) -> None:
    last = date(today.year + YEARS_AHEAD, 12, 31)
    for name, day in (
        ("termination_date", claim.termination_date),
        ("as_of", claim.decided_on),
        ("filed_on", claim.filed_on),
        ("benefit_start_date", claim.benefit_start_date),
        (
            "previous_claim.termination_date",
            claim.previous_claim.termination_date if claim.previous_claim else None,
        ),
    ):
        if day is not None and not FIRST_DAY <= day <= last:
            raise InvalidClaim(
                name,
                _("Enter a day between %(first)s and %(last)s.")
                % {"first": _dmy(FIRST_DAY), "last": _dmy(last)},
            )


def validate(claim: Claim, today: date) -> None:
    """The input errors a claimant can make, each naming its field."""
    _validated_history(claim, today)


def _validated_history(claim: Claim, today: date) -> tuple[Sequence[Contribution], list[date]]:
    """`validate`, giving back what the estimate needs of it: the contributions in month order and their
    months (a valid history has each month once, so the order is the only one)."""
    _check_days(claim, today)
    this_month = month_of(today)
    contributions = claim.contributions
    months = [item.month for item in contributions]
    # Built-ins over the whole history first (fast); the loop that names the bad item only on failure.
    # Histories usually come in month order (the database, the form), so the sort is usually skipped.
    if not all(map(lt, months, months[1:])):  # out of order, or a month listed twice
        contributions = sorted(contributions, key=_BY_MONTH)
        months = [item.month for item in contributions]
        if len(set(months)) != len(months):
            _first_bad_contribution(claim, this_month)
    bad_wage_or_region = [item for item in contributions if item.wage < 0 or item.region not in _REGION_SET]
    if bad_wage_or_region or (months and months[-1] > this_month):
        _first_bad_contribution(claim, this_month)
    if claim.pay_regime not in (EMPLOYER, STATE):
        raise InvalidClaim("pay_regime", _("Choose employer or state."))
    if months and claim.termination_date < months[-1]:
        raise InvalidClaim(
            "termination_date", _("The termination is before the last month of contributions.")
        )
    if claim.contract_months is not None and claim.contract_months < 1:
        raise InvalidClaim("contract_months", _("A contract lasts at least one month."))
    if claim.months_already_received < 0:
        raise InvalidClaim("months_already_received", _("This cannot be negative."))
    if claim.previous_claim is not None:
        if claim.previous_claim.reserved_months < 0:
            raise InvalidClaim("previous_claim.reserved_months", _("This cannot be negative."))
        if claim.previous_claim.termination_date >= claim.termination_date:
            raise InvalidClaim(
                "previous_claim.termination_date", _("The previous claim must end before this termination.")
            )
    return contributions, months


# --- the rules ---------------------------------------------------------------------------------------------


def _window(claim: Claim, rules: str) -> int:
    short = claim.contract_months is not None and claim.contract_months < 12
    if rules == OLD_RULES:
        short = short and claim.contract_months is not None and claim.contract_months >= 3
    return SHORT_CONTRACT_WINDOW_MONTHS if short else WINDOW_MONTHS


def months_in_window(contributions: Iterable[Contribution], termination: date, window: int) -> int:
    """Contributed months among the `window` months that end with the month of termination."""
    last = month_of(termination)
    first = month_of(add_months(last, -(window - 1)))
    return sum(1 for c in contributions if first <= c.month <= last)


def capped_wage(item: Contribution, pay_regime: str, rules: str, table: WageTable) -> tuple[int, int, str]:
    """(capped wage, cap, source): 20x the regional minimum wage of that month, or, under the old rules for
    the State pay scale, 20x the base salary of that month."""
    if rules == OLD_RULES and pay_regime == STATE:
        base, source = table.base_salary(item.month)
    else:
        base, source = table.min_wage(item.region, item.month)
    cap = CONTRIBUTION_CAP_MULTIPLE * base
    return min(item.wage, cap), cap, source


def benefit_months_for(contribution_months: int) -> int:
    if contribution_months < MONTHS_REQUIRED:
        return 0
    extra = max(0, contribution_months - FIRST_CONTRIBUTION_BLOCK) // BLOCK
    return min(MAX_BENEFIT_MONTHS, FIRST_BENEFIT_MONTHS + extra)


def reserved_months_for(contribution_months: int, months_received: int, rules: str) -> int:
    """Reserved = contributed - 12 x months received (Law 38 Art 53.4; Decree 374 Art 8.6); under the new
    rules nothing beyond 144 months is reserved (Decree 374 Art 8.1)."""
    counted = contribution_months
    if rules == NEW_RULES:
        counted = min(counted, NEW_RULES_RESERVE_LIMIT)
    return max(0, counted - BLOCK * months_received)


_periods: dict[tuple[date, int], tuple[Period, ...]] = {}  # (start, months) -> periods; bounded by the days


def benefit_periods(start: date, months: int) -> list[Period]:
    """A benefit month runs from the start day to the day before the same day of the next month."""
    known = _periods.get((start, months))
    if known is None:
        starts = [add_months(start, n) for n in range(months + 1)]
        known = tuple(Period(starts[n], starts[n + 1] - _ONE_DAY) for n in range(months))
        if len(_periods) < 100_000:
            _periods[(start, months)] = known
    return list(known)


_CITATION_WORDS_VI = (
    ("Law ", "Luật "),
    ("Decree ", "Nghị định "),
    ("Circular ", "Thông tư "),
    ("Art ", "Điều "),
)


_cited: dict[tuple[str, str], str] = {}  # (language, citation) -> as shown; a few hundred at most


def cite(citation: str, language: str | None = None) -> str:
    """A legal citation in the reader's language: "Law 74/2025 Art 39.1" reads "Luật 74/2025 Điều 39.1"
    in Vietnamese. Citations are written in English in the code and the parameter file."""
    language = language or get_language() or "vi"
    key = (language, citation)
    shown = _cited.get(key)
    if shown is None:
        shown = citation
        if not language.startswith("en"):
            for english, vietnamese in _CITATION_WORDS_VI:
                shown = shown.replace(english, vietnamese)
        _cited[key] = shown
    return shown


# --- the explanation's words ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _StepWording:
    """What one explanation step says, translated, and its legal basis, cited in the same language."""

    text: str
    legal_basis: str
    unit: str

    def step(self, value: Any) -> Step:
        return Step(self.text, value, self.legal_basis, self.unit)

    def step_with(self, value: Any, **names: Any) -> Step:
        """For a text with %(name)s placeholders; the others are never %-formatted ("60%" in Vietnamese)."""
        return Step(self.text % names, value, self.legal_basis, self.unit)


@dataclass(frozen=True, slots=True)
class _Wording:
    """Every fixed text of an estimate under one rule set, in one language."""

    rules: str
    language: str
    rules_in_force: _StepWording
    months_in_window: dict[int, _StepWording]  # by the window's length in months
    too_few_months: str
    filed_late: str
    counted_months: _StepWording
    wage_capped: _StepWording
    average_wage: tuple[_StepWording, ...]  # by the number of months averaged, 0 to 6
    benefit_cap: _StepWording
    monthly_benefit: _StepWording
    benefit_months: _StepWording
    reserved_months: _StepWording
    start_date: _StepWording
    # Texts filled in as estimates ask for them, each once: by decision day (the days `validate` lets
    # through, and today: a few thousand at most) and by the wage table's source of the benefit cap.
    _rules_in_force_on: dict[date, str] = field(default_factory=dict, init=False)
    _benefit_cap_by_source: dict[str, str] = field(default_factory=dict, init=False)

    def rules_in_force_step(self, decided_on: date) -> Step:
        text = self._rules_in_force_on.get(decided_on)
        if text is None:
            text = self.rules_in_force.text % {"day": _dmy(decided_on)}
            self._rules_in_force_on[decided_on] = text
        return Step(text, self.rules, self.rules_in_force.legal_basis, self.rules_in_force.unit)

    def benefit_cap_step(self, benefit_cap: int, source: str) -> Step:
        text = self._benefit_cap_by_source.get(source)
        if text is None:
            text = self.benefit_cap.text % {"source": cite(source, self.language)}
            self._benefit_cap_by_source[source] = text
        return Step(text, benefit_cap, self.benefit_cap.legal_basis, self.benefit_cap.unit)


@cache  # a handful: two rule sets times the languages
def _wording(rules: str, language: str) -> _Wording:
    """The texts of an estimate, translated and cited once per process (and filled in, where they depend
    only on the rule set or on a few possible numbers): looking a dozen texts and citations up again on
    every estimate took longer than the arithmetic. `language` must be the active one (gettext translates
    into it); the catalogues do not change while a process runs."""

    def basis(old: str, new: str) -> str:
        return cite(old if rules == OLD_RULES else new, language)

    return _Wording(
        rules=rules,
        language=language,
        rules_in_force=_StepWording(
            _("Rules in force on the decision day %(day)s"),
            basis("Law 38/2013; Decree 28/2015", "Law 74/2025 Art 55.4; Decree 374/2025 Art 43.5"),
            RULE_SET,
        ),
        months_in_window={
            window: _StepWording(
                _("Months contributed in the %(n)d months up to the termination") % {"n": window},
                basis("Law 38/2013 Art 49.2", "Law 74/2025 Art 38.1.b"),
                MONTHS,
            )
            for window in (WINDOW_MONTHS, SHORT_CONTRACT_WINDOW_MONTHS)
        },
        too_few_months=_(
            "At least %(need)d months of contributions are needed in the %(n)d months before the termination."
        ),
        filed_late=_("The claim must be filed within 3 months of the termination (by %(day)s)."),
        counted_months=_StepWording(
            _("Months of contributions counted for the duration"),
            basis("Law 38/2013 Art 50.2; Decree 28/2015 Art 18.7", "Law 74/2025 Art 39.2"),
            MONTHS,
        ),
        wage_capped=_StepWording(
            _("Wage of %(month)s capped at 20 times the legal wage (%(source)s)"),
            basis("Law 58/2014 Art 89; Law 38/2013 Art 58", "Law 74/2025 Art 34.2"),
            VND,
        ),
        average_wage=tuple(
            _StepWording(
                _("Average monthly wage of the %(n)d most recent contributed months") % {"n": averaged},
                basis("Law 38/2013 Art 50.1", "Law 74/2025 Art 39.1; Decree 374/2025 Art 15.1"),
                VND,
            )
            for averaged in range(AVERAGE_OVER + 1)
        ),
        benefit_cap=_StepWording(
            _("Maximum monthly benefit: 5 times the legal wage (%(source)s)"),
            basis("Law 38/2013 Art 50.1", "Law 74/2025 Art 39.1"),
            VND,
        ),
        monthly_benefit=_StepWording(
            _("Monthly benefit: 60 per cent of the average, at most the maximum"),
            basis("Law 38/2013 Art 50.1", "Law 74/2025 Art 39.1"),
            VND,
        ),
        benefit_months=_StepWording(
            _(
                "Benefit months: 3 for 12 to 36 months of contributions, "
                "one more for each further 12, at most 12"
            ),
            basis("Law 38/2013 Art 50.2", "Law 74/2025 Art 39.2"),
            MONTHS,
        ),
        reserved_months=_StepWording(
            _("Months of contributions kept for a later claim"),
            basis("Law 38/2013 Art 53.4; Decree 28/2015 Art 18.7", "Decree 374/2025 Art 8.1, 8.6"),
            MONTHS,
        ),
        start_date=_StepWording(
            _("Benefit starts on working day number %(n)d after the full dossier")
            % {"n": START_WORKING_DAYS[rules]},
            basis("Law 38/2013 Art 50.3; Decree 28/2015 Art 18.1", "Law 74/2025 Art 39.3"),
            DAY,
        ),
    )


# --- the estimate ------------------------------------------------------------------------------------------


def estimate(
    claim: Claim, table: WageTable, add_working_days: Callable[[date, int], date], today: date
) -> Estimate:
    """The whole estimate. `add_working_days(day, n)`: the n-th working day after `day` (core.workdays)."""
    contributions, months = _validated_history(claim, today)
    decided_on = claim.decided_on or claim.filed_on or today
    filed_on = claim.filed_on or decided_on
    rules = rule_set_on(decided_on)
    words = _wording(rules, get_language() or "vi")
    explanation: list[Step] = []
    say = explanation.append
    say(words.rules_in_force_step(decided_on))

    # Eligibility: 12 months within 24 (or 36 for a short contract) before the termination.
    window = _window(claim, rules)
    last_month = month_of(claim.termination_date)
    in_window = bisect_right(months, last_month) - bisect_left(months, add_months(last_month, -(window - 1)))
    say(words.months_in_window[window].step(in_window))
    reasons: list[str] = []
    if in_window < MONTHS_REQUIRED:
        reasons.append(words.too_few_months % {"need": MONTHS_REQUIRED, "n": window})
    deadline = add_months(claim.termination_date, FILING_MONTHS)
    if filed_on > deadline:
        reasons.append(words.filed_late % {"day": _dmy(deadline)})
    eligible = not reasons

    # Duration: the previous claim's reserved months plus the months contributed after it.
    previous = claim.previous_claim
    contribution_months = (
        len(months) - bisect_right(months, month_of(previous.termination_date)) + previous.reserved_months
        if previous
        else len(months)
    )
    say(words.counted_months.step(contribution_months))

    # Amount: 60 % of the average capped wage of the 6 most recent contributed months, capped at 5x.
    recent = contributions[-AVERAGE_OVER:]
    capped_total = _capped_total(recent, rules == OLD_RULES and claim.pay_regime == STATE, table, words, say)
    average_wage = round(capped_total / len(recent)) if recent else 0
    say(words.average_wage[len(recent)].step(average_wage))
    benefit_cap, cap_source = _benefit_cap(claim, rules, table, recent[-1] if recent else None)
    uncapped = round(capped_total * BENEFIT_SHARE_TENTHS / (10 * len(recent))) if recent else 0
    monthly_benefit = min(uncapped, benefit_cap)
    say(words.benefit_cap_step(benefit_cap, cap_source))
    say(words.monthly_benefit.step(monthly_benefit))

    benefit_months = benefit_months_for(contribution_months) if eligible else 0
    say(words.benefit_months.step(benefit_months))
    received = claim.months_already_received or benefit_months
    reserved_months = (
        reserved_months_for(contribution_months, received, rules) if eligible else contribution_months
    )
    say(words.reserved_months.step(reserved_months))

    start_date: date | None = None
    periods: list[Period] = []
    if eligible:
        start_date = add_working_days(filed_on, START_WORKING_DAYS[rules])
        say(words.start_date.step(start_date))
        periods = benefit_periods(claim.benefit_start_date or start_date, benefit_months)
    return Estimate(
        eligible=eligible,
        rule_set=rules,
        reasons=reasons,
        contribution_months=contribution_months,
        average_wage=average_wage,
        monthly_benefit=monthly_benefit,
        benefit_cap=benefit_cap,
        benefit_months=benefit_months,
        reserved_months=reserved_months,
        start_date=start_date,
        periods=periods,
        explanation=explanation,
    )


def _capped_total(
    recent: Sequence[Contribution],
    by_base_salary: bool,
    table: WageTable,
    words: _Wording,
    say: Callable[[Step], None],
) -> int:
    """The sum of the `recent` wages, each capped at 20x the legal wage of its month (as `capped_wage`,
    which this inlines: it runs six times per estimate), with a step for each wage that was capped."""
    total = 0
    for item in recent:
        if by_base_salary:
            base, source = table.value("base_salary", item.month, "")
        else:
            base, source = table.value("min_wage_month", item.month, item.region)
        cap = CONTRIBUTION_CAP_MULTIPLE * base
        if item.wage <= cap:
            total += item.wage
        else:
            total += cap
            month = f"{item.month.month:02d}/{item.month.year}"
            say(words.wage_capped.step_with(cap, month=month, source=cite(source, words.language)))
    return total


def _benefit_cap(claim: Claim, rules: str, table: WageTable, last: Contribution | None) -> tuple[int, str]:
    """Old rules: 5x the base salary (State pay scale) or the regional minimum wage, at the termination.
    New rules: 5x the regional minimum wage of the last month of contributions (`last`)."""
    region = last.region if last else "I"
    if rules == OLD_RULES:
        if claim.pay_regime == STATE:
            value, source = table.base_salary(claim.termination_date)
        else:
            value, source = table.min_wage(region, claim.termination_date)
    else:
        value, source = table.min_wage(region, last.month if last else claim.termination_date)
    return BENEFIT_CAP_MULTIPLE * value, source


def notification_windows(
    periods: Sequence[Period], decided_on: date, add_working_days: Callable[[date, int], date]
) -> list[tuple[date, date]]:
    """(opens, closes) of each month's job-search notification (Decree 374 Art 21.2): the first month
    within 3 working days of the decision, each later month within 3 working days of its first day."""
    windows = []
    for number, period in enumerate(periods, start=1):
        opens = decided_on if number == 1 else period.start
        windows.append((opens, add_working_days(opens, NOTIFY_WORKING_DAYS)))
    return windows


def reserved_after_termination(
    contribution_months: int, months_received: int, rules: str, ground: str, told_in_time: bool
) -> int:
    """Months reserved when the benefit is terminated: only for the grounds the law lists, and only when
    the claimant reported the event in time (Law 74/2025 Art 41.5; Decree 374 Art 19)."""
    if ground not in RESERVING_GROUNDS or not told_in_time:
        return 0
    return reserved_months_for(contribution_months, months_received, rules)
