"""Reads of public reference data (no scope: everyone may read places and lists)."""

from django.db.models import Q, QuerySet

from ansinh.core.errors import NotFound
from ansinh.core.text import normalise_search
from ansinh.geo.models import Country, Occupation, Province, Ward
from ansinh.geo.names import search_terms


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("name_search", "code")


def province_get(code: str) -> Province:
    province = Province.objects.filter(code=code).first()
    if province is None:
        raise NotFound()
    return province


def ward_list(*, province_code: str, search: str = "") -> QuerySet[Ward]:
    """Wards of one province, by name; `search` ignores accents, case and a leading "phường"/"xã"."""
    province = province_get(province_code)
    qs = Ward.objects.filter(province=province).select_related("province")
    needle, name_start = search_terms(search)
    if needle:
        match = Q(name_search__contains=needle)
        if name_start:
            match |= Q(name_search__startswith=name_start)
        qs = qs.filter(match)
    return qs.order_by("name_search", "code")


def country_list() -> QuerySet[Country]:
    return Country.objects.order_by("name_search")


def occupation_list(*, search: str = "", level: int | None = None) -> QuerySet[Occupation]:
    """ISCO-08 groups; `search` is a code prefix ("53") or words of either name ("cham soc", "care")."""
    qs = Occupation.objects.all()
    if level is not None:
        qs = qs.filter(level=level)
    needle = normalise_search(search)
    if needle.isdigit():
        qs = qs.filter(code__startswith=needle)
    elif needle:
        qs = qs.filter(name_search__contains=needle)
    return qs.order_by("code")
