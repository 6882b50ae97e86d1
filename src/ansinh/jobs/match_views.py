"""Matching pages. Thin: the same calls as the API (`jobs.matching`); who sees what is decided there."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ansinh.jobs import matching
from ansinh.jobs.errors import NoSeekerProfile
from ansinh.jobs.permissions import CENTRE_OPERATE, VACANCY_MANAGE
from ansinh.web.pages import signed_in_page


def _limit(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("limit", matching.DEFAULT_LIMIT))
    except ValueError:
        return matching.DEFAULT_LIMIT


def _seekers_page(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy, as_centre = matching.match_vacancy_get_for(request.user, vacancy_id)
    matches = matching.seekers_for(request.user, vacancy, as_centre=as_centre, limit=_limit(request))
    return render(
        request,
        "jobs/match/seekers.html",
        {"vacancy": vacancy, "matches": matches, "as_centre": as_centre},
    )


@signed_in_page(VACANCY_MANAGE)
def employer_matches(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    return _seekers_page(request, vacancy_id)


@signed_in_page(CENTRE_OPERATE)
def centre_matches(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    return _seekers_page(request, vacancy_id)


@signed_in_page()
def for_you(request: HttpRequest) -> HttpResponse:
    try:
        matches = matching.vacancies_for_seeker(request.user, limit=_limit(request))
    except NoSeekerProfile as exc:
        return render(request, "jobs/match/for_you.html", {"matches": [], "no_profile": exc.message})
    return render(request, "jobs/match/for_you.html", {"matches": matches})
