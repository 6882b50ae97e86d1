"""The labour-market bulletin: open vacancies (and the openings they offer) against the people looking for
work, by occupation (ISCO-08 major and sub-major groups) and by province.

Only counts leave this module: no vacancy, employer or person is named, so the public summary shows the
same figures as the staff page. Every breakdown is one grouped query over an indexed column (a vacancy's
occupation and province, a seeker's wanted sub-major group and province): about eight queries whatever the
number of rows.

- A vacancy counts while it is open: status open, deadline not passed, its employer verified. Abroad and
  remote vacancies have their own lines in the province table.
- A seeker counts while "looking for work now"; by occupation, once per group they want (a seeker wanting
  two occupations of one group counts once in it); by province, where they live.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.geo.models import Occupation, Province
from ansinh.jobs.models import EmployerStatus, SeekerOccupation, SeekerProfile, Vacancy, VacancyStatus

ABROAD = "abroad"
REMOTE = "remote"
UNKNOWN = ""


@dataclass
class Row:
    code: str
    name: str
    vacancies: int = 0
    openings: int = 0
    seekers: int = 0

    @property
    def openings_per_seeker(self) -> float | None:
        return round(self.openings / self.seekers, 2) if self.seekers else None


@dataclass
class Bulletin:
    as_of: date
    province: Province | None
    vacancies: int = 0
    openings: int = 0
    seekers: int = 0
    by_major: list[Row] = field(default_factory=list)
    by_sub_major: list[Row] = field(default_factory=list)
    by_province: list[Row] = field(default_factory=list)


def open_vacancies(today: date, province: Province | None = None) -> Any:
    qs = Vacancy.objects.filter(
        status=VacancyStatus.OPEN, deadline__gte=today, employer__status=EmployerStatus.VERIFIED
    )
    return qs.filter(province=province) if province is not None else qs


def looking_seekers(province: Province | None = None) -> Any:
    qs = SeekerProfile.objects.filter(is_looking=True)
    return qs.filter(province=province) if province is not None else qs


def _rows(names: dict[str, str], keys: set[str]) -> dict[str, Row]:
    return {code: Row(code, names.get(code, code)) for code in sorted(keys)}


def bulletin(*, province: Province | None = None, today: date | None = None) -> Bulletin:
    today = today or timezone.localdate()
    vacancies = open_vacancies(today, province)
    by_occupation = list(
        vacancies.values("occupation_id").annotate(n=Count("id"), openings=Sum("openings")).order_by()
    )
    by_place = list(
        vacancies.values("province_id", "is_abroad", "is_remote")
        .annotate(n=Count("id"), openings=Sum("openings"))
        .order_by()
    )
    seeker_occupations = SeekerOccupation.objects.filter(seeker__in=looking_seekers(province).values("pk"))
    seekers_sub = dict(
        seeker_occupations.values("sub_major_group")
        .annotate(n=Count("seeker_id", distinct=True))
        .order_by()
        .values_list("sub_major_group", "n")
    )
    seekers_major = dict(
        seeker_occupations.annotate(major=Substr("sub_major_group", 1, 1))
        .values("major")
        .annotate(n=Count("seeker_id", distinct=True))
        .order_by()
        .values_list("major", "n")
    )
    seekers_place = dict(
        looking_seekers(province)
        .values("province_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("province_id", "n")
    )
    codes = dict(
        Occupation.objects.filter(pk__in=[r["occupation_id"] for r in by_occupation]).values_list(
            "pk", "code"
        )
    )
    group_names = {o.code: o.name for o in Occupation.objects.filter(Q(level=1) | Q(level=2))}
    provinces = {p.pk: p for p in Province.objects.all()}

    majors = _rows(group_names, {codes[r["occupation_id"]][:1] for r in by_occupation} | set(seekers_major))
    subs = _rows(group_names, {codes[r["occupation_id"]][:2] for r in by_occupation} | set(seekers_sub))
    for r in by_occupation:
        code = codes[r["occupation_id"]]
        for row in (majors[code[:1]], subs[code[:2]]):
            row.vacancies += r["n"]
            row.openings += r["openings"] or 0
    for code, n in seekers_major.items():
        majors[code].seekers = n
    for code, n in seekers_sub.items():
        subs[code].seekers = n

    places: dict[str, Row] = {}

    def place(key: str, name: str) -> Row:
        return places.setdefault(key, Row(key, name))

    for r in by_place:
        if r["is_abroad"]:
            row = place(ABROAD, _("Work abroad"))
        elif r["province_id"] is None:
            row = (
                place(REMOTE, _("Remote work")) if r["is_remote"] else place(UNKNOWN, _("Province not given"))
            )
        else:
            p = provinces[r["province_id"]]
            row = place(p.code, p.name)
        row.vacancies += r["n"]
        row.openings += r["openings"] or 0
    for province_id, n in seekers_place.items():
        if province_id is None:
            place(UNKNOWN, _("Province not given")).seekers += n
        else:
            p = provinces[province_id]
            place(p.code, p.name).seekers += n
    by_province = sorted(places.values(), key=lambda row: (-row.openings, -row.seekers, row.name))
    return Bulletin(
        as_of=today,
        province=province,
        vacancies=sum(r["n"] for r in by_occupation),
        openings=sum(r["openings"] or 0 for r in by_occupation),
        seekers=sum(seekers_place.values()),
        by_major=list(majors.values()),
        by_sub_major=list(subs.values()),
        by_province=by_province,
    )
