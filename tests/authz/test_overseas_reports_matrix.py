"""Who may use the annual report's endpoints and pages (see tests/authz/matrix.py).

The world: the department of overseas labour (`dolab`, the whole country), Nghệ An's department (`dept_a`)
and Hà Tĩnh's (`dept_b`); enterprise e1 seated in Nghệ An with two branches: `branch_reports` (the enterprise
delegated it reports and reading) and `branch` (worker registration and reading, no reports); enterprise e2
seated in Hà Tĩnh. `report_a` is e1's report of 2025, submitted (late, so it can no longer be replaced).

The enterprise prepares and submits its own report; e2 reads only its own figures; a branch prepares its own
records' report only where reports were delegated, and never submits; the department and the province of
the enterprise's seat read the submitted reports, the other province does not; refusals change nothing.
"""

import pytest

from ansinh.overseas.services import enterprises, reports
from tests.authz.matrix import World, cases, labelled, run_case
from tests.overseas.world import build_world

pytestmark = pytest.mark.django_db

HOME = {
    "overseas_department_officer": "dolab",
    "provincial_officer": "dept_a",
    "enterprise_admin": "e1",
    "enterprise_staff": "e1",
    "branch_staff": "branch_reports",
}


@pytest.fixture
def world(reference_data):
    built = build_world()
    branch_reports = enterprises.branch_create(
        actor=built.admin_a, name="Chi nhánh Vinh", province="40", functions=["reports", "read"]
    )
    report_a = reports.annual_report_submit(actor=built.admin_a, year=2025)
    other_department = built.other_provincial_officer.memberships.get().organisation
    return World(
        orgs={
            "dolab": built.dolab,
            "dept_a": built.province_department,
            "dept_b": other_department,
            "e1": built.enterprise_a.organisation,
            "e2": built.enterprise_b.organisation,
            "branch": built.branch,
            "branch_reports": branch_reports,
        },
        home=HOME,
        objects={"ent1": built.enterprise_a, "ent2": built.enterprise_b, "report_a": report_a},
        default_province=reference_data.province("40"),
    )


def _all(actors, method, url, expect, *extras):
    return [(actor, method, url, expect, *extras) for actor in actors]


def reports_of(name: str):
    """The figures answered are those of this enterprise (A never gets B's, nor B A's)."""

    def check(response, world, actor):
        assert response.json()["figures"]["enterprise_id"] == world.pk(name)

    return labelled(check, f"reports_of({name})")


def page_lists(present: bool):
    def check(response, world, actor):
        found = f'data-report="{world.pk("report_a")}"' in response.content.decode()
        assert found is present, "report_a listed" if found else "report_a not listed"

    return labelled(check, f"lists(report_a)={present}")


AUTH, NOT_FOUND, DENIED = "auth.required", "not_found", "permission.denied"
E2 = "enterprise_admin@e2"
ENTERPRISE_A = ["enterprise_admin", "enterprise_staff"]
NO_REPORTS = "branch_staff@branch"  # a branch the enterprise did not delegate reports to
OFFICIALS = ["overseas_department_officer", "provincial_officer", "provincial_officer@dept_b"]
REPORTS = "/api/v1/overseas/reports"
SUBMITTED = f"{REPORTS}/submitted"
LOGIN = "/accounts/login/"
PAGE = "/overseas/enterprise/reports/"
STAFF = "/staff/overseas/reports/"
DONE = {"redirect_is_success": True}

API = [
    # The figures of a year: the enterprise's own (a delegated branch: its own records').
    ("anonymous", "GET", f"{REPORTS}/2026", 401, AUTH),
    *_all([*ENTERPRISE_A, "branch_staff"], "GET", f"{REPORTS}/2026", 200, reports_of("ent1")),
    (E2, "GET", f"{REPORTS}/2026", 200, reports_of("ent2")),
    *_all([NO_REPORTS, "citizen", *OFFICIALS], "GET", f"{REPORTS}/2026", 403, DENIED),
    ("enterprise_admin", "GET", f"{REPORTS}/2019", 422, "validation.invalid"),
    *_all(["enterprise_admin", "branch_staff", E2], "GET", f"{REPORTS}/2026.xlsx", 200),
    *_all([NO_REPORTS, "overseas_department_officer"], "GET", f"{REPORTS}/2026.xlsx", 403, DENIED),
    ("anonymous", "GET", f"{REPORTS}/2026.xlsx", 401, AUTH),
    ("enterprise_staff", "GET", f"{REPORTS}/2026.pdf", 200),
    *_all([NO_REPORTS, "provincial_officer"], "GET", f"{REPORTS}/2026.pdf", 403, DENIED),
    ("anonymous", "GET", f"{REPORTS}/2026.pdf", 401, AUTH),
    # Submitting: the enterprise itself, once the period has ended; a late report is not replaced.
    (E2, "POST", f"{REPORTS}/2025/submit", 201),
    ("enterprise_admin", "POST", f"{REPORTS}/2025/submit", 409, "overseas.report_closed"),
    ("enterprise_staff", "POST", f"{REPORTS}/2026/submit", 422, "validation.invalid"),
    *_all(["branch_staff", NO_REPORTS, "citizen", *OFFICIALS], "POST", f"{REPORTS}/2025/submit", 403, DENIED),
    ("anonymous", "POST", f"{REPORTS}/2025/submit", 401, AUTH),
    # Submitted reports: the department, the province of the seat and the enterprise read them.
    *_all(
        ["overseas_department_officer", "provincial_officer", *ENTERPRISE_A],
        "GET",
        SUBMITTED,
        200,
        labelled(lambda r, w, a: _ids(r, w, True), "shows(report_a)"),
    ),
    *_all(
        ["provincial_officer@dept_b", E2, "branch_staff", NO_REPORTS],
        "GET",
        SUBMITTED,
        200,
        labelled(lambda r, w, a: _ids(r, w, False), "hides(report_a)"),
    ),
    ("citizen", "GET", SUBMITTED, 403, DENIED),
    ("anonymous", "GET", SUBMITTED, 401, AUTH),
    *_all(
        ["overseas_department_officer", "provincial_officer", "enterprise_admin"],
        "GET",
        f"{SUBMITTED}/{{report_a}}.pdf",
        200,
    ),
    *_all(
        ["provincial_officer@dept_b", E2, "branch_staff"],
        "GET",
        f"{SUBMITTED}/{{report_a}}.pdf",
        404,
        NOT_FOUND,
    ),
    ("citizen", "GET", f"{SUBMITTED}/{{report_a}}.pdf", 403, DENIED),
    ("anonymous", "GET", f"{SUBMITTED}/{{report_a}}.pdf", 401, AUTH),
]


def _ids(response, world, present: bool) -> None:
    listed = world.pk("report_a") in {item["id"] for item in response.json()["items"]}
    assert listed is present


PAGES = [
    ("anonymous", "GET", PAGE, 302, LOGIN),
    *_all([*ENTERPRISE_A, E2, "branch_staff"], "GET", PAGE, 200),
    *_all([NO_REPORTS, "citizen", *OFFICIALS], "GET", PAGE, 403),
    *_all(["enterprise_admin", "branch_staff"], "GET", f"{PAGE}2026.pdf", 200),
    *_all([NO_REPORTS, "overseas_department_officer"], "GET", f"{PAGE}2026.pdf", 403),
    ("enterprise_staff", "GET", f"{PAGE}2026.xlsx", 200),
    ("provincial_officer", "GET", f"{PAGE}2026.xlsx", 403),
    ("anonymous", "GET", f"{PAGE}2026.xlsx", 302, LOGIN),
    (E2, "POST", f"{PAGE}2025/submit/", 302, DONE),
    # Refused by the service (closed): back to the page with the reason, nothing written.
    ("enterprise_admin", "POST", f"{PAGE}2025/submit/", 302),
    *_all(["branch_staff", NO_REPORTS, "citizen", "overseas_department_officer"], "POST",
          f"{PAGE}2025/submit/", 403),
    ("anonymous", "POST", f"{PAGE}2025/submit/", 302, LOGIN),
    ("enterprise_admin", "GET", f"{PAGE}submitted/{{report_a}}.pdf", 200),
    (E2, "GET", f"{PAGE}submitted/{{report_a}}.pdf", 404),
    # The staff page: submitted reports in scope and those missing.
    ("anonymous", "GET", STAFF, 302, LOGIN),
    *_all(["overseas_department_officer", "provincial_officer", "enterprise_admin"], "GET",
          f"{STAFF}?year=2025", 200, page_lists(True)),
    *_all(["provincial_officer@dept_b", E2, NO_REPORTS], "GET", f"{STAFF}?year=2025", 200, page_lists(False)),
    ("citizen", "GET", STAFF, 403),
    *_all(["overseas_department_officer", "provincial_officer"], "GET", f"{STAFF}{{report_a}}.pdf", 200),
    *_all(["provincial_officer@dept_b", E2], "GET", f"{STAFF}{{report_a}}.pdf", 404),
    ("citizen", "GET", f"{STAFF}{{report_a}}.pdf", 403),
    ("anonymous", "GET", f"{STAFF}{{report_a}}.pdf", 302, LOGIN),
]  # fmt: skip


@pytest.mark.parametrize("case", cases(API), ids=str)
def test_overseas_reports_api(case, world, client):
    run_case(client, world, case)


@pytest.mark.parametrize("case", cases(PAGES), ids=str)
def test_overseas_reports_pages(case, world, client):
    run_case(client, world, case)
