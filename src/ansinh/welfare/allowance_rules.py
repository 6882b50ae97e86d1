"""The monthly social allowance (trợ cấp xã hội hằng tháng) as rules: pure functions, no database.

Sources (see docs and the decision note; [P] primary text read, [S] secondary source, [U] unconfirmed):
- Decree 20/2021/NĐ-CP Art 4.2 [P]: the base level (mức chuẩn trợ giúp xã hội) 360,000 VND from 1/7/2021;
  Decree 76/2024/NĐ-CP [S]: 500,000 VND from 1/7/2024; Decree 335/2026/NĐ-CP [U]: 540,000 VND from
  1/7/2026 (reported by the press, official text not read).
- Decree 20/2021 Art 5 [P]: the groups; Art 6.1 [P]: amount = base level × coefficient; Art 6.2 [P]: a
  person in several groups gets the highest amount only, except a poor single parent raising children who
  is also elderly, disabled or living with HIV, who gets both. Whether Decree 335/2026 changed the
  coefficients is [U]: a coefficient used on or after 1/7/2026 is shown as unconfirmed.
- Decree 147/2025/NĐ-CP Art 5.2.b [S]: since 1/7/2025 the commune chairman decides within 10 working days,
  and the allowance is paid from the month the decision is signed.
- Decree 20/2021 Art 8.2 [P]: it stops from the month after the month of death or of losing eligibility.

Every parameter carries `confirmed`; an amount computed from any unconfirmed parameter says so, and the
pages show an "unconfirmed figure" hint next to it. Ages are full years on the day asked ("từ đủ 80 tuổi").
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

DECREE_20 = "Decree 20/2021/NĐ-CP"
# The coefficients are Decree 20's (Art 6.1, [P]); a successor decree from 1/7/2026 is [U].
COEFFICIENTS_CONFIRMED_UNTIL = date(2026, 6, 30)
PROCESSING_WORKING_DAYS = 10  # Decree 147/2025/NĐ-CP Art 5.2.b [S]
PROCESSING_SOURCE = "Decree 147/2025/NĐ-CP Art 5.2.b"
FIRST_MONTH_SOURCE = "Decree 147/2025/NĐ-CP Art 5.2.b; Decree 20/2021/NĐ-CP Art 8.1"
END_SOURCE = "Decree 20/2021/NĐ-CP Art 8.2"
CHILD_UNDER = 16  # "trẻ em dưới 16 tuổi": Decree 20/2021 Art 5.1 [P]
ELDERLY_FROM = 60  # "người cao tuổi": Law on the Elderly 39/2009/QH12 Art 2 [S]
ELDERLY_SOURCE = "Law on the Elderly 39/2009/QH12 Art 2"


class NotApplicable(ValueError):
    """The group's rules do not apply to this person on this day (the message says why, translated)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


# --- the base level ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BaseLevel:
    valid_from: date
    amount: int  # VND a month
    source: str
    confirmed: bool


BASE_LEVELS: tuple[BaseLevel, ...] = (
    BaseLevel(date(2021, 7, 1), 360_000, "Decree 20/2021/NĐ-CP Art 4.2", True),
    BaseLevel(date(2024, 7, 1), 500_000, "Decree 76/2024/NĐ-CP (amends Decree 20/2021 Art 4.2)", True),
    BaseLevel(date(2026, 7, 1), 540_000, "Decree 335/2026/NĐ-CP", False),
)


def base_level_on(day: date) -> BaseLevel:
    in_force = [level for level in BASE_LEVELS if level.valid_from <= day]
    if not in_force:
        raise NotApplicable("on_date", _("The allowance rules encoded here start on 1 July 2021."))
    return max(in_force, key=lambda level: level.valid_from)


# --- the groups -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """The coefficient for an age range [min_age, below_age) in full years; None: no limit."""

    coefficient: Decimal
    point: str  # the article of the coefficient, e.g. "Art 6.1.a"
    min_age: int | None = None
    below_age: int | None = None
    # An age limit taken from another law than Decree 20 (the elderly from 60) carries its own source.
    age_source: str = ""

    def covers(self, age: int) -> bool:
        return (self.min_age is None or age >= self.min_age) and (
            self.below_age is None or age < self.below_age
        )


@dataclass(frozen=True)
class Group:
    code: str
    name_vi: str
    name_en: str | Promise  # the English msgid: the page translates it back
    article: str  # the article defining the group, e.g. "Art 5.1"
    bands: tuple[Band, ...]
    valid_from: date = date(2021, 7, 1)
    valid_to: date | None = None
    confirmed: bool = True
    per_child: bool = False  # the single parent: the coefficient counts once per child raised
    age_rule: str | Promise = ""  # the age condition in words, for the page

    @property
    def name(self) -> str:
        return str(self.name_en) if (get_language() or "vi").startswith("en") else self.name_vi

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _band(coefficient: str, point: str, min_age: int | None = None, below: int | None = None) -> Band:
    elderly = min_age == ELDERLY_FROM or below == ELDERLY_FROM
    return Band(Decimal(coefficient), point, min_age, below, ELDERLY_SOURCE if elderly else "")


# Decree 176/2025/NĐ-CP is reported ([S], weak) to have repealed Art 5.5.b and 5.5.c from 1/7/2025, when
# people aged 75+ (70+ in poor households) moved to the social pension (Law 41/2024/QH15 Art 21 [P]).
_REPEALED_2025 = date(2025, 6, 30)

GROUPS: tuple[Group, ...] = (
    Group(
        "child_no_support",
        "Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng",
        gettext_lazy("Child under 16 with no one to support them"),
        "Art 5.1",
        (_band("2.5", "Art 6.1.a", 0, 4), _band("1.5", "Art 6.1.a", 4, CHILD_UNDER)),
        age_rule=gettext_lazy("under 16"),
    ),
    Group(
        "youth_studying",
        "Người từ 16 đến 22 tuổi đang đi học, trước đó không có nguồn nuôi dưỡng",
        gettext_lazy("Young person aged 16 to 22 still studying, formerly a child with no support"),
        "Art 5.2",
        (_band("1.5", "Art 6.1.b", CHILD_UNDER, 22),),
        age_rule=gettext_lazy("16 to 22"),
    ),
    Group(
        "child_hiv",
        "Trẻ em nhiễm HIV/AIDS thuộc hộ nghèo",
        gettext_lazy("Child living with HIV in a poor household"),
        "Art 5.3",
        (_band("2.5", "Art 6.1.c", 0, 4), _band("2.0", "Art 6.1.c", 4, CHILD_UNDER)),
        age_rule=gettext_lazy("under 16"),
    ),
    Group(
        "single_parent",
        "Người đơn thân nghèo đang nuôi con",
        gettext_lazy("Single parent in a poor or near-poor household raising children"),
        "Art 5.4",
        (_band("1.0", "Art 6.1.d"),),
        per_child=True,
        age_rule=gettext_lazy("any age; counted once for each child raised"),
    ),
    Group(
        "elderly_poor",
        "Người cao tuổi thuộc hộ nghèo không có người phụng dưỡng",
        gettext_lazy("Older person in a poor household with no one to support them"),
        "Art 5.5.a",
        (_band("1.5", "Art 6.1.đ", ELDERLY_FROM, 80), _band("2.0", "Art 6.1.đ", 80)),
        age_rule=gettext_lazy("60 or older"),
    ),
    Group(
        "elderly_75_remote",
        "Người cao tuổi từ đủ 75 đến 80 tuổi thuộc hộ nghèo, cận nghèo ở vùng dân tộc thiểu số và miền núi "
        "đặc biệt khó khăn",
        gettext_lazy("Older person aged 75 to 80, poor or near-poor, in a remote ethnic-minority area"),
        "Art 5.5.b",
        (_band("1.0", "Art 6.1.đ", 75, 81),),
        valid_to=_REPEALED_2025,
        confirmed=False,
        age_rule=gettext_lazy("75 to 80"),
    ),
    Group(
        "elderly_80",
        "Người từ đủ 80 tuổi không có lương hưu, trợ cấp bảo hiểm xã hội hằng tháng",
        gettext_lazy("Person aged 80 or older with no pension or monthly benefit"),
        "Art 5.5.c",
        (_band("1.0", "Art 6.1.đ", 80),),
        valid_to=_REPEALED_2025,
        confirmed=False,
        age_rule=gettext_lazy("80 or older"),
    ),
    Group(
        "elderly_care",
        "Người cao tuổi hộ nghèo đủ điều kiện vào cơ sở trợ giúp xã hội, được nhận chăm sóc tại cộng đồng",
        gettext_lazy("Older person in a poor household cared for at home instead of in a care facility"),
        "Art 5.5.d",
        (_band("3.0", "Art 6.1.đ", ELDERLY_FROM),),
        age_rule=gettext_lazy("60 or older"),
    ),
    Group(
        "disability_extreme",
        "Người khuyết tật đặc biệt nặng",
        gettext_lazy("Person with an extremely severe disability"),
        "Art 5.6",
        (
            _band("2.5", "Art 6.1.e", 0, CHILD_UNDER),
            _band("2.0", "Art 6.1.e", CHILD_UNDER, ELDERLY_FROM),
            _band("2.5", "Art 6.1.e", ELDERLY_FROM),
        ),
        age_rule=gettext_lazy("any age; more for children and older people"),
    ),
    Group(
        "disability_severe",
        "Người khuyết tật nặng",
        gettext_lazy("Person with a severe disability"),
        "Art 5.6",
        (
            _band("2.0", "Art 6.1.e", 0, CHILD_UNDER),
            _band("1.5", "Art 6.1.e", CHILD_UNDER, ELDERLY_FROM),
            _band("2.0", "Art 6.1.e", ELDERLY_FROM),
        ),
        age_rule=gettext_lazy("any age; more for children and older people"),
    ),
    Group(
        "child_u3_remote",
        "Trẻ em dưới 3 tuổi thuộc hộ nghèo, cận nghèo ở vùng dân tộc thiểu số và miền núi đặc biệt khó khăn",
        gettext_lazy("Child under 3, poor or near-poor household, in a remote ethnic-minority area"),
        "Art 5.7",
        (_band("1.5", "Art 6.1.g", 0, 3),),
        age_rule=gettext_lazy("under 3"),
    ),
    Group(
        "hiv_poor",
        "Người nhiễm HIV/AIDS thuộc hộ nghèo không có nguồn thu nhập ổn định",
        gettext_lazy("Person living with HIV in a poor household with no steady income"),
        "Art 5.8",
        (_band("1.5", "Art 6.1.g"),),
        age_rule=gettext_lazy("any age"),
    ),
)

GROUPS_BY_CODE = {group.code: group for group in GROUPS}
# Art 6.2: a poor single parent who is also in clause 5, 6 or 8 receives both amounts.
SINGLE_PARENT = "single_parent"
ADDS_TO_SINGLE_PARENT = frozenset(
    {"elderly_poor", "elderly_75_remote", "elderly_80", "elderly_care", "disability_extreme",
     "disability_severe", "hiv_poor"}
)  # fmt: skip
MAX_CHILDREN = 20


def group_get(code: str) -> Group:
    try:
        return GROUPS_BY_CODE[code]
    except KeyError:
        raise NotApplicable("group", _("Choose a group from the list.")) from None


def groups_in_force(day: date) -> list[Group]:
    return [group for group in GROUPS if group.in_force_on(day)]


def age_on(birth_date: date, day: date) -> int:
    """Full years ("tuổi đủ") on `day`."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (1 if before_birthday else 0)


# --- the amount -------------------------------------------------------------------------------------------


def _vnd(amount: int | Decimal) -> str:
    figure = f"{int(amount):,}"
    if not (get_language() or "vi").startswith("en"):
        figure = figure.replace(",", ".")
    return f"{figure} VND" if (get_language() or "vi").startswith("en") else f"{figure} đồng"


def _coefficient_text(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text if (get_language() or "vi").startswith("en") else text.replace(".", ",")


@dataclass(frozen=True)
class AllowanceAmount:
    group: str  # the group code, or "single_parent+<other>" when Art 6.2 adds both
    coefficient: Decimal
    base_level: int
    amount: int  # VND a month
    explanation: list[str]
    sources: list[str]
    confirmed: bool
    unconfirmed: list[str] = field(default_factory=list)  # what is not confirmed, in words


def monthly_allowance(
    group: Group | str, birth_date: date | None, on_date: date, *, children: int = 1
) -> AllowanceAmount:
    """The allowance for one group on `on_date`: base level × the coefficient for the person's age.
    Raises `NotApplicable` when the group is not in force or the person's age is outside it."""
    group = group_get(group) if isinstance(group, str) else group
    if not group.in_force_on(on_date):
        raise NotApplicable(
            "group",
            _("This group is no longer in the allowance since %(day)s.")
            % {"day": group.valid_to.strftime("%d/%m/%Y") if group.valid_to else ""},
        )
    needs_age = any(b.min_age is not None or b.below_age is not None for b in group.bands)
    band = group.bands[0]
    age: int | None = None
    if needs_age:
        if birth_date is None:
            raise NotApplicable("birth_date", _("The date of birth is needed for this group."))
        if birth_date > on_date:
            raise NotApplicable("birth_date", _("The date of birth is after the day asked."))
        age = age_on(birth_date, on_date)
        found = next((b for b in group.bands if b.covers(age)), None)
        if found is None:
            raise NotApplicable(
                "group",
                _("At %(age)s years old this group does not apply (its age: %(rule)s).")
                % {"age": age, "rule": group.age_rule},
            )
        band = found
    if group.per_child and not 1 <= children <= MAX_CHILDREN:
        raise NotApplicable("children", _("Give the number of children you raise (1 to 20)."))
    coefficient = band.coefficient * (children if group.per_child else 1)
    base = base_level_on(on_date)
    amount = int((base.amount * coefficient).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    point = f"{DECREE_20} {group.article}, {band.point}"
    sources = [point, base.source]
    unconfirmed: list[str] = []
    if not base.confirmed:
        unconfirmed.append(_("the base level from %(day)s") % {"day": base.valid_from.strftime("%d/%m/%Y")})
    if not group.confirmed:
        unconfirmed.append(_("whether this group still exists"))
    if on_date > COEFFICIENTS_CONFIRMED_UNTIL:
        unconfirmed.append(_("whether the coefficient is unchanged by the decree in force"))
    lines = [
        _("Group: %(name)s (%(point)s).") % {"name": group.name, "point": f"{DECREE_20} {group.article}"}
    ]
    if age is not None:
        line = _("Age on %(day)s: %(age)s full years.") % {"day": on_date.strftime("%d/%m/%Y"), "age": age}
        if band.age_source:
            line += f" ({band.age_source})"
            sources.append(band.age_source)
        lines.append(line)
    if group.per_child:
        lines.append(
            _("Coefficient %(one)s for each child × %(children)s = %(total)s (%(point)s).")
            % {
                "one": _coefficient_text(band.coefficient),
                "children": children,
                "total": _coefficient_text(coefficient),
                "point": point,
            }
        )
    lines.append(
        _("Base level %(base)s × coefficient %(coefficient)s = %(amount)s a month (%(sources)s).")
        % {
            "base": _vnd(base.amount),
            "coefficient": _coefficient_text(coefficient),
            "amount": _vnd(amount),
            "sources": f"{DECREE_20} {band.point}; {base.source}",
        }
    )
    if unconfirmed:
        lines.append(_("Not confirmed yet: %(items)s.") % {"items": "; ".join(unconfirmed)})
    return AllowanceAmount(
        group=group.code,
        coefficient=coefficient,
        base_level=base.amount,
        amount=amount,
        explanation=lines,
        sources=sources,
        confirmed=not unconfirmed,
        unconfirmed=unconfirmed,
    )


def highest_allowance(
    codes: Iterable[str], birth_date: date | None, on_date: date, *, children: int = 1
) -> AllowanceAmount:
    """Several groups apply: the highest amount only (Art 6.2), except that a poor single parent who is
    also elderly, disabled or living with HIV receives the single-parent amount on top of the highest of
    those. Groups that do not apply are left out; none applying raises the first reason."""
    results: list[AllowanceAmount] = []
    first_error: NotApplicable | None = None
    for code in dict.fromkeys(codes):
        try:
            results.append(monthly_allowance(code, birth_date, on_date, children=children))
        except NotApplicable as exc:
            first_error = first_error or exc
    if not results:
        raise first_error or NotApplicable("group", _("Choose a group from the list."))
    best = max(results, key=lambda r: (r.amount, r.group))
    single = next((r for r in results if r.group == SINGLE_PARENT), None)
    others = [r for r in results if r.group in ADDS_TO_SINGLE_PARENT]
    if single is None or not others:
        return best
    other = max(others, key=lambda r: (r.amount, r.group))
    combined = single.amount + other.amount
    if best.amount >= combined:  # cannot happen with positive amounts; kept for clarity
        return best
    unconfirmed = list(dict.fromkeys(single.unconfirmed + other.unconfirmed))
    return AllowanceAmount(
        group=f"{SINGLE_PARENT}+{other.group}",
        coefficient=single.coefficient + other.coefficient,
        base_level=single.base_level,
        amount=combined,
        explanation=[
            *other.explanation,
            *single.explanation,
            _("Both amounts are paid: %(one)s + %(two)s = %(total)s a month (%(point)s).")
            % {
                "one": _vnd(other.amount),
                "two": _vnd(single.amount),
                "total": _vnd(combined),
                "point": f"{DECREE_20} Art 6.2",
            },
        ],
        sources=list(dict.fromkeys(other.sources + single.sources + [f"{DECREE_20} Art 6.2"])),
        confirmed=single.confirmed and other.confirmed,
        unconfirmed=unconfirmed,
    )


def group_codes(combined: str) -> list[str]:
    """The group codes in a stored group ("single_parent+disability_severe" → two codes)."""
    return [code for code in combined.split("+") if code]


# --- months -----------------------------------------------------------------------------------------------


def month_start(day: date) -> date:
    """The first day of `day`'s month: a benefit month is written as its first day."""
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def first_month_paid(decided_on: date) -> date:
    """Paid from the month the commune chairman signs the decision (Decree 147/2025 Art 5.2.b [S];
    Decree 20/2021 Art 8.1 [P] for "other beneficiaries")."""
    return month_start(decided_on)


def last_month_paid(event_day: date) -> date:
    """Death, or no longer eligible: the allowance stops from the month after the event's month, so the
    event's month is the last paid (Decree 20/2021 Art 8.2 [P])."""
    return month_start(event_day)


def amount_in_month(coefficient: Decimal, month: date) -> int:
    """The allowance for one month: the base level in force that month × the coefficient (Decree 20/2021
    Art 6.1). A new base level (Decree 76/2024 from July 2024, Decree 335/2026 from July 2026) applies to
    every allowance being paid from its first day, without a new decision."""
    base = base_level_on(month_start(month))
    return int((base.amount * coefficient).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def coefficient_in_month(steps: list[tuple[date, Decimal]], month: date) -> Decimal:
    """The coefficient paid in `month`, from (first month, coefficient) steps in date order."""
    coefficient = steps[0][1]
    for start, value in steps:
        if start <= month:
            coefficient = value
    return coefficient


def allowance_months(starts_on: date, ends_on: date | None, until: date) -> list[date]:
    """The first days of the months the allowance pays, from its first month up to `until`'s month
    (inclusive), stopping at `ends_on`'s month (the last month paid, inclusive). Empty when the allowance
    starts after `until` or ends before it starts."""
    first = month_start(starts_on)
    last = month_start(until)
    if ends_on is not None:
        last = min(last, month_start(ends_on))
    months: list[date] = []
    month = first
    while month <= last:
        months.append(month)
        month = next_month(month)
    return months


# --- an allowance not collected -----------------------------------------------------------------------------

# "Đối tượng không nhận chế độ, chính sách liên tục từ 03 tháng trở lên": an allowance not collected for 3
# months in a row or more is suspended (Circular 02/2021/TT-BLĐTBXH Art 2.3.a [P]); if the person still does
# not comply 3 months after the suspension, it is stopped (Art 2.1 [P]). The commune chairman decides: the
# platform lists the allowances that qualify, it never suspends one by itself.
SUSPEND_AFTER_UNCOLLECTED_MONTHS = 3
UNCOLLECTED_SOURCE = "Circular 02/2021/TT-BLĐTBXH Art 2.3.a"
# The reason put on the suspension by default: it is written into the record and the message to the person,
# which are kept in Vietnamese whatever the officer's page language (like the decision's facts).
UNCOLLECTED_REASON = (
    "Không nhận trợ cấp liên tục từ 03 tháng trở lên (Thông tư 02/2021/TT-BLĐTBXH Điều 2 khoản 3 điểm a)"
)


def uncollected_months(
    starts_on: date,
    ends_on: date | None,
    *,
    last_collected: date | None,
    collectable_from: date | None,
    today: date,
) -> list[date]:
    """The complete months (before `today`'s month) not collected in a row up to the last complete month,
    oldest first: after the last month collected, never before the first month paid nor before the month
    the allowance could first be collected in cash (`collectable_from`: it was paid by bank before). Empty
    when the last complete month is not one the allowance pays (ended before it)."""
    last_complete = previous_month(month_start(today))
    if ends_on is not None and month_start(ends_on) < last_complete:
        return []
    first = month_start(starts_on)
    if last_collected is not None:
        first = max(first, next_month(month_start(last_collected)))
    if collectable_from is not None:
        first = max(first, month_start(collectable_from))
    return allowance_months(first, None, last_complete)


def previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def suspension_due(unpaid_months: list[date]) -> bool:
    """Circular 02/2021 Art 2.3.a [P]: not collected for 3 consecutive months or more."""
    return len(unpaid_months) >= SUSPEND_AFTER_UNCOLLECTED_MONTHS
