"""The satisfaction survey a person reaches from the link sent after a service. No sign-in: the link's token
is the proof of having been served (only its hash is stored), and it answers once."""

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ansinh.core.errors import DomainError, NotFound
from ansinh.jobs.centre_forms import SurveyForm
from ansinh.jobs.errors import SurveyAnswered
from ansinh.jobs.models import ServiceKind
from ansinh.jobs.services.service_records import survey_answer, survey_for_token
from ansinh.web.forms import apply_domain_error
from ansinh.web.pages import denied


def _thanks(request: HttpRequest, survey: object, *, status: int = 200, again: bool = False) -> HttpResponse:
    return render(request, "jobs/survey/thanks.html", {"survey": survey, "again": again}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def survey(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        found = survey_for_token(token[:100])
    except NotFound as exc:
        return denied(request, exc)
    if found.answered_at is not None and request.method != "POST":
        return _thanks(request, found)
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        if found.answered_at is not None:
            return _thanks(request, found, status=SurveyAnswered.status, again=True)
        if form.is_valid():
            try:
                survey_answer(token=token, **form.cleaned_data)
            except SurveyAnswered:
                return _thanks(request, found, status=SurveyAnswered.status, again=True)
            except DomainError as exc:
                apply_domain_error(form, exc)
            else:
                return redirect(request.path)
    context = {
        "form": form,
        "centre": found.service.centre,
        "service": ServiceKind(found.service.kind).label,
        "delivered_at": found.service.delivered_at,
    }
    return render(request, "jobs/survey/survey.html", context, status=422 if form.errors else 200)
