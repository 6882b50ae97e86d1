"""Journeys of the dossier engine (issue: public-service dossiers), on the unemployment benefit claim:

(a) a citizen files the claim online: catalogue, procedure page, form, two attachments, submission with a
    receipt code and a due date;
(b) the centre returns it for completion, the citizen completes and resubmits it, the centre accepts and
    processes it, the provincial department approves it, the centre delivers it; the citizen downloads the
    signed decision and checks it (and a tampered copy) on the public verify page;
(c) anyone looks up the status by receipt code and personal ID number, without signing in.

axe-core checks each page of the journeys as it is reached (no serious or critical violation)."""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pypdf
import pytest

from tests.e2e.support import (
    axe_violations,
    explain_violations,
    path_of,
    sign_in,
    sign_in_with_two_factor,
    submit,
)

pytestmark = pytest.mark.e2e

PROCEDURE = "tctn-huong"
APPLICANT = "e2e-applicant"
CENTRE_OFFICER = "e2e-centre-officer"
DECIDER = "e2e-decider"
RECEIPT = re.compile(r"E2E-TTDVVL-NA-\d{6}-\d{4}")
DAY = re.compile(r"\d{2}/\d{2}/\d{4}")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
RETURN_NOTE = "Bổ sung bản sao quyết định thôi việc có dấu của công ty."
SIGN_OUT = "header form[action='/accounts/logout/'] button"


def _accessible(page, axe_script: str) -> None:
    violations = axe_violations(page, axe_script)
    assert not violations, f"{page.url}:\n{explain_violations(violations)}"


def _act(page, action: str, note: str | None = None) -> None:
    """A step of the dossier (its form carries the action as a hidden value)."""
    form = page.locator(f"main form:has(input[name=action][value={action}])")
    if note is not None:
        form.locator("textarea[name=note]").fill(note)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    errors = page.locator("main .messages .msg--error")
    assert errors.count() == 0, errors.all_inner_texts()


def _attach(page, document_code: str, name: str, content: bytes = PDF) -> None:
    form = page.locator(f"main form:has(#file-{document_code})")
    form.locator(f"#file-{document_code}").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": content}
    )
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("main .messages .msg--success").count() == 1, page.locator("main").inner_text()
    assert page.locator("main a", has_text=name).count() == 1


def _state(page) -> str:
    return page.locator("#dossier-state").get_attribute("data-state")


def _timeline(page) -> list[str]:
    actions = page.locator("#timeline .timeline__action")
    return [actions.nth(i).get_attribute("data-action") or "" for i in range(actions.count())]


def _file_claim(page, axe_script: str | None = None) -> tuple[str, str]:
    """The applicant (signed in) files the benefit claim from the catalogue; returns (page path, receipt)."""
    page.goto("/procedures/")
    assert page.locator("html").get_attribute("lang") == "vi"
    if axe_script:
        _accessible(page, axe_script)
    with page.expect_navigation():
        page.locator(f"main a[href='/procedures/{PROCEDURE}/']").click()
    if axe_script:
        _accessible(page, axe_script)
    with page.expect_navigation():
        page.locator(f"main a[href='/procedures/{PROCEDURE}/file/']").click()
    assert path_of(page) == f"/procedures/{PROCEDURE}/file/"
    if axe_script:
        _accessible(page, axe_script)

    ended = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() - timedelta(days=10)
    page.locator("#id_termination_date").fill(ended.isoformat())
    page.locator("#id_last_employer").fill("Công ty TNHH May Việt Tiến")
    page.locator("#id_contract_kind").select_option("definite")
    page.locator("#id_phone").fill("0912345678")
    page.locator("#id_wants_training").check()
    submit(page)
    assert re.fullmatch(r"/dossiers/\d+/", path_of(page)), page.locator("main").inner_text()
    assert _state(page) == "draft"
    dossier_path = path_of(page)

    _attach(page, "termination_proof", "quyet-dinh-thoi-viec.pdf")
    _attach(page, "social_insurance_book", "so-bhxh.pdf")
    if axe_script:
        _accessible(page, axe_script)  # the draft: the form, the upload forms and a message
    _act(page, "submit")
    assert _state(page) == "submitted"
    receipt = page.locator("#receipt-code").inner_text().strip()
    assert RECEIPT.fullmatch(receipt), receipt
    assert DAY.search(page.locator("#due-date").inner_text())
    # Once submitted the form is read-only: values as people read them, not as stored.
    shown = page.locator("section[aria-labelledby=form-h] dd").all_inner_texts()
    assert ended.strftime("%d/%m/%Y") in shown, shown
    assert "definite" not in shown, shown  # the label of the choice, not its code
    return dossier_path, receipt


def test_citizen_files_the_benefit_claim_online(new_context, server, axe_script):
    page = new_context().new_page()
    page.goto(f"/procedures/{PROCEDURE}/file/")
    assert path_of(page) == "/accounts/login/"  # filing needs an account; the catalogue does not

    sign_in(page, APPLICANT, server.password)
    dossier_path, receipt = _file_claim(page, axe_script)
    assert page.locator("main form input[type=file]").count() == 0  # nothing more to attach once submitted
    assert _timeline(page)[:4] == ["create", "attach", "attach", "submit"], _timeline(page)
    assert page.locator("#documents li[data-kind=receipt]").count() == 1  # the receipt, signed
    _accessible(page, axe_script)

    page.goto("/dossiers/")
    assert page.locator(f"main a[href='{dossier_path}']").inner_text().strip() == receipt
    submit(page, SIGN_OUT)
    page.goto(dossier_path)
    assert path_of(page) == "/accounts/login/"


def test_claim_is_returned_completed_approved_delivered_and_its_decision_verified(
    new_context, server, axe_script
):
    citizen = new_context().new_page()
    sign_in(citizen, APPLICANT, server.password)
    dossier_path, receipt = _file_claim(citizen)

    # The centre's officer finds the dossier in the queue and returns it with what is missing.
    officer = new_context().new_page()
    sign_in_with_two_factor(officer, CENTRE_OFFICER, server.password, server.totp_secret)
    officer.goto("/staff/dossiers/")
    officer.locator("#q").fill(receipt)
    submit(officer, "main form[role=search] button[type=submit]")
    assert officer.locator("#queue tbody tr").count() == 1
    _accessible(officer, axe_script)
    with officer.expect_navigation():
        officer.locator("#queue a", has_text=receipt).click()
    assert path_of(officer) == dossier_path
    assert officer.locator("#receipt-code").inner_text().strip() == receipt
    _accessible(officer, axe_script)  # the staff side: the steps with their note fields
    _act(officer, "return", RETURN_NOTE)
    assert _state(officer) == "returned"

    # The citizen sees the return and its note, completes the dossier and submits it again.
    citizen.reload()
    assert _state(citizen) == "returned"
    assert RETURN_NOTE in citizen.locator("#timeline").inner_text()
    _attach(citizen, "other", "quyet-dinh-thoi-viec-co-dau.pdf")
    _accessible(citizen, axe_script)
    _act(citizen, "resubmit")
    assert _state(citizen) == "submitted"
    assert DAY.search(citizen.locator("#due-date").inner_text())

    # The centre accepts and processes it; the provincial department decides; the centre delivers.
    officer.reload()
    _act(officer, "accept")
    assert _state(officer) == "accepted"
    _act(officer, "start")
    assert _state(officer) == "in_processing"
    # The centre does not decide: the provincial department does.
    assert officer.locator("main form:has(input[name=action][value=approve])").count() == 0

    decider = new_context().new_page()
    sign_in_with_two_factor(decider, DECIDER, server.password, server.totp_secret)
    decider.goto(dossier_path)
    _act(decider, "approve", "Hưởng trợ cấp thất nghiệp 3 tháng.")
    assert _state(decider) == "approved"

    officer.reload()
    _act(officer, "deliver")
    assert _state(officer) == "delivered"
    assert officer.locator("main form:has(input[name=action])").count() == 0  # nothing left to do

    citizen.reload()
    assert _state(citizen) == "delivered"
    steps = _timeline(citizen)
    for step in ("create", "submit", "return", "resubmit", "accept", "start", "approve", "deliver"):
        assert step in steps, steps
    assert steps.index("return") < steps.index("resubmit") < steps.index("accept") < steps.index("approve")
    assert steps[-1] == "deliver"

    # The signed decision: a PDF in Vietnamese, genuine on the public verify page.
    approval = citizen.locator("#documents li[data-kind=approval]")
    assert approval.count() == 1
    response = citizen.request.get(approval.locator("a[href*='/documents/']").get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    decision = response.body()
    assert decision.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(decision)).pages)
    assert "QUYẾT ĐỊNH" in text or "Quyết định" in text, text[:500]
    assert receipt in text

    with citizen.expect_navigation():
        approval.locator("a[href^='/verify/']").click()
    short_code = path_of(citizen).removeprefix("/verify/").strip("/")
    assert re.fullmatch(r"[A-Z0-9]{6,}", short_code)
    assert short_code in text  # printed on the decision, by its QR code
    assert "msg--success" in citizen.locator("#document-status").get_attribute("class")
    assert citizen.locator("#check-result").count() == 0
    _accessible(citizen, axe_script)

    _check_file(citizen, decision)
    assert "msg--success" in citizen.locator("#check-result").get_attribute("class")
    _accessible(citizen, axe_script)

    tampered = bytearray(decision)
    middle = len(tampered) // 2
    tampered[middle] = (tampered[middle] + 1) % 256
    _check_file(citizen, bytes(tampered))
    assert "msg--error" in citizen.locator("#check-result").get_attribute("class")

    # The verify page is public: anyone holding the paper can check it.
    anonymous = new_context().new_page()
    response = anonymous.goto(path_of(citizen))
    assert response.status == 200
    assert "msg--success" in anonymous.locator("#document-status").get_attribute("class")


def _check_file(page, content: bytes) -> None:
    form = page.locator("main form:has(input[type=file])")
    form.locator("input[type=file]").set_input_files(
        {"name": "quyet-dinh.pdf", "mimeType": "application/pdf", "buffer": content}
    )
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("#check-result").count() == 1


def test_status_lookup_needs_no_sign_in_and_the_right_id_number(new_context, server, axe_script):
    citizen = new_context().new_page()
    sign_in(citizen, APPLICANT, server.password)
    _dossier_path, receipt = _file_claim(citizen)

    page = new_context().new_page()
    response = page.goto("/lookup/")
    assert response.status == 200
    assert path_of(page) == "/lookup/"
    _accessible(page, axe_script)

    page.locator("#receipt_code").fill(receipt.lower())  # as typed from the paper, in any case
    page.locator("#id_number").fill(server.applicant_id)
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert navigation.value.status == 200
    result = page.locator("#result")
    assert result.inner_text().strip() == receipt
    assert page.locator("#lookup-state").get_attribute("data-state") == "submitted"
    assert page.locator("main [role=alert]").count() == 0
    _accessible(page, axe_script)

    page.locator("#id_number").fill("040090009999")
    with page.expect_navigation() as navigation:
        page.locator("main form button[type=submit]").click()
    assert navigation.value.status == 404
    assert page.locator("main [role=alert]").inner_text().strip()
    assert page.locator("#result").count() == 0
    _accessible(page, axe_script)
