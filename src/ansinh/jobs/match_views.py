"""Matching pages. Thin: the same calls as the API (`jobs.matching`); who sees what is decided there."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ansinh.accounts.selectors import has_permission
from ansinh.core.errors import DomainError
from ansinh.jobs import matching
from ansinh.jobs.errors import NoSeekerProfile
from ansinh.jobs.permissions import CENTRE_OPERATE, VACANCY_MANAGE
from ansinh.jobs.services import referrals
from ansinh.unemployment.permissions import CLAIM_HANDLE
from ansinh.web.forms import error_text
from ansinh.web.pages import signed_in_page


def _limit(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("limit", matching.DEFAULT_LIMIT))
    except ValueError:
        return matching.DEFAULT_LIMIT


def _seekers_page(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy, as_centre = matching.match_vacancy_get_for(request.user, vacancy_id)
    matches = matching.seekers_for(request.user, vacancy, as_centre=as_centre, limit=_limit(request))
    claimants: set[int] = set()
    if as_centre and has_permission(request.user, CLAIM_HANDLE):
        claimants = referrals.claimant_seeker_ids(request.user, [m.seeker_id for m in matches])
    return render(
        request,
        "jobs/match/seekers.html",
        {"vacancy": vacancy, "matches": matches, "as_centre": as_centre, "claimants": claimants},
    )


@signed_in_page(VACANCY_MANAGE)
def employer_matches(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    return _seekers_page(request, vacancy_id)


@signed_in_page(CENTRE_OPERATE)
def centre_matches(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    return _seekers_page(request, vacancy_id)


@require_POST
@signed_in_page(CENTRE_OPERATE)
def centre_refer(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    """Refers a matched benefit claimant to the vacancy (the unemployment benefit records the answer)."""
    try:
        seeker_id = int(request.POST.get("seeker_id", ""))
        referrals.referral_to_vacancy(actor=request.user, vacancy_id=vacancy_id, seeker_id=seeker_id)
    except ValueError:
        messages.error(request, _("Choose the person to refer."))
    except DomainError as exc:
        if exc.status in (403, 404):
            raise
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The referral is recorded on the person's unemployment benefit."))
    return redirect("jobs_match:centre", vacancy_id)


@signed_in_page()
def for_you(request: HttpRequest) -> HttpResponse:
    try:
        matches = matching.vacancies_for_seeker(request.user, limit=_limit(request))
    except NoSeekerProfile as exc:
        return render(request, "jobs/match/for_you.html", {"matches": [], "no_profile": exc.message})
    return render(request, "jobs/match/for_you.html", {"matches": matches})
