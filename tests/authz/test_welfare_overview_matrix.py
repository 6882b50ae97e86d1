"""Who may see My services (page and API; see tests/authz/matrix.py).

The world is tests/welfare/test_overview.py's: `lan` has a record in every service (benefit decision
QĐ-0001), `other` has a benefit (QĐ-0002), a returned dossier (TC-OTHER) and a message of their own. Anyone
signed in sees their own services and nobody else's, staff included (their page reads their own person);
anonymous callers are sent to sign in (page) or get 401 (API)."""

import json

import pytest

from tests.authz.matrix import World, cases, labelled, run_case
from tests.welfare.test_overview import everything_for

pytestmark = pytest.mark.django_db

PAGE = "/my-services/"
API = "/api/v1/me/services"
LOGIN = "/accounts/login/"
OWN = ("QĐ-0001",)
OTHERS = ("QĐ-0002", "TC-OTHER", "Của người khác")


def _text(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def sees(*mine: str, hidden: tuple[str, ...] = OTHERS):
    def check(response, world, actor) -> None:
        text = _text(response)
        for marker in mine:
            assert marker in text, f"{marker} missing"
        for marker in hidden:
            assert marker not in text, f"{marker} leaked"

    return labelled(check, f"sees({', '.join(mine)}) hides({', '.join(hidden)})")


OWN_ONLY = sees(*OWN)
NOTHING_OF_OTHERS = sees(hidden=OTHERS + OWN)


@pytest.fixture
def world(reference_data):
    data = everything_for()
    jobs = data.jobs
    return World(
        orgs={"dept_hcm": jobs.dept_hcm, "commune": data.commune, "centre_hcm": jobs.centre_hcm},
        home={
            "provincial_officer": "dept_hcm",
            "commune_officer": "commune",
            "employment_centre_officer": "centre_hcm",
        },
        objects={"lan": data.user, "other": data.other},
        default_province=jobs.hcm,
    )


ROWS = [
    # actor                        method  url     expect  detail / check
    ("anonymous",                  "GET",  PAGE,   302,    LOGIN),
    ("anonymous",                  "GET",  API,    401,    "auth.required"),
    ("as:lan",                     "GET",  PAGE,   200,    OWN_ONLY),
    ("as:lan",                     "GET",  API,    200,    OWN_ONLY),
    ("as:other",                   "GET",  PAGE,   200,    sees("QĐ-0002", hidden=OWN)),
    ("as:other",                   "GET",  API,    200,    sees("QĐ-0002", hidden=OWN)),
    ("citizen",                    "GET",  PAGE,   200,    NOTHING_OF_OTHERS),
    ("citizen",                    "GET",  API,    200,    NOTHING_OF_OTHERS),
    ("commune_officer",            "GET",  PAGE,   200,    NOTHING_OF_OTHERS),
    ("commune_officer",            "GET",  API,    200,    NOTHING_OF_OTHERS),
    ("employment_centre_officer",  "GET",  API,    200,    NOTHING_OF_OTHERS),
    ("provincial_officer",         "GET",  PAGE,   200,    NOTHING_OF_OTHERS),
    ("superuser",                  "GET",  API,    200,    NOTHING_OF_OTHERS),
]  # fmt: skip


@pytest.mark.parametrize("case", cases(ROWS), ids=str)
def test_welfare_overview(case, world, client):
    run_case(client, world, case)
