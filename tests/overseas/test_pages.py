"""The overseas-labour pages through the Django test client, on a real database: an enterprise registering
itself, the enterprise's portal (a branch seeing only what it was delegated), and the department's pages."""

from datetime import date, timedelta

import pytest
from django.urls import include, path

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.accounts.models import Organisation, User
from ansinh.config import urls as site_urls
from ansinh.core.models import AuditEntry
from ansinh.overseas.models import Contract, ContractStatus, Enterprise, EnterpriseStatus, WorkerStatus
from ansinh.overseas.services import contracts, enterprises, signatures, workers
from tests.factories import make_staff
from tests.overseas.world import build_world, contract_terms, registered_contract

pytestmark = pytest.mark.django_db

# Until ansinh.config.urls includes the overseas pages, the tests run on the site's URLs plus them.
urlpatterns = [path("", include("ansinh.overseas.urls")), *site_urls.urlpatterns]

WORKER = {
    "personal_id": "040095001234",
    "passport_number": "C1234567",
    "full_name": "Lê Thị Hoa",
    "date_of_birth": date(1995, 3, 14),
    "sex": "F",
    "phone": "0912000111",
}

REGISTRATION = {
    "tax_code": "0312345678",
    "name": "Công ty TNHH Nhân lực Sao Mai",
    "head_office": "Số 5 Đường Trần Phú",
    "province": "40",
    "charter_capital": "5.000.000.000",
    "legal_representative": "Phạm Thị Lan",
    "phone": "0912345678",
    "email": "lienhe@saomai.vn",
    "website": "https://saomai.vn",
    "admin_username": "saomai",
}


@pytest.fixture(autouse=True)
def _overseas_urls(settings):
    if not any(getattr(p, "namespace", None) == "overseas" for p in site_urls.urlpatterns):
        settings.ROOT_URLCONF = __name__


@pytest.fixture
def world(db):
    return build_world()


def sign_in(client, user):
    """Users who read personal data have passed the second factor (accounts.middleware)."""
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()


def admin_of(enterprise: Enterprise) -> User:
    return make_staff("enterprise_admin", enterprise.organisation)


def contract_form(**overrides) -> dict:
    data = {
        "kind": "supply",
        "number": "HD-2026-009",
        "party_registration_number": "134-81-00001",
        "party_name": "Daehan Industrial Co.",
        "country": "KR",
        "occupation": "721",
        "workers_planned": "20",
        "monthly_salary": "40.000.000",
        "contract_months": "36",
        "service_fee": "40.000.000",
        "broker_fee": "0",
        "worker_deposit": "0",
        "airfare": "",
        "signed_on": "2026-11-02",
    }
    data.update(overrides)
    return data


# --- registering an enterprise -----------------------------------------------------------------------------


def test_an_enterprise_registers_and_sees_its_one_time_password_once(client, world):
    form = client.get("/overseas/register/")
    assert form.status_code == 200
    assert 'id="register-form"' in form.content.decode()
    answer = client.post("/overseas/register/", REGISTRATION)
    assert answer.status_code == 200
    page = answer.content.decode()
    assert 'id="issued-username"' in page
    assert "saomai" in page
    assert 'id="password-warning"' in page
    assert "no-store" in answer["Cache-Control"]
    password = page.split('id="issued-password"><code>')[1].split("</code>")[0]
    user = User.objects.get(username="saomai")
    assert user.check_password(password)
    assert user.must_change_password
    enterprise = Enterprise.objects.get(tax_code="0312345678")
    assert enterprise.charter_capital == 5_000_000_000
    # Never again: not on the form, not kept in the session.
    again = client.get("/overseas/register/").content.decode()
    assert password not in again
    assert password not in str(dict(client.session))
    # The same tax code a second time is refused beside the field, and nothing more is written.
    twice = client.post("/overseas/register/", {**REGISTRATION, "admin_username": "saomai2"})
    assert twice.status_code == 200
    assert 'id="register-form"' in twice.content.decode()
    assert twice.context["form"].errors["tax_code"]
    assert not User.objects.filter(username="saomai2").exists()


def test_registering_too_often_shows_the_rate_limit(client, world, monkeypatch):
    monkeypatch.setattr(enterprises, "REGISTRATIONS_PER_CLIENT_HOUR", 0)
    answer = client.post("/overseas/register/", REGISTRATION)
    assert answer.status_code == 200
    assert answer.context["form"].non_field_errors()
    assert not Enterprise.objects.filter(tax_code="0312345678").exists()


def test_anonymous_users_are_sent_to_sign_in(client, world):
    for url in (
        "/overseas/enterprise/",
        "/overseas/enterprise/contracts/",
        "/overseas/enterprise/workers/",
        "/staff/overseas/",
        "/staff/overseas/contracts/",
        f"/staff/overseas/enterprises/{world.enterprise_a.pk}/",
    ):
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert "/accounts/login/" in answer["Location"]


def test_a_citizen_is_not_allowed_in(client, world):
    client.force_login(world.citizen)
    assert client.get("/overseas/enterprise/").status_code == 403
    assert client.get("/staff/overseas/").status_code == 403


# --- the enterprise's portal -------------------------------------------------------------------------------


def test_the_enterprise_keeps_its_information_and_branches_current(client, world):
    admin = admin_of(world.enterprise_a)
    sign_in(client, admin)
    page = client.get("/overseas/enterprise/")
    assert page.status_code == 200
    html = page.content.decode()
    assert world.enterprise_a.organisation.name in html
    assert "123/LĐTBXH-GP" in html
    assert 'id="licence-history"' in html
    assert 'id="deposit-balance"' in html
    assert f'id="branch-{world.branch.pk}"' in html
    assert f'id="fn-{world.branch.pk}-worker_update"' in html

    saved = client.post(
        "/overseas/enterprise/info/",
        {
            "name": "Công ty CP Nhân lực An Phát",
            "head_office": "Số 9 Đường Lê Lợi",
            "charter_capital": "7.000.000.000",
            "legal_representative": "Trần Văn Bình",
            "phone": "",
            "email": "",
            "website": "",
        },
    )
    assert saved.status_code == 302
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.charter_capital == 7_000_000_000
    assert world.enterprise_a.head_office == "Số 9 Đường Lê Lợi"
    # A bad amount is shown beside its field, nothing saved.
    bad = client.post(
        "/overseas/enterprise/info/", {"name": "X", "head_office": "Y", "charter_capital": "abc"}
    )
    assert bad.status_code == 200
    assert bad.context["info_form"].errors["charter_capital"]

    branch_form = {"name": "Chi nhánh Nghệ An", "province": "40", "functions": ["worker_update", "read"]}
    # The branch's staff account is part of opening it: a username taken refuses both.
    taken = client.post(
        "/overseas/enterprise/branches/", {**branch_form, "staff_username": world.staff_a.username}
    )
    assert taken.status_code == 200
    assert taken.context["branch_form"].errors["staff_username"]
    assert not Organisation.objects.filter(name="Chi nhánh Nghệ An").exists()

    opened = client.post("/overseas/enterprise/branches/", {**branch_form, "staff_username": "cn.nghean"})
    assert opened.status_code == 200
    branch = Organisation.objects.get(name="Chi nhánh Nghệ An")
    assert enterprises.delegated_functions(branch) == ["worker_update", "read"]
    # The one-time password is shown once; the account works only for the branch, as branch staff.
    staff = User.objects.get(username="cn.nghean")
    assert staff.check_password(opened.context["password"])
    assert staff.must_change_password
    membership = staff.memberships.get()
    assert (membership.organisation, membership.role.code) == (branch, "branch_staff")

    delegated = client.post(
        f"/overseas/enterprise/branches/{world.branch.pk}/functions/", {"functions": ["reports"]}
    )
    assert delegated.status_code == 302
    world.branch.refresh_from_db()
    assert enterprises.delegated_functions(world.branch) == ["reports"]
    # A function the law keeps from branches is refused with a message, nothing changed.
    refused = client.post(
        f"/overseas/enterprise/branches/{world.branch.pk}/functions/",
        {"functions": ["reports", "training"]},
        follow=True,
    )
    assert "Điều 17" in refused.content.decode()
    world.branch.refresh_from_db()
    assert enterprises.delegated_functions(world.branch) == ["reports"]


def test_a_contract_is_registered_from_the_page(client, world):
    sign_in(client, world.staff_a)
    page = client.get("/overseas/enterprise/contracts/")
    assert page.status_code == 200
    assert 'id="contract-form"' in page.content.decode()
    answer = client.post("/overseas/enterprise/contracts/", contract_form())
    assert answer.status_code == 302
    contract = Contract.objects.get(number="HD-2026-009")
    assert contract.status == ContractStatus.SUBMITTED
    assert contract.monthly_salary == 40_000_000
    listing = client.get("/overseas/enterprise/contracts/").content.decode()
    assert "HD-2026-009" in listing
    assert 'data-status="submitted"' in listing
    assert f'id="sign-{contract.pk}"' in listing
    signed = client.post(f"/overseas/enterprise/contracts/{contract.pk}/sign/")
    assert signed.status_code == 302
    contract.refresh_from_db()
    assert contract.signed_at is not None
    assert 'data-signed="yes"' in client.get("/overseas/enterprise/contracts/").content.decode()


def test_a_contract_breaking_the_law_shows_each_rule_with_its_legal_basis(client, world):
    sign_in(client, world.staff_a)
    answer = client.post(
        "/overseas/enterprise/contracts/",
        contract_form(service_fee="120.000.001", worker_deposit="36.000.001"),
    )
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'id="violations"' in html
    violations = answer.context["violations"]
    assert {v["code"] for v in violations} >= {"overseas.service_fee_over_cap", "overseas.deposit_over_cap"}
    for violation in violations:
        assert violation["legal_basis"] in html
    # What was typed is kept.
    assert 'value="HD-2026-009"' in html
    assert 'value="120.000.001"' in html
    assert not Contract.objects.filter(number="HD-2026-009").exists()


def test_a_missing_foreign_party_is_named_beside_its_field(client, world):
    sign_in(client, world.staff_a)
    answer = client.post("/overseas/enterprise/contracts/", contract_form(party_name=""))
    assert answer.status_code == 200
    assert answer.context["form"].errors["party_name"]


def test_a_branch_sees_only_what_it_was_delegated(client, world):
    sign_in(client, world.branch_staff)
    portal = client.get("/overseas/enterprise/").content.decode()
    assert 'id="branch-functions"' in portal
    assert 'id="branch-form"' not in portal
    assert 'id="info-form"' not in portal
    assert 'id="deposit-balance"' not in portal
    page = client.get("/overseas/enterprise/contracts/")
    assert page.status_code == 200
    assert 'id="contract-form"' not in page.content.decode()
    refused = client.post("/overseas/enterprise/contracts/", contract_form())
    assert refused.status_code == 403
    assert not Contract.objects.filter(number="HD-2026-009").exists()
    assert client.post("/overseas/enterprise/info/", {"name": "X"}).status_code == 403
    submitted = contracts.contract_submit(actor=world.staff_a, **contract_terms())
    assert client.post(f"/overseas/enterprise/contracts/{submitted.pk}/sign/").status_code == 403


def test_workers_are_listed_shown_with_an_audit_and_stepped(client, world):
    contract = registered_contract(world)
    worker = workers.worker_register(actor=world.staff_a, contract_id=contract.pk, **WORKER)
    sign_in(client, world.staff_a)
    listing = client.get("/overseas/enterprise/workers/")
    assert listing.status_code == 200
    assert worker.worker_code in listing.content.decode()
    filtered = client.get(f"/overseas/enterprise/workers/?status=departed&contract={contract.pk}")
    assert worker.worker_code not in filtered.content.decode()

    before = AuditEntry.objects.filter(action="record.read").count()
    detail = client.get(f"/overseas/enterprise/workers/{worker.pk}/")
    assert detail.status_code == 200
    assert AuditEntry.objects.filter(action="record.read", object_id=str(worker.pk)).count() == before + 1
    choices = [value for value, _label in detail.context["form"].fields["status"].choices]
    assert sorted(choices) == ["departed", "liquidated", "trained"]

    stepped = client.post(
        f"/overseas/enterprise/workers/{worker.pk}/",
        {"status": "trained", "on": "2026-11-20", "note": "Lớp 1"},
    )
    assert stepped.status_code == 302
    worker.refresh_from_db()
    assert worker.status == WorkerStatus.TRAINED
    # A step that does not follow is refused beside the field; a date in the future too.
    wrong = client.post(
        f"/overseas/enterprise/workers/{worker.pk}/", {"status": "returned", "on": "2026-11-20"}
    )
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["status"]
    future = (date.today() + timedelta(days=30)).isoformat()
    late = client.post(f"/overseas/enterprise/workers/{worker.pk}/", {"status": "liquidated", "on": future})
    assert late.status_code == 200
    assert late.context["form"].errors["on"]
    worker.refresh_from_db()
    assert worker.status == WorkerStatus.TRAINED


def test_a_branch_without_worker_update_sees_no_step_form(client, world):
    contract = registered_contract(world)
    worker = workers.worker_register(actor=world.branch_staff, contract_id=contract.pk, **WORKER)
    sign_in(client, world.branch_staff)
    detail = client.get(f"/overseas/enterprise/workers/{worker.pk}/")
    assert detail.status_code == 200
    assert 'id="step-form"' not in detail.content.decode()
    refused = client.post(
        f"/overseas/enterprise/workers/{worker.pk}/", {"status": "trained", "on": "2026-11-20"}
    )
    assert refused.status_code == 403


def test_enterprise_b_gets_404_on_a_s_objects(client, world):
    contract = registered_contract(world)
    worker = workers.worker_register(actor=world.staff_a, contract_id=contract.pk, **WORKER)
    sign_in(client, admin_of(world.enterprise_b))
    assert client.get(f"/overseas/enterprise/workers/{worker.pk}/").status_code == 404
    assert (
        client.post(f"/overseas/enterprise/workers/{worker.pk}/", {"status": "trained", "on": "2026-11-20"})
    ).status_code == 404
    assert client.get(f"/staff/overseas/enterprises/{world.enterprise_a.pk}/").status_code == 404
    assert client.get(f"/staff/overseas/contracts/{contract.pk}/").status_code == 404
    submitted = contracts.contract_submit(actor=world.staff_a, **contract_terms(number="HD-A-2"))
    assert client.post(f"/overseas/enterprise/contracts/{submitted.pk}/sign/").status_code == 404
    delegate = client.post(
        f"/overseas/enterprise/branches/{world.branch.pk}/functions/", {"functions": ["read"]}
    )
    assert delegate.status_code == 404
    assert worker.worker_code not in client.get("/overseas/enterprise/workers/").content.decode()
    assert "HD-2026-001" not in client.get("/overseas/enterprise/contracts/").content.decode()
    world.branch.refresh_from_db()
    assert enterprises.delegated_functions(world.branch) == ["worker_registration", "read"]


# --- the department's pages --------------------------------------------------------------------------------


def test_the_department_lists_enterprises_and_manages_licences(client, world):
    sign_in(client, world.dolab_officer)
    listing = client.get("/staff/overseas/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert world.enterprise_a.tax_code in html
    assert world.enterprise_b.tax_code in html
    assert (
        world.enterprise_a.tax_code not in client.get("/staff/overseas/?status=registered").content.decode()
    )

    page = client.get(f"/staff/overseas/enterprises/{world.enterprise_a.pk}/")
    assert page.status_code == 200
    assert 'id="change-form"' in page.content.decode()
    assert 'id="grant-form"' not in page.content.decode()
    licence = world.enterprise_a.licences.get()
    # Without a ground the decision is refused beside the field.
    bare = client.post(
        f"/staff/overseas/licences/{licence.pk}/change/", {"action": "suspended", "on": "2026-11-20"}
    )
    assert bare.status_code == 200
    assert bare.context["change_form"].errors["reason"]
    suspended = client.post(
        f"/staff/overseas/licences/{licence.pk}/change/",
        {"action": "suspended", "on": "2026-11-20", "reason": "Vi phạm Điều 16", "decision_number": "12/QĐ"},
    )
    assert suspended.status_code == 302
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.status == EnterpriseStatus.SUSPENDED
    assert "12/QĐ" in client.get(f"/staff/overseas/enterprises/{world.enterprise_a.pk}/").content.decode()

    fresh = Enterprise.objects.get(
        pk=enterprises.enterprise_register(
            tax_code="0311111111",
            name="Công ty Mới",
            head_office="Số 1",
            province="40",
            charter_capital=5_000_000_000,
            legal_representative="Ngô Văn A",
            admin_username="moi",
        )[0].pk
    )
    assert 'id="grant-form"' in client.get(f"/staff/overseas/enterprises/{fresh.pk}/").content.decode()
    taken = client.post(
        f"/staff/overseas/enterprises/{fresh.pk}/licence/",
        {"number": "123/LĐTBXH-GP", "issued_on": "2026-11-20"},
    )
    assert taken.status_code == 200
    assert taken.context["grant_form"].errors["number"]
    granted = client.post(
        f"/staff/overseas/enterprises/{fresh.pk}/licence/",
        {"number": "789/LĐTBXH-GP", "issued_on": "2026-11-20"},
    )
    assert granted.status_code == 302
    fresh.refresh_from_db()
    assert fresh.status == EnterpriseStatus.LICENSED


def test_an_enterprise_cannot_manage_licences(client, world):
    sign_in(client, admin_of(world.enterprise_a))
    licence = world.enterprise_a.licences.get()
    answer = client.post(
        f"/staff/overseas/licences/{licence.pk}/change/",
        {"action": "revoked", "on": "2026-11-20", "reason": "x"},
    )
    assert answer.status_code == 403
    licence.refresh_from_db()
    assert licence.status == "valid"


def test_the_queue_shows_the_overdue_first_and_the_department_replies(client, world):
    late = contracts.contract_submit(actor=world.staff_a, **contract_terms(number="HD-LATE"))
    Contract.objects.filter(pk=late.pk).update(reply_due=date.today() - timedelta(days=2))
    recent = contracts.contract_submit(actor=world.staff_a, **contract_terms(number="HD-NEW"))
    sign_in(client, world.dolab_officer)
    queue = client.get("/staff/overseas/contracts/")
    assert queue.status_code == 200
    html = queue.content.decode()
    assert html.index("HD-LATE") < html.index("HD-NEW")
    assert 'data-overdue="yes"' in html

    page = client.get(f"/staff/overseas/contracts/{recent.pk}/")
    assert page.status_code == 200
    assert 'id="decide-form"' in page.content.decode()
    no_reason = client.post(f"/staff/overseas/contracts/{recent.pk}/", {"decision": "refuse", "reason": ""})
    assert no_reason.status_code == 200
    assert no_reason.context["form"].errors["reason"]
    refused = client.post(
        f"/staff/overseas/contracts/{recent.pk}/", {"decision": "refuse", "reason": "Thiếu giấy phép"}
    )
    assert refused.status_code == 302
    # Unsigned, it cannot be registered (no button; the service refuses a forged POST).
    assert 'value="approve"' not in client.get(f"/staff/overseas/contracts/{late.pk}/").content.decode()
    unsigned = client.post(f"/staff/overseas/contracts/{late.pk}/", {"decision": "approve"})
    assert unsigned.status_code == 200
    assert unsigned.context["form"].non_field_errors()
    signatures.contract_sign(actor=world.admin_a, contract_id=late.pk)
    approved = client.post(f"/staff/overseas/contracts/{late.pk}/", {"decision": "approve"})
    assert approved.status_code == 302
    recent.refresh_from_db()
    late.refresh_from_db()
    assert (recent.status, recent.refusal_reason) == (ContractStatus.REFUSED, "Thiếu giấy phép")
    assert late.status == ContractStatus.REGISTERED
    assert "HD-NEW" not in client.get("/staff/overseas/contracts/").content.decode()
    assert "HD-NEW" in client.get("/staff/overseas/contracts/?show=all").content.decode()
    # Decided: no second reply.
    assert 'id="decide-form"' not in client.get(f"/staff/overseas/contracts/{late.pk}/").content.decode()
    assert client.post(f"/staff/overseas/contracts/{late.pk}/", {"decision": "refuse"}).status_code == 403


def test_a_province_that_does_not_register_the_contract_sees_no_reply_form(client, world):
    contract = contracts.contract_submit(actor=world.staff_a, **contract_terms())
    sign_in(client, world.provincial_officer)
    page = client.get(f"/staff/overseas/contracts/{contract.pk}/")
    assert page.status_code == 200
    assert 'id="decide-form"' not in page.content.decode()
    assert "HD-2026-001" not in client.get("/staff/overseas/contracts/").content.decode()


def test_the_worker_list_costs_the_same_for_one_worker_or_many(client, world, django_assert_max_num_queries):
    contract = registered_contract(world)
    workers.worker_register(actor=world.staff_a, contract_id=contract.pk, **WORKER)
    sign_in(client, world.staff_a)
    client.get("/overseas/enterprise/workers/")  # warm the session and the caches
    with django_assert_max_num_queries(12) as one:
        client.get("/overseas/enterprise/workers/")
    for n in range(2, 7):
        workers.worker_register(
            actor=world.staff_a,
            contract_id=contract.pk,
            personal_id=f"0400950012{n:02d}",
            passport_number=f"C12345{n:02d}",
            full_name=f"Lê Thị Hoa {n}",
            date_of_birth=date(1995, 3, 14),
            sex="F",
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get("/overseas/enterprise/workers/")
    assert page.content.decode().count('data-status="registered"') == 6
