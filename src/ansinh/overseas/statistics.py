"""National statistics of workers abroad under contract, counted from the records in the reader's scope:
workers deployed in a year by month, country, occupation group, province of origin and sex; workers abroad
now by country; early returns by country; the enterprises by the workers they sent.

Each breakdown is one grouped query on the workers table (the departures index serves the year filter);
a province's officials count the workers from their province, an enterprise its own.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractMonth, Substr

from ansinh.accounts.selectors import require_permission
from ansinh.overseas import permissions as perms
from ansinh.overseas import selectors
from ansinh.overseas.models import ABROAD, Worker, WorkerStatus

TOP_ENTERPRISES = 20


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


def _grouped(queryset: QuerySet[Worker], key: Any) -> dict[str, int]:
    rows = queryset.values_list(key).annotate(n=Count("pk")).order_by()
    counted: Counter[str] = Counter()
    for value, n in rows:
        counted[str(value or "")] += n
    return dict(counted.most_common())


def workers_statistics(actor: Any, year: int, *, today: date) -> Statistics:
    require_permission(actor, perms.STATISTICS_READ)
    scoped = selectors.workers_in_scope(actor, perms.STATISTICS_READ)
    deployed = scoped.filter(departure_date__gte=date(year, 1, 1), departure_date__lte=date(year, 12, 31))
    result = Statistics(year=year)
    for month, n in (
        deployed.annotate(m=ExtractMonth("departure_date"))
        .values_list("m")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        result.by_month[month - 1] = n
    result.deployed = sum(result.by_month)
    result.by_country = _grouped(deployed, "country__iso2")
    result.by_occupation = _grouped(deployed.annotate(major=Substr("occupation__code", 1, 1)), "major")
    result.by_province = _grouped(deployed, "province__code")
    result.by_sex = _grouped(deployed, "sex")
    result.abroad_now = _grouped(scoped.filter(status__in=ABROAD, departure_date__lte=today), "country__iso2")
    # Returned before the term in the year, by the step reported (a later liquidation does not erase it).
    result.early_returns = _grouped(
        scoped.filter(events__status=WorkerStatus.RETURNED_EARLY, events__on__year=year), "country__iso2"
    )
    senders = _grouped(deployed, "enterprise__organisation__name")
    result.enterprises = list(senders.items())[:TOP_ENTERPRISES]
    return result
