"""Who may use the employment service centres' pages and endpoints (see tests/authz/matrix.py).

The world: Hồ Chí Minh City's centre (`c79`, with its department `d79`) and Hà Nội's (`c01`), the ministry,
and employer A. Each centre has a booked counselling appointment, a placement reported by its officer and a
waiting ticket. A centre's staff work on their own centre only (another centre's rows are "not found"); the
province's department reads its centres' figures and sets their targets but does not run their services;
the ministry reads the figures nationwide; seekers and employers are refused; the survey link works for
anyone holding the right token, and only that token."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.accounts.models import Organisation
from ansinh.jobs.services import counselling, counter, placements
from tests.authz.matrix import World, cases, hides, run_case, shows
from tests.jobs.test_centre_services import held_appointment, survey_token
from tests.jobs.world import build_world

# ruff: noqa: E501 - the matrix is a table: one row per line

pytestmark = pytest.mark.django_db

TOKEN = "matrix-survey-token"
HOME = {
    "employment_centre_officer": "c79",
    "employment_centre_head": "c79",
    "provincial_officer": "d79",
    "ministry_officer": "ministry",
    "employer_admin": "emp_a",
}
YEAR = timezone.localdate().year


@pytest.fixture
def world(reference_data):
    built = build_world()
    when = timezone.now() + timedelta(days=1)
    lan = built.seeker_anonymous.person.user
    minh = built.seeker_full.person.user
    appt_79 = counselling.appointment_book(
        actor=lan, centre_id=built.centre_hcm.pk, starts_at=when, channel="phone", topic="Tìm việc"
    )
    appt_01 = counselling.appointment_book(
        actor=minh, centre_id=built.centre_hanoi.pk, starts_at=when, channel="phone", topic="Tìm việc"
    )
    place = {"personal_id": "079095001234", "full_name": "Hồ Nam", "employer_name": "X", "job_title": "Y"}
    placement_79 = placements.placement_report(actor=built.centre_officer, **place)
    placement_01 = placements.placement_report(
        actor=built.other_centre_officer, **{**place, "personal_id": "001095001234"}
    )
    ticket_79 = counter.ticket_issue(actor=built.centre_officer, purpose="Tìm việc")
    ticket_01 = counter.ticket_issue(actor=built.other_centre_officer, purpose="Tìm việc")
    served = held_appointment(built, personal_id="079195004321")
    from ansinh.jobs.models import ServiceRecord

    survey_token(ServiceRecord.objects.get(source_id=served.pk, kind="counselling"), TOKEN)
    ministry = Organisation.objects.get(memberships__user=built.ministry_officer)
    return World(
        orgs={
            "c79": built.centre_hcm,
            "c01": built.centre_hanoi,
            "d79": built.dept_hcm,
            "ministry": ministry,
            "emp_a": built.employer_a.organisation,
        },
        home=HOME,
        objects={
            "appt_79": appt_79,
            "appt_01": appt_01,
            "placement_79": placement_79,
            "placement_01": placement_01,
            "ticket_79": ticket_79,
            "ticket_01": ticket_01,
            "reporter_79": built.centre_officer,
            "token": TOKEN,
        },
        default_province=built.hcm,
    )


OFFICER = "employment_centre_officer"
HEAD = "employment_centre_head"
PROVINCE = "provincial_officer"
MINISTRY = "ministry_officer"
EMPLOYER = "employer_admin"
POST_OK = {"redirect_is_success": True}

PAGES = [
    # actor       method  url                                           expect  detail / check
    ("anonymous", "GET",  "/staff/jobs/",                               302,    "/accounts/login/"),
    ("citizen",   "GET",  "/staff/jobs/",                               403),
    (EMPLOYER,    "GET",  "/staff/jobs/",                               403),
    (OFFICER,     "GET",  "/staff/jobs/",                               200),
    (MINISTRY,    "GET",  "/staff/jobs/",                               200),
    ("anonymous", "GET",  "/staff/jobs/counselling/",                   302,    "/accounts/login/"),
    ("citizen",   "GET",  "/staff/jobs/counselling/",                   403),
    (EMPLOYER,    "GET",  "/staff/jobs/counselling/",                   403),
    (PROVINCE,    "GET",  "/staff/jobs/counselling/",                   403),
    (MINISTRY,    "GET",  "/staff/jobs/counselling/",                   403),
    (OFFICER,     "GET",  "/staff/jobs/counselling/",                   200),
    (OFFICER,     "GET",  "/staff/jobs/counselling/?centre={c01}",      404),
    (OFFICER,     "GET",  "/staff/jobs/counselling/{appt_79}/",         200),
    (OFFICER,     "GET",  "/staff/jobs/counselling/{appt_01}/",         404),
    (OFFICER,     "POST", "/staff/jobs/counselling/{appt_01}/",         404,    {"body": {"status": "no_show"}}),
    (OFFICER,     "POST", "/staff/jobs/counselling/{appt_79}/",         302,    {"body": {"status": "no_show"}, **POST_OK}),
    (PROVINCE,    "POST", "/staff/jobs/counselling/{appt_79}/",         403,    {"body": {"status": "no_show"}}),
    ("anonymous", "GET",  "/jobs/counselling/",                         302,    "/accounts/login/"),
    ("citizen",   "GET",  "/jobs/counselling/",                         200),
    ("citizen",   "POST", "/jobs/counselling/{appt_79}/cancel/",        404),
    (OFFICER,     "GET",  "/staff/jobs/talks/",                         200),
    (OFFICER,     "GET",  "/staff/jobs/talks/?centre={c01}",            404),
    (EMPLOYER,    "GET",  "/staff/jobs/talks/",                         403),
    (OFFICER,     "GET",  "/staff/jobs/counter/",                       200),
    (OFFICER,     "GET",  "/staff/jobs/counter/?centre={c01}",          404),
    ("citizen",   "GET",  "/staff/jobs/counter/",                       403),
    (OFFICER,     "POST", "/staff/jobs/counter/",                       404,    {"body": {"action": "leave", "ticket": "{ticket_01}"}}),
    (OFFICER,     "POST", "/staff/jobs/counter/",                       302,    {"body": {"action": "leave", "ticket": "{ticket_79}"}, **POST_OK}),
    ("anonymous", "GET",  "/jobs/queue/{c79}/",                         200),
    ("anonymous", "GET",  "/jobs/queue/{d79}/",                         404),
    (OFFICER,     "GET",  "/staff/jobs/placements/",                    200),
    (OFFICER,     "GET",  "/staff/jobs/placements/{placement_79}/",     200),
    (OFFICER,     "GET",  "/staff/jobs/placements/{placement_01}/",     404),
    (OFFICER,     "POST", "/staff/jobs/placements/{placement_01}/",     404,    {"body": {"action": "verify"}}),
    (HEAD,        "POST", "/staff/jobs/placements/{placement_79}/",     302,    {"body": {"action": "verify"}, **POST_OK}),
    (PROVINCE,    "GET",  "/staff/jobs/placements/{placement_79}/",     403),
    (EMPLOYER,    "GET",  "/staff/jobs/placements/",                    403),
    (OFFICER,     "GET",  "/staff/jobs/surveys/",                       200),
    (OFFICER,     "GET",  "/staff/jobs/surveys/?centre={c01}",          404),
    (PROVINCE,    "GET",  "/staff/jobs/surveys/",                       200),
    (MINISTRY,    "GET",  "/staff/jobs/surveys/?centre={c01}",          200),
    ("citizen",   "GET",  "/staff/jobs/surveys/",                       403),
    (HEAD,        "GET",  "/staff/jobs/targets/",                       200),
    (PROVINCE,    "GET",  "/staff/jobs/targets/?centre={c79}",          200),
    (PROVINCE,    "GET",  "/staff/jobs/targets/?centre={c01}",          404),
    (PROVINCE,    "POST", "/staff/jobs/targets/?centre={c01}",          404,    {"body": {"year": YEAR, "placements": "5"}}),
    (OFFICER,     "GET",  "/staff/jobs/targets/",                       403),
    (OFFICER,     "POST", "/staff/jobs/targets/",                       403,    {"body": {"year": YEAR, "placements": "5"}}),
    (MINISTRY,    "GET",  "/staff/jobs/targets/",                       403),
    (OFFICER,     "GET",  "/staff/jobs/dashboard/",                     200),
    (OFFICER,     "GET",  "/staff/jobs/dashboard/?centre={c01}",        404),
    (PROVINCE,    "GET",  "/staff/jobs/dashboard/?centre={c01}",        404),
    (PROVINCE,    "GET",  "/staff/jobs/dashboard/",                     200),
    (MINISTRY,    "GET",  "/staff/jobs/dashboard/?centre={c01}",        200),
    (EMPLOYER,    "GET",  "/staff/jobs/dashboard/",                     403),
    ("citizen",   "GET",  "/staff/jobs/dashboard.xlsx",                 403),
    (OFFICER,     "GET",  "/staff/jobs/dashboard.xlsx?centre={c01}",    404),
    (OFFICER,     "GET",  "/staff/jobs/dashboard.xlsx",                 200),
    (MINISTRY,    "GET",  "/staff/jobs/bulletin/",                      200),
    (MINISTRY,    "GET",  "/staff/jobs/bulletin.xlsx",                  200),
    ("citizen",   "GET",  "/staff/jobs/bulletin/",                      403),
    (EMPLOYER,    "GET",  "/staff/jobs/bulletin.xlsx",                  403),
    ("anonymous", "GET",  "/jobs/bulletin/",                            200),
    ("anonymous", "GET",  "/jobs/survey/{token}/",                      200),
    ("anonymous", "GET",  "/jobs/survey/not-the-token/",                404),
    ("anonymous", "POST", "/jobs/survey/not-the-token/",                404,    {"body": {"score": "5"}}),
    ("anonymous", "POST", "/jobs/survey/{token}/",                      302,    {"body": {"score": "5"}, **POST_OK}),
]  # fmt: skip

API = [
    ("anonymous", "GET",  "/api/v1/jobs/centre/appointments",           401,    "auth.required"),
    ("citizen",   "GET",  "/api/v1/jobs/centre/appointments",           403,    "permission.denied"),
    (EMPLOYER,    "GET",  "/api/v1/jobs/centre/appointments",           403,    "permission.denied"),
    (OFFICER,     "GET",  "/api/v1/jobs/centre/appointments",           200,    shows("appt_79")),
    (OFFICER,     "GET",  "/api/v1/jobs/centre/appointments",           200,    hides("appt_01")),
    (OFFICER,     "POST", "/api/v1/jobs/centre/appointments/{appt_01}/record", 404, "not_found", {"body": {"status": "no_show"}}),
    (OFFICER,     "POST", "/api/v1/jobs/centre/appointments/{appt_79}/record", 200, {"body": {"status": "no_show"}}),
    (PROVINCE,    "POST", "/api/v1/jobs/centre/appointments/{appt_79}/record", 403, {"body": {"status": "no_show"}}),
    ("anonymous", "POST", "/api/v1/jobs/counselling",                   401,    {"body": {"centre_id": 1, "starts_at": "2030-01-01T09:00:00Z", "topic": "x"}}),
    ("citizen",   "GET",  "/api/v1/jobs/counselling/mine",              200),
    (OFFICER,     "GET",  "/api/v1/jobs/centre/talks",                  200),
    (EMPLOYER,    "POST", "/api/v1/jobs/centre/talks",                  403,    {"body": {"school": "A", "held_on": "2025-01-01", "attendees": 5}}),
    (OFFICER,     "GET",  "/api/v1/jobs/centre/{c01}/queue",            404),
    (OFFICER,     "GET",  "/api/v1/jobs/centre/{c79}/queue",            200),
    (OFFICER,     "POST", "/api/v1/jobs/centre/{c01}/tickets",          404,    {"body": {"purpose": "x"}}),
    ("citizen",   "POST", "/api/v1/jobs/centre/{c79}/tickets",          403,    {"body": {"purpose": "x"}}),
    (OFFICER,     "POST", "/api/v1/jobs/centre/{c01}/tickets/next",     404,    {"body": {"desk": "1"}}),
    (OFFICER,     "POST", "/api/v1/jobs/centre/tickets/{ticket_01}/left", 404),
    (OFFICER,     "POST", "/api/v1/jobs/centre/tickets/{ticket_01}/served", 404, {"body": {}}),
    (OFFICER,     "POST", "/api/v1/jobs/centre/tickets/{ticket_79}/left", 200),
    (OFFICER,     "GET",  "/api/v1/jobs/centre/placements",             200, shows("placement_79")),
    (OFFICER,     "GET",  "/api/v1/jobs/centre/placements",             200,    hides("placement_01")),
    (OFFICER,     "POST", "/api/v1/jobs/centre/placements/{placement_01}/verify", 404, "not_found"),
    ("as:reporter_79", "POST", "/api/v1/jobs/centre/placements/{placement_79}/verify", 409, "jobs.placement_self_check"),
    (OFFICER,     "POST", "/api/v1/jobs/centre/placements/{placement_79}/verify", 200),
    (HEAD,        "POST", "/api/v1/jobs/centre/placements/{placement_79}/reject", 200, {"body": {"reason": "Sai"}}),
    (PROVINCE,    "POST", "/api/v1/jobs/centre/placements/{placement_79}/verify", 403),
    (EMPLOYER,    "POST", "/api/v1/jobs/centre/placements",             403,    {"body": {"personal_id": "079095001234", "job_title": "Y"}}),
    (HEAD,        "PUT",  "/api/v1/jobs/centre/{c79}/targets",          200,    {"body": {"year": YEAR, "targets": {"fairs": 4}}}),
    (HEAD,        "PUT",  "/api/v1/jobs/centre/{c01}/targets",          404,    {"body": {"year": YEAR, "targets": {"fairs": 4}}}),
    (PROVINCE,    "PUT",  "/api/v1/jobs/centre/{c79}/targets",          200,    {"body": {"year": YEAR, "targets": {"fairs": 4}}}),
    (OFFICER,     "PUT",  "/api/v1/jobs/centre/{c79}/targets",          403,    {"body": {"year": YEAR, "targets": {"fairs": 4}}}),
    (MINISTRY,    "PUT",  "/api/v1/jobs/centre/{c79}/targets",          403,    {"body": {"year": YEAR, "targets": {"fairs": 4}}}),
    ("anonymous", "GET",  "/api/v1/jobs/centre/dashboard",              401),
    (EMPLOYER,    "GET",  "/api/v1/jobs/centre/dashboard",              403),
    (OFFICER,     "GET",  "/api/v1/jobs/centre/dashboard?centre_id={c01}", 404),
    (MINISTRY,    "GET",  "/api/v1/jobs/centre/dashboard?centre_id={c01}", 200),
    (OFFICER,     "GET",  "/api/v1/jobs/centre/surveys",                200),
    (OFFICER,     "GET",  "/api/v1/jobs/centre/surveys?centre_id={c01}", 404),
    ("citizen",   "GET",  "/api/v1/jobs/centre/surveys",                403),
    ("anonymous", "GET",  "/api/v1/jobs/bulletin",                      200),
    ("anonymous", "GET",  "/api/v1/jobs/surveys/{token}",               200),
    ("anonymous", "GET",  "/api/v1/jobs/surveys/wrong",                 404,    "not_found"),
    ("anonymous", "POST", "/api/v1/jobs/surveys/wrong",                 404,    "not_found", {"body": {"score": 5}}),
    ("anonymous", "POST", "/api/v1/jobs/surveys/{token}",               200,    {"body": {"score": 5}}),
]  # fmt: skip


@pytest.mark.parametrize("case", cases(PAGES), ids=str)
def test_centre_pages(case, world, client):
    run_case(client, world, case)


@pytest.mark.parametrize("case", cases(API), ids=str)
def test_centre_api(case, world, client):
    run_case(client, world, case)
