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

from ansinh.overseas.services import imports, workers
from tests.authz.matrix import World, cases, hides, run_case, shows
from tests.overseas.conftest import workbook_bytes, worker_rows, xlsx_upload
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
    # A worker list the enterprise uploaded, checked clean, awaiting its confirmation.
    imported = imports.import_upload(
        actor=built.admin_a, contract_id=contract.pk, file=xlsx_upload(workbook_bytes(worker_rows(2)))
    )
    imports.import_check(imported.pk)
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
            "imported": imported,
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


# --- the pages ---------------------------------------------------------------------------------------------

LOGIN = "/accounts/login/"
DONE = {"redirect_is_success": True}
PORTAL = "/overseas/enterprise"
STAFF = "/staff/overseas"
OFFICIALS = ["overseas_department_officer", "provincial_officer"]
INFO = {
    "body": {
        "name": "Công ty Cổ phần Nhân lực An Phát",
        "head_office": "Số 9 Đường Lê Lợi",
        "charter_capital": "7.000.000.000",
        "legal_representative": "Nguyễn Văn An",
    }
}
OPEN_BRANCH = {"body": {"name": "Chi nhánh Thanh Hóa", "province": "38", "staff_username": "cn.thanhhoa"}}
PAGE_FUNCTIONS = {"body": {"functions": ["read"]}}
PAGE_CONTRACT = {
    "body": {
        "kind": "supply",
        "number": "HD-2026-077",
        "party_registration_number": "134-81-00001",
        "party_name": "Daehan Industrial Co.",
        "country": "KR",
        "occupation": "721",
        "workers_planned": "20",
        "monthly_salary": "40.000.000",
        "contract_months": "36",
        "signed_on": "2026-11-02",
    }
}
STEP = {"body": {"status": "departed", "on": "2026-11-20"}}
PAGE_GRANT = {"body": {"number": "790/LĐTBXH-GP", "issued_on": "2026-11-20"}}
PAGE_SUSPEND = {"body": {"action": "suspended", "on": "2026-11-20", "reason": "Không báo cáo"}}
APPROVE = {"body": {"decision": "approve"}}
GRANT_PAGE = f"{STAFF}/enterprises/{{ent3}}/licence/"
CHANGE_PAGE = f"{STAFF}/licences/{{licence1}}/change/"

PAGES = [
    # The enterprise's portal: its own records; a branch only what was delegated; never another enterprise's.
    ("anonymous", "GET", f"{PORTAL}/", 302, LOGIN),
    *_all([*ENTERPRISE_A, E2, "branch_staff"], "GET", f"{PORTAL}/", 200),
    *_all(["citizen", *OFFICIALS], "GET", f"{PORTAL}/", 403),
    ("enterprise_admin", "POST", f"{PORTAL}/info/", 302, DONE, INFO),
    *_all(["enterprise_staff", "branch_staff", "citizen"], "POST", f"{PORTAL}/info/", 403, INFO),
    ("enterprise_admin", "POST", f"{PORTAL}/branches/", 200, OPEN_BRANCH),
    *_all(["enterprise_staff", "branch_staff", "citizen"], "POST", f"{PORTAL}/branches/", 403, OPEN_BRANCH),
    ("enterprise_admin", "POST", f"{PORTAL}/branches/{{branch}}/functions/", 302, DONE, PAGE_FUNCTIONS),
    ("branch_staff", "POST", f"{PORTAL}/branches/{{branch}}/functions/", 403, PAGE_FUNCTIONS),
    (E2, "POST", f"{PORTAL}/branches/{{branch}}/functions/", 404, PAGE_FUNCTIONS),
    *_all([*ENTERPRISE_A, E2, "branch_staff"], "GET", f"{PORTAL}/contracts/", 200),
    ("citizen", "GET", f"{PORTAL}/contracts/", 403),
    ("enterprise_admin", "POST", f"{PORTAL}/contracts/", 302, DONE, PAGE_CONTRACT),
    *_all(["branch_staff", "citizen", "overseas_department_officer"], "POST", f"{PORTAL}/contracts/", 403,
          PAGE_CONTRACT),
    ("enterprise_admin", "POST", f"{PORTAL}/contracts/{{unsigned}}/sign/", 302, DONE),
    ("branch_staff", "POST", f"{PORTAL}/contracts/{{unsigned}}/sign/", 403),
    (E2, "POST", f"{PORTAL}/contracts/{{unsigned}}/sign/", 404),
    *_all([*ENTERPRISE_A, E2, "branch_staff"], "GET", f"{PORTAL}/partners/", 200),
    ("citizen", "GET", f"{PORTAL}/partners/", 403),
    ("anonymous", "GET", f"{PORTAL}/partners/", 302, LOGIN),
    *_all([*ENTERPRISE_A, "branch_staff"], "GET", f"{PORTAL}/workers/", 200),
    ("citizen", "GET", f"{PORTAL}/workers/", 403),
    ("enterprise_admin", "GET", f"{PORTAL}/workers/{{worker}}/", 200),
    *_all([E2, "branch_staff"], "GET", f"{PORTAL}/workers/{{worker}}/", 404),
    ("enterprise_admin", "POST", f"{PORTAL}/workers/{{worker}}/", 302, DONE, STEP),
    *_all([E2, "branch_staff"], "POST", f"{PORTAL}/workers/{{worker}}/", 404, STEP),
    ("citizen", "POST", f"{PORTAL}/workers/{{worker}}/", 403, STEP),
    # Worker lists: the enterprise, or a branch delegated worker registration (its own lists only).
    *_all([*ENTERPRISE_A, E2, "branch_staff"], "GET", f"{PORTAL}/imports/", 200),
    *_all(["citizen", *OFFICIALS], "GET", f"{PORTAL}/imports/", 403),
    ("enterprise_admin", "GET", f"{PORTAL}/imports/template.xlsx", 200),
    ("citizen", "GET", f"{PORTAL}/imports/template.xlsx", 403),
    ("enterprise_admin", "GET", f"{PORTAL}/imports/{{imported}}/", 200),
    *_all([E2, "branch_staff"], "GET", f"{PORTAL}/imports/{{imported}}/", 404),
    ("enterprise_admin", "GET", f"{PORTAL}/imports/{{imported}}/errors.xlsx", 200),
    (E2, "GET", f"{PORTAL}/imports/{{imported}}/errors.xlsx", 404),
    *_all([E2, "branch_staff"], "POST", f"{PORTAL}/imports/{{imported}}/confirm/", 404),
    ("citizen", "POST", f"{PORTAL}/imports/{{imported}}/confirm/", 403),
    ("anonymous", "POST", f"{PORTAL}/imports/{{imported}}/confirm/", 302, LOGIN),
    ("enterprise_admin", "POST", f"{PORTAL}/imports/{{imported}}/confirm/", 302, DONE),
    (E2, "GET", f"{PORTAL}/imports/{{imported}}/signed.pdf", 404),
    # The officials' pages: by scope; licences are the department's.
    ("anonymous", "GET", f"{STAFF}/", 302, LOGIN),
    *_all(OFFICIALS, "GET", f"{STAFF}/", 200),
    ("citizen", "GET", f"{STAFF}/", 403),
    ("overseas_department_officer", "GET", f"{STAFF}/enterprises/{{ent2}}/", 200),
    ("provincial_officer", "GET", f"{STAFF}/enterprises/{{ent2}}/", 404),
    (E2, "GET", f"{STAFF}/enterprises/{{ent1}}/", 404),
    ("overseas_department_officer", "POST", GRANT_PAGE, 302, DONE, PAGE_GRANT),
    *_all(["provincial_officer", "enterprise_admin", "citizen"], "POST", GRANT_PAGE, 403, PAGE_GRANT),
    ("overseas_department_officer", "POST", CHANGE_PAGE, 302, DONE, PAGE_SUSPEND),
    *_all(["provincial_officer", "enterprise_admin"], "POST", CHANGE_PAGE, 403, PAGE_SUSPEND),
    ("overseas_department_officer", "GET", f"{STAFF}/contracts/", 200),
    *_all(["enterprise_admin", "citizen"], "GET", f"{STAFF}/contracts/", 403),
    ("overseas_department_officer", "GET", f"{STAFF}/contracts/{{pending}}/", 200),
    (E2, "GET", f"{STAFF}/contracts/{{pending}}/", 404),
    ("overseas_department_officer", "POST", f"{STAFF}/contracts/{{pending}}/", 302, DONE, APPROVE),
    *_all(["enterprise_admin", "citizen"], "POST", f"{STAFF}/contracts/{{pending}}/", 403, APPROVE),
    ("anonymous", "GET", f"{STAFF}/statistics/", 302, LOGIN),
    *_all(OFFICIALS, "GET", f"{STAFF}/statistics/", 200),
    *_all([*ENTERPRISE_A, "citizen"], "GET", f"{STAFF}/statistics/", 403),
    ("overseas_department_officer", "GET", f"{STAFF}/statistics.xlsx", 200),
    ("enterprise_admin", "GET", f"{STAFF}/statistics.xlsx", 403),
]  # fmt: skip


@pytest.mark.parametrize("case", cases(PAGES), ids=str)
def test_overseas_pages(case, world, client):
    run_case(client, world, case)
