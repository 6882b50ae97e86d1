"""Who may use the employer side of the job exchange (see tests/authz/matrix.py).

The world: the job-exchange world (tests/jobs/world.py): employers A (Hồ Chí Minh City) and B (Hà Nội),
verified, and C waiting for verification (Hồ Chí Minh City); each centre and the city's department; one
application of a seeker (Lan) to A's vacancy and one to B's. Two licensed overseas-labour enterprises
(`ent1`, `ent2`), each with a registered supply contract, and ent1's vacancy abroad.

An employer reads and changes nothing of another employer (404); an employer waiting for verification
posts nothing (409); seekers and citizens hold no employer permission (403); a centre verifies only the
employers of its own province (404 for the other centre). Refusals change nothing.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.jobs.services import applications, vacancies
from tests.authz.matrix import World, both, cases, hides, run_case, shows
from tests.jobs.test_employers import licensed_enterprise
from tests.jobs.test_vacancies import abroad_fields, registered_contract
from tests.jobs.world import build_world

pytestmark = pytest.mark.django_db

HOME = {
    "employer_admin": "org_a",
    "employer_staff": "org_a",
    "employment_centre_officer": "centre_hcm",
    "employment_centre_head": "centre_hcm",
    "provincial_officer": "dept_hcm",
    "ministry_officer": "ministry",
    "enterprise_admin": "ent1",
    "enterprise_staff": "ent1",
}


@pytest.fixture
def world(reference_data):
    built = build_world()
    lan = built.seeker_anonymous.person.user
    minh = built.seeker_full.person.user
    app_a = applications.application_submit(actor=lan, vacancy_id=built.vacancy_a.pk)
    app_b = applications.application_submit(actor=minh, vacancy_id=built.vacancy_b.pk)
    ent1, admin1, officer = licensed_enterprise()
    contract1 = registered_contract(admin1, officer)
    ent2, admin2, _officer = licensed_enterprise(tax_code="0200000002", username="binhan", province="01")
    contract2 = registered_contract(admin2, officer, number="HD-2026-777")
    abroad = vacancies.vacancy_post(actor=admin1, **abroad_fields(contract1))
    ministry = built.ministry_officer.memberships.get().organisation
    return World(
        orgs={
            "org_a": built.employer_a.organisation,
            "org_b": built.employer_b.organisation,
            "org_c": built.employer_pending.organisation,
            "centre_hcm": built.centre_hcm,
            "centre_hanoi": built.centre_hanoi,
            "dept_hcm": built.dept_hcm,
            "dept_hanoi": built.dept_hanoi,
            "ministry": ministry,
            "ent1": ent1.organisation,
            "ent2": ent2.organisation,
        },
        home=HOME,
        objects={
            "vacancy_a": built.vacancy_a,
            "vacancy_b": built.vacancy_b,
            "abroad": abroad,
            "app_a": app_a,
            "app_b": app_b,
            "employer_a": built.employer_a,
            "employer_pending": built.employer_pending,
            "contract1": contract1,
            "contract2": contract2,
            "lan": lan,
        },
        default_province=built.hcm,
    )


AUTH, NOT_FOUND, DENIED = "auth.required", "not_found", "permission.denied"
UNVERIFIED = "jobs.employer_not_verified"
INVALID = "validation.invalid"
B, C = "employer_admin@org_b", "employer_admin@org_c"
OTHER_CENTRE = "employment_centre_officer@centre_hanoi"
DEADLINE = (timezone.localdate() + timedelta(days=20)).isoformat()
VACANCY = {
    "body": {
        "title": "Nhân viên kinh doanh",
        "occupation": "522",
        "description": "Bán hàng tại cửa hàng.",
        "province": "79",
        "contract_type": "indefinite",
        "openings": 3,
        "deadline": DEADLINE,
    }
}
ABROAD = {"body": {**VACANCY["body"], "province": "", "is_abroad": True, "supply_contract": "{contract1}"}}
PATCH = {"body": {"title": "Đổi tên"}}
REGISTER = {
    "body": {
        "tax_code": "0318765432",
        "name": "Công ty TNHH Dệt may Hải Đăng",
        "province": "79",
        "address": "5 Lý Thường Kiệt",
        "contact_name": "Ngô Văn Đức",
        "phone": "0901234500",
        "email": "hr@haidang.vn",
        "admin_username": "haidang",
    }
}
TAKEN = {"body": {**REGISTER["body"], "tax_code": "0301234567"}}
MOVE = {"body": {"status": "interview", "note": "Thứ Hai"}}
VERIFY = {"body": {"approve": True}}

API = "/api/v1/jobs"
VAC = f"{API}/employer/vacancies"
APPS = f"{API}/employer/applications"
TO_VERIFY = f"{API}/employers/{{employer_pending}}/verification"
CENTRE = "employment_centre_officer"
DEPT_HN = "provincial_officer@dept_hanoi"

API_ROWS = [
    # registering is open; a taken tax code writes nothing
    ("anonymous", "POST", f"{API}/employers", 201, REGISTER),
    ("anonymous", "POST", f"{API}/employers", 422, INVALID, TAKEN),
    # the employer itself
    ("anonymous", "GET", f"{API}/employer", 401, AUTH),
    ("citizen", "GET", f"{API}/employer", 403, DENIED),
    ("as:lan", "GET", f"{API}/employer", 403, DENIED),
    (CENTRE, "GET", f"{API}/employer", 403, DENIED),
    ("employer_admin", "GET", f"{API}/employer", 200),
    ("employer_staff", "GET", f"{API}/employer", 200),
    ("enterprise_staff", "GET", f"{API}/employer", 200),
    # vacancies
    ("anonymous", "GET", VAC, 401, AUTH),
    ("citizen", "GET", VAC, 403, DENIED),
    ("employer_admin", "GET", VAC, 200, both(shows("vacancy_a"), hides("vacancy_b", "abroad"))),
    (B, "GET", VAC, 200, both(shows("vacancy_b"), hides("vacancy_a", "abroad"))),
    ("enterprise_admin", "GET", VAC, 200, both(shows("abroad"), hides("vacancy_a"))),
    ("enterprise_admin@ent2", "GET", VAC, 200, hides("abroad", "vacancy_a", "vacancy_b")),
    ("anonymous", "POST", VAC, 401, AUTH, VACANCY),
    ("citizen", "POST", VAC, 403, DENIED, VACANCY),
    ("as:lan", "POST", VAC, 403, DENIED, VACANCY),
    (CENTRE, "POST", VAC, 403, DENIED, VACANCY),
    (C, "POST", VAC, 409, UNVERIFIED, VACANCY),
    ("employer_admin", "POST", VAC, 201, VACANCY),
    ("employer_staff", "POST", VAC, 201, VACANCY),
    # work abroad: only the enterprise that registered the contract
    ("employer_admin", "POST", VAC, 422, INVALID, ABROAD),
    ("enterprise_admin@ent2", "POST", VAC, 422, INVALID, ABROAD),
    ("enterprise_admin", "POST", VAC, 201, ABROAD),
    ("employer_admin", "GET", f"{VAC}/{{vacancy_a}}", 200),
    (B, "GET", f"{VAC}/{{vacancy_a}}", 404, NOT_FOUND),
    ("enterprise_admin", "GET", f"{VAC}/{{vacancy_a}}", 404, NOT_FOUND),
    ("employer_admin", "GET", f"{VAC}/{{abroad}}", 404, NOT_FOUND),
    (CENTRE, "GET", f"{VAC}/{{vacancy_a}}", 403, DENIED),
    ("employer_admin", "PATCH", f"{VAC}/{{vacancy_a}}", 200, PATCH),
    (B, "PATCH", f"{VAC}/{{vacancy_a}}", 404, NOT_FOUND, PATCH),
    (C, "PATCH", f"{VAC}/{{vacancy_a}}", 409, UNVERIFIED, PATCH),
    ("anonymous", "PATCH", f"{VAC}/{{vacancy_a}}", 401, AUTH, PATCH),
    ("employer_admin", "POST", f"{VAC}/{{vacancy_a}}/close", 200),
    (B, "POST", f"{VAC}/{{vacancy_a}}/close", 404, NOT_FOUND),
    (C, "POST", f"{VAC}/{{vacancy_a}}/close", 404, NOT_FOUND),
    ("citizen", "POST", f"{VAC}/{{vacancy_a}}/close", 403, DENIED),
    # applicants
    ("employer_admin", "GET", f"{VAC}/{{vacancy_a}}/applications", 200),
    (B, "GET", f"{VAC}/{{vacancy_a}}/applications", 404, NOT_FOUND),
    ("as:lan", "GET", f"{VAC}/{{vacancy_a}}/applications", 403, DENIED),
    (CENTRE, "GET", f"{VAC}/{{vacancy_a}}/applications", 403, DENIED),
    ("employer_admin", "GET", f"{APPS}/{{app_a}}", 200),
    ("employer_admin", "GET", f"{APPS}/{{app_b}}", 404, NOT_FOUND),
    (B, "GET", f"{APPS}/{{app_a}}", 404, NOT_FOUND),
    ("enterprise_admin", "GET", f"{APPS}/{{app_a}}", 404, NOT_FOUND),
    ("as:lan", "GET", f"{APPS}/{{app_a}}", 403, DENIED),
    ("anonymous", "GET", f"{APPS}/{{app_a}}", 401, AUTH),
    ("employer_admin", "POST", f"{APPS}/{{app_a}}/status", 200, MOVE),
    (B, "POST", f"{APPS}/{{app_a}}/status", 404, NOT_FOUND, MOVE),
    ("as:lan", "POST", f"{APPS}/{{app_a}}/status", 403, DENIED, MOVE),
    (CENTRE, "POST", f"{APPS}/{{app_a}}/status", 403, DENIED, MOVE),
    # verification
    ("anonymous", "GET", f"{API}/employers", 401, AUTH),
    ("employer_admin", "GET", f"{API}/employers", 403, DENIED),
    ("ministry_officer", "GET", f"{API}/employers", 403, DENIED),
    (CENTRE, "GET", f"{API}/employers", 200, shows("employer_pending")),
    ("provincial_officer", "GET", f"{API}/employers", 200, shows("employer_pending")),
    (OTHER_CENTRE, "GET", f"{API}/employers", 200, hides("employer_pending")),
    (DEPT_HN, "GET", f"{API}/employers", 200, hides("employer_pending")),
    (CENTRE, "GET", f"{API}/employers/{{employer_pending}}", 200),
    (OTHER_CENTRE, "GET", f"{API}/employers/{{employer_pending}}", 404, NOT_FOUND),
    ("employer_admin", "GET", f"{API}/employers/{{employer_pending}}", 403, DENIED),
    ("anonymous", "POST", TO_VERIFY, 401, AUTH, VERIFY),
    (C, "POST", TO_VERIFY, 403, DENIED, VERIFY),
    ("employer_admin", "POST", TO_VERIFY, 403, DENIED, VERIFY),
    ("ministry_officer", "POST", TO_VERIFY, 403, DENIED, VERIFY),
    (OTHER_CENTRE, "POST", TO_VERIFY, 404, NOT_FOUND, VERIFY),
    (DEPT_HN, "POST", TO_VERIFY, 404, NOT_FOUND, VERIFY),
    (CENTRE, "POST", f"{API}/employers/{{employer_a}}/verification", 409, "conflict", VERIFY),
    (CENTRE, "POST", TO_VERIFY, 200, VERIFY),
    ("employment_centre_head", "POST", TO_VERIFY, 200, VERIFY),
    ("provincial_officer", "POST", TO_VERIFY, 200, VERIFY),
]  # fmt: skip

LOGIN = "/accounts/login/"
SUCCESS = {"redirect_is_success": True}
FORM = {
    "body": {
        **VACANCY["body"],
        "ward": "",
        "requirements": "",
        "salary_min": "",
        "salary_max": "",
        "openings": "3",
    }
}

INTERVIEW = {"body": {"status": "interview"}}
DECIDE = {"body": {"decision": "verify"}}
STAFF = "/staff/jobs/employers/"
PAGE_ROWS = [
    ("anonymous", "GET", "/jobs/employer/register/", 200),
    ("anonymous", "GET", "/jobs/employer/", 302, LOGIN),
    ("citizen", "GET", "/jobs/employer/", 403),
    ("as:lan", "GET", "/jobs/employer/", 403),
    (CENTRE, "GET", "/jobs/employer/", 403),
    ("employer_admin", "GET", "/jobs/employer/", 200, both(shows("vacancy_a"), hides("vacancy_b"))),
    (B, "GET", "/jobs/employer/", 200, both(shows("vacancy_b"), hides("vacancy_a"))),
    (C, "GET", "/jobs/employer/", 200, hides("vacancy_a", "vacancy_b")),
    ("enterprise_admin", "GET", "/jobs/employer/", 200, both(shows("abroad"), hides("vacancy_a"))),
    ("anonymous", "GET", "/jobs/employer/vacancies/new/", 302, LOGIN),
    ("citizen", "GET", "/jobs/employer/vacancies/new/", 403),
    (C, "GET", "/jobs/employer/vacancies/new/", 409),
    (C, "POST", "/jobs/employer/vacancies/new/", 409, FORM),
    ("employer_admin", "GET", "/jobs/employer/vacancies/new/", 200),
    ("employer_admin", "POST", "/jobs/employer/vacancies/new/", 302, FORM, SUCCESS),
    ("employer_admin", "GET", "/jobs/employer/vacancies/{vacancy_a}/", 200),
    (B, "GET", "/jobs/employer/vacancies/{vacancy_a}/", 404),
    ("enterprise_admin", "GET", "/jobs/employer/vacancies/{vacancy_a}/", 404),
    (CENTRE, "GET", "/jobs/employer/vacancies/{vacancy_a}/", 403),
    ("anonymous", "GET", "/jobs/employer/vacancies/{vacancy_a}/", 302, LOGIN),
    ("employer_admin", "GET", "/jobs/employer/vacancies/{vacancy_a}/edit/", 200),
    (B, "GET", "/jobs/employer/vacancies/{vacancy_a}/edit/", 404),
    (B, "POST", "/jobs/employer/vacancies/{vacancy_a}/edit/", 404, FORM),
    ("employer_admin", "POST", "/jobs/employer/vacancies/{vacancy_a}/edit/", 302, FORM, SUCCESS),
    (B, "POST", "/jobs/employer/vacancies/{vacancy_a}/close/", 404),
    ("citizen", "POST", "/jobs/employer/vacancies/{vacancy_a}/close/", 403),
    ("employer_admin", "POST", "/jobs/employer/vacancies/{vacancy_a}/close/", 302, SUCCESS),
    ("employer_admin", "GET", "/jobs/employer/applications/{app_a}/", 200),
    ("employer_admin", "GET", "/jobs/employer/applications/{app_b}/", 404),
    (B, "GET", "/jobs/employer/applications/{app_a}/", 404),
    ("as:lan", "GET", "/jobs/employer/applications/{app_a}/", 403),
    ("anonymous", "GET", "/jobs/employer/applications/{app_a}/", 302, LOGIN),
    (B, "POST", "/jobs/employer/applications/{app_a}/status/", 404, {"body": {"status": "hired"}}),
    ("as:lan", "POST", "/jobs/employer/applications/{app_a}/status/", 403, {"body": {"status": "hired"}}),
    ("employer_admin", "POST", "/jobs/employer/applications/{app_a}/status/", 302, INTERVIEW, SUCCESS),
    ("anonymous", "GET", STAFF, 302, LOGIN),
    ("employer_admin", "GET", STAFF, 403),
    ("ministry_officer", "GET", STAFF, 403),
    (CENTRE, "GET", STAFF, 200, shows("employer_pending")),
    (OTHER_CENTRE, "GET", STAFF, 200, hides("employer_pending")),
    (OTHER_CENTRE, "GET", STAFF + "{employer_pending}/", 404),
    (OTHER_CENTRE, "POST", STAFF + "{employer_pending}/", 404, DECIDE),
    (C, "POST", STAFF + "{employer_pending}/", 403, DECIDE),
    (CENTRE, "POST", STAFF + "{employer_pending}/", 302, DECIDE, SUCCESS),
]  # fmt: skip


@pytest.mark.parametrize("case", cases(API_ROWS), ids=str)
def test_api(case, world, client):
    run_case(client, world, case)


@pytest.mark.parametrize("case", cases(PAGE_ROWS), ids=str)
def test_pages(case, world, client):
    run_case(client, world, case)
