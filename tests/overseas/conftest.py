"""A small world for the overseas-labour tests: the department that registers contracts, two licensed
enterprises (A and B) each with a registered contract, A's branches (one delegated worker registration, one
not), their staff, and a citizen; plus helpers that write worker lists as Excel files."""

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ansinh.accounts.models import Organisation, OrganisationKind, User
from ansinh.geo.models import Country, Occupation, Province
from ansinh.overseas import permissions as perms
from ansinh.overseas.models import (
    Contract,
    ContractKind,
    ContractStatus,
    Enterprise,
    EnterpriseStatus,
    ForeignParty,
    ForeignPartyKind,
)
from tests.factories import OrganisationFactory, PersonFactory, ProvinceFactory, UserFactory, make_staff

HEADER_VI = [
    "Số định danh cá nhân",
    "Số hộ chiếu",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Điện thoại",
    "Chủ sử dụng",
]
HEADER_EN = ["Personal ID", "Passport", "Full name", "Date of birth", "Sex", "Phone", "Employer"]


def korea() -> Country:
    country, _created = Country.objects.get_or_create(
        iso2="KR",
        defaults={
            "iso3": "KOR",
            "numeric": "410",
            "name_vi": "Hàn Quốc",
            "name_en": "Korea",
            "name_search": "han quoc",
        },
    )
    return country


def welders() -> Occupation:
    occupation, _created = Occupation.objects.get_or_create(
        code="7212",
        defaults={"level": 4, "name_vi": "Thợ hàn", "name_en": "Welders", "name_search": "tho han"},
    )
    return occupation


def make_enterprise(
    tax_code: str, province: Province, *, name: str = "", status: str = EnterpriseStatus.LICENSED
) -> Enterprise:
    organisation = OrganisationFactory(
        code=f"DN-{tax_code}",
        name=name or f"Công ty Cổ phần Cung ứng Nhân lực {tax_code}",
        kind=OrganisationKind.ENTERPRISE,
        province=province,
    )
    return Enterprise.objects.create(
        organisation=organisation,
        tax_code=tax_code,
        head_office="Số 1 Phố Huế, Hà Nội",
        province=province,
        charter_capital=5_000_000_000,
        legal_representative="Trần Văn Bình",
        status=status,
        org_path=organisation.path,
    )


def make_branch(enterprise: Enterprise, code: str, *, delegated: list[str]) -> Organisation:
    return OrganisationFactory(
        code=code,
        name=f"Chi nhánh {code}",
        kind=OrganisationKind.BRANCH,
        parent=enterprise.organisation,
        province=enterprise.province,
        delegated_permissions=delegated,
    )


def make_contract(
    enterprise: Enterprise, number: str, *, registrar: Organisation, status: str = ContractStatus.REGISTERED
) -> Contract:
    country = korea()
    employer, _created = ForeignParty.objects.get_or_create(
        kind=ForeignPartyKind.EMPLOYER,
        country=country,
        registration_number="KR-1208100001",
        defaults={"name": "Samsung Heavy Industries"},
    )
    return Contract.objects.create(
        enterprise=enterprise,
        kind=ContractKind.SUPPLY,
        number=number,
        foreign_party=employer,
        country=country,
        occupation=welders(),
        workers_planned=100_000,
        monthly_salary=42_000_000,
        contract_months=36,
        signed_on=date(2026, 3, 2),
        status=status,
        registrar=registrar,
        reply_due=date(2026, 3, 9),
        org_path=enterprise.org_path,
        province=enterprise.province,
    )


@dataclass
class OverseasWorld:
    department: Organisation
    enterprise: Enterprise
    other_enterprise: Enterprise
    branch: Organisation
    plain_branch: Organisation
    contract: Contract
    other_contract: Contract
    admin: User  # enterprise A's administrator
    other_staff: User  # enterprise B's staff
    branch_staff: User  # a branch of A that was delegated worker registration
    plain_branch_staff: User  # a branch of A that was not
    citizen: User


@pytest.fixture
def ovl_world(db) -> OverseasWorld:
    hanoi = ProvinceFactory(code="01", name="Thành phố Hà Nội")
    department = OrganisationFactory(
        code="CQLLDNN",
        name="Cục Quản lý lao động ngoài nước",
        kind=OrganisationKind.OVERSEAS_LABOUR_DEPARTMENT,
    )
    enterprise = make_enterprise("0101234567", hanoi, name="Công ty Cổ phần Nhân lực Sông Hồng")
    other = make_enterprise("0107654321", hanoi, name="Công ty TNHH Xuất khẩu Lao động Hải Phòng")
    branch = make_branch(enterprise, "DN-0101234567-CN01", delegated=[perms.WORKER_REGISTER, perms.READ])
    plain_branch = make_branch(enterprise, "DN-0101234567-CN02", delegated=[perms.READ])
    return OverseasWorld(
        department=department,
        enterprise=enterprise,
        other_enterprise=other,
        branch=branch,
        plain_branch=plain_branch,
        contract=make_contract(enterprise, "HD-2026/KR-01", registrar=department),
        other_contract=make_contract(other, "HD-2026/KR-77", registrar=department),
        admin=make_staff("enterprise_admin", enterprise.organisation),
        other_staff=make_staff("enterprise_staff", other.organisation),
        branch_staff=make_staff("branch_staff", branch),
        plain_branch_staff=make_staff("branch_staff", plain_branch),
        citizen=UserFactory(person=PersonFactory(personal_id="001090009999")),
    )


# --- worker lists ------------------------------------------------------------------------------------------


def worker_row(n: int, *, year: int = 1995, sex: str = "Nam") -> list[Any]:
    """A valid row: the personal ID's century digit and year match the date of birth."""
    century = (0 if year < 2000 else 2) + (0 if sex == "Nam" else 1)
    return [
        f"001{century}{year % 100:02d}{n:06d}",
        f"C{n:07d}",
        f"Nguyễn Văn Thử {n}",
        date(year, 1 + n % 12, 1 + n % 28),
        sex,
        f"09{n % 100_000_000:08d}",
        "",
    ]


def worker_rows(count: int, start: int = 1) -> list[list[Any]]:
    return [worker_row(n, sex="Nam" if n % 2 else "Nữ") for n in range(start, start + count)]


def workbook_bytes(rows: list[list[Any]], header: list[str] | None = HEADER_VI, *, before: int = 0) -> bytes:
    """An .xlsx with the header (after `before` empty rows) and the rows, as a person's Excel holds them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for _ in range(before):
        sheet.append([])
    if header is not None:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_upload(data: bytes, name: str = "danh-sach.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@pytest.fixture
def run_on_commit(monkeypatch):
    """Run `transaction.on_commit` callbacks at once: the test's own transaction never commits, and the
    check that follows an upload is what these tests look at."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


class _ImportsOnlyUrls:
    """A URL configuration with the import router on a test API object, for as long as the router is not
    mounted on the real API (`ansinh.api.main`)."""

    urlpatterns: list[Any] = []


def _imports_test_urls() -> type[_ImportsOnlyUrls]:
    if not _ImportsOnlyUrls.urlpatterns:
        from django.urls import path
        from ninja import NinjaAPI

        from ansinh.api import errors
        from ansinh.api.auth import bearer
        from ansinh.config import urls as real_urls
        from ansinh.overseas.imports_api import router

        api = NinjaAPI(urls_namespace="overseas-imports-test", auth=bearer, docs_url=None, openapi_url=None)
        errors.install(api)
        api.add_router("/overseas", router)
        _ImportsOnlyUrls.urlpatterns = [path("api/v1/", api.urls), *real_urls.urlpatterns]
    return _ImportsOnlyUrls


@pytest.fixture
def imports_api(settings) -> str:
    """The import API's prefix: the real mount at /api/v1/overseas, or a test mount there until it exists."""
    from django.urls import Resolver404, resolve

    try:
        mounted = resolve("/api/v1/overseas/imports/template.xlsx").namespace == "api-1"
    except Resolver404:
        mounted = False
    if not mounted:
        settings.ROOT_URLCONF = _imports_test_urls()
    return "/api/v1/overseas"
