"""Who may read the social-security figures (API and page; see tests/authz/matrix.py).

`welfare_statistics.read` is held by a province's officers (their province), the ministry's (the country)
and a commune's chair (their commune). A citizen, a service point's cashier, a clinic's staff and a
commune's social affairs officer are refused; a province's officer may not narrow to another province."""

import pytest

from ansinh.accounts.models import OrganisationKind
from tests.authz.matrix import World, cases, labelled, run_case
from tests.factories import OrganisationFactory
from tests.welfare.statistics_world import build_figures_world

pytestmark = pytest.mark.django_db

API = "/api/v1/welfare/figures"
PAGE = "/staff/social/figures/"
XLSX = "/staff/social/figures.xlsx"
LOGIN = "/accounts/login/"


def counts(allowances: int):
    def check(response, world, actor) -> None:
        assert response.json()["allowances"]["total"]["count"] == allowances

    return labelled(check, f"allowances={allowances}")


@pytest.fixture
def world(db):
    w = build_figures_world()
    clinic = OrganisationFactory(kind=OrganisationKind.CLINIC, province=w.card.province_a)
    return World(
        orgs={
            "dept_a": w.department_a,
            "ministry": w.ministry,
            "commune": w.card.commune,
            "point_a": w.card.point_a,
            "clinic": clinic,
        },
        home={
            "provincial_officer": "dept_a",
            "ministry_officer": "ministry",
            "commune_chair": "commune",
            "commune_officer": "commune",
            "service_point_cashier": "point_a",
            "clinic_staff": "clinic",
        },
        objects={"province_b": w.card.province_b},
        default_province=w.card.province_a,
    )


ROWS = [
    # actor                    method  url                                 expect  detail / check
    ("anonymous",              "GET",  API,                                401,    "auth.required"),
    ("citizen",                "GET",  API,                                403,    "permission.denied"),
    ("service_point_cashier",  "GET",  API,                                403,    "permission.denied"),
    ("clinic_staff",           "GET",  API,                                403,    "permission.denied"),
    ("commune_officer",        "GET",  API,                                403,    "permission.denied"),
    ("provincial_officer",     "GET",  API,                                200,    counts(3)),
    ("provincial_officer",     "GET",  API + "?province_id={province_b}",  422,    "validation.invalid"),
    ("ministry_officer",       "GET",  API,                                200,    counts(4)),
    ("ministry_officer",       "GET",  API + "?province_id={province_b}",  200,    counts(1)),
    ("commune_chair",          "GET",  API,                                200,    counts(2)),
    ("superuser",              "GET",  API,                                200,    counts(4)),
    # pages
    ("anonymous",              "GET",  PAGE,                               302,    LOGIN),
    ("citizen",                "GET",  PAGE,                               403),
    ("service_point_cashier",  "GET",  PAGE,                               403),
    ("clinic_staff",           "GET",  PAGE,                               403),
    ("commune_officer",        "GET",  PAGE,                               403),
    ("provincial_officer",     "GET",  PAGE,                               200),
    ("ministry_officer",       "GET",  PAGE,                               200),
    ("commune_chair",          "GET",  PAGE,                               200),
    ("anonymous",              "GET",  XLSX,                               302,    LOGIN),
    ("citizen",                "GET",  XLSX,                               403),
    ("service_point_cashier",  "GET",  XLSX,                               403),
    ("provincial_officer",     "GET",  XLSX,                               200),
    ("ministry_officer",       "GET",  XLSX,                               200),
    ("commune_chair",          "GET",  XLSX,                               200),
]  # fmt: skip


@pytest.mark.parametrize("case", cases(ROWS), ids=str)
def test_welfare_statistics(case, world, client):
    run_case(client, world, case)
