"""Who may export the worker list, and which workers each export holds (see tests/authz/matrix.py).

The world (tests/overseas/world.py): the department of overseas labour (`dolab`), Nghệ An's department
(`dept_a`) and Hà Tĩnh's (`dept_b`); enterprise A (`e1`, Nghệ An) with a branch in Hà Tĩnh that was delegated
reading (`branch`) and one that was not (`plain`); enterprise B (`e2`). The workers: `a_nghe_an` and
`a_ha_tinh` registered by A, `by_branch` by A's branch (from Hà Tĩnh), `b_nghe_an` by B.

A's export never holds B's workers, a branch's only its own, a province's only the workers from the province,
the department's every worker; a branch without the delegated reading, a citizen and anonymous callers are
refused, and a refusal writes no audit entry of an export (nor anything else: the matrix checks the database).
"""

import io
from datetime import date
from typing import Any

import openpyxl
import pytest

from ansinh.core.models import AuditEntry
from ansinh.overseas.services import contracts, enterprises, signatures, workers
from ansinh.overseas.worker_exports import ACTION, XLSX
from tests.authz.matrix import World, cases, labelled, run_case
from tests.overseas.test_exports import use_exports_api
from tests.overseas.world import build_world, contract_terms, registered_contract

pytestmark = pytest.mark.django_db

HOME = {
    "overseas_department_officer": "dolab",
    "provincial_officer": "dept_a",
    "ministry_officer": "dolab",
    "enterprise_admin": "e1",
    "enterprise_staff": "e1",
    "branch_staff": "branch",
}
ALL = ("a_nghe_an", "a_ha_tinh", "by_branch", "b_nghe_an")


def _person(personal_id: str, passport: str, name: str, born: date, sex: str) -> dict[str, Any]:
    return {
        "personal_id": personal_id,
        "passport_number": passport,
        "full_name": name,
        "date_of_birth": born,
        "sex": sex,
    }


@pytest.fixture
def world(reference_data, settings):
    use_exports_api(settings)
    built = build_world()
    contract_a = registered_contract(built)
    submitted = contracts.contract_submit(actor=built.admin_b, **contract_terms(number="HD-B-001"))
    signatures.contract_sign(actor=built.admin_b, contract_id=submitted.pk)
    contract_b = contracts.contract_decide(actor=built.dolab_officer, contract_id=submitted.pk, approve=True)
    plain = enterprises.branch_create(
        actor=built.admin_a, name="Chi nhánh Nghệ An", province="40", functions=["worker_registration"]
    )

    def register(actor: Any, contract: Any, *person: Any) -> Any:
        return workers.worker_register(actor=actor, contract_id=contract.pk, **_person(*person))

    return World(
        orgs={
            "dolab": built.dolab,
            "dept_a": built.province_department,
            "dept_b": built.other_provincial_officer.memberships.get().organisation,
            "e1": built.enterprise_a.organisation,
            "e2": built.enterprise_b.organisation,
            "branch": built.branch,
            "plain": plain,
        },
        home=HOME,
        objects={
            "contract_a": contract_a,
            "contract_b": contract_b,
            "a_nghe_an": register(
                built.admin_a, contract_a, "040095001234", "C1234567", "Lê Thị Hoa", date(1995, 3, 14), "F"
            ),
            "a_ha_tinh": register(
                built.admin_a, contract_a, "042090005678", "C2345678", "Phan Văn Lực", date(1990, 5, 1), "M"
            ),
            "by_branch": register(
                built.branch_staff,
                contract_a,
                "042092007777",
                "C3456789",
                "Nguyễn Văn Nam",
                date(1992, 7, 9),
                "M",
            ),
            "b_nghe_an": register(
                built.admin_b, contract_b, "040093009999", "C4567890", "Trần Thị Mai", date(1993, 9, 20), "F"
            ),
        },
        default_province=reference_data.province("40"),
    )


def holds(*names: str):
    """The answer is the workbook, and it lists exactly the named workers (by worker code)."""

    def check(response: Any, world: World, actor: Any) -> None:
        assert response["Content-Type"] == XLSX
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        listed = {row[0] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
        expected = {world.get(name).worker_code for name in names}
        leaked = {name for name in ALL if name not in names and world.get(name).worker_code in listed}
        assert not leaked, f"exported although out of scope: {sorted(leaked)}"
        assert listed == expected, f"missing: {sorted(expected - listed)}"

    return labelled(check, f"holds({','.join(names) or 'nobody'})")


def form_error(field: str):
    """The page again (not a file), with the problem beside `field`."""

    def check(response: Any, world: World, actor: Any) -> None:
        assert response["Content-Type"].startswith("text/html")
        text = response.content.decode()
        assert f'name="{field}"' in text
        assert 'class="error"' in text

    return labelled(check, f"form_error({field})")


def _all(actors, method, url, expect, *extras):
    return [(actor, method, url, expect, *extras) for actor in actors]


AUTH, NOT_FOUND, DENIED, INVALID = "auth.required", "not_found", "permission.denied", "validation.invalid"
LOGIN = "/accounts/login/"
E2 = "enterprise_admin@e2"
ENTERPRISE_A = ["enterprise_admin", "enterprise_staff"]
OFFICIALS = ["overseas_department_officer", "provincial_officer", "provincial_officer@dept_b"]
PURPOSE = {"purpose": "inspection"}
ASKED = {"body": PURPOSE}
NO_PURPOSE = {"body": {"status": "registered"}}
A_CONTRACT = {"body": {**PURPOSE, "contract_id": "{contract_a}"}}
API = "/api/v1/overseas/workers/export"
ENTERPRISE_PAGE = "/overseas/enterprise/workers/export/"
STAFF_PAGE = "/staff/overseas/workers/export/"

ROWS = [
    # The API: the caller's scope, whoever calls.
    ("anonymous", "POST", API, 401, AUTH, ASKED),
    *_all(["citizen", "ministry_officer", "branch_staff@plain"], "POST", API, 403, DENIED, ASKED),
    *_all(ENTERPRISE_A, "POST", API, 200, holds("a_nghe_an", "a_ha_tinh", "by_branch"), ASKED),
    (E2, "POST", API, 200, holds("b_nghe_an"), ASKED),
    ("branch_staff", "POST", API, 200, holds("by_branch"), ASKED),
    ("provincial_officer", "POST", API, 200, holds("a_nghe_an", "b_nghe_an"), ASKED),
    ("provincial_officer@dept_b", "POST", API, 200, holds("a_ha_tinh", "by_branch"), ASKED),
    ("overseas_department_officer", "POST", API, 200, holds(*ALL), ASKED),
    # B naming A's contract learns nothing of it (as if it did not exist); no purpose, no export.
    (E2, "POST", API, 422, INVALID, A_CONTRACT),
    ("branch_staff", "POST", API, 200, holds("by_branch"), A_CONTRACT),  # its enterprise's contract
    *_all(["enterprise_admin", "overseas_department_officer"], "POST", API, 422, INVALID, NO_PURPOSE),
    # The enterprise's page: enterprises and the branches that may read.
    ("anonymous", "GET", ENTERPRISE_PAGE, 302, LOGIN),
    ("anonymous", "POST", ENTERPRISE_PAGE, 302, LOGIN, ASKED),
    *_all([*ENTERPRISE_A, E2, "branch_staff"], "GET", ENTERPRISE_PAGE, 200),
    ("enterprise_admin+no2fa", "GET", ENTERPRISE_PAGE, 302),  # the second factor first
    *_all(["citizen", "branch_staff@plain", *OFFICIALS], "GET", ENTERPRISE_PAGE, 403),
    *_all(["citizen", "branch_staff@plain", *OFFICIALS], "POST", ENTERPRISE_PAGE, 403, ASKED),
    *_all(ENTERPRISE_A, "POST", ENTERPRISE_PAGE, 200, holds("a_nghe_an", "a_ha_tinh", "by_branch"), ASKED),
    (E2, "POST", ENTERPRISE_PAGE, 200, holds("b_nghe_an"), ASKED),
    ("branch_staff", "POST", ENTERPRISE_PAGE, 200, holds("by_branch"), ASKED),
    (E2, "POST", ENTERPRISE_PAGE, 200, form_error("contract_id"), A_CONTRACT),
    ("enterprise_admin", "POST", ENTERPRISE_PAGE, 200, form_error("purpose"), NO_PURPOSE),
    # The officials' page: the province, or the whole country.
    ("anonymous", "GET", STAFF_PAGE, 302, LOGIN),
    ("anonymous", "POST", STAFF_PAGE, 302, LOGIN, ASKED),
    *_all(["citizen", "ministry_officer", "branch_staff@plain"], "GET", STAFF_PAGE, 403),
    *_all(["citizen", "ministry_officer", "branch_staff@plain"], "POST", STAFF_PAGE, 403, ASKED),
    *_all(OFFICIALS, "GET", STAFF_PAGE, 200),
    ("provincial_officer", "POST", STAFF_PAGE, 200, holds("a_nghe_an", "b_nghe_an"), ASKED),
    ("provincial_officer@dept_b", "POST", STAFF_PAGE, 200, holds("a_ha_tinh", "by_branch"), ASKED),
    ("overseas_department_officer", "POST", STAFF_PAGE, 200, holds(*ALL), ASKED),
    ("overseas_department_officer", "POST", STAFF_PAGE, 200, form_error("purpose"), NO_PURPOSE),
    # Enterprise staff reaching the officials' address still export only their own scope.
    (E2, "POST", STAFF_PAGE, 200, holds("b_nghe_an"), ASKED),
]


@pytest.mark.parametrize("case", cases(ROWS), ids=str)
def test_worker_exports(case, world, client):
    response = run_case(client, world, case)
    handed_out = response.status_code == 200 and response["Content-Type"] == XLSX
    entries = AuditEntry.objects.filter(action=ACTION)
    # An export is logged once; anything else (a refusal, the form again) logs no export.
    assert entries.count() == (1 if handed_out else 0), f"{case}: {entries.count()} export entries"
    if handed_out:
        assert entries.get().changes["purpose"] == "inspection"
