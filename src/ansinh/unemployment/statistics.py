"""Monthly statistics of unemployment insurance: what a centre, a province or the ministry reports, counted
from the records themselves (no counter is kept by hand), per month of a calendar year and per province.

Who: `ui_statistics.read`. A nation-wide grant sees every province, a province-wide grant its provinces, an
organisation's grant the records of its subtree (a centre sees its own claims: `org_path` on the claim and
the dossier). These are counts and sums, never a person's data, so reading them is not audited row by row.

The figures, each for the month it happened in (Vietnam time):

- received: claim dossiers (`tctn-huong`) submitted, by `Dossier.submitted_at`, where they were filed;
- decided: benefits decided (`BenefitClaim`, by `decided_month`): the people whose claim was settled, one
  decision per claim; the amount decided is the monthly benefit times the months granted, summed;
- refused: claim dossiers refused, by the refusal step on the dossier's timeline (a refused dossier may
  later be "delivered", so its state alone does not tell);
- notified: benefit months notified in time (`BenefitMonth` "to be paid", by `notified_at`) and their
  amounts, the payments the centre passes to the social-insurance agency.

A benefit moved to another province is counted, decision and months alike, in the province that manages it
now (the claim's `province` and `org_path` follow it), as every other read of the claims does.

Cost. Counting a year is four aggregate queries, grouped in the database by month and province (and by
organisation path for the whole country's count). At the scale the design names, 1M+ claims a year, that
takes seconds however it is indexed: the notified months alone are millions of rows a year, and each needs
its claim for its province (bench/unemployment_stats.py and bench/results_unemployment_stats.md). So a page
reads a count of the whole country made at most `cache_seconds()` ago (five minutes by default, kept in the
cache, and the page says when it was made), and takes the cells of the actor's scope from it; a periodic
`recount` of the current year keeps it ready. With UNEMPLOYMENT_STATISTICS_CACHE_SECONDS = 0 every request
counts its own figures from the records, in its scope.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, tzinfo
from time import monotonic, sleep
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ansinh.accounts.models import Organisation
from ansinh.accounts.selectors import Grant, grant_for, scope_q
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.core.text import normalise_search
from ansinh.dossiers.models import Dossier, DossierEvent
from ansinh.dossiers.rules import Action
from ansinh.geo.models import Province
from ansinh.unemployment.models import BenefitClaim, BenefitMonth, MonthStatus
from ansinh.unemployment.permissions import STATISTICS_READ
from ansinh.unemployment.procedures import BENEFIT_CLAIM

# Unemployment insurance is paid in Vietnam since 1 January 2009 (Law on Social Insurance 2006).
FIRST_YEAR = 2009
MONTHS = tuple(range(1, 13))
DEFAULT_CACHE_SECONDS = 300
CACHE_VERSION = 1
KEEP_SECONDS = 24 * 3600  # a count older than cache_seconds() is still shown while the next one is made
COUNTING_SECONDS = 120  # longer than a count of a million claims takes
UNKNOWN_PROVINCE = gettext_lazy("Province not recorded")


def local_zone() -> tzinfo:
    return timezone.get_default_timezone()  # Asia/Ho_Chi_Minh


# --- who may read -----------------------------------------------------------------------------------------


def _grant(actor: Any) -> Grant:
    grant = grant_for(actor, STATISTICS_READ)
    if not (grant.nation or grant.province_ids or grant.org_paths):
        raise PermissionDenied()
    return grant


def can_see_statistics(actor: Any) -> bool:
    grant = grant_for(actor, STATISTICS_READ)
    return bool(grant.nation or grant.province_ids or grant.org_paths)


@dataclass(frozen=True)
class Scope:
    """Where the figures come from: the whole country, some provinces, some organisations' subtrees."""

    nation: bool
    province_ids: frozenset[int]
    org_paths: tuple[str, ...]
    organisations: tuple[str, ...]  # names of the organisations whose subtree the grant covers
    provinces: tuple[Province, ...]  # the provinces one may choose, by name

    def where(self, *, province: str, org_path: str) -> Q:
        if self.nation:
            return Q()  # no condition at all: the decisions stay an index-only scan
        return scope_q(
            Grant(nation=self.nation, province_ids=set(self.province_ids), org_paths=set(self.org_paths)),
            province=province,
            org_path=org_path,
        )

    def province(self, code: str) -> Province | None:
        return next((p for p in self.provinces if p.code == code), None)

    def covers(self, province_id: int | None, org_path: str) -> bool:
        """Whether a record placed in this province and organisation path is in scope (as `where`)."""
        return (
            self.nation
            or province_id in self.province_ids
            or any(org_path.startswith(path) for path in self.org_paths)
        )


def _by_name(provinces: Iterable[Province]) -> tuple[Province, ...]:
    """By the name without "Tỉnh" or "Thành phố" ("nghe an"), "Đắk Lắk" among the D's."""
    return tuple(sorted(provinces, key=lambda p: p.name_search or normalise_search(p.name)))


def scope_for(actor: Any) -> Scope:
    """The actor's statistics scope. An organisation path whose organisations all sit in provinces the
    grant already covers adds nothing (a provincial department's own subtree): it is dropped, so the
    queries filter by province alone and read only their indexes."""
    grant = _grant(actor)
    if grant.nation:
        return Scope(True, frozenset(), (), (), _by_name(Province.objects.all()))
    paths: list[str] = []
    province_ids = set(grant.province_ids)
    names: list[str] = []
    for path in sorted(grant.org_paths):
        subtree = list(
            Organisation.objects.filter(path__startswith=path).values_list("path", "name", "province_id")
        )
        if all(province in grant.province_ids for _p, _n, province in subtree):
            continue
        paths.append(path)
        names += [name for p, name, _province in subtree if p == path]
        province_ids |= {province for _p, _n, province in subtree if province is not None}
    provinces = _by_name(Province.objects.filter(pk__in=province_ids))
    return Scope(False, frozenset(grant.province_ids), tuple(paths), tuple(names), provinces)


# --- what is asked ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    year: int
    province: Province | None = None

    def bounds(self) -> tuple[datetime, datetime]:
        """The year in Vietnam time, as aware datetimes [start, end)."""
        zone = local_zone()
        return (
            datetime.combine(date(self.year, 1, 1), time.min, tzinfo=zone),
            datetime.combine(date(self.year + 1, 1, 1), time.min, tzinfo=zone),
        )

    def as_params(self) -> dict[str, str]:
        params = {"year": str(self.year)}
        if self.province is not None:
            params["province"] = self.province.code
        return params


def this_year() -> int:
    return timezone.localdate(timezone.now(), local_zone()).year


def query_from(scope: Scope, *, year: int | str | None = None, province: str | None = "") -> Query:
    """Check the asked year (this year by default) and province (a code among the scope's provinces)."""
    errors: dict[str, list[str]] = {}
    last = this_year()
    chosen = last
    if year not in (None, ""):
        try:
            chosen = int(str(year).strip())
        except ValueError:
            errors["year"] = [_("Enter a year, e.g. %(year)d.") % {"year": last}]
        else:
            if not FIRST_YEAR <= chosen <= last:
                errors["year"] = [
                    _("Choose a year from %(first)d to %(last)d.") % {"first": FIRST_YEAR, "last": last}
                ]
    code = (province or "").strip()
    found = scope.province(code) if code else None
    if code and found is None:
        errors["province"] = [_("Choose one of the provinces listed.")]
    if errors:
        raise ValidationFailed(errors)
    return Query(year=chosen, province=found)


def years_for() -> list[int]:
    """The years one may choose, latest first: from the first benefit decided (this year when none)."""
    last = this_year()
    first = BenefitClaim.objects.aggregate(first=Min("decided_month"))["first"]
    start = max(FIRST_YEAR, min(first.year, last)) if first else last
    return list(range(last, start - 1, -1))


# --- the figures ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    received: int = 0  # claim dossiers submitted
    decided: int = 0  # benefits decided: people settled
    refused: int = 0  # claim dossiers refused
    amount_decided: int = 0  # VND: monthly benefit x months granted, summed over the decided
    months_notified: int = 0  # benefit months notified in time: to be paid
    amount_notified: int = 0  # VND: their amounts

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


def _sum(items: Iterable[Figures]) -> Figures:
    total = Figures()
    for item in items:
        total = total + item
    return total


@dataclass(frozen=True)
class MonthFigures:
    month: date  # first day
    figures: Figures


@dataclass(frozen=True)
class ProvinceFigures:
    code: str
    name_vi: str
    name_en: str
    figures: Figures
    months: tuple[Figures, ...] = field(default=(), repr=False)  # January to December

    @property
    def name(self) -> str:
        english = (get_language() or "vi").startswith("en")
        return self.name_en if english and self.name_en else self.name_vi


@dataclass(frozen=True)
class Statistics:
    query: Query
    scope: Scope
    generated_at: datetime
    months: list[MonthFigures]  # the twelve months of the year
    provinces: list[ProvinceFigures]  # every province of the scope (or the chosen one), by name
    total: Figures
    recounted_every: int = 0  # seconds: the figures are a count of the whole country kept this long

    @property
    def year(self) -> int:
        return self.query.year


# The figures are counted per (month, province id, organisation path): a scope and a province filter select
# cells, and one count of the whole country serves every scope.
Key = tuple[int, int | None, str]
Cells = dict[Key, dict[str, int]]


def _month_number(value: date | datetime) -> int:
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value, local_zone())
    return value.month


def _add(cells: Cells, rows: Iterable[Mapping[str, Any]], key: str, names: Mapping[str, str]) -> None:
    for row in rows:
        cell = cells[(_month_number(row[key]), row["province_pk"], row.get("path") or "")]
        for figure, column in names.items():
            cell[figure] += int(row[column] or 0)


def _grouping(province: str, path: str, by_path: bool) -> dict[str, F]:
    return {"province_pk": F(province), **({"path": F(path)} if by_path else {})}


def _bounds(year: int) -> tuple[datetime, datetime]:
    return Query(year).bounds()


def _decided(year: int, where: Q, by_path: bool) -> QuerySet[Any]:
    """Grouped on the columns of the `claim_statistics` index, in its order: an index-only scan (unless
    grouped by organisation path too, which the index does not hold)."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    return (
        BenefitClaim.objects.filter(where, decided_month__gte=start, decided_month__lt=end)
        .values("decided_month", **_grouping("province_id", "org_path", by_path))
        .annotate(n=Count("*"), amount=Sum(F("monthly_benefit") * F("benefit_months")))
        .order_by()
    )


def _received(year: int, where: Q, by_path: bool) -> QuerySet[Any]:
    start, end = _bounds(year)
    return (
        Dossier.objects.filter(
            where, procedure_code=BENEFIT_CLAIM, submitted_at__gte=start, submitted_at__lt=end
        )
        .annotate(month=TruncMonth("submitted_at", tzinfo=local_zone()))
        .values("month", **_grouping("province_id", "org_path", by_path))
        .annotate(n=Count("*"))
        .order_by()
    )


def _refused(year: int, where: Q, by_path: bool) -> QuerySet[Any]:
    """The refusal steps of claim dossiers, on the dossiers' timelines (a refused dossier may be delivered
    afterwards: its state alone does not tell)."""
    start, end = _bounds(year)
    return (
        DossierEvent.objects.filter(
            where, action=Action.REFUSE, at__gte=start, at__lt=end, dossier__procedure_code=BENEFIT_CLAIM
        )
        .annotate(month=TruncMonth("at", tzinfo=local_zone()))
        .values("month", **_grouping("dossier__province_id", "dossier__org_path", by_path))
        .annotate(n=Count("*"))  # a dossier is refused once
        .order_by()
    )


def _notified(year: int, where: Q, by_path: bool) -> QuerySet[Any]:
    start, end = _bounds(year)
    return (
        BenefitMonth.objects.filter(
            where, status=MonthStatus.NOTIFIED, notified_at__gte=start, notified_at__lt=end
        )
        .annotate(month=TruncMonth("notified_at", tzinfo=local_zone()))
        .values("month", **_grouping("claim__province_id", "claim__org_path", by_path))
        .annotate(n=Count("*"), amount=Sum("amount"))
        .order_by()
    )


@contextmanager
def _aggregating() -> Iterator[None]:
    """One transaction for the figures. On PostgreSQL: without JIT compilation (these aggregates cost more
    than `jit_above_cost`, and compiling them took longer, about 200 ms each in bench/unemployment_stats.py,
    than it could ever save on a few hundred groups), and with room to join the notified months to their
    claims in memory (with the default 4 MB the join spills to temporary files)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                cursor.execute("SET LOCAL work_mem = '64MB'")
        yield


def count_from_records(
    year: int, scope: Scope | None = None, province: Province | None = None
) -> dict[Key, Figures]:
    """The year's figures from the records, per month, province and (for a whole-country count, which
    every scope then reads) organisation path. With a scope or a province, only theirs, by month and
    province."""
    whole = scope is None and province is None

    def where(province_field: str, path_field: str) -> Q:
        condition = scope.where(province=province_field, org_path=path_field) if scope else Q()
        if province is not None:
            condition &= Q(**{province_field: province.pk})
        return condition

    cells: Cells = defaultdict(lambda: defaultdict(int))
    with _aggregating():
        _add(
            cells,
            _decided(year, where("province_id", "org_path"), whole),
            "decided_month",
            {"decided": "n", "amount_decided": "amount"},
        )
        _add(cells, _received(year, where("province_id", "org_path"), whole), "month", {"received": "n"})
        _add(
            cells,
            _refused(year, where("dossier__province_id", "dossier__org_path"), whole),
            "month",
            {"refused": "n"},
        )
        _add(
            cells,
            _notified(year, where("claim__province_id", "claim__org_path"), whole),
            "month",
            {"months_notified": "n", "amount_notified": "amount"},
        )
    return {key: Figures(**values) for key, values in cells.items()}


# --- the count of the whole country, kept a few minutes ---------------------------------------------------


@dataclass(frozen=True)
class Counted:
    year: int
    at: datetime
    cells: dict[Key, Figures]


def cache_seconds() -> int:
    """How long a count of the whole country is used (settings UNEMPLOYMENT_STATISTICS_CACHE_SECONDS,
    default 300); 0 counts every request's own figures from the records."""
    return max(0, int(getattr(settings, "UNEMPLOYMENT_STATISTICS_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)))


def _cache_key(year: int) -> str:
    return f"unemployment:statistics:{CACHE_VERSION}:{year}"


def recount(year: int) -> Counted:
    """Count the whole country's year from the records and keep the count. A periodic task calling this
    for the current year every few minutes keeps every page fast; without one, the first request after
    the count is `cache_seconds()` old makes it again."""
    counted = Counted(year=year, at=timezone.now(), cells=count_from_records(year))
    if cache_seconds():
        cache.set(_cache_key(year), counted, KEEP_SECONDS)
    return counted


def _whole_country(year: int) -> Counted:
    """The count of the whole country, made again when it is `cache_seconds()` old, by one process at a
    time: the others keep showing the count before it meanwhile, or, when there is none yet, wait for it
    rather than all counting at once."""
    key = _cache_key(year)
    found = cache.get(key)
    if isinstance(found, Counted) and (timezone.now() - found.at).total_seconds() < cache_seconds():
        return found
    if cache.add(f"{key}:counting", True, timeout=COUNTING_SECONDS):
        try:
            return recount(year)
        finally:
            cache.delete(f"{key}:counting")
    if isinstance(found, Counted):
        return found
    deadline = monotonic() + COUNTING_SECONDS
    while monotonic() < deadline:
        sleep(0.25)
        found = cache.get(key)
        if isinstance(found, Counted):
            return found
    return recount(year)


def monthly_statistics(actor: Any, q: Query, scope: Scope | None = None) -> Statistics:
    """The year's figures in the actor's scope, per month and per province, with the totals."""
    scope = scope or scope_for(actor)
    if q.province is not None and scope.province(q.province.code) is None:
        raise PermissionDenied()
    if cache_seconds():
        counted = _whole_country(q.year)
        chosen = q.province.pk if q.province is not None else None
        cells = {
            key: f
            for key, f in counted.cells.items()
            if scope.covers(key[1], key[2]) and (chosen is None or key[1] == chosen)
        }
        counted_at = counted.at
    else:
        cells = count_from_records(q.year, scope, q.province)
        counted_at = timezone.now()
    figures: dict[tuple[int, int | None], Figures] = defaultdict(Figures)
    for (month, province_id, _path), item in cells.items():
        figures[(month, province_id)] += item
    months = [
        MonthFigures(date(q.year, m, 1), _sum(f for (month, _p), f in figures.items() if month == m))
        for m in MONTHS
    ]
    shown = [q.province] if q.province is not None else list(scope.provinces)
    known = {p.pk for p in shown}
    extra = {pid for (_m, pid) in figures if pid is not None and pid not in known}
    if extra:  # a record filed in a province outside the listed ones (never expected): still counted
        shown = list(_by_name([*shown, *Province.objects.filter(pk__in=extra)]))
    provinces = []
    for province in shown:
        by_month = tuple(figures.get((m, province.pk), Figures()) for m in MONTHS)
        provinces.append(
            ProvinceFigures(province.code, province.name, province.name_en, _sum(by_month), by_month)
        )
    if any(pid is None for (_m, pid) in figures):  # a dossier without a province: counted all the same
        by_month = tuple(figures.get((m, None), Figures()) for m in MONTHS)
        unknown = str(UNKNOWN_PROVINCE)
        provinces.append(ProvinceFigures("", unknown, unknown, _sum(by_month), by_month))
    return Statistics(
        query=q,
        scope=scope,
        generated_at=counted_at,
        months=months,
        provinces=provinces,
        total=_sum(m.figures for m in months),
        recounted_every=cache_seconds(),
    )
