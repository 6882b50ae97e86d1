"""The social-security services' journey in Chromium (issue 8, acceptance): a citizen signs in on a phone and
lands on My services, which shows all their services on one page; applies online for the monthly social
allowance; the commune officer accepts and the commune chairman approves it (second factor); the citizen
gets the social-security card, which shows the allowance due this month; two service points of another
province scan the card, the first pays the month and the second is refused ("already paid"); a forged QR
(one character changed) is refused with a clear message.

The set-up (the commune of the citizen's ward with its officer and chairman, a clinic, two service points of
Hà Tĩnh with their cashiers, and the citizen with a pension, a medicine request and a job application) runs
in the server's database with `ansinh shell -c`, through the services where there is one; everything else
is done in the browser."""

import os
from typing import Any

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

MARKER = "E2E-WELFARE:"
CITIZEN, CITIZEN_ID = "e2e-tcxh-citizen", "040166009001"
OFFICER, CHAIR = "e2e-tcxh-officer", "e2e-tcxh-chair"
CASHIER, CASHIER2 = "e2e-tcxh-cashier", "e2e-tcxh-cashier2"
ALLOWANCE_AMOUNT = "1.080.000"
PHONE = {"viewport": {"width": 390, "height": 800}, "is_mobile": True}


@pytest.fixture(scope="module")
def world(server) -> dict[str, Any]:
    """Nghệ An: the citizen's commune (officer, chairman) and clinic; Hà Tĩnh: two service points, each with a
    cashier. The citizen (60, a retired teacher with a severe disability) has a pension paid to the bank, a
    regular-medicine request at the clinic and a job application."""
    if os.environ.get("E2E_BASE_URL"):
        pytest.skip("needs the e2e server's own database")
    return ansinh_shell(
        server.env,
        f"""
import json
from datetime import date, timedelta
from django.utils import timezone
from ansinh.accounts import services
from ansinh.accounts.models import Role, TotpDevice, User
from ansinh.geo.models import Province, Ward
from ansinh.jobs.models import Employer, EmployerStatus
from ansinh.jobs.services import applications, vacancies
from ansinh.jobs.services.seekers import seeker_profile_start
from ansinh.welfare.models import MedicineRegistration, Pension, PensionArrangement

nghe_an, ha_tinh = Province.objects.get(code="40"), Province.objects.get(code="42")
ward = Ward.objects.filter(province=nghe_an).order_by("-code").first()
def org(code, name, kind, province, **extra):
    return services.organisation_create(
        actor=None, code=code, name=name, kind=kind, province=province, **extra
    )
commune = org("E2E-TCXH-UBND", "Ủy ban nhân dân " + ward.name, "commune", nghe_an, ward=ward)
clinic = org("E2E-TCXH-TYT", "Trạm Y tế " + ward.name, "clinic", nghe_an)
point = org("E2E-TCXH-BD-HT", "Bưu điện tỉnh Hà Tĩnh – điểm chi trả", "service_point", ha_tinh)
point2 = org("E2E-TCXH-BD-HL", "Bưu điện Hồng Lĩnh – điểm chi trả", "service_point", ha_tinh)
for username, organisation, role in (
    ({OFFICER!r}, commune, "commune_officer"),
    ({CHAIR!r}, commune, "commune_chair"),
    ({CASHIER!r}, point, "service_point_cashier"),
    ({CASHIER2!r}, point2, "service_point_cashier"),
):
    staff = User.objects.create_user(username, {server.password!r})
    services.membership_grant(
        actor=None, user=staff, organisation=organisation, role=Role.objects.get(code=role)
    )
    TotpDevice.objects.create(user=staff, secret={server.totp_secret!r}, confirmed_at=timezone.now())

person = services.person_create(
    actor=None, full_name="Lê Thị Hoa", personal_id={CITIZEN_ID!r}, sex="F", date_of_birth=date(1966, 4, 12),
    province=nghe_an, ward=ward, phone="+84912555001", address="Xóm 3",
)
citizen = User.objects.create_user({CITIZEN!r}, {server.password!r}, person=person)

# A pension as the social-insurance agency sends it, paid to the bank (so only the allowance is due in cash).
received = timezone.now() - timedelta(days=60)
pension = Pension.objects.create(
    person=person, social_insurance_code="4099000001", monthly_amount=5_310_000, starts_on=date(2021, 5, 1),
    province=nghe_an, source="demo", received_at=received,
)
PensionArrangement.objects.create(
    pension=pension, method="bank", province=nghe_an, bank_name="Agribank", bank_account="3600205123456",
    account_holder="LE THI HOA", valid_from=date(2021, 5, 1), created_at=received, acknowledged_at=received,
)
MedicineRegistration.objects.create(
    person=person, clinic=clinic, insurance_card_number="HT2404012345678", condition="Tăng huyết áp",
    medicines="Amlodipin 5 mg", mode="pickup", phone="+84912555001", org_path=clinic.path, province=nghe_an,
)

# A job application: a verified employer of Nghệ An posts a vacancy, the citizen applies.
employer_org = org("E2E-TCXH-NTD", "Hợp tác xã May Diễn Châu", "employer", nghe_an)
Employer.objects.create(
    organisation=employer_org, tax_code="2901239876", province=nghe_an, address="Diễn Châu",
    contact_name="Hồ Văn Tâm", phone="+84912000222", email="hr@dienchau.example.vn",
    status=EmployerStatus.VERIFIED, verified_at=timezone.now(), org_path=employer_org.path,
)
admin = User.objects.create_user("e2e-tcxh-employer", {server.password!r})
services.membership_grant(
    actor=None, user=admin, organisation=employer_org, role=Role.objects.get(code="employer_admin")
)
vacancy = vacancies.vacancy_post(
    actor=admin, title="Nhân viên kiểm hàng may (làm tại nhà)", occupation="815",
    description="Kiểm hàng may mặc, làm bán thời gian tại nhà.", requirements="Cẩn thận",
    province="40", salary_min=3_000_000, salary_max=4_000_000, contract_type="part_time", openings=2,
    deadline=timezone.localdate() + timedelta(days=30),
)
seeker_profile_start(actor=citizen)
applications.application_submit(actor=citizen, vacancy_id=vacancy.pk, cover_note="Tôi làm được tại nhà.")
print({MARKER!r} + json.dumps({{"commune": commune.name, "ward": ward.pk}}))
""",
        MARKER,
    )


def _accessible(page, axe_script: str) -> None:
    violations = axe_violations(page, axe_script)
    assert not violations, f"{page.url}:\n{explain_violations(violations)}"


def _no_errors(page) -> None:
    errors = page.locator("main .error, main .errorlist, main .messages .msg--error")
    assert errors.count() == 0, errors.all_inner_texts()


def _act(page, action: str) -> None:
    form = page.locator(f"main form:has(input[name=action][value={action}])")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    _no_errors(page)


def _staff(new_context, server, username: str, *, english: bool = False):
    context = new_context()
    page = context.new_page()
    sign_in_with_two_factor(page, username, server.password, server.totp_secret)
    if english:  # the cashier reads the refusals in English here (the pages default to Vietnamese); set after
        # signing in, which sets the account's own language
        context.add_cookies([{"name": "django_language", "value": "en", "url": server.url}])
    return page


def _scan(page, payload: str) -> None:
    """The cashier's USB scanner types the QR text into the scan field and ends it with Enter."""
    page.goto("/social/card/scan/")
    field = page.locator("#id_qr")
    field.fill(payload)
    with page.expect_navigation():
        field.press("Enter")


def _forged(payload: str) -> str:
    """The payload with one character of its signature changed (still in the QR alphabet)."""
    index = len(payload) - 5
    return payload[:index] + ("A" if payload[index] != "A" else "B") + payload[index + 1 :]


def test_my_services_allowance_decided_card_paid_once_in_another_province(
    new_context, server, world, axe_script
):
    # A citizen signs in on a phone and lands on My services: all their services on one page.
    citizen = new_context(**PHONE).new_page()
    sign_in(citizen, CITIZEN, server.password)
    assert path_of(citizen) == "/my-services/", citizen.url
    for key in ("pension", "medicine", "jobs"):
        assert citizen.locator(f"#service-{key}").count() == 1, (key, citizen.locator("main").inner_text())
    _accessible(citizen, axe_script)

    # The citizen applies online for the monthly social allowance, from the allowance page.
    citizen.goto("/social/allowance/")
    _accessible(citizen, axe_script)
    with citizen.expect_navigation():
        citizen.locator("#apply-button").click()
    citizen.locator("#id_group").select_option("disability_severe")
    citizen.locator("#id_circumstances").fill("Khuyết tật vận động nặng sau tai biến, sống một mình.")
    citizen.locator("#id_phone").fill("0912555001")
    citizen.locator("#id_payment_method").select_option("service_point")
    _accessible(citizen, axe_script)
    submit(citizen)
    _no_errors(citizen)
    dossier_path = path_of(citizen)
    _act(citizen, "submit")

    # The commune officer accepts it and the commune chairman approves it.
    officer = _staff(new_context, server, OFFICER)
    officer.goto(dossier_path)
    _act(officer, "accept")
    chair = _staff(new_context, server, CHAIR)
    chair.goto(dossier_path)
    _act(chair, "approve")

    # The citizen's allowance is being paid; My services shows it.
    citizen.goto("/my-services/")
    assert citizen.locator("#service-allowance").count() == 1, citizen.locator("main").inner_text()

    # The citizen gets the card; it shows the allowance due this month.
    citizen.goto("/social/card/")
    _accessible(citizen, axe_script)
    with citizen.expect_navigation():
        citizen.locator("main form[action='/social/card/get/'] button[type=submit]").click()
    _no_errors(citizen)
    # What a USB scanner types: the QR's text, also shown in a field to copy.
    payload = citizen.locator("#sscard").get_attribute("data-qr")
    assert (payload or "").startswith("ASC1."), payload
    assert citizen.locator("#qr-text").input_value() == payload
    # 60 years old with a severe disability: 2.0 x the base level of 540,000 (Decree 20/2021 Art 6.1.e).
    due = citizen.locator("main .due-list li", has_text=ALLOWANCE_AMOUNT)
    assert due.count() == 1, citizen.locator("main").inner_text()
    _accessible(citizen, axe_script)

    # Two service points of Hà Tĩnh scan the card at the same time and both see the allowance due.
    cashier = _staff(new_context, server, CASHIER, english=True)
    cashier2 = _staff(new_context, server, CASHIER2, english=True)
    _scan(cashier, payload)
    _no_errors(cashier)
    _accessible(cashier, axe_script)
    _scan(cashier2, payload)
    item = "main form:has(input[name=item][value^='social_allowance:'])"
    assert cashier.locator(item).count() == 1, cashier.locator("main").inner_text()
    assert cashier2.locator(item).count() == 1, cashier2.locator("main").inner_text()

    # The first pays it; the second, a moment later, is refused: the month is already paid.
    with cashier.expect_navigation():
        cashier.locator(f"{item} button[type=submit]").click()
    _no_errors(cashier)
    assert path_of(cashier).startswith("/social/card/scan/receipts/"), cashier.locator("main").inner_text()
    _accessible(cashier, axe_script)
    with cashier2.expect_navigation():
        cashier2.locator(f"{item} button[type=submit]").click()
    refused = cashier2.locator("#refusal")
    assert refused.count() == 1, cashier2.locator("main").inner_text()
    assert "already paid" in refused.inner_text(), refused.inner_text()

    # Scanned again, the month is no longer due.
    _scan(cashier2, payload)
    assert cashier2.locator(item).count() == 0, cashier2.locator("main").inner_text()

    # A forged QR (one character of the signature changed) is refused with a clear message.
    _scan(cashier, _forged(payload))
    refusal = cashier.locator("main").inner_text()
    assert "not a genuine social-security card" in refusal, refusal
    assert cashier.locator(item).count() == 0
