"""Who may use the overseas-labour database's endpoints (see tests/authz/matrix.py).

The world: the ministry's department of overseas labour (`dolab`: licences, contract registrations, every
enterprise), Nghệ An's department (`dept_a`) and Hà Tĩnh's (`dept_b`), two licensed enterprises (`e1` seated
in Nghệ An with a branch in Hà Tĩnh that was delegated worker registration and reading; `e2` in Hà Tĩnh),
and an enterprise that registered but has no licence yet (`e3`). `contract` is e1's registered contract,
`pending` e1's contract awaiting the reply, `worker` a worker e1 registered on `contract`.

Enterprise A can read and change nothing of enterprise B (404); a branch can use only what was delegated
to it (403 otherwise) and never registers a contract; a province's officials read their province only;
refusals change nothing (the matrix checks the database).
"""

from datetime import date

import pytest

from ansinh.overseas.services import workers
from tests.authz.matrix import World, cases, hides, run_case, shows
from tests.overseas.world import build_world, contract_terms, register, registered_contract

pytestmark = pytest.mark.django_db

HOME = {
    "overseas_department_officer": "dolab",
    "provincial_officer": "dept_a",
    "ministry_officer": "dolab",
    "enterprise_admin": "e1",
    "enterprise_staff": "e1",
    "branch_staff": "branch",
    "system_admin": "dolab",
}

WORKER = {
    "personal_id": "040095001234",
    "passport_number": "C1234567",
    "full_name": "Lê Thị Hoa",
    "date_of_birth": date(1995, 3, 14),
    "sex": "F",
}


@pytest.fixture
def world(reference_data):
    built = build_world()
    contract = registered_contract(built)
    from ansinh.overseas.services import contracts, signatures

    pending = contracts.contract_submit(actor=built.admin_a, **contract_terms(number="HD-2026-009"))
    signatures.contract_sign(actor=built.admin_a, contract_id=pending.pk)
    unsigned = contracts.contract_submit(actor=built.admin_a, **contract_terms(number="HD-2026-010"))
    worker = workers.worker_register(actor=built.admin_a, contract_id=contract.pk, **WORKER)
    unlicensed = register("0312345678", "Công ty Mới Đăng Ký", "40", "moidangky")
    other_department = built.other_provincial_officer.memberships.get().organisation
    return World(
        orgs={
            "dolab": built.dolab,
            "dept_a": built.province_department,
            "dept_b": other_department,
            "e1": built.enterprise_a.organisation,
            "e2": built.enterprise_b.organisation,
            "branch": built.branch,
        },
        home=HOME,
        objects={
            "ent1": built.enterprise_a,
            "ent2": built.enterprise_b,
            "ent3": unlicensed,
            "licence1": built.enterprise_a.licences.get(),
            "contract": contract,
            "pending": pending,
            "unsigned": unsigned,
            "worker": worker,
        },
        default_province=reference_data.province("40"),
    )


def _all(actors, method, url, expect, *extras):
    return [(actor, method, url, expect, *extras) for actor in actors]


AUTH, NOT_FOUND, DENIED = "auth.required", "not_found", "permission.denied"
E2 = "enterprise_admin@e2"
ENTERPRISE_A = ["enterprise_admin", "enterprise_staff"]
REGISTER = {
    "body": {
        "tax_code": "0318765432",
        "name": "Công ty CP Nhân lực Hải Đăng",
        "head_office": "5 Lý Thường Kiệt",
        "province": "40",
        "charter_capital": 5000000000,
        "legal_representative": "Ngô Văn Đức",
        "admin_username": "haidang",
    }
}
UPDATE = {"body": {"website": "https://anphat.vn"}}
GRANT = {"body": {"number": "789/LĐTBXH-GP", "issued_on": "2026-11-20"}}
SUSPEND = {"body": {"action": "suspended", "on": "2026-11-20", "reason": "Không báo cáo"}}
BRANCH = {"body": {"name": "Chi nhánh Thanh Hóa", "province": "38", "functions": ["reports"]}}
FUNCTIONS = {"body": {"functions": ["worker_registration", "worker_update", "read"]}}
CONTRACT = {"body": {**contract_terms(number="HD-2026-050"), "signed_on": "2026-11-02"}}
DECIDE = {"body": {"approve": True}}
NEW_WORKER = {
    "body": {
        "contract_id": "{contract}",
        "personal_id": "040096007777",
        "passport_number": "C7654321",
        "full_name": "Phan Văn Lực",
        "date_of_birth": "1996-05-01",
        "sex": "M",
    }
}
DEPART = {"body": {"status": "departed", "on": "2026-11-20"}}
ENTERPRISES = "/api/v1/overseas/enterprises"
CONTRACTS = "/api/v1/overseas/contracts"
WORKERS = "/api/v1/overseas/workers"

API = [
    # Registering an enterprise is open; reading them is by scope.
    ("anonymous", "POST", ENTERPRISES, 201, REGISTER),
    ("anonymous", "GET", ENTERPRISES, 401, AUTH),
    *_all(["citizen", "ministry_officer"], "GET", ENTERPRISES, 403, DENIED),
    ("overseas_department_officer", "GET", ENTERPRISES, 200, shows("ent1", "ent2", "ent3")),
    ("provincial_officer", "GET", ENTERPRISES, 200, shows("ent1", "ent3")),
    ("provincial_officer", "GET", ENTERPRISES, 200, hides("ent2")),
    ("provincial_officer@dept_b", "GET", ENTERPRISES, 200, hides("ent1", "ent3")),
    *_all(ENTERPRISE_A, "GET", ENTERPRISES, 200, shows("ent1")),
    *_all(ENTERPRISE_A, "GET", ENTERPRISES, 200, hides("ent2", "ent3")),
    ("enterprise_admin", "GET", f"{ENTERPRISES}/{{ent1}}", 200),
    (E2, "GET", f"{ENTERPRISES}/{{ent1}}", 404, NOT_FOUND),
    ("branch_staff", "GET", f"{ENTERPRISES}/{{ent2}}", 404, NOT_FOUND),
    ("enterprise_admin", "PATCH", f"{ENTERPRISES}/{{ent1}}", 200, UPDATE),
    (E2, "PATCH", f"{ENTERPRISES}/{{ent1}}", 404, NOT_FOUND, UPDATE),
    *_all(
        ["enterprise_staff", "branch_staff", "provincial_officer"],
        "PATCH",
        f"{ENTERPRISES}/{{ent1}}",
        403,
        DENIED,
        UPDATE,
    ),
    # Licences are the department's.
    ("overseas_department_officer", "POST", f"{ENTERPRISES}/{{ent3}}/licences", 201, GRANT),
    (
        "overseas_department_officer",
        "POST",
        f"{ENTERPRISES}/{{ent1}}/licences",
        409,
        "overseas.licence_state",
        GRANT,
    ),
    *_all(
        ["enterprise_admin", "provincial_officer", "citizen"],
        "POST",
        f"{ENTERPRISES}/{{ent3}}/licences",
        403,
        DENIED,
        GRANT,
    ),
    ("overseas_department_officer", "POST", "/api/v1/overseas/licences/{licence1}/changes", 200, SUSPEND),
    *_all(
        ["enterprise_admin", "provincial_officer"],
        "POST",
        "/api/v1/overseas/licences/{licence1}/changes",
        403,
        DENIED,
        SUSPEND,
    ),
    ("anonymous", "POST", "/api/v1/overseas/licences/{licence1}/changes", 401, AUTH, SUSPEND),
    # Branches: the enterprise opens them and says what each may do.
    ("enterprise_admin", "POST", "/api/v1/overseas/branches", 201, BRANCH),
    *_all(
        ["enterprise_staff", "branch_staff", "citizen", "overseas_department_officer"],
        "POST",
        "/api/v1/overseas/branches",
        403,
        DENIED,
        BRANCH,
    ),
    ("enterprise_admin", "PUT", "/api/v1/overseas/branches/{branch}/functions", 200, FUNCTIONS),
    (E2, "PUT", "/api/v1/overseas/branches/{branch}/functions", 404, NOT_FOUND, FUNCTIONS),
    ("branch_staff", "PUT", "/api/v1/overseas/branches/{branch}/functions", 403, DENIED, FUNCTIONS),
    # Contracts: the enterprise registers (never a branch); the ministry's department replies.
    *_all([*ENTERPRISE_A, E2], "POST", CONTRACTS, 201, CONTRACT),
    *_all(
        ["branch_staff", "citizen", "overseas_department_officer"], "POST", CONTRACTS, 403, DENIED, CONTRACT
    ),
    ("anonymous", "POST", CONTRACTS, 401, AUTH, CONTRACT),
    *_all(
        [*ENTERPRISE_A, "branch_staff", "overseas_department_officer", "provincial_officer"],
        "GET",
        CONTRACTS,
        200,
        shows("contract", "pending"),
    ),
    *_all([E2, "provincial_officer@dept_b"], "GET", CONTRACTS, 200, hides("contract", "pending")),
    ("citizen", "GET", CONTRACTS, 403, DENIED),
    ("branch_staff", "GET", f"{CONTRACTS}/{{contract}}", 200),
    (E2, "GET", f"{CONTRACTS}/{{contract}}", 404, NOT_FOUND),
    ("overseas_department_officer", "POST", f"{CONTRACTS}/{{pending}}/decision", 200, DECIDE),
    (
        "overseas_department_officer",
        "POST",
        f"{CONTRACTS}/{{contract}}/decision",
        409,
        "overseas.contract_state",
        DECIDE,
    ),
    (
        "overseas_department_officer",
        "POST",
        f"{CONTRACTS}/{{unsigned}}/decision",
        409,
        "overseas.not_signed",
        DECIDE,
    ),
    # Only the enterprise itself signs its submission.
    *_all(ENTERPRISE_A, "POST", f"{CONTRACTS}/{{unsigned}}/signature", 200),
    (E2, "POST", f"{CONTRACTS}/{{unsigned}}/signature", 404, NOT_FOUND),
    *_all(
        ["branch_staff", "citizen", "overseas_department_officer"],
        "POST",
        f"{CONTRACTS}/{{unsigned}}/signature",
        403,
        DENIED,
    ),
    ("enterprise_admin", "POST", f"{CONTRACTS}/{{pending}}/signature", 409, "overseas.contract_state"),
    # The province reads e1's contract but the ministry's department registers it.
    ("provincial_officer", "POST", f"{CONTRACTS}/{{pending}}/decision", 404, NOT_FOUND, DECIDE),
    *_all(
        [*ENTERPRISE_A, "branch_staff", "citizen"],
        "POST",
        f"{CONTRACTS}/{{pending}}/decision",
        403,
        DENIED,
        DECIDE,
    ),
    # Workers: the enterprise and the branch it delegated register them; each sees only its own.
    *_all([*ENTERPRISE_A, "branch_staff"], "POST", WORKERS, 201, NEW_WORKER),
    (E2, "POST", WORKERS, 422, "validation.invalid", NEW_WORKER),
    *_all(
        ["citizen", "overseas_department_officer", "branch_staff@e2"],
        "POST",
        WORKERS,
        403,
        DENIED,
        NEW_WORKER,
    ),
    *_all(
        [*ENTERPRISE_A, "overseas_department_officer", "provincial_officer"],
        "GET",
        WORKERS,
        200,
        shows("worker"),
    ),
    *_all([E2, "branch_staff", "provincial_officer@dept_b"], "GET", WORKERS, 200, hides("worker")),
    ("citizen", "GET", WORKERS, 403, DENIED),
    ("enterprise_admin", "GET", f"{WORKERS}/{{worker}}", 200),
    *_all([E2, "branch_staff"], "GET", f"{WORKERS}/{{worker}}", 404, NOT_FOUND),
    *_all(ENTERPRISE_A, "POST", f"{WORKERS}/{{worker}}/steps", 200, DEPART),
    (E2, "POST", f"{WORKERS}/{{worker}}/steps", 404, NOT_FOUND, DEPART),
    *_all(
        ["branch_staff", "overseas_department_officer", "citizen"],
        "POST",
        f"{WORKERS}/{{worker}}/steps",
        403,
        DENIED,
        DEPART,
    ),
]

STATISTICS = [
    ("anonymous", "GET", "/api/v1/overseas/statistics", 401, AUTH),
    *_all(
        ["overseas_department_officer", "provincial_officer", "ministry_officer"],
        "GET",
        "/api/v1/overseas/statistics",
        200,
    ),
    *_all([*ENTERPRISE_A, "branch_staff", "citizen"], "GET", "/api/v1/overseas/statistics", 403, DENIED),
]
API += STATISTICS


@pytest.mark.parametrize("case", cases(API), ids=str)
def test_overseas_api(case, world, client):
    run_case(client, world, case)
