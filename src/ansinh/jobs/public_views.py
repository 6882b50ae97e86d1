"""The job exchange's public pages (no sign-in): the home (search box, latest vacancies, upcoming fairs),
search results, and a vacancy's page that search engines can read (server-rendered, with schema.org
`JobPosting` structured data).

Small pages for cheap phones: no images but the site's icon, no script of their own; every filter is a
plain GET form, so search works without JavaScript."""

import json
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from ansinh.core.errors import DomainError, NotFound, ValidationFailed
from ansinh.jobs import search
from ansinh.jobs import seeker_selectors as selectors
from ansinh.jobs.models import ContractType, Vacancy
from ansinh.jobs.seeker_forms import ApplyForm
from ansinh.jobs.selectors import vacancy_public_get
from ansinh.jobs.services.saved_searches import clean_filters
from ansinh.web.pages import denied

PAGE_SIZE = 20
MAX_PAGE = search.MAX_PAGES
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# schema.org employmentType for each contract type (Labour Code 2019 Art 20 and 32).
EMPLOYMENT_TYPE: dict[str, list[str]] = {
    ContractType.INDEFINITE: ["FULL_TIME"],
    ContractType.FIXED_TERM: ["FULL_TIME", "TEMPORARY"],
    ContractType.PART_TIME: ["PART_TIME"],
    ContractType.SEASONAL: ["TEMPORARY"],
    ContractType.APPRENTICESHIP: ["INTERN"],
}


def _search_context(q: str, filters: dict[str, Any]) -> dict[str, Any]:
    return {
        "q": q,
        "filters": filters,
        "provinces": selectors.province_choices(),
        "occupations": selectors.occupation_choices(),
        "contract_types": ContractType.choices,
    }


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    context = _search_context("", {})
    context.update(vacancies=selectors.latest_vacancies(10), fairs=selectors.upcoming_fairs(5))
    return render(request, "jobs/public/home.html", context)


@require_safe
def search_page(request: HttpRequest) -> HttpResponse:
    q = " ".join(request.GET.get("q", "").split())[:200]
    errors: dict[str, list[str]] = {}
    try:
        filters = clean_filters(request.GET)
    except ValidationFailed as exc:
        errors = exc.details["fields"]
        filters = {}
    try:
        page = max(1, min(MAX_PAGE, int(request.GET.get("page", "1"))))
    except ValueError:
        page = 1
    result = None
    if not errors:
        result = search.vacancy_search(query=q, page=page, page_size=PAGE_SIZE, **filters)
    query = request.GET.copy()
    query.pop("page", None)
    context = _search_context(q, filters)
    context.update(
        result=result,
        errors=errors,
        query=query.urlencode(),
        previous_page=page - 1 if page > 1 else None,
        next_page=page + 1 if result is not None and result.has_next and page < MAX_PAGE else None,
        page_number=page,
        saved_search_fields=[(key, value) for key, value in _filter_fields(filters)],
    )
    return render(request, "jobs/public/search.html", context, status=422 if errors else 200)


def _filter_fields(filters: dict[str, Any]) -> list[tuple[str, str]]:
    fields = []
    for key, value in filters.items():
        fields.append((key, ("1" if value else "0") if isinstance(value, bool) else str(value)))
    return fields


# --- the vacancy page ---------------------------------------------------------------------------------------


def _ld_json(data: dict[str, Any]) -> SafeString:
    """JSON for a `<script type="application/ld+json">`: "<", ">" and "&" escaped, so the text can never
    close the element (the same escaping as Django's json_script)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308 - escaped above


def job_posting(vacancy: Vacancy, url: str) -> dict[str, Any]:
    """schema.org JobPosting for search engines (Google's job search reads these fields)."""
    employer = vacancy.employer
    organisation: dict[str, Any] = {"@type": "Organization", "name": employer.organisation.name}
    if employer.website:
        organisation["sameAs"] = employer.website
    posting: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": "\n\n".join(part for part in (vacancy.description, vacancy.requirements) if part),
        "identifier": {
            "@type": "PropertyValue",
            "name": employer.organisation.name,
            "value": str(vacancy.pk),
        },
        "datePosted": vacancy.published_at.astimezone(VIETNAM).date().isoformat(),
        "validThrough": datetime.combine(vacancy.deadline, time(23, 59, 59), tzinfo=VIETNAM).isoformat(),
        "employmentType": EMPLOYMENT_TYPE.get(vacancy.contract_type, ["OTHER"]),
        "hiringOrganization": organisation,
        "occupationalCategory": f"{vacancy.occupation.code} {vacancy.occupation.name_en}",
        "totalJobOpenings": vacancy.openings,
        "directApply": True,
        "url": url,
    }
    if vacancy.is_abroad and vacancy.country is not None:
        posting["jobLocation"] = {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressCountry": vacancy.country.iso2},
        }
    elif vacancy.province is not None:
        address: dict[str, Any] = {
            "@type": "PostalAddress",
            "addressRegion": vacancy.province.name,
            "addressCountry": "VN",
        }
        if vacancy.ward is not None:
            address["addressLocality"] = vacancy.ward.name
        posting["jobLocation"] = {"@type": "Place", "address": address}
    if vacancy.is_remote:
        posting["jobLocationType"] = "TELECOMMUTE"
        posting["applicantLocationRequirements"] = {"@type": "Country", "name": "VN"}
    if vacancy.salary_min is not None or vacancy.salary_max is not None:
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": "MONTH"}
        if vacancy.salary_min is not None:
            value["minValue"] = vacancy.salary_min
        if vacancy.salary_max is not None:
            value["maxValue"] = vacancy.salary_max
        posting["baseSalary"] = {"@type": "MonetaryAmount", "currency": "VND", "value": value}
    return posting


@require_safe
def vacancy_page(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    try:
        vacancy = vacancy_public_get(vacancy_id)
    except NotFound as exc:
        return denied(request, exc)
    except DomainError as exc:  # pragma: no cover - the selector raises only NotFound
        return denied(request, exc)
    is_open = selectors.vacancy_is_open(vacancy)
    url = request.build_absolute_uri(reverse("jobs_public:vacancy", args=[vacancy.pk]))
    user = request.user
    profile = user.is_authenticated and selectors.has_seeker_profile(user)
    applied = bool(profile) and vacancy.pk in selectors.applied_vacancy_ids(user, [vacancy.pk])
    contract = vacancy.supply_contract
    context: dict[str, Any] = {
        "vacancy": vacancy,
        "is_open": is_open,
        "profile": profile,
        "applied": applied,
        "apply_form": ApplyForm() if is_open and profile and not applied else None,
        "contract": contract,
        "licence": selectors.supply_contract_licence(vacancy) if vacancy.is_abroad else None,
        "enterprise": contract.enterprise if contract is not None else None,
        "foreign_party": contract.foreign_party if contract is not None else None,
        "json_ld": _ld_json(job_posting(vacancy, url)) if is_open else None,
        "meta_description": strip_tags(vacancy.description)[:160],
        "login_next": f"{reverse('accounts:login')}?next={reverse('jobs_public:vacancy', args=[vacancy.pk])}",
    }
    return render(request, "jobs/public/vacancy.html", context)
