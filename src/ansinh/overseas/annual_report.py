"""The enterprise's annual report on sending workers abroad (Circular 21/2021 Art 15 and its report form),
counted from the database: the period runs from 15 December of the year before to 14 December, and the
report is due before 20 December (`rules.annual_report_period`, `rules.annual_report_due`).

What it holds: the workers sent in the period (by destination, by sex, by occupation group, by the kind of
contract, by the enterprise's unit that registered them), the workers abroad at the end of the period, the
steps reported in the period (returns at term, early returns, overstays, deaths, liquidations), and for the
enterprise as a whole (never a branch's own report: Law 69/2020 Art 17 keeps contracts, fees and deposits
with the enterprise) the contracts registered, the fees by the registered contracts' terms and the deposit.

Reads only. Every figure is a grouped query on the enterprise's rows (a few dozen lines whatever the number of
workers); the names of the few countries and occupation groups counted are read afterwards. The form's
labels are here once, for the page (the reader's language), the Excel file and the PDF (always Vietnamese,
like every paper filed with an authority).
"""

import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ansinh.accounts.models import Organisation, OrganisationKind
from ansinh.accounts.selectors import grant_for, scope_q
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.geo.models import Country, Occupation
from ansinh.overseas import permissions as perms
from ansinh.overseas import rules, selectors
from ansinh.overseas.models import (
    AnnualReport,
    Contract,
    ContractKind,
    ContractStatus,
    DepositKind,
    DepositMovement,
    Enterprise,
    EnterpriseStatus,
    LicenceAction,
    LicenceStatus,
    Worker,
    WorkerEvent,
    WorkerStatus,
)

# Circular 21/2021 took effect on 1 February 2022: its form is first due for the year 2022. Earlier years
# were reported on paper under the previous circular; the platform does not hold them.
FIRST_YEAR = 2022
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- the figures -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One line of a breakdown: what it counts (a code and its name in both languages) and the workers,
    women among them."""

    code: str
    name_vi: str
    name_en: str
    total: int
    women: int = 0

    @property
    def name(self) -> str:
        return self.name_en if self.name_en and (get_language() or "vi").startswith("en") else self.name_vi


@dataclass(frozen=True)
class Steps:
    """Workers with each step reported in the period (a worker counted once per step)."""

    registered: int = 0
    departed: int = 0
    changed_employer: int = 0
    returned_at_term: int = 0
    returned_early: int = 0
    overstaying: int = 0
    deceased: int = 0
    liquidated: int = 0


@dataclass(frozen=True)
class ContractLine:
    kind: str
    name_vi: str
    name_en: str
    contracts: int
    workers_planned: int

    @property
    def name(self) -> str:
        return self.name_en if self.name_en and (get_language() or "vi").startswith("en") else self.name_vi


@dataclass(frozen=True)
class Contracts:
    submitted: int = 0  # registrations submitted in the period
    registered: int = 0  # registered (the reply given) in the period
    refused: int = 0
    workers_planned: int = 0  # workers the contracts registered in the period provide for
    by_kind: tuple[ContractLine, ...] = ()


@dataclass(frozen=True)
class Fees:
    """What the registered contracts' terms say for the workers sent in the period: the platform records
    the terms, not the payments, so these are the amounts due by the contracts (VND)."""

    service_fee: int = 0
    broker_fee: int = 0
    worker_deposit: int = 0


@dataclass(frozen=True)
class Deposit:
    """The enterprise's deposit at its bank over the period (VND; Decree 112/2021 Art 23)."""

    opening: int = 0
    paid_in: int = 0  # deposits and top-ups
    used: int = 0  # as a positive amount
    released: int = 0
    closing: int = 0


@dataclass(frozen=True)
class AnnualFigures:
    year: int
    period_start: date
    period_end: date
    counted_to: date  # the period's end, or the day counted on while the period runs
    due: date
    enterprise_id: int
    enterprise_name: str
    tax_code: str
    head_office: str
    licence_number: str
    province_name: str = ""
    branch_code: str = ""  # a branch's own report: the branch; "" for the enterprise's report
    branch_name: str = ""
    deployed: int = 0
    deployed_women: int = 0
    by_country: tuple[Line, ...] = ()
    by_sex: tuple[Line, ...] = ()
    by_occupation: tuple[Line, ...] = ()
    by_kind: tuple[Line, ...] = ()
    by_unit: tuple[Line, ...] = ()
    abroad: int = 0
    abroad_women: int = 0
    abroad_by_country: tuple[Line, ...] = ()
    steps: Steps = field(default_factory=Steps)
    contracts: Contracts | None = None  # None in a branch's own report
    fees: Fees | None = None
    deposit: Deposit | None = None

    @property
    def complete(self) -> bool:
        """Whether the period has ended (before, the figures run to `counted_to`)."""
        return self.counted_to >= self.period_end

    def as_json(self) -> dict[str, Any]:
        """The figures as kept with a submission (dates as ISO text)."""
        return _jsonable(asdict(self))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "AnnualFigures":
        return _load(cls, data)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


_NESTED: dict[str, Any] = {}


def _load(cls: Any, data: dict[str, Any]) -> Any:
    """A dataclass back from `as_json` (unknown keys ignored, so older snapshots still load)."""
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        raw = data[f.name]
        kind = _NESTED.get(f"{cls.__name__}.{f.name}")
        if raw is None:
            values[f.name] = None
        elif kind == "date":
            values[f.name] = date.fromisoformat(raw)
        elif isinstance(kind, tuple):
            values[f.name] = tuple(_load(kind[0], item) for item in raw)
        elif kind is not None:
            values[f.name] = _load(kind, raw)
        else:
            values[f.name] = raw
    return cls(**values)


_NESTED.update(
    {
        **{f"AnnualFigures.{n}": "date" for n in ("period_start", "period_end", "counted_to", "due")},
        **{
            f"AnnualFigures.{n}": (Line,)
            for n in ("by_country", "by_sex", "by_occupation", "by_kind", "by_unit", "abroad_by_country")
        },
        "AnnualFigures.steps": Steps,
        "AnnualFigures.contracts": Contracts,
        "AnnualFigures.fees": Fees,
        "AnnualFigures.deposit": Deposit,
        "Contracts.by_kind": (ContractLine,),
    }
)


# --- the year asked ----------------------------------------------------------------------------------------


def last_year(today: date) -> int:
    """The latest year whose period has started (the next year's starts on 15 December)."""
    start, _end = rules.annual_report_period(today.year + 1)
    return today.year + 1 if today >= start else today.year


def years(today: date) -> list[int]:
    """The years a report can be prepared for, the latest first."""
    return list(range(last_year(today), FIRST_YEAR - 1, -1))


def check_year(year: Any, today: date) -> int:
    """The year as a number, or a ValidationFailed naming the field `year`."""
    if isinstance(year, str):
        year = int(year) if year.strip().isdigit() else None
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValidationFailed.single("year", _("Enter the year of the report, for example 2026."))
    if year < FIRST_YEAR:
        raise ValidationFailed.single(
            "year",
            _("The annual report on the platform starts with the year %(first)d (Circular 21/2021).")
            % {"first": FIRST_YEAR},
        )
    if year > last_year(today):
        start, _end = rules.annual_report_period(year)
        raise ValidationFailed.single(
            "year",
            _(
                "The report of %(year)d covers 15/12/%(before)d to 14/12/%(year)d: its period starts on "
                "%(start)s."
            )
            % {"year": year, "before": year - 1, "start": start.strftime("%d/%m/%Y")},
        )
    return year


def current_year(today: date) -> int:
    """The year an enterprise is most likely preparing: the one whose period runs or just ended."""
    return min(today.year, last_year(today))


def last_closed_year(today: date) -> int:
    """The latest year whose period has ended (the staff look at the reports of this year first)."""
    _start, end = rules.annual_report_period(today.year)
    return today.year if today > end else today.year - 1


# --- counting ----------------------------------------------------------------------------------------------


def _women() -> Count:
    return Count("pk", filter=Q(sex="F"))


def _grouped(queryset: QuerySet[Any], column: str) -> list[tuple[Any, int, int]]:
    """(key, workers, women) per value of `column`, in one grouped query."""
    return list(queryset.values_list(column).annotate(n=Count("pk"), w=_women()).order_by())


def _lines(rows: Iterable[tuple[Any, int, int]], names: dict[Any, tuple[str, str, str]]) -> tuple[Line, ...]:
    """Lines named from `names` (key -> code, Vietnamese, English); several keys may share a code (the
    occupations of one group). Largest first, then by code."""
    totals: Counter[str] = Counter()
    women: Counter[str] = Counter()
    named: dict[str, tuple[str, str]] = {}
    for key, n, w in rows:
        code, vi, en = names.get(key, ("", "Không rõ", "Not recorded"))
        totals[code] += n
        women[code] += w
        named[code] = (vi, en)
    ordered = sorted(totals, key=lambda code: (-totals[code], code))
    return tuple(Line(code, *named[code], totals[code], women[code]) for code in ordered)


def _both(label: Any) -> tuple[str, str]:
    with translation.override("vi"):
        vi = str(label)
    with translation.override("en"):
        en = str(label)
    return vi, en


def _country_names(rows: Iterable[tuple[Any, int, int]]) -> dict[Any, tuple[str, str, str]]:
    ids = {key for key, _n, _w in rows if key is not None}
    return {c.pk: (c.iso2, c.name_vi, c.name_en) for c in Country.objects.filter(pk__in=ids)}


def _occupation_groups(rows: Iterable[tuple[Any, int, int]]) -> dict[Any, tuple[str, str, str]]:
    """Occupation -> its ISCO-08 major group (the code's first digit), named from the level-1 rows."""
    ids = {key for key, _n, _w in rows if key is not None}
    codes = dict(Occupation.objects.filter(pk__in=ids).values_list("pk", "code"))
    majors = {o.code: (o.name_vi, o.name_en) for o in Occupation.objects.filter(level=1)}
    names: dict[Any, tuple[str, str, str]] = {}
    for pk, code in codes.items():
        group = code[:1]
        vi, en = majors.get(group, (group, group))
        names[pk] = (group, vi, en)
    return names


def _sex_names() -> dict[Any, tuple[str, str, str]]:
    return {
        "M": ("M", *_both(gettext_lazy("Men"))),
        "F": ("F", *_both(gettext_lazy("Women"))),
        "": ("", *_both(gettext_lazy("Not recorded"))),
    }


def _kind_names() -> dict[Any, tuple[str, str, str]]:
    return {value: (value, *_both(label)) for value, label in ContractKind.choices}


def _unit_names(rows: Iterable[tuple[Any, int, int]]) -> dict[Any, tuple[str, str, str]]:
    paths = {key for key, _n, _w in rows if key}
    organisations = Organisation.objects.filter(path__in=paths).values_list("path", "code", "name")
    return {path: (code, name, name) for path, code, name in organisations}


def _day_range(start: date, end: date) -> tuple[datetime, datetime]:
    """The local days `start`..`end` as aware datetimes [from, to) for a timestamp column."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _steps(workers: QuerySet[Worker], start: date, end: date) -> Steps:
    counted = dict(
        WorkerEvent.objects.filter(worker__in=workers.values("pk"), on__gte=start, on__lte=end)
        .values_list("status")
        .annotate(n=Count("worker_id", distinct=True))
        .order_by()
    )
    return Steps(
        registered=counted.get(WorkerStatus.REGISTERED, 0),
        departed=counted.get(WorkerStatus.DEPARTED, 0),
        changed_employer=counted.get(WorkerStatus.CHANGED_EMPLOYER, 0),
        returned_at_term=counted.get(WorkerStatus.RETURNED, 0),
        returned_early=counted.get(WorkerStatus.RETURNED_EARLY, 0),
        overstaying=counted.get(WorkerStatus.OVERSTAYING, 0),
        deceased=counted.get(WorkerStatus.DECEASED, 0),
        liquidated=counted.get(WorkerStatus.LIQUIDATED, 0),
    )


def _contracts(enterprise: Enterprise, start: date, end: date) -> Contracts:
    since, until = _day_range(start, end)
    own = Contract.objects.filter(enterprise_id=enterprise.pk)
    decided = own.filter(decided_at__gte=since, decided_at__lt=until)
    registered = list(
        decided.filter(status=ContractStatus.REGISTERED)
        .values_list("kind")
        .annotate(n=Count("pk"), planned=Sum("workers_planned"))
        .order_by()
    )
    names = _kind_names()
    by_kind = tuple(
        ContractLine(kind, names[kind][1], names[kind][2], n, planned or 0)
        for kind, n, planned in sorted(registered, key=lambda row: ContractKind.values.index(row[0]))
    )
    return Contracts(
        submitted=own.filter(submitted_at__gte=since, submitted_at__lt=until).count(),
        registered=sum(line.contracts for line in by_kind),
        refused=decided.filter(status=ContractStatus.REFUSED).count(),
        workers_planned=sum(line.workers_planned for line in by_kind),
        by_kind=by_kind,
    )


def _fees(deployed: QuerySet[Worker]) -> Fees:
    sums = deployed.aggregate(
        service=Sum("contract__service_fee"),
        broker=Sum("contract__broker_fee"),
        deposit=Sum("contract__worker_deposit"),
    )
    return Fees(
        service_fee=sums["service"] or 0, broker_fee=sums["broker"] or 0, worker_deposit=sums["deposit"] or 0
    )


def _deposit(enterprise: Enterprise, start: date, end: date) -> Deposit:
    movements = DepositMovement.objects.filter(enterprise_id=enterprise.pk)
    opening = movements.filter(on__lt=start).aggregate(s=Sum("amount"))["s"] or 0
    by_kind = dict(
        movements.filter(on__gte=start, on__lte=end).values_list("kind").annotate(s=Sum("amount")).order_by()
    )
    paid_in = by_kind.get(DepositKind.DEPOSIT, 0) + by_kind.get(DepositKind.TOP_UP, 0)
    used, released = -by_kind.get(DepositKind.USED, 0), -by_kind.get(DepositKind.RELEASED, 0)
    return Deposit(
        opening=opening,
        paid_in=paid_in,
        used=used,
        released=released,
        closing=opening + sum(by_kind.values()),
    )


def _licence_number(enterprise: Enterprise, end: date) -> str:
    licence = enterprise.licences.filter(issued_on__lte=end).order_by("-issued_on", "-pk").first()
    return licence.number if licence is not None else ""


def compute(
    enterprise: Enterprise, year: int, *, today: date, branch: Organisation | None = None
) -> AnnualFigures:
    """The report of `year` for the enterprise, or for one of its branches' own records (`branch`: the
    workers it registered; contracts, fees and the deposit are the enterprise's). The caller has checked
    the reader may see it (`report_for`); nothing is filtered by the reader here."""
    start, period_end = rules.annual_report_period(year)
    end = min(period_end, today)
    workers = Worker.objects.filter(enterprise_id=enterprise.pk)
    if branch is not None:
        workers = workers.filter(org_path__startswith=branch.path)
    deployed = workers.filter(departure_date__gte=start, departure_date__lte=end)
    by_country = _grouped(deployed, "country_id")
    by_occupation = _grouped(deployed, "occupation_id")
    by_unit = _grouped(deployed, "org_path")
    # Abroad on the last day counted: departed by then, and not back (nor dead) by then.
    abroad = workers.filter(departure_date__lte=end).filter(
        Q(return_date__isnull=True) | Q(return_date__gt=end)
    )
    abroad_by_country = _grouped(abroad, "country_id")
    countries = _country_names([*by_country, *abroad_by_country])
    whole = branch is None
    return AnnualFigures(
        year=year,
        period_start=start,
        period_end=period_end,
        counted_to=end,
        due=rules.annual_report_due(year),
        enterprise_id=enterprise.pk,
        enterprise_name=enterprise.organisation.name,
        tax_code=enterprise.tax_code,
        head_office=enterprise.head_office,
        licence_number=_licence_number(enterprise, period_end),
        province_name=enterprise.province.name,
        branch_code=branch.code if branch is not None else "",
        branch_name=branch.name if branch is not None else "",
        deployed=sum(n for _k, n, _w in by_country),
        deployed_women=sum(w for _k, _n, w in by_country),
        by_country=_lines(by_country, countries),
        by_sex=_lines(_grouped(deployed, "sex"), _sex_names()),
        by_occupation=_lines(by_occupation, _occupation_groups(by_occupation)),
        by_kind=_lines(_grouped(deployed, "contract__kind"), _kind_names()),
        by_unit=_lines(by_unit, _unit_names(by_unit)),
        abroad=sum(n for _k, n, _w in abroad_by_country),
        abroad_women=sum(w for _k, _n, w in abroad_by_country),
        abroad_by_country=_lines(abroad_by_country, countries),
        steps=_steps(workers, start, end),
        contracts=_contracts(enterprise, start, end) if whole else None,
        fees=_fees(deployed) if whole else None,
        deposit=_deposit(enterprise, start, end) if whole else None,
    )


# --- who reads which report --------------------------------------------------------------------------------


def acting_unit(actor: Any) -> tuple[Enterprise, Organisation | None]:
    """The enterprise the actor prepares reports for, and the branch when they act for one (a branch with
    the "reports" function delegated prepares its own records' report). PermissionDenied otherwise."""
    enterprise, organisation = selectors.acting_enterprise(actor, perms.REPORT_SUBMIT)
    return enterprise, organisation if organisation.kind == OrganisationKind.BRANCH else None


def report_for(actor: Any, year: Any, *, today: date) -> AnnualFigures:
    """The report the actor prepares (`ovl_report.submit`): their enterprise's, or their branch's own."""
    enterprise, branch = acting_unit(actor)
    return compute(enterprise, check_year(year, today), today=today, branch=branch)


def submitted_in_scope(actor: Any, permission: str = perms.READ) -> QuerySet[AnnualReport]:
    """The submitted reports the actor may read: the enterprise its own, a province's officials those of the
    enterprises seated in their province, the department every one."""
    grant = grant_for(actor, permission)
    return AnnualReport.objects.filter(scope_q(grant, province="province_id", org_path="org_path"))


def submitted_get_for(actor: Any, report_id: int) -> AnnualReport:
    found = (
        submitted_in_scope(actor)
        .select_related("enterprise__organisation", "submitted_by")
        .filter(pk=report_id)
    ).first()
    if found is None:
        raise NotFound()
    return found


def expected_from(enterprises: QuerySet[Enterprise], year: int) -> QuerySet[Enterprise]:
    """The enterprises that owe the report of `year`: licensed on or before the period's end and not
    revoked before it started, and already on the platform by the due date (earlier reports were filed on
    paper; the platform cannot know them). [U] A suspended licence still reports."""
    start, end = rules.annual_report_period(year)
    due = rules.annual_report_due(year)
    _since, until = _day_range(due, due)
    revoked_before = Q(
        status=EnterpriseStatus.REVOKED,
        licences__status=LicenceStatus.REVOKED,
        licences__events__action=LicenceAction.REVOKED,
        licences__events__on__lt=start,
    )
    return (
        enterprises.filter(licences__issued_on__lte=end, created_at__lt=until)
        .exclude(revoked_before)
        .distinct()
    )


def missing_in_scope(actor: Any, year: int) -> QuerySet[Enterprise]:
    """The enterprises in the actor's scope that owe the report of `year` and have not submitted it."""
    owing = expected_from(selectors.enterprises_in_scope(actor, perms.READ), year)
    return owing.exclude(annual_reports__year=year)


# --- the form, laid out ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A table of the form: its number and title, the column headings, and rows of (label, numbers...);
    `total` is the last row's label when the table ends with a total."""

    key: str
    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    money: bool = False

    @property
    def has_total(self) -> bool:
        return self.key not in _NO_TOTAL

    @property
    def shown(self) -> list[tuple[str, list[str], bool]]:
        """(label, numbers as text, is the total) per row, for the page and the PDF."""
        last = len(self.rows) - 1
        return [
            (str(label), [number_text(n) for n in numbers], self.has_total and index == last)
            for index, (label, *numbers) in enumerate(self.rows)
        ]


_NO_TOTAL = frozenset({"steps", "registrations", "fees", "deposit"})


def number_text(value: int) -> str:
    """12.345 in Vietnamese, 12,345 in English (the reader's language; the files set Vietnamese)."""
    text = f"{int(value):,}"
    return text if (get_language() or "vi").startswith("en") else text.replace(",", ".")


def _breakdown(key: str, title: Any, heading: Any, lines: Sequence[Line], total: int, women: int) -> Section:
    rows = [(line.name, line.total, line.women) for line in lines]
    rows.append((_("Total"), total, women))
    return Section(key, str(title), (str(heading), _("Workers"), _("Of whom women")), tuple(rows))


def sections(figures: AnnualFigures) -> list[Section]:
    """The tables of the report in the current language (the files set Vietnamese)."""
    f = figures
    found = [
        _breakdown("country", _("I.1 Workers sent abroad by country or territory"), _("Country or territory"),
                   f.by_country, f.deployed, f.deployed_women),
        _breakdown("kind", _("I.2 Workers sent abroad by kind of contract"), _("Kind of contract"),
                   f.by_kind, f.deployed, f.deployed_women),
        _breakdown("occupation", _("I.3 Workers sent abroad by occupation group (ISCO-08)"),
                   _("Occupation group"), f.by_occupation, f.deployed, f.deployed_women),
        Section("sex", _("I.4 Workers sent abroad by sex"), (_("Sex"), _("Workers")),
                tuple([(line.name, line.total) for line in f.by_sex] + [(_("Total"), f.deployed)])),
    ]  # fmt: skip
    if f.branch_code == "" and len(f.by_unit) > 1:
        found.append(
            _breakdown("unit", _("I.5 Workers sent abroad by the unit that registered them"),
                       _("Enterprise or branch"), f.by_unit, f.deployed, f.deployed_women)
        )  # fmt: skip
    found.append(
        _breakdown("abroad", _("II. Workers abroad at the end of the period, by country or territory"),
                   _("Country or territory"), f.abroad_by_country, f.abroad, f.abroad_women)
    )  # fmt: skip
    s = f.steps
    found.append(
        Section("steps", _("III. Steps reported in the period"), (_("Step"), _("Workers")), (
            (_("Registered for a contract"), s.registered),
            (_("Departed"), s.departed),
            (_("Changed employer"), s.changed_employer),
            (_("Returned at the end of the contract"), s.returned_at_term),
            (_("Returned before the term"), s.returned_early),
            (_("Stayed on illegally"), s.overstaying),
            (_("Died abroad"), s.deceased),
            (_("Contract with the worker liquidated"), s.liquidated),
        ))
    )  # fmt: skip
    if f.contracts is not None:
        c = f.contracts
        rows = [(line.name, line.contracts, line.workers_planned) for line in c.by_kind]
        rows.append((_("Total registered in the period"), c.registered, c.workers_planned))
        found.append(
            Section("contracts", _("IV. Contracts registered in the period"),
                    (_("Kind of contract"), _("Contracts"), _("Workers provided for")), tuple(rows))
        )  # fmt: skip
        found.append(
            Section("registrations", _("IV.1 Contract registrations"), (_("Registrations"), _("Contracts")), (
                (_("Submitted in the period"), c.submitted),
                (_("Registered in the period"), c.registered),
                (_("Refused in the period"), c.refused),
            ))
        )  # fmt: skip
    if f.fees is not None:
        found.append(
            Section("fees", _("V. Amounts by the registered contracts for the workers sent (VND)"),
                    (_("Amount"), _("VND")), (
                        (_("Service fees charged to the workers"), f.fees.service_fee),
                        (_("Broker fees paid by the enterprise"), f.fees.broker_fee),
                        (_("Deposits asked of the workers"), f.fees.worker_deposit),
                    ), money=True)
        )  # fmt: skip
    if f.deposit is not None:
        d = f.deposit
        found.append(
            Section("deposit", _("VI. The enterprise's deposit (VND)"), (_("Deposit"), _("VND")), (
                (_("Balance at the start of the period"), d.opening),
                (_("Deposited or topped up"), d.paid_in),
                (_("Used"), d.used),
                (_("Released"), d.released),
                (_("Balance at the end of the period"), d.closing),
            ), money=True)
        )  # fmt: skip
    return found


def title(figures: AnnualFigures) -> str:
    return _("Annual report on sending Vietnamese workers abroad under contract, %(year)d") % {
        "year": figures.year
    }


def period_text(figures: AnnualFigures) -> str:
    text = _("Period: %(start)s to %(end)s") % {
        "start": figures.period_start.strftime("%d/%m/%Y"),
        "end": figures.period_end.strftime("%d/%m/%Y"),
    }
    if not figures.complete:
        text += " " + _("(counted to %(day)s: the period has not ended)") % {
            "day": figures.counted_to.strftime("%d/%m/%Y")
        }
    return text


def file_stem(figures: AnnualFigures) -> str:
    unit = f"-{figures.branch_code}" if figures.branch_code else ""
    return f"bao-cao-nam-{figures.year}-{figures.tax_code}{unit}"


# --- the Excel file ----------------------------------------------------------------------------------------


def _text_cell(sheet: Any, value: str, *, bold: bool = False) -> Any:
    """Text that stays text: a name beginning with "=" is never a formula in the file."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def _number_cell(sheet: Any, value: int, *, bold: bool = False) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=int(value))
    cell.number_format = "#,##0"
    if bold:
        cell.font = Font(bold=True)
    return cell


def workbook(figures: AnnualFigures) -> bytes:
    """The report as an Excel file, in Vietnamese: the enterprise and the period, then each table of the
    form with its heading row; numbers are numbers (sums already made, never formulas), names are text."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    with translation.override("vi"):
        sheet = book.create_sheet(_("Annual report %(year)d") % {"year": figures.year})
        sheet.column_dimensions["A"].width = 60
        for letter in "BC":
            sheet.column_dimensions[letter].width = 20
        sheet.append([_text_cell(sheet, title(figures), bold=True)])
        sheet.append([_text_cell(sheet, period_text(figures))])
        identity = [
            (_("Enterprise"), figures.enterprise_name),
            (_("Tax code"), figures.tax_code),
            (_("Head office"), figures.head_office),
            (_("Licence number"), figures.licence_number or "—"),
        ]
        if figures.branch_code:
            identity.append((_("Branch (its own records)"), f"{figures.branch_name} ({figures.branch_code})"))
        identity.append(
            (_("Due"), _("before %(day)s") % {"day": (figures.due + timedelta(days=1)).strftime("%d/%m/%Y")})
        )
        for label, value in identity:
            sheet.append([_text_cell(sheet, label), _text_cell(sheet, value)])
        for section in sections(figures):
            sheet.append([])
            sheet.append([_text_cell(sheet, section.title, bold=True)])
            sheet.append([_text_cell(sheet, h, bold=True) for h in section.headings])
            last = len(section.rows) - 1
            for index, row in enumerate(section.rows):
                label, *numbers = row
                total = section.has_total and index == last
                sheet.append(
                    [
                        _text_cell(sheet, str(label), bold=total),
                        *(_number_cell(sheet, n, bold=total) for n in numbers),
                    ]
                )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the PDF -----------------------------------------------------------------------------------------------


def pdf_context(figures: AnnualFigures) -> dict[str, Any]:
    return {
        "figures": figures,
        "sections": sections(figures),
        "title": title(figures),
        "period_text": period_text(figures),
        "issuer_name": figures.enterprise_name,
        "issued_on": timezone.localdate(),
        "place": figures.province_name,
        "due_before": figures.due + timedelta(days=1),
    }


def pdf(figures: AnnualFigures) -> bytes:
    """The report form as a PDF, in Vietnamese (unsigned: the submission signs it)."""
    from ansinh.core import pdf as core_pdf

    with translation.override("vi"):
        context = pdf_context(figures)
    return core_pdf.render_pdf("overseas/pdf/annual_report.html", context, language="vi")
