"""A small world for dossier tests: one province with an employment centre (receives) under its department
of home affairs (decides), a citizen with an account, and the officers."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ansinh.accounts.models import Organisation, OrganisationKind, Person, User
from ansinh.geo.services import reference_load_legal_parameters
from ansinh.unemployment import rules
from ansinh.unemployment.models import ContributionMonth
from ansinh.unemployment.procedures import BENEFIT_CLAIM
from tests.factories import OrganisationFactory, PersonFactory, ProvinceFactory, UserFactory, make_staff

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

VALID_FORM = {
    "termination_date": "2026-10-30",
    "last_employer": "Công ty TNHH May Việt Tiến",
    "contract_kind": "definite",
    "phone": "0912345678",
    "wants_training": False,
}


def give_contributions(
    person: Person, *, last_month: date, count: int, wage: int = 8_000_000, region: str = "I"
) -> None:
    ContributionMonth.objects.bulk_create(
        ContributionMonth(person=person, month=rules.add_months(last_month, -n), wage=wage, region=region)
        for n in range(count)
    )


def pdf_upload(name: str = "giay-to.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@dataclass
class World:
    department: Organisation
    centre: Organisation
    other_centre: Organisation
    citizen: User
    person: Person
    officer: User
    head: User
    decider: User
    outsider_officer: User
    stranger: User


@pytest.fixture
def world(db) -> World:
    province = ProvinceFactory(code="40", name="Tỉnh Nghệ An")
    other_province = ProvinceFactory(code="42", name="Tỉnh Hà Tĩnh")
    department = OrganisationFactory(
        code="SNV-NA",
        name="Sở Nội vụ tỉnh Nghệ An",
        kind=OrganisationKind.PROVINCIAL_DEPARTMENT,
        province=province,
    )
    centre = OrganisationFactory(
        code="TTDVVL-NA",
        name="Trung tâm Dịch vụ việc làm tỉnh Nghệ An",
        kind=OrganisationKind.EMPLOYMENT_CENTRE,
        province=province,
        parent=department,
    )
    other_centre = OrganisationFactory(
        code="TTDVVL-HT",
        name="Trung tâm Dịch vụ việc làm tỉnh Hà Tĩnh",
        kind=OrganisationKind.EMPLOYMENT_CENTRE,
        province=other_province,
    )
    person = PersonFactory(
        full_name="Nguyễn Văn An", personal_id="040090001234", province=province, phone="+84912345678"
    )
    citizen = UserFactory(username="an.nguyen", person=person, email="an@example.invalid")
    # The claim's figures come from the contribution record and the legal wages: two years at 8 million.
    reference_load_legal_parameters()
    give_contributions(person, last_month=date(2026, 3, 1), count=24)
    return World(
        department=department,
        centre=centre,
        other_centre=other_centre,
        citizen=citizen,
        person=person,
        officer=make_staff("employment_centre_officer", centre),
        head=make_staff("employment_centre_head", centre),
        decider=make_staff("provincial_officer", department),
        outsider_officer=make_staff("employment_centre_officer", other_centre),
        stranger=UserFactory(person=PersonFactory(personal_id="042095004321")),
    )


@pytest.fixture
def procedure_code() -> str:
    return BENEFIT_CLAIM


@pytest.fixture
def frozen_today(monkeypatch):
    """Pin "today" for the deadline arithmetic (Asia/Ho_Chi_Minh local date)."""

    def pin(day: date) -> None:
        from datetime import datetime, time
        from zoneinfo import ZoneInfo

        from django.utils import timezone

        moment = datetime.combine(day, time(9, 0), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return pin


@pytest.fixture
def run_on_commit(monkeypatch):
    """Run `transaction.on_commit` callbacks at once: the test's own transaction never commits, and the
    documents, notifications and callbacks that follow a step are what these tests check."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
