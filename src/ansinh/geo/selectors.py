"""Reads of public reference data (no scope: everyone may read places and lists)."""

from django.db.models import Q, QuerySet

from ansinh.core.errors import NotFound
from ansinh.core.text import normalise_search
from ansinh.geo.models import Country, Occupation, Province, Ward


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("name_search")


def ward_list(*, province_code: str, search: str = "") -> QuerySet[Ward]:
    if not Province.objects.filter(code=province_code).exists():
        raise NotFound()
    qs = Ward.objects.filter(province__code=province_code).select_related("province")
    if search:
        qs = qs.filter(name_search__contains=normalise_search(search))
    return qs.order_by("name_search", "code")


def country_list() -> QuerySet[Country]:
    return Country.objects.order_by("name_search")


def occupation_list(*, search: str = "") -> QuerySet[Occupation]:
    qs = Occupation.objects.all()
    if search:
        needle = normalise_search(search)
        qs = qs.filter(
            Q(code__startswith=search.strip())
            | Q(name_en__icontains=search.strip())
            | Q(name_vi__icontains=search.strip())
            | Q(code=needle)
        )
    return qs.order_by("code")
