"""Who may use matching (see tests/authz/matrix.py).

The world: the job-exchange world (tests/jobs/world.py): verified employers A (Hồ Chí Minh City, accounting
vacancy `vacancy_a`) and B (Hà Nội, welding vacancy `vacancy_b`), C waiting for verification; both centres
and the city's department; seekers Lan (anonymous, accountant), Minh (full, welder) and Hà (private), plus a
private welder and an anonymous welder in Hà Nội who fit B's vacancy.

An employer matches only its own vacancies (another's is 404, also for the employer waiting for
verification and for a licensed enterprise); a centre officer or head matches any employer's vacancy and
sees private profiles; the departments, the ministry, seekers and citizens hold no matching permission
(403). An employer never gets the private welder, nor the anonymous welder's name. "Jobs for you" is for
any signed-in user: a seeker gets their matches, anyone without a profile is told to make one (409 in the
API, a message on the page).
"""

import json

import pytest

from ansinh.jobs.models import Visibility
from tests.authz.matrix import World, both, cases, run_case
from tests.jobs.world import build_world, make_seeker

pytestmark = pytest.mark.django_db

HOME = {
    "employer_admin": "org_a",
    "employer_staff": "org_a",
    "employment_centre_officer": "centre_hcm",
    "employment_centre_head": "centre_hcm",
    "provincial_officer": "dept_hcm",
    "ministry_officer": "ministry",
    "enterprise_admin": "ent",
}
PRIVATE_NAME = "Hoàng Thị Riêng Tư"
ANONYMOUS_NAME = "Đỗ Văn Ẩn Danh"


@pytest.fixture
def world(reference_data):
    from ansinh.accounts.models import OrganisationKind
    from tests.factories import OrganisationFactory

    built = build_world()
    private = make_seeker(
        full_name=PRIVATE_NAME,
        username="rieng-tu",
        province=built.hanoi,
        headline="Thợ hàn",
        occupations=["721"],
        visibility=Visibility.PRIVATE,
    )
    anonymous = make_seeker(
        full_name=ANONYMOUS_NAME,
        username="an-danh",
        province=built.hanoi,
        headline="Thợ hàn",
        occupations=["721"],
    )
    ministry = built.ministry_officer.memberships.get().organisation
    return World(
        orgs={
            "org_a": built.employer_a.organisation,
            "org_b": built.employer_b.organisation,
            "org_c": built.employer_pending.organisation,
            "centre_hcm": built.centre_hcm,
            "centre_hanoi": built.centre_hanoi,
            "dept_hcm": built.dept_hcm,
            "ministry": ministry,
            "ent": OrganisationFactory(name="Công ty Cung ứng", kind=OrganisationKind.ENTERPRISE),
        },
        home=HOME,
        objects={
            "vacancy_a": built.vacancy_a,
            "vacancy_b": built.vacancy_b,
            "private": private,
            "anonymous": anonymous,
            "lan": built.seeker_anonymous.person.user,
            "lan_seeker": built.seeker_anonymous,
        },
        default_province=built.hcm,
    )


def text(*present: str, absent: tuple[str, ...] = ()):
    def check(response, world, actor):
        body = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            body = json.dumps(response.json(), ensure_ascii=False)
        for words in present:
            assert words in body, words
        for words in absent:
            assert words not in body, words

    check.label = "text"  # type: ignore[attr-defined]
    return check


def seekers(*, has: tuple[str, ...] = (), lacks: tuple[str, ...] = ()):
    """The API answer's seekers include `has` and not `lacks` (named objects)."""

    def check(response, world, actor):
        found = {item["seeker_id"] for item in response.json()["items"]}
        for name in has:
            assert world.pk(name) in found, name
        for name in lacks:
            assert world.pk(name) not in found, name

    check.label = "seekers"  # type: ignore[attr-defined]
    return check


AUTH, NOT_FOUND, DENIED, NO_PROFILE = "auth.required", "not_found", "permission.denied", "jobs.no_profile"
B, C = "employer_admin@org_b", "employer_admin@org_c"
CENTRE, HEAD = "employment_centre_officer", "employment_centre_head"
OTHER_CENTRE = "employment_centre_officer@centre_hanoi"
A_MATCHES = "/api/v1/jobs/vacancies/{vacancy_a}/matches"
B_MATCHES = "/api/v1/jobs/vacancies/{vacancy_b}/matches"
MINE = "/api/v1/jobs/me/matches"
HIDDEN = both(
    seekers(has=("anonymous",), lacks=("private",)), text(absent=(PRIVATE_NAME, ANONYMOUS_NAME, "rieng-tu@"))
)
ALL = both(seekers(has=("anonymous", "private")), text(PRIVATE_NAME, ANONYMOUS_NAME))

API_ROWS = [
    ("anonymous", "GET", A_MATCHES, 401, AUTH),
    ("citizen", "GET", A_MATCHES, 403, DENIED),
    ("as:lan", "GET", A_MATCHES, 403, DENIED),
    ("provincial_officer", "GET", A_MATCHES, 403, DENIED),
    ("ministry_officer", "GET", A_MATCHES, 403, DENIED),
    ("employer_admin", "GET", A_MATCHES, 200),
    ("employer_staff", "GET", A_MATCHES, 200),
    ("employer_admin", "GET", B_MATCHES, 404, NOT_FOUND),
    ("employer_staff", "GET", B_MATCHES, 404, NOT_FOUND),
    (C, "GET", A_MATCHES, 404, NOT_FOUND),
    ("enterprise_admin", "GET", A_MATCHES, 404, NOT_FOUND),
    (B, "GET", A_MATCHES, 404, NOT_FOUND),
    (B, "GET", B_MATCHES, 200, HIDDEN),
    (CENTRE, "GET", B_MATCHES, 200, ALL),
    (HEAD, "GET", B_MATCHES, 200, ALL),
    (OTHER_CENTRE, "GET", A_MATCHES, 200),
    ("anonymous", "GET", MINE, 401, AUTH),
    ("as:lan", "GET", MINE, 200),
    ("citizen", "GET", MINE, 409, NO_PROFILE),
    ("employer_admin", "GET", MINE, 409, NO_PROFILE),
]

LOGIN = "/accounts/login/"
A_PAGE = "/jobs/employer/vacancies/{vacancy_a}/matches/"
B_PAGE = "/jobs/employer/vacancies/{vacancy_b}/matches/"
A_CENTRE = "/staff/jobs/vacancies/{vacancy_a}/matches/"
B_CENTRE = "/staff/jobs/vacancies/{vacancy_b}/matches/"
FOR_YOU = "/jobs/for-you/"

PAGE_ROWS = [
    ("anonymous", "GET", A_PAGE, 302, LOGIN),
    ("citizen", "GET", A_PAGE, 403),
    ("as:lan", "GET", A_PAGE, 403),
    (CENTRE, "GET", A_PAGE, 403),
    ("provincial_officer", "GET", A_PAGE, 403),
    ("employer_admin", "GET", A_PAGE, 200),
    ("employer_staff", "GET", A_PAGE, 200),
    ("employer_admin", "GET", B_PAGE, 404),
    (C, "GET", A_PAGE, 404),
    ("enterprise_admin", "GET", A_PAGE, 404),
    (B, "GET", B_PAGE, 200, text(absent=(PRIVATE_NAME, ANONYMOUS_NAME, "rieng-tu@", "an-danh@"))),
    ("anonymous", "GET", A_CENTRE, 302, LOGIN),
    ("employer_admin", "GET", A_CENTRE, 403),
    ("citizen", "GET", A_CENTRE, 403),
    ("provincial_officer", "GET", A_CENTRE, 403),
    ("ministry_officer", "GET", A_CENTRE, 403),
    (CENTRE, "GET", B_CENTRE, 200, text(PRIVATE_NAME, ANONYMOUS_NAME)),
    (HEAD, "GET", A_CENTRE, 200),
    (OTHER_CENTRE, "GET", A_CENTRE, 200),
    ("anonymous", "GET", FOR_YOU, 302, LOGIN),
    ("as:lan", "GET", FOR_YOU, 200, text("Kế toán tổng hợp")),
    ("citizen", "GET", FOR_YOU, 200, text('id="no-profile"')),
]

# Referring a benefit claimant to a vacancy: the centre's (Lan receives no benefit here, so even the centre's
# officer is sent back with the reason and nothing is recorded; tests/jobs/test_referrals.py refers one).
REFER = "/staff/jobs/vacancies/{vacancy_a}/refer/"
LAN = {"body": {"seeker_id": "{lan_seeker}"}}
REFER_ROWS = [
    ("anonymous", "POST", REFER, 302, LOGIN, LAN),
    ("citizen", "POST", REFER, 403, LAN),
    ("as:lan", "POST", REFER, 403, LAN),
    ("employer_admin", "POST", REFER, 403, LAN),
    ("provincial_officer", "POST", REFER, 403, LAN),
    ("ministry_officer", "POST", REFER, 403, LAN),
    (CENTRE, "POST", REFER, 302, LAN),
    (CENTRE, "GET", REFER, 405),
]


@pytest.mark.parametrize("case", cases(API_ROWS), ids=str)
def test_api(case, world, client):
    run_case(client, world, case)


@pytest.mark.parametrize("case", cases(REFER_ROWS), ids=str)
def test_referral(case, world, client):
    run_case(client, world, case)


@pytest.mark.parametrize("case", cases(PAGE_ROWS), ids=str)
def test_pages(case, world, client):
    run_case(client, world, case)
