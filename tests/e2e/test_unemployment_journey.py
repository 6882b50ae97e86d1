"""The unemployment benefit's journey in Chromium (issue 5): a claimant files the claim online, the centre
accepts it, the department decides it within the deadline and the signed decision verifies; the claimant
notifies the first month; a month's notification is missed and the benefit is suspended automatically;
the claimant notifies again and it continues; the claimant moves to another province, the origin centre
approves the transfer and the destination centre receives the benefit and hands the following month to
social insurance for payment.

Time: the months of a benefit last a month each. The daily sweep and the destination's counter
notification run in the server's database with `ansinh shell -c` for the day they would run on (the
services take the day as an argument); everything else is done in the browser, today."""

import io
import os
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

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
)

pytestmark = pytest.mark.e2e

MARKER = "E2E-UI:"
CLAIMANT, CLAIMANT_ID = "e2e-ui-claimant", "040092008001"
# The seed's officers of Nghệ An (tests/e2e/conftest.py), and two more made here.
ORIGIN, DECIDER = "e2e-centre-officer", "e2e-decider"
ORIGIN_HEAD, DESTINATION = "e2e-ui-head", "e2e-ui-dest"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _shell(env: dict[str, str], code: str) -> Any:
    return ansinh_shell(env, code, MARKER)


@pytest.fixture(scope="module")
def shell(server) -> Any:
    """Hà Tĩnh's centre (the destination) and its officer, the head of Nghệ An's centre (it decides
    transfers), both with two-factor sign-in, and a claimant of Nghệ An with two years of contributions
    up to two months ago."""
    if os.environ.get("E2E_BASE_URL"):
        pytest.skip("needs the e2e server's own database")
    env = server.env
    _shell(
        env,
        f"""
from django.utils import timezone
from ansinh.accounts import services
from ansinh.accounts.models import Role, TotpDevice, User
from ansinh.geo.models import Province
from ansinh.unemployment.models import ContributionMonth
from ansinh.unemployment.rules import add_months
nghe_an, ha_tinh = Province.objects.get(code="40"), Province.objects.get(code="42")
from ansinh.accounts.models import Organisation
centre = Organisation.objects.get(code="E2E-TTDVVL-NA")  # the seed's: it receives Nghệ An's dossiers
destination = services.organisation_create(
    actor=None, code="E2E-UI-TT-HT", name="Trung tâm Dịch vụ việc làm Hà Tĩnh",
    kind="employment_centre", province=ha_tinh,
)
person = services.person_create(
    actor=None, full_name="Trần Thị Bình", personal_id={CLAIMANT_ID!r}, province=nghe_an
)
User.objects.create_user({CLAIMANT!r}, {server.password!r}, person=person)
for username, organisation, role in (
    ({ORIGIN_HEAD!r}, centre, "employment_centre_head"),
    ({DESTINATION!r}, destination, "employment_centre_officer"),
):
    staff = User.objects.create_user(username, {server.password!r})
    services.membership_grant(
        actor=None, user=staff, organisation=organisation, role=Role.objects.get(code=role)
    )
    TotpDevice.objects.create(user=staff, secret={server.totp_secret!r}, confirmed_at=timezone.now())
last = add_months(timezone.localdate().replace(day=1), -2)
ContributionMonth.objects.bulk_create(
    ContributionMonth(person=person, month=add_months(last, -n), wage=9_000_000, region="I")
    for n in range(26)
)
""",
    )
    return lambda code: _shell(env, code)


def _accessible(page, axe_script: str) -> None:
    violations = axe_violations(page, axe_script)
    assert not violations, f"{page.url}:\n{explain_violations(violations)}"


def _act(page, action: str) -> None:
    form = page.locator(f"main form:has(input[name=action][value={action}])")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    errors = page.locator("main .messages .msg--error")
    assert errors.count() == 0, errors.all_inner_texts()


def _attach(page, document_code: str, name: str) -> None:
    form = page.locator(f"main form:has(#file-{document_code})")
    form.locator(f"#file-{document_code}").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": PDF}
    )
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _notify(page, text: str) -> None:
    page.locator("#id_activities").fill(text)
    page.locator("#id_still_unemployed").check()
    with page.expect_navigation():
        page.locator("#notify-form button[type=submit]").click()
    errors = page.locator("main .messages .msg--error")
    assert errors.count() == 0, errors.all_inner_texts()


def _staff(new_context, server, username: str):
    page = new_context().new_page()
    sign_in_with_two_factor(page, username, server.password, server.totp_secret)
    return page


def test_claim_decide_notify_suspend_continue_transfer_and_pay(new_context, server, shell, axe_script):
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    claimant = new_context().new_page()
    sign_in(claimant, CLAIMANT, server.password)

    # Before filing, the claimant checks eligibility on the own contribution record.
    claimant.goto("/unemployment/")
    claimant.locator("#id_termination_date").fill((today - timedelta(days=12)).isoformat())
    with claimant.expect_navigation():
        claimant.locator("main form.filters button[type=submit]").click()
    assert claimant.locator("#check-result").get_attribute("data-eligible") == "yes"
    _accessible(claimant, axe_script)

    # The claim, filed online from the catalogue.
    with claimant.expect_navigation():
        claimant.locator("main a[href='/procedures/tctn-huong/']").click()
    with claimant.expect_navigation():
        claimant.locator("main a[href='/procedures/tctn-huong/file/']").click()
    claimant.locator("#id_termination_date").fill((today - timedelta(days=12)).isoformat())
    claimant.locator("#id_last_employer").fill("Công ty TNHH Giày Nghệ An")
    claimant.locator("#id_contract_kind").select_option("indefinite")
    claimant.locator("#id_phone").fill("0912345678")
    submit(claimant)
    dossier_path = path_of(claimant)
    _attach(claimant, "termination_proof", "thoi-viec.pdf")
    _attach(claimant, "social_insurance_book", "so-bhxh.pdf")
    _act(claimant, "submit")
    due = datetime.strptime(claimant.locator("#due-date").inner_text().strip()[:10], "%d/%m/%Y").date()

    # The centre accepts; the department decides (within the deadline: today, before the due date).
    officer = _staff(new_context, server, ORIGIN)
    officer.goto(dossier_path)
    _act(officer, "accept")
    decider = _staff(new_context, server, DECIDER)
    decider.goto(dossier_path)
    _act(decider, "approve")
    assert today <= due

    # The signed decision states the benefit and verifies on the public page.
    claimant.goto(dossier_path)
    approval = claimant.locator("#documents li[data-kind=approval]")
    claimant.wait_for_timeout(200)
    for _ in range(50):  # issued by a task after the approval commits
        if approval.count():
            break
        claimant.wait_for_timeout(200)
        claimant.reload()
    decision = claimant.request.get(approval.locator("a[href*='/documents/']").get_attribute("href")).body()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(decision)).pages)
    assert "5.400.000 đồng" in text  # 60 % of 9,000,000
    with claimant.expect_navigation():
        approval.locator("a[href^='/verify/']").click()
    assert "msg--success" in claimant.locator("#document-status").get_attribute("class")

    # The claimant's page: the benefit, the schedule, and month 1 to notify now.
    claimant.goto("/unemployment/")
    assert claimant.locator("#claim-status").get_attribute("data-status") == "paying"
    assert claimant.locator("#monthly-benefit").inner_text().startswith("5.400.000")
    _accessible(claimant, axe_script)
    _notify(claimant, "Nộp hồ sơ tại 2 công ty may")
    assert claimant.locator("#schedule tr[data-month='1']").get_attribute("data-status") == "notified"
    # The origin centre hands month 1 to social insurance for payment.
    officer.goto("/staff/unemployment/payments/")
    with officer.expect_navigation():
        officer.locator("#hand-off button").click()
    assert officer.locator("main .messages .msg--success").count() == 1

    # Month 2's window closes without a notification: the nightly sweep suspends the benefit.
    closed = shell(
        f"""
import json
from datetime import timedelta
from ansinh.unemployment.models import BenefitClaim
from ansinh.unemployment.services import months
claim = BenefitClaim.objects.get(person__personal_id={CLAIMANT_ID!r})
second = claim.months.get(number=2)
counts = months.sweep_benefit_months(second.notify_until + timedelta(days=1))
print({MARKER!r} + json.dumps(counts))
"""
    )
    assert closed["suspended"] >= 1  # this benefit (the other journeys' benefits are swept too)
    claimant.reload()
    assert claimant.locator("#claim-status").get_attribute("data-status") == "suspended"
    assert claimant.locator("#schedule tr[data-month='2']").get_attribute("data-status") == "missed"
    # The claimant notifies again: the benefit continues from month 3.
    _notify(claimant, "Đã đi phỏng vấn tại công ty điện tử")
    assert claimant.locator("#claim-status").get_attribute("data-status") == "paying"
    assert claimant.locator("#claim-history li[data-action=continued]").count() == 1

    # The claimant moves to Hà Tĩnh: the transfer dossier, approved by the origin centre's head.
    claimant.goto("/procedures/tctn-chuyen-noi/file/")
    claimant.locator("#id_new_province").select_option("42")
    claimant.locator("#id_reason").fill("Chuyển về quê chồng ở Hà Tĩnh")
    claimant.locator("#id_phone").fill("0912345678")
    submit(claimant)
    transfer_path = path_of(claimant)
    _attach(claimant, "request_form", "mau-19.pdf")
    _act(claimant, "submit")
    officer.goto(transfer_path)
    _act(officer, "accept")
    head = _staff(new_context, server, ORIGIN_HEAD)
    head.goto(transfer_path)
    _act(head, "approve")
    claimant.goto("/unemployment/")
    assert claimant.locator("#claim-status").get_attribute("data-status") == "transferring"

    # The destination centre sees the benefit coming and receives it.
    destination = _staff(new_context, server, DESTINATION)
    destination.goto("/staff/unemployment/")
    _accessible(destination, axe_script)
    with destination.expect_navigation():
        destination.locator("#incoming a").first.click()
    with destination.expect_navigation():
        destination.locator("#receive-form button").click()
    assert destination.locator("#claim-status").get_attribute("data-status") == "paying"
    assert "Hà Tĩnh" in destination.locator("#claim-centre").inner_text()
    _accessible(destination, axe_script)
    # The origin no longer sees it.
    officer.goto(path_of(destination))
    assert officer.locator("#claim-status").count() == 0

    # Month 3: the claimant notifies at the destination's counter, on the first day of its window; the
    # destination hands the month to social insurance for payment.
    shell(
        f"""
from ansinh.accounts.models import User
from ansinh.unemployment.models import BenefitClaim
from ansinh.unemployment.services import months
claim = BenefitClaim.objects.get(person__personal_id={CLAIMANT_ID!r})
third = claim.months.get(number=3)
months.notification_record(
    actor=User.objects.get(username={DESTINATION!r}), claim_id=claim.pk, activities="Tại quầy Hà Tĩnh",
    today=third.notify_from,
)
"""
    )
    destination.reload()
    assert destination.locator("#schedule tr[data-month='3']").get_attribute("data-status") == "notified"
    claim_page = path_of(destination)
    # The destination hands the month to social insurance for payment (the origin has nothing to send).
    destination.goto("/staff/unemployment/payments/")
    assert destination.locator("#payable tbody tr").count() == 1
    assert "5.400.000" in destination.locator("#total-amount").inner_text()
    _accessible(destination, axe_script)
    with destination.expect_navigation():
        destination.locator("#hand-off button").click()
    assert destination.locator("main .messages .msg--success").count() == 1
    destination.goto(claim_page)
    # Two hand-offs in the claim's history: month 1 by the origin, month 3 by the destination.
    handed = destination.locator("#claim-history li[data-action=handed_off]").all_inner_texts()
    assert len(handed) == 2, handed
    assert "Hà Tĩnh" in handed[0]  # newest first
    assert "Nghệ An" in handed[1]
    claimant.goto("/unemployment/")
    assert "Hà Tĩnh" in claimant.locator("#claim-centre").inner_text()
    assert re.search(r"5\.400\.000", claimant.locator("#schedule tr[data-month='3']").inner_text())
