"""Public vacancy search: `GET /api/v1/jobs/vacancies?q=&province=&occupation=&salary_min=&contract_type=
&abroad=&page=&page_size=` (no login). Thin: the query and its two backends are `jobs.search`."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from ansinh.jobs import search
from ansinh.jobs.models import ContractType, Vacancy

router = Router(tags=["jobs"])


class SearchIn(Schema):
    q: str = Field(
        "", max_length=200, description="Words; with or without diacritics ('ke toan' = 'kế toán')"
    )
    province: str | None = Field(None, max_length=8, description="Province code, e.g. 79")
    occupation: str | None = Field(
        None, max_length=4, pattern=r"^\d{1,4}$", description="ISCO-08 code of any level: the group and below"
    )
    salary_min: int | None = Field(
        None, ge=0, description="VND a month: vacancies that may pay at least this"
    )
    contract_type: ContractType | None = None
    abroad: bool | None = Field(None, description="true: work abroad only; false: in Viet Nam only")
    page: int = Field(1, ge=1, le=search.MAX_PAGES)
    page_size: int = Field(search.PAGE_SIZE, ge=1, le=search.MAX_PAGE_SIZE)


class CodeName(Schema):
    code: str
    name: str


class VacancyHit(Schema):
    id: int
    title: str
    employer: str
    occupation: CodeName
    province: CodeName | None
    country: CodeName | None
    is_remote: bool
    is_abroad: bool
    salary_min: int | None
    salary_max: int | None
    contract_type: str
    contract_type_label: str
    openings: int
    deadline: date
    published_at: datetime


class SearchOut(Schema):
    items: list[VacancyHit]
    count: int | None = Field(
        description=f"Matches, counted up to {search.TOTAL_CAP:,}; null when more or too many to count "
        "quickly",
    )
    page: int
    page_size: int
    pages: int | None = Field(description="null when the count is not known")
    has_next: bool
    partial: bool = Field(description="No vacancy has the words; these contain them as parts of words")
    words: list[str] = Field(description="The words searched for, normalised")


def _hit(vacancy: Vacancy) -> dict[str, Any]:
    occupation = vacancy.occupation
    province = vacancy.province
    country = vacancy.country
    return {
        "id": vacancy.pk,
        "title": vacancy.title,
        "employer": vacancy.employer.organisation.display_name,
        "occupation": {"code": occupation.code, "name": occupation.name},
        "province": {"code": province.code, "name": province.name} if province else None,
        "country": {"code": country.iso2, "name": country.name} if country else None,
        "is_remote": vacancy.is_remote,
        "is_abroad": vacancy.is_abroad,
        "salary_min": vacancy.salary_min,
        "salary_max": vacancy.salary_max,
        "contract_type": vacancy.contract_type,
        "contract_type_label": vacancy.get_contract_type_display(),
        "openings": vacancy.openings,
        "deadline": vacancy.deadline,
        "published_at": vacancy.published_at,
    }


@router.get(
    "/vacancies",
    auth=None,
    response=SearchOut,
    summary="Search open vacancies (no login)",
    description=(
        "Open vacancies of verified employers whose deadline has not passed, most relevant first (all words "
        "in the title, then anywhere in the vacancy), then newest. Words match without diacritics and the "
        f"last word as a prefix. `count` is exact up to {search.TOTAL_CAP:,}, null above (or when a common "
        f"word is not counted); pages stop at {search.MAX_PAGES}."
    ),
)
def vacancy_search(request: HttpRequest, filters: Query[SearchIn]) -> dict[str, Any]:
    found = search.vacancy_search(
        query=filters.q,
        province=filters.province or None,
        occupation=filters.occupation or None,
        salary_min=filters.salary_min,
        contract_type=filters.contract_type.value if filters.contract_type else None,
        abroad=filters.abroad,
        page=filters.page,
        page_size=filters.page_size,
    )
    pages = None if found.total is None else max(1, -(-found.total // found.page_size))
    return {
        "items": [_hit(vacancy) for vacancy in found.results],
        "count": found.total,
        "page": found.page,
        "page_size": found.page_size,
        "pages": pages,
        "has_next": found.has_next,
        "partial": found.partial,
        "words": found.words,
    }
