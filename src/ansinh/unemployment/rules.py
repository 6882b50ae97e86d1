"""The unemployment-benefit rules as code (domain/README.md section 1): pure functions, no database.

Two rule sets, chosen by the day the claim is decided (Law 74/2025 Art 55.4: claims not decided by
1 January 2026 are decided under the new law):
- `law-38-2013`: Law on Employment 38/2013 and Decree 28/2015 (to 31 December 2025);
- `law-74-2025`: Law on Employment 74/2025 and Decree 374/2025 (from 1 January 2026).

Every amount comes from the dated wage tables (`WageTable`, filled from the foundation's legal parameters);
no wage or salary figure is written here. Every figure of an `Estimate` has a step in its explanation,
with the legal basis, in words a claimant can read.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
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


@dataclass(frozen=True)
class Step:
    step: str
    value: Any
    legal_basis: str


@dataclass(frozen=True)
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

    def value(self, code: str, on: date, region: str = "") -> tuple[int, str]:
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


def month_of(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; a day that does not exist in that month becomes its last day."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def rule_set_on(decided_on: date) -> str:
    return NEW_RULES if decided_on >= NEW_RULES_FROM else OLD_RULES


def validate(claim: Claim, today: date) -> None:
    """The input errors a claimant can make, each naming its field."""
    seen: set[date] = set()
    for index, item in enumerate(claim.contributions):
        where = f"contributions.{index}"  # the API's field paths: contributions.0.month
        if item.month in seen:
            raise InvalidClaim(f"{where}.month", _("This month is listed twice."))
        seen.add(item.month)
        if item.month > month_of(today):
            raise InvalidClaim(f"{where}.month", _("This month is in the future."))
        if item.wage < 0:
            raise InvalidClaim(f"{where}.wage", _("A wage cannot be negative."))
        if item.region not in REGIONS:
            raise InvalidClaim(f"{where}.region", _("The region is I, II, III or IV."))
    if claim.pay_regime not in (EMPLOYER, STATE):
        raise InvalidClaim("pay_regime", _("Choose employer or state."))
    if seen and claim.termination_date < max(seen):
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


def benefit_periods(start: date, months: int) -> list[Period]:
    """A benefit month runs from the start day to the day before the same day of the next month."""
    return [Period(add_months(start, n), add_months(start, n + 1) - timedelta(days=1)) for n in range(months)]


_CITATION_WORDS_VI = (
    ("Law ", "Luật "),
    ("Decree ", "Nghị định "),
    ("Circular ", "Thông tư "),
    ("Art ", "Điều "),
)


def cite(citation: str) -> str:
    """A legal citation in the reader's language: "Law 74/2025 Art 39.1" reads "Luật 74/2025 Điều 39.1"
    in Vietnamese. Citations are written in English in the code and the parameter file."""
    if (get_language() or "vi").startswith("en"):
        return citation
    for english, vietnamese in _CITATION_WORDS_VI:
        citation = citation.replace(english, vietnamese)
    return citation


def _legal(rules: str, old: str, new: str) -> str:
    return cite(old if rules == OLD_RULES else new)


def estimate(
    claim: Claim, table: WageTable, add_working_days: Callable[[date, int], date], today: date
) -> Estimate:
    """The whole estimate. `add_working_days(day, n)`: the n-th working day after `day` (core.workdays)."""
    validate(claim, today)
    decided_on = claim.decided_on or claim.filed_on or today
    filed_on = claim.filed_on or decided_on
    rules = rule_set_on(decided_on)
    result = Estimate(eligible=True, rule_set=rules)
    say = result.explanation.append
    say(
        Step(
            _("Rules in force on the decision day %(day)s") % {"day": decided_on.strftime("%d/%m/%Y")},
            rules,
            _legal(rules, "Law 38/2013; Decree 28/2015", "Law 74/2025 Art 55.4; Decree 374/2025 Art 43.5"),
        )
    )

    # Eligibility: 12 months within 24 (or 36 for a short contract) before the termination.
    window = _window(claim, rules)
    in_window = months_in_window(claim.contributions, claim.termination_date, window)
    say(
        Step(
            _("Months contributed in the %(n)d months up to the termination") % {"n": window},
            in_window,
            _legal(rules, "Law 38/2013 Art 49.2", "Law 74/2025 Art 38.1.b"),
        )
    )
    if in_window < MONTHS_REQUIRED:
        result.eligible = False
        result.reasons.append(
            _(
                "At least %(need)d months of contributions are needed "
                "in the %(n)d months before the termination."
            )
            % {"need": MONTHS_REQUIRED, "n": window}
        )
    deadline = add_months(claim.termination_date, FILING_MONTHS)
    if filed_on > deadline:
        result.eligible = False
        result.reasons.append(
            _("The claim must be filed within 3 months of the termination (by %(day)s).")
            % {"day": deadline.strftime("%d/%m/%Y")}
        )

    # Duration: the previous claim's reserved months plus the months contributed after it.
    after = claim.previous_claim.termination_date if claim.previous_claim else None
    counted = [c for c in claim.contributions if after is None or c.month > month_of(after)]
    result.contribution_months = len(counted) + (
        claim.previous_claim.reserved_months if claim.previous_claim else 0
    )
    say(
        Step(
            _("Months of contributions counted for the duration"),
            result.contribution_months,
            _legal(rules, "Law 38/2013 Art 50.2; Decree 28/2015 Art 18.7", "Law 74/2025 Art 39.2"),
        )
    )

    # Amount: 60 % of the average capped wage of the 6 most recent contributed months, capped at 5x.
    recent = sorted(claim.contributions, key=lambda c: c.month)[-AVERAGE_OVER:]
    capped_total = 0
    for item in recent:
        capped, _cap, source = capped_wage(item, claim.pay_regime, rules, table)
        capped_total += capped
        if capped < item.wage:
            say(
                Step(
                    _("Wage of %(month)s capped at 20 times the legal wage (%(source)s)")
                    % {"month": item.month.strftime("%m/%Y"), "source": cite(source)},
                    capped,
                    _legal(rules, "Law 58/2014 Art 89; Law 38/2013 Art 58", "Law 74/2025 Art 34.2"),
                )
            )
    if recent:
        result.average_wage = round(capped_total / len(recent))
    say(
        Step(
            _("Average monthly wage of the %(n)d most recent contributed months") % {"n": len(recent)},
            result.average_wage,
            _legal(rules, "Law 38/2013 Art 50.1", "Law 74/2025 Art 39.1; Decree 374/2025 Art 15.1"),
        )
    )
    result.benefit_cap, cap_source = _benefit_cap(claim, rules, table)
    uncapped = round(capped_total * BENEFIT_SHARE_TENTHS / (10 * len(recent))) if recent else 0
    result.monthly_benefit = min(uncapped, result.benefit_cap)
    say(
        Step(
            _("Maximum monthly benefit: 5 times the legal wage (%(source)s)") % {"source": cite(cap_source)},
            result.benefit_cap,
            _legal(rules, "Law 38/2013 Art 50.1", "Law 74/2025 Art 39.1"),
        )
    )
    say(
        Step(
            _("Monthly benefit: 60 per cent of the average, at most the maximum"),
            result.monthly_benefit,
            _legal(rules, "Law 38/2013 Art 50.1", "Law 74/2025 Art 39.1"),
        )
    )

    result.benefit_months = benefit_months_for(result.contribution_months) if result.eligible else 0
    say(
        Step(
            _(
                "Benefit months: 3 for 12 to 36 months of contributions, "
                "one more for each further 12, at most 12"
            ),
            result.benefit_months,
            _legal(rules, "Law 38/2013 Art 50.2", "Law 74/2025 Art 39.2"),
        )
    )
    received = claim.months_already_received or result.benefit_months
    result.reserved_months = (
        reserved_months_for(result.contribution_months, received, rules)
        if result.eligible
        else result.contribution_months
    )
    say(
        Step(
            _("Months of contributions kept for a later claim"),
            result.reserved_months,
            _legal(rules, "Law 38/2013 Art 53.4; Decree 28/2015 Art 18.7", "Decree 374/2025 Art 8.1, 8.6"),
        )
    )

    if result.eligible:
        days = 16 if rules == OLD_RULES else 11
        result.start_date = add_working_days(filed_on, days)
        say(
            Step(
                _("Benefit starts on working day number %(n)d after the full dossier") % {"n": days},
                result.start_date,
                _legal(rules, "Law 38/2013 Art 50.3; Decree 28/2015 Art 18.1", "Law 74/2025 Art 39.3"),
            )
        )
        first = claim.benefit_start_date or result.start_date
        result.periods = benefit_periods(first, result.benefit_months)
    return result


def _benefit_cap(claim: Claim, rules: str, table: WageTable) -> tuple[int, str]:
    """Old rules: 5x the base salary (State pay scale) or the regional minimum wage, at the termination.
    New rules: 5x the regional minimum wage of the last month of contributions."""
    last = max(claim.contributions, key=lambda c: c.month) if claim.contributions else None
    region = last.region if last else "I"
    if rules == OLD_RULES:
        if claim.pay_regime == STATE:
            value, source = table.base_salary(claim.termination_date)
        else:
            value, source = table.min_wage(region, claim.termination_date)
    else:
        value, source = table.min_wage(region, last.month if last else claim.termination_date)
    return BENEFIT_CAP_MULTIPLE * value, source
