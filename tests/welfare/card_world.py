"""A small world for the social-security card tests, written straight into the tables (the allowance,
pension and unemployment journeys are other tests' business): two provinces, A and B; a commune in A (with
its ward) and its social affairs officer; a service point with a cashier in each province; Lan, a citizen of
the commune with a personal ID number, an account and a card-less start; Minh, a citizen without a personal
ID number. `give_*` add the benefits: an allowance paid at a service point, a pension paid at the post
office, an unemployment month notified."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from ansinh.accounts.models import Organisation, OrganisationKind, Person, User
from ansinh.core.text import normalise_search
from ansinh.dossiers.models import Dossier
from ansinh.geo.models import Province, Ward
from ansinh.unemployment.models import BenefitClaim, BenefitMonth, MonthStatus
from ansinh.welfare.models import Pension, PensionArrangement, SocialAllowance
from tests.factories import OrganisationFactory, PersonFactory, ProvinceFactory, UserFactory, make_staff

# 540,000 (the base level from July 2026) × 1.5: what each month due in these tests pays.
ALLOWANCE_AMOUNT = 810_000
PENSION_AMOUNT = 6_200_000
UNEMPLOYMENT_AMOUNT = 5_400_000


@dataclass
class CardWorld:
    province_a: Province
    province_b: Province
    ward: Ward
    commune: Organisation
    commune_officer: User
    point_a: Organisation
    point_b: Organisation
    cashier_a: User
    cashier_b: User
    lan: Person
    lan_user: User
    minh: Person
    minh_user: User


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_ago(count: int, today: date | None = None) -> date:
    today = today or timezone.localdate()
    index = today.year * 12 + today.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def build_card_world() -> CardWorld:
    province_a = ProvinceFactory(code="CA", name="Tỉnh Thử A")
    province_b = ProvinceFactory(code="CB", name="Thành phố Thử B")
    ward = Ward.objects.create(
        code="CA001", name="Phường Hòa Bình", unit_type="ward", province=province_a,
        name_search=normalise_search("Phường Hòa Bình"),
    )  # fmt: skip
    commune = OrganisationFactory(
        name="Ủy ban nhân dân phường Hòa Bình", kind=OrganisationKind.COMMUNE, province=province_a, ward=ward
    )
    point_a = OrganisationFactory(
        name="Bưu điện Hòa Bình", kind=OrganisationKind.SERVICE_POINT, province=province_a
    )
    point_b = OrganisationFactory(
        name="Bưu điện Trung tâm B", kind=OrganisationKind.SERVICE_POINT, province=province_b
    )
    lan = PersonFactory(
        full_name="Nguyễn Thị Lan",
        personal_id="001190012345",
        date_of_birth=date(1950, 5, 17),
        province=province_a,
        ward=ward,
        phone="+84912345678",
    )
    minh = PersonFactory(full_name="Trần Văn Minh", province=province_a, ward=ward)
    return CardWorld(
        province_a=province_a,
        province_b=province_b,
        ward=ward,
        commune=commune,
        commune_officer=make_staff("commune_officer", commune, username="cb-hoabinh"),
        point_a=point_a,
        point_b=point_b,
        cashier_a=make_staff("service_point_cashier", point_a, username="thu-ngan-a"),
        cashier_b=make_staff("service_point_cashier", point_b, username="thu-ngan-b"),
        lan=lan,
        lan_user=UserFactory(username="lan", person=lan),
        minh=minh,
        minh_user=UserFactory(username="minh", person=minh),
    )


def _dossier(organisation: Organisation, person: Person, procedure: str) -> Dossier:
    code = f"{organisation.code}-{Dossier.objects.count() + 1:06d}"
    return Dossier.objects.create(
        receipt_code=code,
        procedure_code=procedure,
        procedure_version="2021",
        state="approved",
        applicant_person=person,
        applicant_name=person.full_name,
        receiving_organisation=organisation,
        org_path=organisation.path,
        province_id=organisation.province_id,
    )


def give_allowance(
    world: CardWorld,
    person: Person | None = None,
    *,
    starts_on: date | None = None,
    method: str = "service_point",
) -> SocialAllowance:
    """An allowance the commune decided, paid in cash from `starts_on` (two months ago by default: three
    months due)."""
    person = person or world.lan
    return SocialAllowance.objects.create(
        person=person,
        dossier=_dossier(world.commune, person, "tro-cap-xa-hoi"),
        group="elderly_80",
        coefficient=Decimal("1.50"),
        base_level=500_000,
        monthly_amount=ALLOWANCE_AMOUNT,
        starts_on=starts_on or months_ago(2),
        payment_method=method,
        commune=world.commune,
        province=world.province_a,
        org_path=world.commune.path,
        decided_at=timezone.now() - timedelta(days=70),
    )


def give_pension(
    world: CardWorld,
    person: Person | None = None,
    *,
    method: str = "post_office",
    received_months_ago: int = 12,
) -> Pension:
    person = person or world.lan
    pension = Pension.objects.create(
        person=person,
        social_insurance_code=f"79{Pension.objects.count() + 1:08d}",
        monthly_amount=PENSION_AMOUNT,
        starts_on=date(2015, 6, 1),
        province=world.province_a,
        received_at=timezone.now() - timedelta(days=31 * received_months_ago),
    )
    PensionArrangement.objects.create(
        pension=pension, method=method, province=world.province_a, valid_from=date(2015, 6, 1)
    )
    return pension


def give_unemployment_month(world: CardWorld, person: Person | None = None, **fields) -> BenefitMonth:
    """A claim paid by an employment centre of province A with its first month notified (to be paid)."""
    person = person or world.lan
    centre = OrganisationFactory(
        name="Trung tâm Dịch vụ việc làm A",
        kind=OrganisationKind.EMPLOYMENT_CENTRE,
        province=world.province_a,
    )
    today = timezone.localdate()
    dossier = _dossier(centre, person, "tctn-huong")
    claim = BenefitClaim.objects.create(
        dossier=dossier,
        person=person,
        centre=centre,
        org_path=centre.path,
        province_id=centre.province_id,
        decision_number=f"{dossier.receipt_code}/QĐ-TCTN",
        decided_on=today - timedelta(days=40),
        decided_month=(today - timedelta(days=40)).replace(day=1),
        rule_set="law-38-2013",
        termination_date=today - timedelta(days=80),
        contribution_months=36,
        average_wage=9_000_000,
        monthly_benefit=UNEMPLOYMENT_AMOUNT,
        benefit_months=3,
        reserved_months=0,
        start_date=today - timedelta(days=35),
        end_date=today + timedelta(days=55),
    )
    values = {
        "claim": claim,
        "number": 1,
        "start": today - timedelta(days=35),
        "end": today - timedelta(days=6),
        "notify_from": today - timedelta(days=35),
        "notify_until": today - timedelta(days=30),
        "status": MonthStatus.NOTIFIED,
        "amount": UNEMPLOYMENT_AMOUNT,
        "notified_at": timezone.now() - timedelta(days=33),
    } | fields
    return BenefitMonth.objects.create(**values)
