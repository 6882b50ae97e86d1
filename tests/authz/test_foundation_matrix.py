"""Who may use the foundation's protected endpoints, on whose records (see tests/authz/matrix.py).

The world: two provinces, A = Nghệ An (province 40) and B = Hà Tĩnh (42), each with a Sở Nội vụ; an
employment centre under A's; the Centre of Overseas Labour (COLAB) under the ministry; enterprise E1 (seat
in A) with a branch in B; enterprise E2 (seat in B); a mission in Korea; the social-insurance agency.
Each standard role works in one of them by default (`HOME`); `role@org` moves the actor elsewhere.

Named objects (rows use them as `{name}` in URLs):
- `person_a`, `person_b`: people with no account, living in A and in B;
- `user_a`, `user_b`: citizens' accounts, their person living in A and in B;
- `e1_member`, `e1_branch_member`, `e2_member`: enterprise staff (their person lives in B, so only the
  organisation scope reaches them, never the province scope of A);
- `colab_colleague`: a COLAB operator's person record (`colab_colleague_user` is the account);
- `e1_former_member`: someone who left E1 (membership revoked) and now works for E2;
- `former_colab_person`: the person of someone whose COLAB membership was revoked;
- `admin_in_a`, `superuser_in_a`: a nation-wide system administrator and a superuser whose person record
  lives in province A.

Rows marked "BUG" fail against the current code on purpose: they state the rule, not the behaviour.
"""

import pytest

from ansinh.accounts.models import Membership, OrganisationKind, Role, User
from tests.authz.matrix import World, both, cases, hides, labelled, run_case, shows
from tests.factories import PASSWORD, OrganisationFactory, PersonFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

STAFF_ROLES = [
    "system_admin",
    "auditor",
    "ministry_officer",
    "colab_operator",
    "provincial_officer",
    "employment_centre_officer",
    "enterprise_admin",
    "enterprise_staff",
    "branch_staff",
    "mission_officer",
    "social_insurance_partner",
]
EVERYONE = ["citizen", "superuser", *STAFF_ROLES]
NATION_READERS = ["system_admin", "ministry_officer", "superuser"]
# Hold no `person.read`: they see only their own record.
NO_PERSON_READ = ["citizen", "auditor", "enterprise_admin", "enterprise_staff", "branch_staff"]
NO_PERSON_READ += ["social_insurance_partner"]
NO_ACCOUNT_MANAGE = [
    "citizen",
    "auditor",
    "ministry_officer",
    "colab_operator",
    "employment_centre_officer",
    "enterprise_staff",
    "branch_staff",
    "mission_officer",
    "social_insurance_partner",
]

HOME = {
    "system_admin": "ministry",
    "auditor": "ministry",
    "ministry_officer": "ministry",
    "colab_operator": "colab",
    "provincial_officer": "dept_a",
    "employment_centre_officer": "centre_a",
    "enterprise_admin": "e1",
    "enterprise_staff": "e1",
    "branch_staff": "e1_branch",
    "mission_officer": "mission",
    "social_insurance_partner": "bhxh",
    "provincial_auditor": "dept_a",
}


@pytest.fixture
def world(reference_data):
    a, b = reference_data.province("40"), reference_data.province("42")
    K = OrganisationKind
    ministry = OrganisationFactory(code="BNV", name="Bộ Nội vụ", kind=K.MINISTRY)
    colab = OrganisationFactory(
        name="Trung tâm Lao động ngoài nước", kind=K.OVERSEAS_LABOUR_CENTRE, parent=ministry
    )
    dept_a = OrganisationFactory(
        name="Sở Nội vụ tỉnh Nghệ An", kind=K.PROVINCIAL_DEPARTMENT, parent=ministry, province=a
    )
    dept_b = OrganisationFactory(
        name="Sở Nội vụ tỉnh Hà Tĩnh", kind=K.PROVINCIAL_DEPARTMENT, parent=ministry, province=b
    )
    centre_a = OrganisationFactory(
        name="Trung tâm Dịch vụ việc làm tỉnh Nghệ An", kind=K.EMPLOYMENT_CENTRE, parent=dept_a, province=a
    )
    e1 = OrganisationFactory(name="Công ty Cổ phần Nhân lực Sao Mai", kind=K.ENTERPRISE, province=a)
    e1_branch = OrganisationFactory(
        name="Chi nhánh Hà Tĩnh, Công ty Sao Mai",
        kind=K.BRANCH,
        parent=e1,
        province=b,
        delegated_permissions=["person.read"],
    )
    e2 = OrganisationFactory(name="Công ty TNHH Cung ứng Nhân lực Hoàng Long", kind=K.ENTERPRISE, province=b)
    mission = OrganisationFactory(name="Ban Quản lý lao động tại Hàn Quốc", kind=K.MISSION, country="KR")
    bhxh = OrganisationFactory(name="Bảo hiểm xã hội tỉnh Nghệ An", kind=K.SOCIAL_INSURANCE, province=a)
    # Not a standard role: `audit.read` below nation scope must not open the audit log.
    Role.objects.create(
        code="provincial_auditor", name="Thanh tra tỉnh", scope="province", permissions=["audit.read"]
    )

    def lives_in(province):
        return PersonFactory(province=province)

    def citizen(province):
        return UserFactory(person=lives_in(province))

    e1_former = make_staff("enterprise_staff", e2, person=lives_in(b))
    Membership.objects.create(
        user=e1_former, organisation=e1, role=Role.objects.get(code="enterprise_staff"), is_active=False
    )
    former_colab = make_staff("enterprise_staff", e2, person=lives_in(b))
    Membership.objects.create(
        user=former_colab, organisation=colab, role=Role.objects.get(code="colab_operator"), is_active=False
    )
    colab_colleague = make_staff("colab_operator", colab, person=lives_in(b))
    return World(
        orgs={
            "ministry": ministry,
            "colab": colab,
            "dept_a": dept_a,
            "dept_b": dept_b,
            "centre_a": centre_a,
            "e1": e1,
            "e1_branch": e1_branch,
            "e2": e2,
            "mission": mission,
            "bhxh": bhxh,
        },
        home=HOME,
        objects={
            "person_a": PersonFactory(full_name="Nguyễn Văn An", province=a),
            "person_b": PersonFactory(full_name="Trần Thị Bình", province=b),
            "user_a": citizen(a),
            "user_b": citizen(b),
            "e1_member": make_staff("enterprise_staff", e1, person=lives_in(b)),
            "e1_branch_member": make_staff("branch_staff", e1_branch, person=lives_in(b)),
            "e2_member": make_staff("enterprise_staff", e2, person=lives_in(b)),
            "e1_former_member": e1_former,
            "colab_colleague": colab_colleague.person,
            "colab_colleague_user": colab_colleague,
            "former_colab_person": former_colab.person,
            "admin_in_a": make_staff("system_admin", ministry, person=lives_in(a)),
            "superuser_in_a": UserFactory(is_superuser=True, is_staff=True, person=lives_in(a)),
        },
        default_province=a,
    )


def reissued(name):
    """The named account now has a one-time password that must be changed; the old one is gone."""

    def check(response, world, actor):
        user = User.objects.get(pk=world.pk(name))
        assert user.must_change_password
        assert not user.check_password(PASSWORD)
        if response["Content-Type"].startswith("application/json"):
            assert user.check_password(response.json()["one_time_password"])

    return labelled(check, f"reissued({name})")


def _all(actors, method, url, expect, *extras):
    """The same row for several actors."""
    return [(actor, method, url, expect, *extras) for actor in actors]


# Checks on list answers.
A_NOT_B = both(shows("person_a"), hides("person_b"))
B_NOT_A = both(shows("person_b"), hides("person_a"))
ONLY_ME = both(shows("me"), hides("person_a", "person_b"))
EVERYBODY = shows("person_a", "person_b")
COLAB_ONLY = both(shows("colab_colleague"), hides("person_a"))
PROVINCE_A_ORGS = both(shows("dept_a", "centre_a", "e1", "bhxh"), hides("dept_b", "e2", "ministry"))
E1_ORGS = both(shows("e1", "e1_branch"), hides("e2", "dept_a", "ministry"))
BRANCH_ORG = both(shows("e1_branch"), hides("e1", "e2"))
MISSION_ORG = both(shows("mission"), hides("e1", "dept_a"))
NO_ORGS = hides("ministry", "dept_a", "e1")
ALL_ORGS = shows("dept_b", "e2", "mission")

# --- API ---------------------------------------------------------------------------------------------------

AUTH = "auth.required"
NOT_FOUND = "not_found"
DENIED = "permission.denied"

ME = [
    ("anonymous", "GET", "/api/v1/me", 401, AUTH),
    *_all(EVERYONE, "GET", "/api/v1/me", 200),
]

PEOPLE_LIST = [
    ("anonymous",                  "GET", "/api/v1/people", 401, AUTH),
    ("provincial_officer",         "GET", "/api/v1/people", 200, A_NOT_B),
    ("provincial_officer@dept_b",  "GET", "/api/v1/people", 200, B_NOT_A),
    *_all(NATION_READERS,          "GET", "/api/v1/people", 200, EVERYBODY),
    *_all(NO_PERSON_READ,          "GET", "/api/v1/people", 200, ONLY_ME),
    ("mission_officer",            "GET", "/api/v1/people", 200, ONLY_ME),
    ("employment_centre_officer",  "GET", "/api/v1/people", 200, ONLY_ME),
    ("colab_operator",             "GET", "/api/v1/people", 200, COLAB_ONLY),
    # BUG: a revoked COLAB membership still puts its holder in COLAB's organisation scope.
    ("colab_operator",             "GET", "/api/v1/people", 200, hides("former_colab_person")),
]  # fmt: skip

PERSON_A, PERSON_B, OWN_PERSON = (
    "/api/v1/people/{person_a}",
    "/api/v1/people/{person_b}",
    "/api/v1/people/{me.person}",
)
PEOPLE_GET = [
    ("anonymous",                  "GET", PERSON_A,   401, AUTH),
    ("provincial_officer",         "GET", PERSON_A,   200),
    ("provincial_officer",         "GET", PERSON_B,   404, NOT_FOUND),
    ("provincial_officer",         "GET", OWN_PERSON, 200),
    ("provincial_officer@dept_b",  "GET", PERSON_A,   404, NOT_FOUND),
    ("provincial_officer@dept_b",  "GET", PERSON_B,   200),
    *_all(NATION_READERS,          "GET", PERSON_B,   200),
    *_all(NO_PERSON_READ,          "GET", PERSON_A,   404, NOT_FOUND),
    *_all(NO_PERSON_READ,          "GET", OWN_PERSON, 200),
    ("employment_centre_officer",  "GET", PERSON_A,   404, NOT_FOUND),
    ("mission_officer",            "GET", PERSON_A,   404, NOT_FOUND),
    ("colab_operator",             "GET", PERSON_A,   404, NOT_FOUND),
    ("colab_operator",             "GET", "/api/v1/people/{colab_colleague}", 200),
    # BUG: see PEOPLE_LIST; the record of someone who left COLAB stays readable by COLAB.
    ("colab_operator",             "GET", "/api/v1/people/{former_colab_person}", 404, NOT_FOUND),
    ("provincial_officer",         "GET", "/api/v1/people/999999999", 404, NOT_FOUND),
]  # fmt: skip

ORGS = "/api/v1/organisations"
ORGANISATIONS = [
    ("anonymous",           "GET", ORGS, 401, AUTH),
    ("citizen",             "GET", ORGS, 200, NO_ORGS),
    ("provincial_officer",  "GET", ORGS, 200, PROVINCE_A_ORGS),
    ("enterprise_admin",    "GET", ORGS, 200, E1_ORGS),
    ("branch_staff",        "GET", ORGS, 200, BRANCH_ORG),
    ("mission_officer",     "GET", ORGS, 200, MISSION_ORG),
    *_all(NATION_READERS,   "GET", ORGS, 200, ALL_ORGS),
]  # fmt: skip


def reissue(name):
    return "/api/v1/users/{" + name + "}/password-reissue"


PASSWORD_REISSUE = [
    ("anonymous",                  "POST", reissue("user_a"),           401, AUTH),
    ("provincial_officer",         "POST", reissue("user_a"),           200, reissued("user_a")),
    ("provincial_officer",         "POST", reissue("user_b"),           404, NOT_FOUND),
    # Members of organisations seated in the province are in the province's scope, wherever they live.
    ("provincial_officer",         "POST", reissue("e1_member"),        200, reissued("e1_member")),
    ("provincial_officer",         "POST", reissue("e2_member"),        404, NOT_FOUND),
    ("provincial_officer@dept_b",  "POST", reissue("user_b"),           200, reissued("user_b")),
    ("provincial_officer@dept_b",  "POST", reissue("user_a"),           404, NOT_FOUND),
    ("enterprise_admin",           "POST", reissue("e1_member"),        200, reissued("e1_member")),
    ("enterprise_admin",           "POST", reissue("e1_branch_member"), 200, reissued("e1_branch_member")),
    ("enterprise_admin",           "POST", reissue("e2_member"),        404, NOT_FOUND),
    ("enterprise_admin",           "POST", reissue("user_a"),           404, NOT_FOUND),
    ("enterprise_admin@e2",        "POST", reissue("e1_member"),        404, NOT_FOUND),
    ("system_admin",               "POST", reissue("user_b"),           200, reissued("user_b")),
    ("superuser",                  "POST", reissue("e2_member"),        200, reissued("e2_member")),
    *_all(NO_ACCOUNT_MANAGE,       "POST", reissue("user_a"),           403, DENIED),
    ("enterprise_staff",           "POST", reissue("e1_member"),        403, DENIED),
    ("citizen",                    "POST", reissue("me.user"),          403, DENIED),
    ("provincial_officer",         "POST", "/api/v1/users/999999999/password-reissue", 404, NOT_FOUND),
    # BUG: province scope reaches every account whose *person* lives in the province, including accounts
    # with wider powers than the officer's: a provincial officer can take over a nation-wide admin.
    ("provincial_officer",         "POST", reissue("admin_in_a"),       404, NOT_FOUND),
    ("provincial_officer",         "POST", reissue("superuser_in_a"),   404, NOT_FOUND),
    # BUG: a revoked membership still puts its former holder in the enterprise admin's scope.
    ("enterprise_admin",           "POST", reissue("e1_former_member"), 404, NOT_FOUND),
]  # fmt: skip

AUDITORS = ["auditor", "system_admin", "superuser"]
NOT_AUDITORS = [*(a for a in EVERYONE if a not in AUDITORS), "provincial_auditor"]
ENTRIES, CSV = "/api/v1/audit/entries", "/api/v1/audit/entries.csv"
AUDIT = [
    ("anonymous",          "GET", ENTRIES, 401, AUTH),
    ("anonymous",          "GET", CSV,     401, AUTH),
    *_all(AUDITORS,        "GET", ENTRIES, 200),
    *_all(AUDITORS,        "GET", CSV,     200),
    *_all(NOT_AUDITORS,    "GET", ENTRIES, 403, DENIED),
    *_all(NOT_AUDITORS,    "GET", CSV,     403, DENIED),
]  # fmt: skip

# --- pages -------------------------------------------------------------------------------------------------

LOGIN = "/accounts/login/"
TWO_FACTOR = "/accounts/2fa/"
PAGE_A, PAGE_B = "/staff/people/{person_a}/", "/staff/people/{person_b}/"
PAGES = [
    ("anonymous",                    "GET", "/staff/",                 302, LOGIN),
    ("citizen",                      "GET", "/staff/",                 403),
    *_all(["superuser", *STAFF_ROLES], "GET", "/staff/",               200),
    ("provincial_officer+no2fa",     "GET", "/staff/",                 302, TWO_FACTOR),
    ("anonymous",                    "GET", "/staff/people/",          302, LOGIN),
    *_all(NO_PERSON_READ,            "GET", "/staff/people/",          403),
    ("provincial_officer",           "GET", "/staff/people/",          200, A_NOT_B),
    *_all(NATION_READERS,            "GET", "/staff/people/",          200, EVERYBODY),
    ("colab_operator",               "GET", "/staff/people/",          200, COLAB_ONLY),
    ("employment_centre_officer",    "GET", "/staff/people/",          200, hides("person_a", "person_b")),
    ("mission_officer",              "GET", "/staff/people/",          200, hides("person_a", "person_b")),
    ("provincial_officer+no2fa",     "GET", "/staff/people/",          302, TWO_FACTOR),
    ("anonymous",                    "GET", PAGE_A,                    302, LOGIN),
    ("provincial_officer",           "GET", PAGE_A,                    200),
    ("provincial_officer",           "GET", PAGE_B,                    404),
    ("provincial_officer+no2fa",     "GET", PAGE_A,                    302, TWO_FACTOR),
    *_all(NATION_READERS,            "GET", PAGE_B,                    200),
    *_all(NO_PERSON_READ,            "GET", PAGE_A,                    404),
    # A person's own record is theirs to see, whichever page shows it.
    ("citizen",                      "GET", "/staff/people/{me.person}/", 200),
    ("anonymous",                    "GET", "/staff/audit/",           302, LOGIN),
    ("anonymous",                    "GET", "/staff/audit/export.csv", 302, LOGIN),
    *_all(AUDITORS,                  "GET", "/staff/audit/",           200),
    *_all(AUDITORS,                  "GET", "/staff/audit/export.csv", 200),
    *_all(NOT_AUDITORS,              "GET", "/staff/audit/",           403),
    *_all(NOT_AUDITORS,              "GET", "/staff/audit/export.csv", 403),
    ("auditor+no2fa",                "GET", "/staff/audit/export.csv", 302, TWO_FACTOR),
]  # fmt: skip


def page_reissue(name):
    return "/staff/accounts/{" + name + "}/reissue/"


PAGE_PASSWORD_REISSUE = [
    ("anonymous",                  "POST", page_reissue("user_a"),         302, LOGIN),
    ("provincial_officer",         "POST", page_reissue("user_a"),         200, reissued("user_a")),
    ("provincial_officer",         "POST", page_reissue("user_b"),         404),
    ("provincial_officer",         "GET",  page_reissue("user_a"),         405),
    ("provincial_officer+no2fa",   "POST", page_reissue("user_a"),         302, TWO_FACTOR),
    ("enterprise_admin",           "POST", page_reissue("e1_member"),      200, reissued("e1_member")),
    ("enterprise_admin",           "POST", page_reissue("e2_member"),      404),
    ("system_admin",               "POST", page_reissue("user_b"),         200, reissued("user_b")),
    *_all(NO_ACCOUNT_MANAGE,       "POST", page_reissue("user_a"),         403),
    # BUG: as in the API (same service): a provincial officer can reissue a superuser's password.
    ("provincial_officer",         "POST", page_reissue("superuser_in_a"), 404),
]  # fmt: skip


@pytest.mark.parametrize(
    "case",
    cases([*ME, *PEOPLE_LIST, *PEOPLE_GET, *ORGANISATIONS, *PASSWORD_REISSUE, *AUDIT]),
    ids=str,
)
def test_api(case, world, client):
    run_case(client, world, case)


@pytest.mark.parametrize("case", cases([*PAGES, *PAGE_PASSWORD_REISSUE]), ids=str)
def test_pages(case, world, client):
    run_case(client, world, case)
