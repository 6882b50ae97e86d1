"""Employers: a domestic employer registers itself and a centre verifies it; a licensed overseas-labour
enterprise becomes an employer the first time its staff open the portal."""

from datetime import date

import pytest
from django.core.cache import cache

from ansinh.accounts.models import Membership, Organisation, OrganisationKind, User
from ansinh.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationFailed
from ansinh.jobs import selectors
from ansinh.jobs.errors import EmployerNotVerified
from ansinh.jobs.models import Employer, EmployerStatus
from ansinh.jobs.services import employers
from ansinh.notify.models import Message
from ansinh.overseas.models import Licence
from ansinh.overseas.services import enterprises
from tests.factories import OrganisationFactory, make_staff

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "tax_code": "0312345678",
    "name": "Công ty TNHH May mặc Phú Lợi",
    "province": "79",
    "ward": "",
    "address": "12 Nguyễn Huệ",
    "contact_name": "Võ Thị Hạnh",
    "phone": "0901234568",
    "email": "tuyendung@phuloi.vn",
    "admin_username": "phuloi",
}


def register(**overrides):
    return employers.employer_register(**{**REGISTRATION, **overrides})


def test_an_employer_registers_and_waits_for_its_provinces_centre(world):
    employer, user, password = register()
    assert employer.status == EmployerStatus.PENDING
    assert employer.centre == world.centre_hcm
    assert employer.organisation.kind == OrganisationKind.EMPLOYER
    assert employer.organisation.parent is None
    assert employer.org_path == employer.organisation.path
    assert employer.phone == "+84901234568"
    assert user.username == "phuloi"
    assert user.must_change_password
    assert user.check_password(password)
    membership = Membership.objects.get(user=user)
    assert membership.organisation == employer.organisation
    assert membership.role.code == "employer_admin"
    assert selectors.employer_get_for(user) == employer


def test_a_ward_of_the_province_is_written_into_the_address(world):
    ward = world.hcm.wards.order_by("code").first()
    employer, _user, _password = register(ward=ward.code)
    assert employer.address == f"12 Nguyễn Huệ, {ward.name}"
    # People type the name, with or without its accents and its "phường"/"xã".
    by_name, _user, _password = register(
        ward=ward.name.lower(), tax_code="0312345677", admin_username="phuloi3"
    )
    assert by_name.address == f"12 Nguyễn Huệ, {ward.name}"
    other = world.hanoi.wards.order_by("code").first()
    with pytest.raises(ValidationFailed) as refused:
        register(ward=other.code, tax_code="0312345679", admin_username="phuloi2")
    assert set(refused.value.details["fields"]) == {"ward"}


def test_every_problem_is_named_by_its_field_and_nothing_is_written(world):
    before = (Employer.objects.count(), Organisation.objects.count(), User.objects.count())
    with pytest.raises(ValidationFailed) as refused:
        register(
            tax_code="123",
            name=" ",
            province="99",
            address="",
            contact_name="",
            phone="12",
            email="not-an-email",
            admin_username="A B",
        )
    assert set(refused.value.details["fields"]) == {
        "tax_code",
        "name",
        "province",
        "address",
        "contact_name",
        "phone",
        "email",
        "admin_username",
    }
    assert (Employer.objects.count(), Organisation.objects.count(), User.objects.count()) == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"tax_code": "0301234567"}, "tax_code"),  # employer A's
        ({"admin_username": "employer-a"}, "admin_username"),
        ({"tax_code": "0312345678-001", "admin_username": "seeker-lan"}, "admin_username"),
    ],
)
def test_tax_code_and_username_are_unique(world, overrides, field):
    with pytest.raises(ValidationFailed) as refused:
        register(**overrides)
    assert list(refused.value.details["fields"]) == [field]


def test_a_dependent_units_tax_code_is_accepted(world):
    employer, _user, _password = register(tax_code="0312345678-001")
    assert employer.tax_code == "0312345678-001"


def test_an_overseas_enterprises_tax_code_is_not_taken_by_a_registration(world):
    enterprises.enterprise_register(
        tax_code="0312345678",
        name="Công ty CP Nhân lực Phú Lợi",
        head_office="1 Lê Lợi",
        province="79",
        charter_capital=5_000_000_000,
        legal_representative="Ngô Văn Đức",
        admin_username="phuloi-ovl",
    )
    with pytest.raises(ValidationFailed) as refused:
        register()
    assert list(refused.value.details["fields"]) == ["tax_code"]


def test_registrations_are_rate_limited_by_client(world):
    cache.clear()
    for n in range(employers.REGISTRATIONS_PER_CLIENT_HOUR):
        register(tax_code=f"031234560{n}", admin_username=f"rate{n}", client="203.0.113.9")
    with pytest.raises(RateLimited):
        register(tax_code="0312345699", admin_username="rate9", client="203.0.113.9")
    register(tax_code="0312345698", admin_username="rate8", client="203.0.113.10")


def test_the_centre_verifies_and_the_employer_is_told(world, django_capture_on_commit_callbacks):
    pending = world.employer_pending
    assert list(selectors.employers_to_verify(world.centre_officer)) == [pending]
    with django_capture_on_commit_callbacks(execute=True):
        employer = employers.employer_verify(actor=world.centre_officer, employer_id=pending.pk, approve=True)
    assert employer.status == EmployerStatus.VERIFIED
    assert employer.verified_by == world.centre_officer
    assert employer.verified_at is not None
    assert Message.objects.filter(
        recipient_user=world.admin_pending, template="jobs.employer_verified"
    ).exists()
    assert list(selectors.employers_to_verify(world.centre_officer)) == []
    with pytest.raises(Conflict):
        employers.employer_verify(
            actor=world.centre_officer, employer_id=pending.pk, approve=False, reason="x"
        )


def test_a_refusal_needs_a_reason_and_the_employer_can_correct_and_come_back(
    world, django_capture_on_commit_callbacks
):
    pending = world.employer_pending
    with pytest.raises(ValidationFailed) as refused:
        employers.employer_verify(actor=world.provincial_officer, employer_id=pending.pk, approve=False)
    assert list(refused.value.details["fields"]) == ["reason"]
    with django_capture_on_commit_callbacks(execute=True):
        employers.employer_verify(
            actor=world.provincial_officer,
            employer_id=pending.pk,
            approve=False,
            reason="Mã số thuế không khớp với tên doanh nghiệp",
        )
    pending.refresh_from_db()
    assert pending.status == EmployerStatus.REJECTED
    assert pending.decision_note == "Mã số thuế không khớp với tên doanh nghiệp"
    message = Message.objects.get(recipient_user=world.admin_pending, template="jobs.employer_rejected")
    assert "Mã số thuế không khớp" in message.body
    employers.employer_update(actor=world.admin_pending, name="Công ty TNHH Mới Thành Lập")
    pending.refresh_from_db()
    assert pending.status == EmployerStatus.PENDING
    assert pending.organisation.name == "Công ty TNHH Mới Thành Lập"


def test_only_the_employers_own_centre_or_province_verifies(world):
    pending = world.employer_pending
    assert list(selectors.employers_to_verify(world.other_centre_officer)) == []
    with pytest.raises(NotFound):
        employers.employer_verify(actor=world.other_centre_officer, employer_id=pending.pk, approve=True)
    with pytest.raises(PermissionDenied):
        employers.employer_verify(actor=world.ministry_officer, employer_id=pending.pk, approve=True)
    with pytest.raises(PermissionDenied):
        employers.employer_verify(actor=world.admin_a, employer_id=pending.pk, approve=True)
    pending.refresh_from_db()
    assert pending.status == EmployerStatus.PENDING


def test_a_province_without_a_centre_gets_the_verifying_centre(world):
    employer, _user, _password = register(province="01")  # Hà Nội has a centre
    assert employer.centre == world.centre_hanoi
    employer, _user, _password = register(province="48", tax_code="0400000001", admin_username="danang")
    assert employer.centre is None
    # Đà Nẵng's department verifies it; a department is no centre, so none is recorded.
    dept = OrganisationFactory(kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=employer.province)
    officer = make_staff("provincial_officer", dept)
    employers.employer_verify(actor=officer, employer_id=employer.pk, approve=True)
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.VERIFIED
    assert employer.centre is None


# --- licensed enterprises ---------------------------------------------------------------------------------


def licensed_enterprise(tax_code: str = "0200000001", username: str = "hoangha", province: str = "79"):
    """A licensed overseas-labour enterprise and its administrator."""
    enterprise, admin, _password = enterprises.enterprise_register(
        tax_code=tax_code,
        name=f"Công ty CP Nhân lực {username.title()}",
        head_office="5 Lý Thường Kiệt",
        province=province,
        charter_capital=5_000_000_000,
        legal_representative="Ngô Văn Đức",
        phone="0281234567",
        email=f"{username}@example.vn",
        admin_username=username,
    )
    dolab = Organisation.objects.filter(kind=OrganisationKind.OVERSEAS_LABOUR_DEPARTMENT).first()
    if dolab is None:
        dolab = OrganisationFactory(
            name="Cục Quản lý lao động ngoài nước", kind=OrganisationKind.OVERSEAS_LABOUR_DEPARTMENT
        )
    officer = make_staff("overseas_department_officer", dolab)
    enterprises.licence_grant(
        actor=officer,
        enterprise_id=enterprise.pk,
        number=f"{tax_code[-3:]}/LĐTBXH-GP",
        issued_on=date(2025, 6, 1),
    )
    enterprise.refresh_from_db()
    admin.must_change_password = False  # as after the first sign-in
    admin.save(update_fields=["must_change_password"])
    return enterprise, admin, officer


def test_a_licensed_enterprise_becomes_a_verified_employer_on_first_use(world):
    enterprise, admin, _officer = licensed_enterprise()
    with pytest.raises(NotFound):
        selectors.employer_get_for(admin)
    employer = employers.employer_current(actor=admin)
    assert employer.organisation == enterprise.organisation
    assert employer.tax_code == enterprise.tax_code
    assert employer.status == EmployerStatus.VERIFIED
    assert employer.centre == world.centre_hcm
    assert "LĐTBXH-GP" in employer.decision_note
    assert employers.employer_current(actor=admin) == employer
    assert Employer.objects.filter(organisation=enterprise.organisation).count() == 1
    staff = make_staff("enterprise_staff", enterprise.organisation)
    assert employers.employer_current(actor=staff) == employer


def test_an_enterprise_without_a_licence_in_force_is_no_verified_employer(world):
    enterprise, admin, officer = licensed_enterprise()
    employer = employers.employer_current(actor=admin)
    licence = Licence.objects.get(enterprise=enterprise)
    enterprises.licence_change(
        actor=officer, licence_id=licence.pk, action="suspended", on=date(2026, 1, 5), reason="Không báo cáo"
    )
    employer = employers.employer_current(actor=admin)
    assert employer.status == EmployerStatus.SUSPENDED
    enterprises.licence_change(
        actor=officer, licence_id=licence.pk, action="reinstated", on=date(2026, 2, 5), reason="Đã khắc phục"
    )
    assert employers.employer_current(actor=admin).status == EmployerStatus.VERIFIED
    _unlicensed, _admin, _password = enterprises.enterprise_register(
        tax_code="0200000009",
        name="Công ty Chưa Có Giấy Phép",
        head_office="1 Lê Lợi",
        province="79",
        charter_capital=5_000_000_000,
        legal_representative="Ngô Văn Đức",
        admin_username="chuaphep",
    )
    with pytest.raises(EmployerNotVerified):
        employers.employer_current(actor=_admin)
    assert not Employer.objects.filter(tax_code="0200000009").exists()


def test_people_who_work_for_no_employer_have_none(world):
    with pytest.raises(PermissionDenied):
        employers.employer_current(actor=world.centre_officer)
    with pytest.raises(PermissionDenied):
        employers.employer_current(actor=world.seeker_full.person.user)
