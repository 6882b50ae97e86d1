"""The regular-medicine tests' world: two provinces, a clinic in each (and a closed one), the clinic's staff,
and two people with logins who live in the first province."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from ansinh.accounts.models import Organisation, OrganisationKind, Person, User
from ansinh.core import workdays
from ansinh.geo.models import Province
from tests.factories import OrganisationFactory, PersonFactory, ProvinceFactory, UserFactory, make_staff

CARD = "DN4791234567890"


@dataclass
class MedicineWorld:
    hanoi: Province
    nghe_an: Province
    clinic: Organisation
    clinic_b: Organisation  # in Nghệ An
    closed_clinic: Organisation
    staff: User
    staff_b: User
    lan: User
    minh: User

    @property
    def lan_person(self) -> Person:
        person = self.lan.person
        assert person is not None
        return person


def make_clinic(province: Province, name: str, **extra: object) -> Organisation:
    return OrganisationFactory(kind=OrganisationKind.CLINIC, province=province, name=name, **extra)


def make_world() -> MedicineWorld:
    hanoi = ProvinceFactory(code="M1", name="Hà Nội")
    nghe_an = ProvinceFactory(code="M2", name="Nghệ An")
    clinic = make_clinic(hanoi, "Trạm y tế phường Ba Đình")
    clinic_b = make_clinic(nghe_an, "Trạm y tế xã Nghi Lộc")
    closed = make_clinic(hanoi, "Phòng khám đã đóng cửa", is_active=False)
    lan_person = PersonFactory(full_name="Nguyễn Thị Lan", province=hanoi, phone="+84912345678")
    minh_person = PersonFactory(full_name="Trần Văn Minh", province=hanoi, phone="+84987654321")
    return MedicineWorld(
        hanoi=hanoi,
        nghe_an=nghe_an,
        clinic=clinic,
        clinic_b=clinic_b,
        closed_clinic=closed,
        staff=make_staff("clinic_staff", clinic),
        staff_b=make_staff("clinic_staff", clinic_b),
        lan=UserFactory(person=lan_person),
        minh=UserFactory(person=minh_person),
    )


def working_day_ahead(days: int = 3) -> date:
    """A working day at least `days` days from today (never today, so a window cannot have passed)."""
    return workdays.next_working_day(timezone.localdate() + timedelta(days=days - 1))


def request_body(world: MedicineWorld, **overrides: object) -> dict[str, object]:
    return {
        "clinic_id": world.clinic.pk,
        "insurance_card_number": CARD,
        "condition": "Tăng huyết áp",
        "medicines": "Amlodipin 5mg, 1 viên/ngày",
        "mode": "pickup",
        "delivery_address": "",
        "phone": "0912345678",
        **overrides,
    }
