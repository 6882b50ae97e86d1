"""A pensioner with a pension and its first arrangement, made quickly: for the pension tests, the demo
and the browser-test helper. Writes the rows directly (as the agency's batch would leave them)."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from ansinh.accounts.models import Organisation, OrganisationKind, Person, User
from ansinh.geo.models import Province
from ansinh.welfare.models import PaymentMethod, Pension, PensionArrangement
from tests.factories import OrganisationFactory, PersonFactory, ProvinceFactory, UserFactory


@dataclass
class Pensioner:
    user: User
    person: Person
    pension: Pension
    arrangement: PensionArrangement


def make_service_point(province: Province, name: str = "Bưu điện Trung tâm", **extra: object) -> Organisation:
    return OrganisationFactory(kind=OrganisationKind.SERVICE_POINT, province=province, name=name, **extra)


def make_pensioner(
    *,
    province: Province | None = None,
    full_name: str = "Trần Thị Lan",
    personal_id: str = "001055012345",
    social_insurance_code: str = "0105501234",
    monthly_amount: int = 6_500_000,
    starts_on: date = date(2015, 3, 1),
    method: str = PaymentMethod.POST_OFFICE,
    service_point: Organisation | None = None,
    partner: object = None,
    with_user: bool = True,
) -> Pensioner:
    """A pensioner (with a login unless `with_user` is false) whose pension is paid from `starts_on` by
    `method` in `province`; the first arrangement is acknowledged, as the agency's own data are."""
    province = province or ProvinceFactory()
    person = PersonFactory(
        full_name=full_name, personal_id=personal_id, province=province, date_of_birth=date(1955, 5, 1)
    )
    user = UserFactory(person=person) if with_user else None
    pension = Pension.objects.create(
        person=person,
        social_insurance_code=social_insurance_code,
        monthly_amount=monthly_amount,
        starts_on=starts_on,
        province=province,
        partner=partner,
        source="demo" if partner is None else "partner",
    )
    fields: dict[str, object] = {}
    if method == PaymentMethod.BANK:
        fields = {
            "bank_name": "Agribank",
            "bank_account": "1500205123456",
            "account_holder": full_name.upper(),
        }
    elif method == PaymentMethod.POST_OFFICE:
        fields = {"service_point": service_point}
    else:
        fields = {"delivery_address": "12 Ngõ Huế, Hà Nội", "delivery_reason": "Aged over 80"}
    arrangement = PensionArrangement.objects.create(
        pension=pension,
        method=method,
        province=province,
        valid_from=starts_on.replace(day=1),
        acknowledged_at=timezone.now(),
        **fields,
    )
    return Pensioner(user=user, person=person, pension=pension, arrangement=arrangement)  # type: ignore[arg-type]
