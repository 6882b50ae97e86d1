"""National statistics of workers abroad under contract, counted from the records in the reader's scope:
workers deployed in a year by month, country, occupation group, province of origin and sex; workers abroad
now by country; early returns by country; the enterprises by the workers they sent. Optionally narrowed to
one destination country and/or one province of origin (inside the scope, never beyond it).

The breakdowns are grouped queries on the workers table alone, grouped by the foreign keys themselves (no
join): the few countries, occupations, provinces and enterprises counted are named afterwards from their
small tables. On PostgreSQL the departures are counted by every key in one pass (GROUPING SETS), in one
transaction without JIT compilation (compiling these aggregates costs more than it saves). A count is kept a
few minutes per scope and question, and made again as soon as a worker or a step is recorded. Figures at a
million workers: bench/results_overseas_stats.md.
"""

import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, QuerySet
from django.utils.translation import gettext_lazy as _

from ansinh.accounts.selectors import Grant, grant_for, require_permission
from ansinh.core.errors import ValidationFailed
from ansinh.geo.models import Country, Occupation, Province
from ansinh.overseas import permissions as perms
from ansinh.overseas import selectors
from ansinh.overseas.models import ABROAD, Enterprise, Worker, WorkerEvent, WorkerStatus

TOP_ENTERPRISES = 20
DEFAULT_CACHE_SECONDS = 300
CACHE_VERSION = 1


@dataclass
class Statistics:
    year: int
    deployed: int = 0
    by_month: list[int] = field(default_factory=lambda: [0] * 12)  # January to December
    by_country: dict[str, int] = field(default_factory=dict)  # ISO code -> workers
    by_occupation: dict[str, int] = field(default_factory=dict)  # ISCO major group (1 digit) -> workers
    by_province: dict[str, int] = field(default_factory=dict)  # province code ("" unknown) -> workers
    by_sex: dict[str, int] = field(default_factory=dict)  # "M", "F", "" unknown
    abroad_now: dict[str, int] = field(default_factory=dict)  # ISO code -> workers abroad today
    early_returns: dict[str, int] = field(default_factory=dict)  # ISO code -> returned before the term
    enterprises: list[tuple[str, int]] = field(default_factory=list)  # the largest senders first
    country: str = ""  # the destination chosen (ISO code), "" for every country
    province: str = ""  # the province of origin chosen (code), "" for every province


def _counted(rows: Iterable[tuple[Any, int]], name: dict[Any, str]) -> dict[str, int]:
    """Grouped counts keyed by a foreign key, renamed (several keys may share a name), largest first."""
    counted: Counter[str] = Counter()
    for key, n in rows:
        counted[name.get(key, "") if key is not None else ""] += n
    return dict(counted.most_common())


def _by(queryset: QuerySet[Any], column: str) -> list[tuple[Any, int]]:
    return list(queryset.values_list(column).annotate(n=Count("*")).order_by())


DEPLOYED_KEYS = ("departure_date", "country_id", "occupation_id", "province_id", "sex", "enterprise_id")


def _deployed_breakdowns(deployed: QuerySet[Worker]) -> dict[str, list[tuple[Any, int]]]:
    """The departures of the year counted by each of `DEPLOYED_KEYS` (the day: months are summed here).

    On PostgreSQL in one pass over the year's rows, with GROUPING SETS (the ORM cannot say it, so the
    scoped, filtered query Django compiles is wrapped; `GROUPING(...)` tells which key a line counts by):
    at a million workers this is about a third of the time of six grouped queries. Elsewhere (SQLite), one
    grouped query per key."""
    if connection.vendor != "postgresql":
        return {key: _by(deployed, key) for key in DEPLOYED_KEYS}
    inner, params = deployed.values_list(*DEPLOYED_KEYS).order_by().query.sql_with_params()
    keys = ", ".join(f"k{i}" for i in range(len(DEPLOYED_KEYS)))
    sets = ", ".join(f"(k{i})" for i in range(len(DEPLOYED_KEYS)))
    # Only constant names and the SQL Django compiled are put together; every value stays a parameter.
    sql = f"SELECT GROUPING({keys}), {keys}, COUNT(*) FROM ({inner}) AS t({keys}) GROUP BY GROUPING SETS ({sets})"  # noqa: E501, S608
    out: dict[str, list[tuple[Any, int]]] = {key: [] for key in DEPLOYED_KEYS}
    last = len(DEPLOYED_KEYS) - 1
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for mask, *values, n in cursor.fetchall():
            # GROUPING sets the bit of each key the line is not grouped by; the first key is the highest bit.
            index = next(i for i in range(len(DEPLOYED_KEYS)) if not mask & (1 << (last - i)))
            out[DEPLOYED_KEYS[index]].append((values[index], n))
    return out


@contextmanager
def _counting() -> Iterator[None]:
    """One transaction for the figures; on PostgreSQL without JIT (it took longer to compile these
    aggregates than to run them)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def _in_scope(actor: Any) -> QuerySet[Worker]:
    """The workers the actor's grant covers. The whole country needs no condition: the selector's
    always-true `id IS NOT NULL` would make PostgreSQL 15 read every row from the table instead of the
    covering indexes alone."""
    if grant_for(actor, perms.STATISTICS_READ).nation:
        return Worker.objects.all()
    return selectors.workers_in_scope(actor, perms.STATISTICS_READ)


def _chosen(country: str, province: str) -> tuple[Country | None, Province | None]:
    errors: dict[str, list[str]] = {}
    chosen_country = chosen_province = None
    if country:
        chosen_country = Country.objects.filter(iso2=country.upper()).first()
        if chosen_country is None:
            errors["country"] = [str(_("Choose a country from the list."))]
    if province:
        chosen_province = Province.objects.filter(code=province).first()
        if chosen_province is None:
            errors["province"] = [str(_("Choose a province from the list."))]
    if errors:
        raise ValidationFailed(errors)
    return chosen_country, chosen_province


def cache_seconds() -> int:
    """How long a count is kept (settings OVERSEAS_STATISTICS_CACHE_SECONDS, default 300; 0: never)."""
    return max(0, int(getattr(settings, "OVERSEAS_STATISTICS_CACHE_SECONDS", DEFAULT_CACHE_SECONDS)))


def _cache_key(grant: Grant, year: int, country: str, province: str, today: date) -> str:
    """The count's key: the scope, the question, the day, and the last worker and timeline step recorded
    (two index look-ups), so a registration or a reported step is counted at once, not minutes later."""
    last_worker = Worker.objects.order_by("-pk").values_list("pk", flat=True).first()
    last_step = WorkerEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    scope = "nation" if grant.nation else f"{sorted(grant.province_ids)}{sorted(grant.org_paths)}"
    raw = f"{scope}|{year}|{country.upper()}|{province}|{today}|{last_worker}|{last_step}"
    return f"overseas:statistics:{CACHE_VERSION}:" + hashlib.sha256(raw.encode()).hexdigest()


def workers_statistics(
    actor: Any, year: int, *, today: date, country: str = "", province: str = ""
) -> Statistics:
    """The year's figures in the actor's scope (`ovl_statistics.read`), for one destination `country`
    (ISO code) and/or one `province` of origin (code) when given: an unknown code is a ValidationFailed;
    a province outside the scope simply counts nothing.

    A count is kept `cache_seconds()` for the same scope, question and records (the page, then its Excel
    download, or officials of the same province, count once)."""
    require_permission(actor, perms.STATISTICS_READ)
    seconds = cache_seconds()
    if not seconds:
        return _count(actor, year, today=today, country=country, province=province)
    key = _cache_key(grant_for(actor, perms.STATISTICS_READ), year, country, province, today)
    found = cache.get(key)
    if isinstance(found, Statistics):
        return found
    counted = _count(actor, year, today=today, country=country, province=province)
    cache.set(key, counted, seconds)
    return counted


def _count(actor: Any, year: int, *, today: date, country: str, province: str) -> Statistics:
    chosen_country, chosen_province = _chosen(country, province)
    scoped = _in_scope(actor)
    if chosen_country is not None:
        scoped = scoped.filter(country_id=chosen_country.pk)
    if chosen_province is not None:
        scoped = scoped.filter(province_id=chosen_province.pk)
    deployed = scoped.filter(departure_date__gte=date(year, 1, 1), departure_date__lte=date(year, 12, 31))
    result = Statistics(
        year=year,
        country=chosen_country.iso2 if chosen_country else "",
        province=chosen_province.code if chosen_province else "",
    )
    with _counting():
        split = _deployed_breakdowns(deployed)
        abroad = _by(scoped.filter(status__in=ABROAD, departure_date__lte=today), "country_id")
        # Returned before the term in the year, by the step reported (a later liquidation does not erase it).
        early = _by(
            scoped.filter(
                events__status=WorkerStatus.RETURNED_EARLY,
                events__on__gte=date(year, 1, 1),
                events__on__lte=date(year, 12, 31),
            ),
            "country_id",
        )
    for day, n in split["departure_date"]:
        result.by_month[day.month - 1] += n
    countries, occupations = split["country_id"], split["occupation_id"]
    provinces, sexes, senders = split["province_id"], split["sex"], split["enterprise_id"]
    result.deployed = sum(result.by_month)
    country_ids = {key for key, _n in [*countries, *abroad, *early] if key is not None}
    iso = dict(Country.objects.filter(pk__in=country_ids).values_list("pk", "iso2"))
    result.by_country = _counted(countries, iso)
    result.abroad_now = _counted(abroad, iso)
    result.early_returns = _counted(early, iso)
    majors = {
        pk: code[:1]
        for pk, code in Occupation.objects.filter(pk__in=[k for k, _n in occupations]).values_list(
            "pk", "code"
        )
    }
    result.by_occupation = _counted(occupations, majors)
    codes = dict(Province.objects.filter(pk__in=[k for k, _n in provinces]).values_list("pk", "code"))
    result.by_province = _counted(provinces, codes)
    result.by_sex = _counted(sexes, {"M": "M", "F": "F"})
    largest = sorted(senders, key=lambda item: (-item[1], item[0]))[:TOP_ENTERPRISES]
    names = dict(
        Enterprise.objects.filter(pk__in=[k for k, _n in largest]).values_list("pk", "organisation__name")
    )
    result.enterprises = [(names.get(pk, ""), n) for pk, n in largest]
    return result


# --- names, for the page and the workbook ------------------------------------------------------------------


def country_names(codes: Iterable[str] = ()) -> dict[str, str]:
    """ISO code -> the country's name in the current language (every country when no code is given)."""
    countries = Country.objects.all()
    wanted = [c for c in codes if c]
    if wanted:
        countries = countries.filter(iso2__in=wanted)
    return {c.iso2: c.name for c in countries}


def province_names() -> dict[str, str]:
    """Province code -> name in the current language, in the order of their names."""
    return {p.code: str(p) for p in Province.objects.all()}


def occupation_group_names() -> dict[str, str]:
    """ISCO-08 major group (one digit) -> its name in the current language."""
    return {o.code: o.name for o in Occupation.objects.filter(level=1)}
