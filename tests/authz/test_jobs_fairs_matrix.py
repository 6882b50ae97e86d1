# ruff: noqa: E501 - the matrix is a table, one row a line
"""Who may use the job fairs' pages and endpoints (see tests/authz/matrix.py).

The world: tests/jobs/world.py (Hồ Chí Minh City's centre and department, Hà Nội's centre, employers A and
B, seekers Lan and Minh) with Hồ Chí Minh City's online fair (`fair`: A's booth, a slot with a video link,
Lan's booking) and its in-person fair (`door_fair`, Lan registered).

Employer B cannot touch A's booth, slots or bookings (404); a seeker cannot see or cancel another's booking
(404); Hà Nội's centre cannot see or change Hồ Chí Minh City's fairs (404); the province's department reads
the fairs and results but changes nothing (403); refusals change nothing (the matrix checks the database)."""

from datetime import timedelta

import pytest

from ansinh.jobs.models import FairKind
from ansinh.jobs.services import bookings, fairs
from tests.authz.matrix import World, cases, hides, labelled, run_case, shows
from tests.jobs.world import build_world

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.vn/phong-phong-van-1"


@pytest.fixture
def world(reference_data):
    w = build_world()
    lan, minh = w.seeker_anonymous.person.user, w.seeker_full.person.user
    fair = fairs.fair_create(
        actor=w.centre_officer,
        title="Ngày hội việc làm trực tuyến TP.HCM",
        kind=FairKind.ONLINE,
        starts_at=_soon(),
        ends_at=_soon() + timedelta(hours=8),
        online_url="https://www.facebook.com/vieclamhcm/live",
    )
    booth = fairs.booth_take(actor=w.admin_a, fair_id=fair.pk, vacancy_ids=[w.vacancy_a.pk])
    slot = fairs.slot_add(
        actor=w.admin_a,
        booth_id=booth.pk,
        starts_at=fair.starts_at + timedelta(hours=1),
        ends_at=fair.starts_at + timedelta(hours=2),
        capacity=3,
        video_link=LINK,
    )
    booking = bookings.booking_create(actor=lan, slot_id=slot.pk)
    door_fair = fairs.fair_create(
        actor=w.centre_officer,
        title="Phiên giao dịch việc làm tại chỗ",
        kind=FairKind.IN_PERSON,
        starts_at=_soon(),
        ends_at=_soon() + timedelta(hours=4),
        venue="Nhà văn hoá Thanh Niên",
    )
    registration = fairs.fair_register(actor=lan, fair_id=door_fair.pk)
    return World(
        orgs={"centre_hcm": w.centre_hcm, "centre_hanoi": w.centre_hanoi},
        home={},
        objects={
            "fair": fair,
            "door_fair": door_fair,
            "booth": booth,
            "slot": slot,
            "booking": booking,
            "code": registration.code,
            "centre": w.centre_officer,
            "other_centre": w.other_centre_officer,
            "province": w.provincial_officer,
            "ministry": w.ministry_officer,
            "employer_a": w.admin_a,
            "employer_b": w.admin_b,
            "pending": w.admin_pending,
            "lan": lan,
            "minh": minh,
        },
        default_province=w.hcm,
    )


def _soon():
    from django.utils import timezone

    return timezone.now().replace(second=0, microsecond=0) + timedelta(days=2)


def _no_link(response, world, actor):
    assert LINK not in response.content.decode()


def _has_link(response, world, actor):
    assert LINK in response.content.decode()


no_link = labelled(_no_link, "no video link")
has_link = labelled(_has_link, "video link")

F = "/api/v1/jobs/fairs"
NEW_FAIR = {
    "title": "Hội chợ mới",
    "kind": "online",
    "starts_at": "2099-01-01T09:00:00+07:00",
    "ends_at": "2099-01-01T17:00:00+07:00",
    "online_url": "https://example.vn/live",
}
SLOT = {"starts_at": "2099-01-01T09:00:00+07:00", "ends_at": "2099-01-01T10:00:00+07:00", "capacity": 1}
RESULTS = {"booths": [], "close": False}

API = [
    # actor                 method  url                                        expect  extras
    ("anonymous",           "GET",  F,                                         200),
    ("anonymous",           "GET",  F + "/{fair}",                             200,    no_link),
    ("anonymous",           "GET",  F + "/mine",                               401,    "auth.required"),
    ("citizen",             "GET",  F + "/mine",                               409,    "jobs.no_profile"),
    ("as:minh",             "GET",  F + "/mine",                               200,    no_link),
    ("as:lan",              "GET",  F + "/mine",                               200,    has_link),
    ("anonymous",           "POST", F,                                         401,    {"body": NEW_FAIR}),
    ("as:employer_a",       "POST", F,                                         403,    {"body": NEW_FAIR}),
    ("as:province",         "POST", F,                                         403,    {"body": NEW_FAIR}),
    ("as:lan",              "POST", F,                                         403,    {"body": NEW_FAIR}),
    ("as:centre",           "POST", F,                                         201,    {"body": NEW_FAIR}),
    ("as:other_centre",     "PATCH", F + "/{fair}",                            404,    {"body": {"title": "X"}}),
    ("as:province",         "PATCH", F + "/{fair}",                            403,    {"body": {"title": "X"}}),
    ("as:employer_a",       "PATCH", F + "/{fair}",                            403,    {"body": {"title": "X"}}),
    ("as:centre",           "PATCH", F + "/{fair}",                            200,    {"body": {"title": "Đổi tên"}}),
    ("as:other_centre",     "POST", F + "/{fair}/cancel",                      404),
    ("as:employer_a",       "POST", F + "/{fair}/cancel",                      403),
    ("as:other_centre",     "POST", F + "/{door_fair}/check-in",               404,    {"body": {"code": "{code}"}}),
    ("as:province",         "POST", F + "/{door_fair}/check-in",               403,    {"body": {"code": "{code}"}}),
    ("as:lan",              "POST", F + "/{door_fair}/check-in",               403,    {"body": {"code": "{code}"}}),
    ("as:other_centre",     "POST", F + "/{door_fair}/walk-ins",               404,    {"body": {"full_name": "A", "phone": "0912000111"}}),
    ("as:employer_a",       "POST", F + "/{door_fair}/walk-ins",               403,    {"body": {"full_name": "A", "phone": "0912000111"}}),
    ("as:other_centre",     "GET",  F + "/{fair}/results",                     404),
    ("as:employer_a",       "GET",  F + "/{fair}/results",                     403),
    ("as:lan",              "GET",  F + "/{fair}/results",                     403),
    ("as:province",         "GET",  F + "/{fair}/results",                     200),
    ("as:ministry",         "GET",  F + "/{fair}/results",                     200),
    ("as:province",         "PUT",  F + "/{fair}/results",                     403,    {"body": RESULTS}),
    ("as:other_centre",     "PUT",  F + "/{fair}/results",                     404,    {"body": RESULTS}),
    ("as:lan",              "POST", F + "/{fair}/booths",                      403,    {"body": {"vacancy_ids": []}}),
    ("as:pending",          "POST", F + "/{fair}/booths",                      409,    {"body": {"vacancy_ids": []}}),
    ("as:employer_b",       "POST", F + "/{fair}/booths",                      403,    {"body": {"tax_code": "0301234567"}}),
    ("as:employer_b",       "POST", F + "/{fair}/booths",                      201,    {"body": {"vacancy_ids": []}}),
    ("as:employer_b",       "PUT",  F + "/booths/{booth}/vacancies",           404,    {"body": {"vacancy_ids": []}}),
    ("as:other_centre",     "PUT",  F + "/booths/{booth}/vacancies",           404,    {"body": {"vacancy_ids": []}}),
    ("as:employer_a",       "PUT",  F + "/booths/{booth}/vacancies",           200,    {"body": {"vacancy_ids": []}}),
    ("as:employer_b",       "GET",  F + "/booths/{booth}/slots",               404),
    ("as:lan",              "GET",  F + "/booths/{booth}/slots",               403),
    ("as:other_centre",     "GET",  F + "/booths/{booth}/slots",               404),
    ("as:employer_a",       "GET",  F + "/booths/{booth}/slots",               200,    has_link),
    ("as:centre",           "GET",  F + "/booths/{booth}/slots",               200,    has_link),
    ("as:employer_b",       "POST", F + "/booths/{booth}/slots",               404,    {"body": SLOT}),
    ("as:lan",              "POST", F + "/booths/{booth}/slots",               403,    {"body": SLOT}),
    ("as:employer_b",       "DELETE", F + "/slots/{slot}",                     404),
    ("as:lan",              "DELETE", F + "/slots/{slot}",                     403),
    ("as:employer_b",       "GET",  F + "/booths/{booth}/bookings",            404),
    ("as:minh",             "GET",  F + "/booths/{booth}/bookings",            403),
    ("as:employer_a",       "GET",  F + "/booths/{booth}/bookings",            200),
    ("as:employer_b",       "POST", F + "/bookings/{booking}/attendance",      404,    {"body": {"status": "attended"}}),
    ("as:other_centre",     "POST", F + "/bookings/{booking}/attendance",      404,    {"body": {"status": "attended"}}),
    ("as:minh",             "POST", F + "/bookings/{booking}/attendance",      403,    {"body": {"status": "attended"}}),
    ("as:lan",              "POST", F + "/bookings/{booking}/attendance",      403,    {"body": {"status": "attended"}}),
    ("anonymous",           "POST", F + "/slots/{slot}/bookings",              401),
    ("citizen",             "POST", F + "/slots/{slot}/bookings",              409,    "jobs.no_profile"),
    ("as:employer_a",       "POST", F + "/slots/{slot}/bookings",              409,    "jobs.no_profile"),
    ("as:lan",              "POST", F + "/slots/{slot}/bookings",              409,    "jobs.already_booked"),
    ("as:minh",             "POST", F + "/slots/{slot}/bookings",              201),
    ("as:minh",             "POST", F + "/bookings/{booking}/cancel",          404),
    ("as:employer_a",       "POST", F + "/bookings/{booking}/cancel",          409,    "jobs.no_profile"),
    ("as:lan",              "POST", F + "/bookings/{booking}/cancel",          200),
    ("citizen",             "POST", F + "/{fair}/registrations",               409,    "jobs.no_profile"),
    ("as:minh",             "POST", F + "/{fair}/registrations",               201),
]  # fmt: skip

P = "/jobs/fairs"
S = "/staff/jobs/fairs"
PAGE = {"redirect_is_success": True}

PAGES = [
    ("anonymous",           "GET",  P + "/",                                   200,    shows("fair")),
    ("anonymous",           "GET",  P + "/{fair}/",                            200,    no_link),
    ("anonymous",           "GET",  P + "/mine/",                              302,    "/accounts/login/"),
    ("as:minh",             "GET",  P + "/mine/",                              200,    no_link),
    ("as:lan",              "GET",  P + "/mine/",                              200,    has_link),
    ("citizen",             "GET",  P + "/mine/",                              409),
    ("anonymous",           "POST", P + "/{fair}/register/",                   302,    "/accounts/login/"),
    ("anonymous",           "POST", P + "/slots/{slot}/book/",                 302,    "/accounts/login/"),
    ("as:minh",             "POST", P + "/slots/{slot}/book/",                 302,    PAGE),
    ("as:minh",             "POST", P + "/bookings/{booking}/cancel/",         404),
    ("as:employer_a",       "POST", P + "/bookings/{booking}/cancel/",         302),  # told to create a profile
    ("as:lan",              "GET",  P + "/employer/",                          403),
    ("as:employer_a",       "GET",  P + "/employer/",                          200),
    ("as:lan",              "POST", P + "/{fair}/booth/",                      403),
    ("as:employer_b",       "GET",  P + "/booths/{booth}/",                    404),
    ("as:other_centre",     "GET",  P + "/booths/{booth}/",                    404),
    ("as:lan",              "GET",  P + "/booths/{booth}/",                    403),
    ("as:employer_a",       "GET",  P + "/booths/{booth}/",                    200,    has_link),
    ("as:centre",           "GET",  P + "/booths/{booth}/",                    200,    has_link),
    ("as:employer_b",       "POST", P + "/booths/{booth}/",                    404,    {"body": {"vacancy_ids": []}}),
    ("as:employer_b",       "POST", P + "/booths/{booth}/slots/",              404),
    ("as:employer_b",       "POST", P + "/slots/{slot}/delete/",               404),
    ("as:employer_b",       "POST", P + "/bookings/{booking}/attendance/",     404,    {"body": {"status": "attended"}}),
    ("as:minh",             "POST", P + "/bookings/{booking}/attendance/",     403,    {"body": {"status": "attended"}}),
    ("as:employer_a",       "GET",  S + "/",                                   403),
    ("as:centre",           "GET",  S + "/",                                   200,    shows("fair")),
    ("as:province",         "GET",  S + "/",                                   200,    shows("fair")),
    ("as:other_centre",     "GET",  S + "/",                                   200,    hides("fair")),
    ("as:province",         "GET",  S + "/new/",                               403),
    ("as:centre",           "GET",  S + "/new/",                               200),
    ("as:other_centre",     "GET",  S + "/{fair}/",                            404),
    ("as:province",         "GET",  S + "/{fair}/",                            200),
    ("as:employer_a",       "GET",  S + "/{fair}/",                            403),
    ("as:other_centre",     "GET",  S + "/{fair}/edit/",                       404),
    ("as:province",         "GET",  S + "/{fair}/edit/",                       403),
    ("as:other_centre",     "POST", S + "/{fair}/cancel/",                     404),
    ("as:province",         "POST", S + "/{fair}/cancel/",                     403),
    ("as:other_centre",     "POST", S + "/{fair}/booths/",                     404,    {"body": {"tax_code": "0101234567"}}),
    ("as:other_centre",     "GET",  S + "/{door_fair}/door/",                  404),
    ("as:province",         "GET",  S + "/{door_fair}/door/",                  403),
    ("as:centre",           "GET",  S + "/{door_fair}/door/",                  200),
    ("as:other_centre",     "POST", S + "/{door_fair}/door/",                  404,    {"body": {"code": "{code}"}}),
    ("as:other_centre",     "POST", S + "/{door_fair}/door/walk-in/",          404,    {"body": {"full_name": "A", "phone": "0912000111"}}),
    ("as:other_centre",     "GET",  S + "/{fair}/results/",                    404),
    ("as:province",         "GET",  S + "/{fair}/results/",                    200),
    ("as:province",         "POST", S + "/{fair}/results/",                    403),
    ("as:lan",              "GET",  S + "/{fair}/results/",                    403),
]  # fmt: skip


@pytest.mark.parametrize("case", cases(API), ids=str)
def test_fairs_api(case, world, client):
    run_case(client, world, case)


@pytest.mark.parametrize("case", cases(PAGES), ids=str)
def test_fair_pages(case, world, client):
    run_case(client, world, case)
