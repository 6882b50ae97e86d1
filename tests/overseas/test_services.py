"""Enterprises, licences, branches, contracts and workers on a real database: what each party may do, the
caps of the law at registration, and a worker's steps abroad up to the worker app account."""

from datetime import date

import pytest

from ansinh.accounts.models import User
from ansinh.core import signing
from ansinh.core.errors import NotFound, PermissionDenied, RateLimited, ValidationFailed
from ansinh.overseas import selectors
from ansinh.overseas.errors import (
    BreaksTheLaw,
    ContractStateInvalid,
    LicenceStateInvalid,
    NotLicensed,
    NotSigned,
    WorkerStepInvalid,
)
from ansinh.overseas.models import ContractStatus, EnterpriseStatus, LicenceStatus, Worker, WorkerStatus
from ansinh.overseas.services import contracts, enterprises, signatures, workers
from ansinh.sos.models import WorkerProfile, WorkerSource
from tests.overseas.world import build_world, contract_terms, registered_contract

pytestmark = pytest.mark.django_db

WORKER = {
    "personal_id": "040095001234",
    "passport_number": "C1234567",
    "full_name": "Lê Thị Hoa",
    "date_of_birth": date(1995, 3, 14),
    "sex": "F",
    "phone": "0912000111",
}


@pytest.fixture
def world(db):
    return build_world()


def test_an_enterprise_registers_itself_and_gets_an_account_to_change(db):
    build_world()
    enterprise, user, password = enterprises.enterprise_register(
        tax_code="0301112223",
        name="Công ty CP Xuất khẩu lao động Sao Mai",
        head_office="12 Nguyễn Huệ",
        province="40",
        charter_capital=5_000_000_000,
        legal_representative="Phạm Minh Châu",
        admin_username="saomai",
    )
    assert enterprise.status == EnterpriseStatus.REGISTERED
    assert enterprise.organisation.name == "Công ty CP Xuất khẩu lao động Sao Mai"
    assert user.must_change_password
    assert user.check_password(password)
    # The same tax code twice, a bad one, a missing name: each named, nothing written.
    for bad, field in (
        ({"tax_code": "0301112223"}, "tax_code"),
        ({"tax_code": "12345"}, "tax_code"),
        ({"name": ""}, "name"),
        ({"charter_capital": -1}, "charter_capital"),
    ):
        fields = {
            "tax_code": "0301112224",
            "name": "Công ty X",
            "head_office": "1 Lê Duẩn",
            "province": "40",
            "charter_capital": 5_000_000_000,
            "legal_representative": "A",
            "admin_username": "xcorp",
            **bad,
        }
        with pytest.raises(ValidationFailed) as refused:
            enterprises.enterprise_register(**fields)
        assert field in refused.value.details["fields"]
    assert not User.objects.filter(username="xcorp").exists()


def test_registrations_from_one_client_are_limited(db, settings):
    build_world()
    for n in range(enterprises.REGISTRATIONS_PER_CLIENT_HOUR):
        enterprises.enterprise_register(
            tax_code=f"05000000{n:02d}",
            name=f"Công ty {n}",
            head_office="1",
            province="40",
            charter_capital=5_000_000_000,
            legal_representative="A",
            admin_username=f"ent{n}",
            client="203.0.113.9",
        )
    one_more = {
        "tax_code": "0500000099",
        "name": "Z",
        "head_office": "1",
        "province": "40",
        "charter_capital": 5_000_000_000,
        "legal_representative": "A",
        "admin_username": "zz",
        "client": "203.0.113.9",
    }
    with pytest.raises(RateLimited):
        enterprises.enterprise_register(**one_more)


def test_the_licence_history_and_who_may_change_it(world):
    licence = world.enterprise_a.licences.get()
    with pytest.raises(PermissionDenied):
        enterprises.licence_change(
            actor=world.admin_a, licence_id=licence.pk, action="suspended", on=date(2026, 11, 1), reason="x"
        )
    enterprises.licence_change(
        actor=world.dolab_officer,
        licence_id=licence.pk,
        action="suspended",
        on=date(2026, 11, 1),
        reason="Không báo cáo định kỳ",
    )
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.status == EnterpriseStatus.SUSPENDED
    # A suspended enterprise registers no contract.
    with pytest.raises(NotLicensed):
        contracts.contract_submit(actor=world.admin_a, **contract_terms())
    with pytest.raises(LicenceStateInvalid):
        enterprises.licence_change(
            actor=world.dolab_officer,
            licence_id=licence.pk,
            action="suspended",
            on=date(2026, 11, 2),
            reason="x",
        )
    enterprises.licence_change(
        actor=world.dolab_officer,
        licence_id=licence.pk,
        action="reinstated",
        on=date(2026, 11, 3),
        reason="Đã khắc phục",
    )
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID
    assert list(licence.events.values_list("action", flat=True)) == ["granted", "suspended", "reinstated"]


def test_a_branch_gets_only_the_functions_the_law_allows(world):
    with pytest.raises(ValidationFailed) as refused:
        enterprises.branch_delegate(
            actor=world.admin_a, branch_id=world.branch.pk, functions=["contract_signing"]
        )
    assert "functions" in refused.value.details["fields"]
    # Another enterprise cannot touch this branch; a branch cannot delegate to itself.
    with pytest.raises(NotFound):
        enterprises.branch_delegate(actor=world.admin_b, branch_id=world.branch.pk, functions=["reports"])
    with pytest.raises(PermissionDenied):
        enterprises.branch_delegate(
            actor=world.branch_staff, branch_id=world.branch.pk, functions=["reports"]
        )
    branch = enterprises.branch_delegate(
        actor=world.admin_a, branch_id=world.branch.pk, functions=["worker_update", "read"]
    )
    assert enterprises.delegated_functions(branch) == ["worker_update", "read"]


def test_a_contract_over_the_caps_is_refused_with_the_legal_basis_and_nothing_is_written(world):
    with pytest.raises(BreaksTheLaw) as refused:
        contracts.contract_submit(
            actor=world.admin_a, **contract_terms(service_fee=120_000_001, worker_deposit=36_000_001)
        )
    violations = refused.value.details["violations"]
    assert {v["code"] for v in violations} >= {"overseas.service_fee_over_cap", "overseas.deposit_over_cap"}
    assert all(v["legal_basis"] and v["message"] for v in violations)
    assert not world.enterprise_a.contracts.exists()


def test_only_the_enterprise_registers_contracts_and_the_department_replies(world):
    with pytest.raises(PermissionDenied):
        contracts.contract_submit(actor=world.branch_staff, **contract_terms())
    contract = contracts.contract_submit(actor=world.admin_a, **contract_terms())
    assert contract.status == ContractStatus.SUBMITTED
    assert contract.registrar == world.dolab
    assert contract.reply_due > date(2026, 11, 2)
    # The province's officials read it (the enterprise sits in their province) but do not register it.
    assert selectors.contracts_in_scope(world.provincial_officer).filter(pk=contract.pk).exists()
    assert not selectors.contracts_in_scope(world.other_provincial_officer).filter(pk=contract.pk).exists()
    with pytest.raises(NotFound):
        contracts.contract_decide(actor=world.provincial_officer, contract_id=contract.pk, approve=True)
    with pytest.raises(ValidationFailed):
        contracts.contract_decide(actor=world.dolab_officer, contract_id=contract.pk, approve=False)
    # Only a submission the enterprise signed is registered.
    with pytest.raises(NotSigned):
        contracts.contract_decide(actor=world.dolab_officer, contract_id=contract.pk, approve=True)
    with pytest.raises(PermissionDenied):
        signatures.contract_sign(actor=world.branch_staff, contract_id=contract.pk)
    with pytest.raises(NotFound):
        signatures.contract_sign(actor=world.admin_b, contract_id=contract.pk)
    signed = signatures.contract_sign(actor=world.admin_a, contract_id=contract.pk)
    assert signed.signed_by == "Công ty CP Nhân lực Quốc tế An Phát"
    with signed.signed_file.open("rb") as handle:
        report = signing.verify_pdf(handle.read())
    assert report.valid
    assert report.signer == signed.signed_by
    with pytest.raises(ContractStateInvalid):
        signatures.contract_sign(actor=world.admin_a, contract_id=contract.pk)
    contracts.contract_decide(actor=world.dolab_officer, contract_id=contract.pk, approve=True)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.REGISTERED


def test_a_worker_registered_by_the_branch_departs_and_gets_the_worker_app(world):
    contract = registered_contract(world)
    worker = workers.worker_register(actor=world.branch_staff, contract_id=contract.pk, **WORKER)
    assert worker.org_path == world.branch.path
    assert worker.worker_code
    # The branch sees its worker; enterprise B does not; enterprise A does (its branch's records).
    assert selectors.workers_in_scope(world.branch_staff).filter(pk=worker.pk).exists()
    assert selectors.workers_in_scope(world.admin_a).filter(pk=worker.pk).exists()
    assert not selectors.workers_in_scope(world.admin_b).filter(pk=worker.pk).exists()
    # The branch was not delegated "worker_update": it cannot report the departure.
    with pytest.raises(PermissionDenied):
        workers.worker_step(
            actor=world.branch_staff, worker_id=worker.pk, status="departed", on=date(2026, 11, 20)
        )
    with pytest.raises(WorkerStepInvalid):
        workers.worker_step(
            actor=world.admin_a, worker_id=worker.pk, status="returned", on=date(2026, 11, 20)
        )
    workers.worker_step(actor=world.admin_a, worker_id=worker.pk, status="departed", on=date(2026, 11, 20))
    worker.refresh_from_db()
    assert (worker.status, worker.departure_date) == (WorkerStatus.DEPARTED, date(2026, 11, 20))
    profile = WorkerProfile.objects.get(passport_number="C1234567")
    assert profile.person_id == worker.person_id  # the same person in the worker app
    assert (profile.source, profile.country, profile.contract_number) == (
        WorkerSource.OVERSEAS,
        "KR",
        "HD-2026-001",
    )
    assert profile.enterprise == "Công ty CP Nhân lực Quốc tế An Phát"
    assert User.objects.filter(username="C1234567", person=worker.person).exists()


def test_the_worker_code_follows_the_person_to_the_next_contract(world):
    first = registered_contract(world)
    second = registered_contract(world, number="HD-2026-002")
    one = workers.worker_register(actor=world.admin_a, contract_id=first.pk, **WORKER)
    two = workers.worker_register(actor=world.admin_a, contract_id=second.pk, **WORKER)
    assert one.worker_code == two.worker_code
    with pytest.raises(ValidationFailed) as twice:
        workers.worker_register(actor=world.admin_a, contract_id=first.pk, **WORKER)
    assert "personal_id" in twice.value.details["fields"]
    # Someone else's name on a registered personal ID is a mistyped number, refused.
    with pytest.raises(ValidationFailed) as mistyped:
        workers.worker_register(
            actor=world.admin_a, contract_id=second.pk, **{**WORKER, "full_name": "Người Khác"}
        )
    assert "full_name" in mistyped.value.details["fields"]
    assert Worker.objects.count() == 2


def test_bad_worker_fields_are_each_named(world):
    contract = registered_contract(world)
    with pytest.raises(ValidationFailed) as refused:
        workers.worker_register(
            actor=world.admin_a,
            contract_id=contract.pk,
            personal_id="12",
            passport_number="?",
            full_name="",
            date_of_birth=date(2015, 1, 1),
            sex="X",
        )
    assert set(refused.value.details["fields"]) == {
        "personal_id",
        "passport_number",
        "full_name",
        "date_of_birth",
        "sex",
    }
    # Enterprise B cannot register on A's contract.
    with pytest.raises(ValidationFailed) as foreign:
        workers.worker_register(actor=world.admin_b, contract_id=contract.pk, **WORKER)
    assert "contract" in foreign.value.details["fields"]
