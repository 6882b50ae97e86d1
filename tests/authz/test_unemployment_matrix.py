"""Who may use the unemployment-insurance endpoints and pages (see tests/authz/matrix.py).

The world: Nghệ An's department of home affairs (decides) and employment centre (receives and pays), Hà
Tĩnh's centre, a ministry, an enterprise. `an` is a claimant whose benefit the Nghệ An centre pays
(`claim`), with a pending job referral (`referral`); `binh` is a citizen with no benefit.

The estimator is public. A claimant sees only their own benefit. Officers of the paying centre see and act
on it; the provincial department sees it (it decides claims) but does not act on benefits being paid;
another province's centre does not see it (404). Anyone without the permission is refused (403).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.accounts.models import OrganisationKind
from ansinh.dossiers.services import attachments, filing, transitions
from ansinh.unemployment import rules
from ansinh.unemployment.models import BenefitClaim, ContributionMonth
from ansinh.unemployment.procedures import BENEFIT_CLAIM
from ansinh.unemployment.services import referrals
from tests.authz.matrix import World, cases, hides, run_case, shows
from tests.dossiers.conftest import pdf_upload
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

HOME = {
    "employment_centre_officer": "centre",
    "employment_centre_head": "centre",
    "provincial_officer": "department",
    "ministry_officer": "ministry",
    "system_admin": "ministry",
    "enterprise_admin": "e1",
}


@pytest.fixture
def world(reference_data):
    K = OrganisationKind
    nghe_an, ha_tinh = reference_data.province("40"), reference_data.province("42")
    ministry = OrganisationFactory(code="BNV", name="Bộ Nội vụ", kind=K.MINISTRY)
    department = OrganisationFactory(name="Sở Nội vụ Nghệ An", kind=K.PROVINCIAL_DEPARTMENT, province=nghe_an)
    centre = OrganisationFactory(
        name="Trung tâm DVVL Nghệ An", kind=K.EMPLOYMENT_CENTRE, province=nghe_an, parent=department
    )
    other_centre = OrganisationFactory(
        name="Trung tâm DVVL Hà Tĩnh", kind=K.EMPLOYMENT_CENTRE, province=ha_tinh
    )
    e1 = OrganisationFactory(name="Công ty Sao Mai", kind=K.ENTERPRISE, province=nghe_an)
    an = UserFactory(person=PersonFactory(province=nghe_an, personal_id="040090005555"))
    binh = UserFactory(person=PersonFactory(province=nghe_an, personal_id="040090006666"))
    today = timezone.localdate()
    termination = today - timedelta(days=10)
    last = rules.add_months(termination.replace(day=1), -1)
    ContributionMonth.objects.bulk_create(
        ContributionMonth(person=an.person, month=rules.add_months(last, -n), wage=8_000_000)
        for n in range(24)
    )
    form = {
        "termination_date": termination.isoformat(),
        "last_employer": "Công ty May",
        "contract_kind": "indefinite",
        "phone": "0912345678",
    }
    dossier = filing.dossier_start(actor=an, procedure_code=BENEFIT_CLAIM, form_data=form)
    for code in ("termination_proof", "social_insurance_book"):
        attachments.attachment_add(actor=an, dossier_id=dossier.pk, document_code=code, upload=pdf_upload())
    officer = make_staff("employment_centre_officer", centre)
    transitions.dossier_act(actor=an, dossier_id=dossier.pk, action="submit")
    transitions.dossier_act(actor=officer, dossier_id=dossier.pk, action="accept")
    transitions.dossier_act(
        actor=make_staff("provincial_officer", department), dossier_id=dossier.pk, action="approve"
    )
    claim = BenefitClaim.objects.get(dossier=dossier)
    referral = referrals.referral_record(
        actor=officer, claim_id=claim.pk, employer_name="A", job_title="Thợ may"
    )
    return World(
        orgs={
            "ministry": ministry,
            "department": department,
            "centre": centre,
            "other": other_centre,
            "e1": e1,
        },
        home=HOME,
        objects={"an": an, "binh": binh, "claim": claim, "referral": referral},
        default_province=nghe_an,
    )


def _all(actors, method, url, expect, *extras):
    return [(actor, method, url, expect, *extras) for actor in actors]


AUTH, NOT_FOUND, DENIED = "auth.required", "not_found", "permission.denied"
CENTRE = ["employment_centre_officer", "employment_centre_head"]
OUTSIDER = "employment_centre_officer@other"
NO_READ = ["citizen", "as:an", "enterprise_admin", "ministry_officer", "system_admin"]
CLAIM = "/api/v1/unemployment/claims/{claim}"
STATS = [*CENTRE, "provincial_officer", "ministry_officer", "system_admin"]
ESTIMATE = {
    "termination_date": "2025-12-31",
    "as_of": "2026-01-10",
    "contributions": [{"month": f"2025-{m:02d}", "wage": 8000000, "region": "I"} for m in range(1, 13)],
}  # fmt: skip
REFER = {"body": {"employer_name": "Công ty B", "job_title": "Kế toán"}}
NOTIFY = {"body": {"activities": "Nộp hồ sơ 2 nơi", "still_unemployed": True}}
TERMINATE = {"body": {"ground": "new_job", "on": "2026-01-02"}}
CANCEL = {"body": {"note": "Không đến nhận quyết định"}}

API = [
    ("anonymous", "POST", "/api/v1/unemployment/estimate", 200, {"body": ESTIMATE}),
    ("anonymous", "GET", "/api/v1/unemployment/claims/mine", 401, AUTH),
    ("as:an", "GET", "/api/v1/unemployment/claims/mine", 200),
    ("as:binh", "GET", "/api/v1/unemployment/claims/mine", 404, "unemployment.no_open_claim"),
    ("as:an", "POST", "/api/v1/unemployment/claims/mine/notifications", 201, NOTIFY),
    (
        "as:binh",
        "POST",
        "/api/v1/unemployment/claims/mine/notifications",
        404,
        "unemployment.no_open_claim",
        NOTIFY,
    ),
    ("anonymous", "GET", "/api/v1/unemployment/claims", 401, AUTH),
    *_all(STATS, "GET", "/api/v1/unemployment/statistics?year=2026", 200),
    *_all(
        ["citizen", "as:an", "enterprise_admin"],
        "GET",
        "/api/v1/unemployment/statistics?year=2026",
        403,
        DENIED,
    ),
    ("anonymous", "GET", "/api/v1/unemployment/statistics?year=2026", 401, AUTH),
    *_all([*CENTRE, "provincial_officer"], "GET", "/api/v1/unemployment/claims", 200, shows("claim")),
    (OUTSIDER, "GET", "/api/v1/unemployment/claims", 200, hides("claim")),
    *_all(NO_READ, "GET", "/api/v1/unemployment/claims", 403, DENIED),
    *_all([*CENTRE, "provincial_officer"], "GET", CLAIM, 200),
    (OUTSIDER, "GET", CLAIM, 404, NOT_FOUND),
    *_all(NO_READ, "GET", CLAIM, 403, DENIED),
    *_all(CENTRE, "POST", CLAIM + "/notifications", 201, {"body": {"activities": "Tại quầy"}}),
    *_all(CENTRE, "POST", CLAIM + "/referrals", 201, REFER),
    (OUTSIDER, "POST", CLAIM + "/referrals", 404, NOT_FOUND, REFER),
    *_all(["provincial_officer", *NO_READ], "POST", CLAIM + "/referrals", 403, DENIED, REFER),
    (
        "employment_centre_officer",
        "POST",
        "/api/v1/unemployment/referrals/{referral}/answer",
        200,
        {"body": {"outcome": "accepted"}},
    ),
    (
        OUTSIDER,
        "POST",
        "/api/v1/unemployment/referrals/{referral}/answer",
        404,
        NOT_FOUND,
        {"body": {"outcome": "accepted"}},
    ),
    (
        "as:an",
        "POST",
        "/api/v1/unemployment/referrals/{referral}/answer",
        403,
        DENIED,
        {"body": {"outcome": "accepted"}},
    ),
    *_all(CENTRE, "POST", CLAIM + "/terminate", 200, TERMINATE),
    (OUTSIDER, "POST", CLAIM + "/terminate", 404, NOT_FOUND, TERMINATE),
    *_all(["provincial_officer", "as:an"], "POST", CLAIM + "/terminate", 403, DENIED, TERMINATE),
    ("employment_centre_head", "POST", CLAIM + "/cancel", 200, CANCEL),
    ("as:an", "POST", CLAIM + "/cancel", 403, DENIED, CANCEL),
    (OUTSIDER, "POST", CLAIM + "/cancel", 404, NOT_FOUND, CANCEL),
    # Receiving needs a claim moving to the officer's centre: this one is not moving.
    *_all([*CENTRE, OUTSIDER], "POST", CLAIM + "/receive", 404, NOT_FOUND),
    ("as:an", "POST", CLAIM + "/receive", 403, DENIED),
]

STAFF_CLAIM = "/staff/unemployment/claims/{claim}/"
PAGES = [
    ("anonymous", "GET", "/unemployment/estimate/", 200),
    ("anonymous", "GET", "/unemployment/", 302, "/accounts/login/"),
    *_all(["as:an", "as:binh"], "GET", "/unemployment/", 200),
    ("anonymous", "GET", "/staff/unemployment/", 302, "/accounts/login/"),
    *_all([*CENTRE, "provincial_officer", OUTSIDER], "GET", "/staff/unemployment/", 200),
    ("employment_centre_officer+no2fa", "GET", "/staff/unemployment/", 302, "/accounts/2fa/"),
    *_all(NO_READ, "GET", "/staff/unemployment/", 403),
    *_all([*CENTRE, "provincial_officer"], "GET", STAFF_CLAIM, 200),
    (OUTSIDER, "GET", STAFF_CLAIM, 404),
    *_all(NO_READ, "GET", STAFF_CLAIM, 403),
    (
        "employment_centre_officer",
        "POST",
        STAFF_CLAIM + "act/",
        302,
        "/staff/unemployment/claims/",
        {"body": {"act": "refer", "employer_name": "C", "job_title": "D"}, "redirect_is_success": True},
    ),
    (
        OUTSIDER,
        "POST",
        STAFF_CLAIM + "act/",
        404,
        {"body": {"act": "refer", "employer_name": "C", "job_title": "D"}},
    ),
    *_all(
        ["provincial_officer", "as:an"],
        "POST",
        STAFF_CLAIM + "act/",
        403,
        {"body": {"act": "refer", "employer_name": "C", "job_title": "D"}},
    ),
    *_all([*CENTRE, "provincial_officer"], "GET", "/staff/unemployment/payments/", 200),
    *_all(NO_READ, "GET", "/staff/unemployment/payments/", 403),
    ("anonymous", "GET", "/staff/unemployment/payments/", 302, "/accounts/login/"),
    (
        "employment_centre_officer",
        "POST",
        "/staff/unemployment/payments/hand-off/",
        302,
        "/staff/unemployment/payments/",
        {"redirect_is_success": True},
    ),
    *_all(
        ["provincial_officer", "as:an", "enterprise_admin"],
        "POST",
        "/staff/unemployment/payments/hand-off/",
        403,
    ),
    *_all([*CENTRE, "provincial_officer"], "GET", "/staff/unemployment/payments.xlsx", 200),
    *_all(NO_READ, "GET", "/staff/unemployment/payments.xlsx", 403),
    *_all([*STATS], "GET", "/staff/unemployment/statistics/", 200),
    *_all([*STATS], "GET", "/staff/unemployment/statistics.xlsx", 200),
    *_all(["citizen", "as:an", "enterprise_admin"], "GET", "/staff/unemployment/statistics/", 403),
    ("anonymous", "GET", "/staff/unemployment/statistics/", 302, "/accounts/login/"),
    *_all(["provincial_officer", "system_admin"], "GET", "/staff/unemployment/delegation/", 200),
    *_all([*CENTRE, "as:an"], "GET", "/staff/unemployment/delegation/", 403),
]


@pytest.mark.parametrize("case", cases(API + PAGES), ids=str)
def test_unemployment(case, world, client):
    run_case(client, world, case)
