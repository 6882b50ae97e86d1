"""Matching through the API (mounted at /api/v1/jobs). Thin: `jobs.matching` decides who sees what.

- `GET /vacancies/{id}/matches`: the best job seekers for a vacancy, for its employer's staff (name and
  contacts only where the seeker shows them or applied to the employer) or a centre officer;
- `GET /me/matches`: the best open vacancies for the signed-in job seeker.
"""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from ansinh.api.auth import current_user
from ansinh.jobs import matching

router = Router(tags=["jobs"])


class SeekerMatchOut(Schema):
    seeker_id: int
    score: int = Field(description="0-100: occupation 40 (15 if related), skills 30, place 20, salary 10")
    reasons: list[str]
    headline: str
    education: str
    experience_years: int
    skills: str
    lives_in: str
    expected_salary: int | None
    applied: bool = Field(description="The seeker applied to one of the employer's vacancies")
    contacts_shown: bool
    name: str | None = Field(description="Null where the seeker does not show it to this caller")
    phone: str | None
    email: str | None


class VacancyRef(Schema):
    id: int
    title: str


class SeekerMatchesOut(Schema):
    vacancy: VacancyRef
    items: list[SeekerMatchOut]


class VacancyMatchOut(Schema):
    id: int
    title: str
    employer: str
    occupation: str
    province: str | None
    is_remote: bool
    is_abroad: bool
    country: str | None
    salary_min: int | None
    salary_max: int | None
    deadline: str
    score: int
    reasons: list[str]


class VacancyMatchesOut(Schema):
    items: list[VacancyMatchOut]


class LimitIn(Schema):
    limit: int = Field(
        matching.DEFAULT_LIMIT, ge=1, le=matching.MAX_LIMIT, description="How many, best first"
    )


@router.get(
    "/vacancies/{int:vacancy_id}/matches",
    response=SeekerMatchesOut,
    summary="The best job seekers for a vacancy, with why (its employer's staff, or a centre officer)",
)
def vacancy_matches(request: HttpRequest, vacancy_id: int, query: Query[LimitIn]) -> dict:
    actor = current_user(request)
    vacancy, as_centre = matching.match_vacancy_get_for(actor, vacancy_id)
    items = matching.seekers_for(actor, vacancy, as_centre=as_centre, limit=query.limit)
    return {
        "vacancy": {"id": vacancy.pk, "title": vacancy.title},
        "items": [{**item.__dict__, "contacts_shown": item.contacts_shown} for item in items],
    }


@router.get(
    "/me/matches",
    response=VacancyMatchesOut,
    summary="The open vacancies that fit the signed-in job seeker best, with why",
)
def my_matches(request: HttpRequest, query: Query[LimitIn]) -> dict:
    items = matching.vacancies_for_seeker(current_user(request), limit=query.limit)
    return {
        "items": [
            {
                "id": m.vacancy.pk,
                "title": m.vacancy.title,
                "employer": m.vacancy.employer.organisation.name,
                "occupation": str(m.vacancy.occupation),
                "province": str(m.vacancy.province) if m.vacancy.province else None,
                "is_remote": m.vacancy.is_remote,
                "is_abroad": m.vacancy.is_abroad,
                "country": str(m.vacancy.country) if m.vacancy.country else None,
                "salary_min": m.vacancy.salary_min,
                "salary_max": m.vacancy.salary_max,
                "deadline": m.vacancy.deadline.isoformat(),
                "score": m.score,
                "reasons": m.reasons,
            }
            for m in items
        ]
    }
