"""A small world for the overseas-labour tests: the ministry's department of overseas labour, one province
with its department, two licensed enterprises (A with a branch, B), and their staff."""

from dataclasses import dataclass
from datetime import date

from ansinh.accounts.models import Organisation, OrganisationKind, User
from ansinh.geo.models import Province
from ansinh.geo.services import (
    reference_load_countries,
    reference_load_legacy_provinces,
    reference_load_occupations,
    reference_load_provinces,
)
from ansinh.overseas.models import Contract, Enterprise
from ansinh.overseas.services import contracts, enterprises, signatures
from tests.factories import OrganisationFactory, UserFactory, make_staff

SIGNED = date(2026, 11, 2)


@dataclass
class OverseasWorld:
    dolab: Organisation
    province_department: Organisation
    enterprise_a: Enterprise
    enterprise_b: Enterprise
    branch: Organisation
    admin_a: User
    staff_a: User
    branch_staff: User
    admin_b: User
    dolab_officer: User
    provincial_officer: User
    other_provincial_officer: User
    citizen: User


def register(tax_code: str, name: str, province: str, username: str) -> Enterprise:
    enterprise, _user, _password = enterprises.enterprise_register(
        tax_code=tax_code,
        name=name,
        head_office="Số 1 Đường Lê Lợi",
        province=province,
        charter_capital=6_000_000_000,
        legal_representative="Trần Văn Bình",
        website="https://example.vn",
        admin_username=username,
    )
    return enterprise


def build_world() -> OverseasWorld:
    reference_load_countries()
    reference_load_occupations()
    # The real provinces, and the earlier 63 that open personal ID numbers (a worker's province of origin).
    reference_load_provinces()
    reference_load_legacy_provinces()
    na, ht = Province.objects.get(code="40"), Province.objects.get(code="42")
    ministry = OrganisationFactory(code="BNV", name="Bộ Nội vụ", kind=OrganisationKind.MINISTRY)
    dolab = OrganisationFactory(
        code="CQLLDNN",
        name="Cục Quản lý lao động ngoài nước",
        kind=OrganisationKind.OVERSEAS_LABOUR_DEPARTMENT,
        parent=ministry,
    )
    province_department = OrganisationFactory(
        code="SNV-NA", name="Sở Nội vụ tỉnh Nghệ An", kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=na
    )
    other_department = OrganisationFactory(
        code="SNV-HT", name="Sở Nội vụ tỉnh Hà Tĩnh", kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=ht
    )
    dolab_officer = make_staff("overseas_department_officer", dolab)
    enterprise_a = register("0101234567", "Công ty CP Nhân lực Quốc tế An Phát", "40", "anphat")
    enterprise_b = register("0109876543", "Công ty TNHH Cung ứng Nhân lực Bình Minh", "42", "binhminh")
    for enterprise, number in ((enterprise_a, "123/LĐTBXH-GP"), (enterprise_b, "456/LĐTBXH-GP")):
        enterprises.licence_grant(
            actor=dolab_officer, enterprise_id=enterprise.pk, number=number, issued_on=date(2025, 6, 1)
        )
    admin_a = User.objects.get(username="anphat")
    branch = enterprises.branch_create(
        actor=admin_a, name="Chi nhánh Hà Tĩnh", province="42", functions=["worker_registration", "read"]
    )
    enterprise_a.refresh_from_db()
    enterprise_b.refresh_from_db()
    return OverseasWorld(
        dolab=dolab,
        province_department=province_department,
        enterprise_a=enterprise_a,
        enterprise_b=enterprise_b,
        branch=branch,
        admin_a=admin_a,
        staff_a=make_staff("enterprise_staff", enterprise_a.organisation),
        branch_staff=make_staff("branch_staff", branch),
        admin_b=User.objects.get(username="binhminh"),
        dolab_officer=dolab_officer,
        provincial_officer=make_staff("provincial_officer", province_department),
        other_provincial_officer=make_staff("provincial_officer", other_department),
        citizen=UserFactory(username="citizen"),
    )


def contract_terms(**overrides) -> dict:
    terms = {
        "kind": "supply",
        "number": "HD-2026-001",
        "foreign_party": {"registration_number": "134-81-00001", "name": "Daehan Industrial Co."},
        "country": "KR",
        "programme": "",
        "occupation": "721",
        "workers_planned": 20,
        "monthly_salary": 40_000_000,
        "contract_months": 36,
        "service_fee": 40_000_000,
        "broker_fee": 0,
        "worker_deposit": 0,
        "signed_on": SIGNED,
    }
    terms.update(overrides)
    return terms


def registered_contract(world: OverseasWorld, **overrides) -> Contract:
    contract = contracts.contract_submit(actor=world.admin_a, **contract_terms(**overrides))
    signatures.contract_sign(actor=world.admin_a, contract_id=contract.pk)
    return contracts.contract_decide(actor=world.dolab_officer, contract_id=contract.pk, approve=True)
