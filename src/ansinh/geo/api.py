"""Public reference lists: provinces, wards, countries, occupations."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from ansinh.api.pagination import PageNumber
from ansinh.geo import selectors
from ansinh.geo.models import Country, Occupation, Province, Ward

router = Router(tags=["reference"])


class ProvinceOut(Schema):
    code: str
    name: str
    name_en: str
    unit_type: str


class WardOut(Schema):
    code: str
    name: str
    unit_type: str
    province_code: str

    @staticmethod
    def resolve_province_code(obj: Ward) -> str:
        return obj.province.code


class CountryOut(Schema):
    iso2: str
    iso3: str
    name_vi: str
    name_en: str


class OccupationOut(Schema):
    code: str
    level: int
    name_vi: str
    name_en: str


@router.get(
    "/provinces", auth=None, response=list[ProvinceOut], summary="The 34 provinces (from 1 July 2025)"
)
def provinces(request: HttpRequest) -> QuerySet[Province]:
    return selectors.province_list()


@router.get(
    "/provinces/{code}/wards", auth=None, response=list[WardOut], summary="Wards and communes of a province"
)
@paginate(PageNumber)
def wards(request: HttpRequest, code: str, q: str = Query("", max_length=100)) -> QuerySet[Ward]:
    return selectors.ward_list(province_code=code, search=q)


@router.get("/countries", auth=None, response=list[CountryOut], summary="Countries (ISO 3166-1)")
def countries(request: HttpRequest) -> QuerySet[Country]:
    return selectors.country_list()


@router.get("/occupations", auth=None, response=list[OccupationOut], summary="Occupations (ISCO-08 groups)")
@paginate(PageNumber)
def occupations(
    request: HttpRequest,
    q: str = Query("", max_length=100),
    level: int | None = Query(None, ge=1, le=4, description="1 major, 2 sub-major, 3 minor, 4 unit group"),
) -> QuerySet[Occupation]:
    return selectors.occupation_list(search=q, level=level)
