"""The overseas-labour database's journey in Chromium (issue 6): an enterprise registers itself and applies
for the licence online; the department grants it; the enterprise opens a branch and delegates worker
registration to it; the enterprise registers a supply contract, signs it, and the department registers
it; the branch cannot register a contract, and uploads a worker list (with errors first, then clean) that
it confirms; a worker departs and signs in to the worker app with the passport number.

The department's two officers are made with `ansinh shell -c` (accounts are issued by administrators);
everything else is done in the browser."""

import io
import os
import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pypdf
import pytest

from tests.e2e.support import (
    ansinh_shell,
    axe_violations,
    explain_violations,
    path_of,
    sign_in,
    sign_in_with_two_factor,
    submit,
    totp_code,
)

pytestmark = pytest.mark.e2e

MARKER = "E2E-OVL:"
LICENSING, REGISTRAR = "e2e-ovl-licensing", "e2e-ovl-dolab"
ADMIN, BRANCH_STAFF = "e2e-ovl-haidang", "e2e-ovl-cn-nghean"
NEW_PASSWORD = "Cong-ty-Hai-Dang-2026"
BRANCH_PASSWORD = "Chi-nhanh-Nghe-An-2026"
WORKER_PASSWORD = "Lam-viec-Han-Quoc-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROCEDURE = "ovl-giay-phep"
# A worker of the clean list: the one who departs and signs in to the worker app.
PASSPORT, BORN = "C2468013", date(1997, 4, 9)


@pytest.fixture(scope="module")
def department(server) -> None:
    """The Department of Overseas Labour and its two officers (two-factor sign-in set up)."""
    if os.environ.get("E2E_BASE_URL"):
        pytest.skip("needs the e2e server's own database")
    ansinh_shell(
        server.env,
        f"""
from django.utils import timezone
from ansinh.accounts import services
from ansinh.accounts.models import Role, TotpDevice, User
dolab = services.organisation_create(
    actor=None, code="E2E-CQLLDNN", name="Cục Quản lý lao động ngoài nước", kind="overseas_department"
)
for username, role in (
    ({LICENSING!r}, "overseas_licensing_officer"), ({REGISTRAR!r}, "overseas_department_officer")
):
    staff = User.objects.create_user(username, {server.password!r})
    services.membership_grant(actor=None, user=staff, organisation=dolab, role=Role.objects.get(code=role))
    TotpDevice.objects.create(user=staff, secret={server.totp_secret!r}, confirmed_at=timezone.now())
""",
        MARKER,
    )


def _accessible(page, axe_script: str) -> None:
    violations = axe_violations(page, axe_script)
    assert not violations, f"{page.url}:\n{explain_violations(violations)}"


def _no_error(page) -> None:
    errors = page.locator("main .messages .msg--error, main [role=alert].error, #violations")
    assert errors.count() == 0, page.locator("main").inner_text()


def _first_sign_in(page, username: str, one_time: str, new_password: str) -> str:
    """An issued account: changes the one-time password, then enrols the authenticator (its role reads
    personal data). Returns the authenticator's secret."""
    sign_in(page, username, one_time)
    assert path_of(page) == "/accounts/password/change/"
    page.locator("#id_old_password").fill(one_time)
    page.locator("#id_new_password").fill(new_password)
    page.locator("#id_new_password_again").fill(new_password)
    submit(page)
    assert path_of(page) == "/accounts/2fa/", page.locator("main").inner_text()
    secret = page.locator("main code.secret").inner_text().strip()
    page.locator("#id_code").fill(totp_code(secret, username))
    submit(page)
    assert path_of(page) == "/", page.locator("main").inner_text()
    return secret


def _act(page, action: str, note: str | None = None) -> None:
    form = page.locator(f"main form:has(input[name=action][value={action}])")
    if note is not None and form.locator("textarea[name=note]").count():
        form.locator("textarea[name=note]").fill(note)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    errors = page.locator("main .messages .msg--error")
    assert errors.count() == 0, errors.all_inner_texts()


def _register(page, axe_script: str) -> str:
    page.goto("/overseas/register/")
    assert page.locator("html").get_attribute("lang") == "vi"
    _accessible(page, axe_script)
    for field, value in (
        ("tax_code", "0318765432"),
        ("name", "Công ty Cổ phần Nhân lực Hải Đăng"),
        ("head_office", "Số 5 Đường Lý Thường Kiệt, phường Vinh Phú"),
        ("charter_capital", "6.000.000.000"),
        ("legal_representative", "Ngô Văn Đức"),
        ("email", "lienhe@haidang.vn"),
        ("website", "https://haidang.vn"),
        ("admin_username", ADMIN),
    ):
        page.locator(f"#id_{field}").fill(value)
    page.locator("#id_province").select_option("40")
    submit(page)
    assert page.locator("#issued-username").inner_text().strip() == ADMIN, page.locator("main").inner_text()
    return page.locator("#issued-password").inner_text().strip()


CONDITIONS: dict[str, Any] = {
    "charter_capital": "6000000000",
    "deposit": "2500000000",
    "assigned_branches": "1",
    "representative_education": "university",
    "representative_experience_months": "72",
    "staff_market_development": "1",
    "staff_recruitment": "2",
    "staff_orientation": "1",
    "staff_worker_management": "1",
    "trainee_capacity": "120",
    "classroom_m2": "170",
    "dormitory_capacity": "120",
    "dormitory_m2": "420",
    "largest_room_occupants": "10",
    "website": "https://haidang.vn",
}
CHECKED = (
    "all_owners_domestic",
    "representative_vietnamese",
    "representative_clean_record",
    "separated_by_sex",
)
DOCUMENTS = (
    "application",
    "business_registration",
    "deposit_certificate",
    "representative",
    "staff",
    "facility",
)


def _apply_for_licence(page, today: date) -> str:
    page.goto("/overseas/enterprise/")
    with page.expect_navigation():
        page.locator("#licence-apply").click()
    assert path_of(page) == f"/procedures/{PROCEDURE}/file/"
    for name, value in CONDITIONS.items():
        field = page.locator(f"#id_{name}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    for name in CHECKED:
        page.locator(f"#id_{name}").check()
    page.locator("#id_lease_ends_on").fill((today + timedelta(days=3 * 365)).isoformat())
    submit(page)
    assert re.fullmatch(r"/dossiers/\d+/", path_of(page)), page.locator("main").inner_text()
    for code in DOCUMENTS:
        form = page.locator(f"main form:has(#file-{code})")
        form.locator(f"#file-{code}").set_input_files(
            {"name": f"{code}.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
    _act(page, "submit")
    assert page.locator("#dossier-state").get_attribute("data-state") == "submitted"
    return path_of(page)


def _contract(page, today: date) -> None:
    page.goto("/overseas/enterprise/contracts/")
    page.locator("#id_kind").select_option("supply")
    for field, value in (
        ("number", "HĐCU-2026-HD01"),
        ("party_registration_number", "134-81-55555"),
        ("party_name", "Hanil Industrial Co., Ltd."),
        ("workers_planned", "50"),
        ("monthly_salary", "42.000.000"),
        ("contract_months", "36"),
        ("signed_on", (today - timedelta(days=3)).isoformat()),
    ):
        page.locator(f"#id_{field}").fill(value)
    page.locator("#id_country").select_option("KR")
    page.locator("#id_occupation").select_option("721")
    submit(page, "#contract-form button[type=submit]")
    _no_error(page)
    row = page.locator("#contracts tr", has_text="HĐCU-2026-HD01")
    assert row.count() == 1
    with page.expect_navigation():
        row.locator("form[id^=sign-] button").click()
    _no_error(page)
    assert page.locator("main .messages .msg--success").count() == 1


def _worker_list(rows: list[list[Any]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Số định danh cá nhân", "Số hộ chiếu", "Họ và tên", "Ngày sinh", "Giới tính", "Điện thoại"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


CLEAN = [
    ["040097001122", PASSPORT, "Phan Văn Lực", BORN, "Nam", "0912345001"],
    ["040198003344", "C2468014", "Lê Thị Hoa", date(1998, 11, 2), "Nữ", "0912345002"],
]
WITH_ERRORS = [CLEAN[0], ["12345", "C2468014", "Lê Thị Hoa", date(1998, 11, 2), "Nữ", ""], CLEAN[0]]


def _upload(page, contract_label: str, name: str, rows: list[list[Any]]) -> str:
    page.goto("/overseas/enterprise/imports/")
    page.locator("#id_contract").select_option(label=contract_label)
    page.locator("#id_file").set_input_files(
        {
            "name": name,
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": _worker_list(rows),
        }
    )
    submit(page, "#upload-form button[type=submit]")
    assert re.fullmatch(r"/overseas/enterprise/imports/\d+/", path_of(page)), page.locator(
        "main"
    ).inner_text()
    # The page refreshes itself while the list is checked.
    page.wait_for_function(
        "document.getElementById('import-status').dataset.status !== 'checking'", timeout=30_000
    )
    return page.locator("#import-status").get_attribute("data-status")


def test_enterprise_licence_branch_contract_worker_list_and_departure(
    new_context, server, department, axe_script
):
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()

    # 1. The enterprise registers and applies for the licence online.
    enterprise = new_context().new_page()
    one_time = _register(enterprise, axe_script)
    _first_sign_in(enterprise, ADMIN, one_time, NEW_PASSWORD)
    enterprise.goto("/overseas/enterprise/")
    assert enterprise.locator("#enterprise-status").get_attribute("data-status") == "registered"
    _accessible(enterprise, axe_script)
    dossier = _apply_for_licence(enterprise, today)

    # 2. The department receives and approves it: the licence is granted.
    licensing = new_context().new_page()
    sign_in_with_two_factor(licensing, LICENSING, server.password, server.totp_secret)
    licensing.goto(dossier)
    _act(licensing, "accept")
    _act(licensing, "approve", "Đủ điều kiện theo Điều 10 Luật số 69/2020/QH14.")
    assert licensing.locator("#dossier-state").get_attribute("data-state") == "approved"
    enterprise.goto("/overseas/enterprise/")
    assert enterprise.locator("#enterprise-status").get_attribute("data-status") == "licensed"
    assert re.search(r"\d{3}/\d{4}/GP-QLLĐNN", enterprise.locator("#licence").inner_text())

    # 3. A branch, then its functions: worker registration (and reading its records).
    enterprise.locator("#branch_name").fill("Chi nhánh Nghệ An")
    enterprise.locator("#branch_province").select_option("40")
    enterprise.locator("#branch_staff_username").fill(BRANCH_STAFF)
    submit(enterprise, "#branch-form button[type=submit]")
    assert enterprise.locator("#issued-username").inner_text().strip() == BRANCH_STAFF
    branch_one_time = enterprise.locator("#issued-password").inner_text().strip()
    enterprise.goto("/overseas/enterprise/")
    card = enterprise.locator("#branches form.card").first
    card.locator("input[value=worker_registration]").check()
    card.locator("input[value=read]").check()
    with enterprise.expect_navigation():
        card.locator("button[type=submit]").click()
    _no_error(enterprise)

    # 4. The enterprise registers a supply contract and signs it; the department registers it.
    _contract(enterprise, today)
    registrar = new_context().new_page()
    sign_in_with_two_factor(registrar, REGISTRAR, server.password, server.totp_secret)
    registrar.goto("/staff/overseas/contracts/")
    with registrar.expect_navigation():
        registrar.locator("main a", has_text="HĐCU-2026-HD01").click()
    submit(registrar, "#decide-form button[value=approve]")
    _no_error(registrar)
    enterprise.goto("/overseas/enterprise/contracts/")
    registered = enterprise.locator("#contracts tr", has_text="HĐCU-2026-HD01")
    assert registered.get_attribute("data-status") == "registered"

    # 5. The branch: cannot register a contract; its worker list is refused with errors, then saved clean.
    branch = new_context().new_page()
    _first_sign_in(branch, BRANCH_STAFF, branch_one_time, BRANCH_PASSWORD)
    branch.goto("/overseas/enterprise/contracts/")
    assert branch.locator("#contract-form").count() == 0
    assert branch.locator("#contracts tr", has_text="HĐCU-2026-HD01").count() == 1
    # Posting the form anyway (a branch never registers contracts: Law 69/2020 Art 17) is refused.
    token = branch.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
    forged = branch.request.post(
        f"{server.url}/overseas/enterprise/contracts/",
        form={"csrfmiddlewaretoken": token, "kind": "supply", "number": "HĐCU-CN-01"},
        headers={"Referer": branch.url, "Origin": server.url},
    )
    assert forged.status == 403

    assert _upload(branch, "HĐCU-2026-HD01", "danh-sach-loi.xlsx", WITH_ERRORS) == "has_errors"
    errors = branch.locator("#import-error-list").inner_text()
    assert "Số định danh cá nhân gồm đúng 12 chữ số." in errors
    with branch.expect_download() as download:
        branch.locator("#error-report").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as saved:
        report = openpyxl.load_workbook(io.BytesIO(saved.read())).active
    assert report.max_row >= 3  # the header and a row per error
    _accessible(branch, axe_script)

    assert _upload(branch, "HĐCU-2026-HD01", "danh-sach.xlsx", CLEAN) == "ready"
    submit(branch, "#confirm-form button[type=submit]")
    assert branch.locator("#import-status").get_attribute("data-status") == "saved"
    # The list as saved is signed in the name of the branch that submitted it.
    assert "Chi nhánh Nghệ An" in branch.locator("#import-signature [data-signed=yes]").inner_text()
    branch.goto("/overseas/enterprise/workers/")
    assert branch.locator("#workers tbody tr").count() == 2

    # 6. The enterprise reports the departure; the worker signs in to the worker app.
    enterprise.goto("/overseas/enterprise/workers/")
    with enterprise.expect_navigation():
        enterprise.locator("#workers tr", has_text="Phan Văn Lực").locator("a").click()
    enterprise.locator("#id_status").select_option("departed")
    enterprise.locator("#id_on").fill(today.isoformat())
    submit(enterprise, "main form:has(#id_status) button[type=submit]")
    _no_error(enterprise)

    worker = new_context().new_page()
    sign_in(worker, PASSPORT, PASSPORT)
    assert path_of(worker) == "/accounts/password/change/", worker.locator("main").inner_text()
    worker.locator("#id_old_password").fill(PASSPORT)
    worker.locator("#id_date_of_birth").fill(BORN.isoformat())
    worker.locator("#id_new_password").fill(WORKER_PASSWORD)
    worker.locator("#id_new_password_again").fill(WORKER_PASSWORD)
    submit(worker)
    # A worker is a citizen: their page after signing in is My services.
    assert path_of(worker) == "/my-services/", worker.locator("main").inner_text()
    worker.goto("/sos/sos/")
    assert path_of(worker) == "/sos/sos/"
    worker.locator("#sos-button").wait_for()

    # 7. The enterprise's annual report of this year downloads as Excel and as PDF, with the departure.
    enterprise.goto("/overseas/enterprise/")
    with enterprise.expect_navigation():
        enterprise.locator("nav.subnav a[href='/overseas/enterprise/reports/']").click()
    _accessible(enterprise, axe_script)
    with enterprise.expect_download() as excel:
        enterprise.locator("main a[href$='.xlsx']").first.click()
    with open(excel.value.path(), "rb") as saved:
        cells = [
            str(value)
            for sheet in openpyxl.load_workbook(io.BytesIO(saved.read())).worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
    assert any("Hàn Quốc" in cell for cell in cells), cells[:40]
    with enterprise.expect_download() as paper:
        enterprise.locator("main a[href$='.pdf']").first.click()
    with open(paper.value.path(), "rb") as saved:
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(saved.read())).pages)
    assert "Hải Đăng" in text
