"""Figures in two provinces for the social-security figures' tests: communes, allowances, payments, cards."""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from ansinh.accounts.models import Organisation, OrganisationKind, Person, User
from ansinh.core.text import normalise_search
from ansinh.geo.models import Ward
from ansinh.welfare import allowance_rules as rules
from ansinh.welfare.models import (
    AllowanceChange,
    AllowanceStatus,
    BenefitKind,
    BenefitPayment,
    CardStatus,
    ChangeKind,
    ChangeStatus,
    MedicineRegistration,
    SocialAllowance,
    SocialSecurityCard,
)
from tests.factories import OrganisationFactory, PersonFactory, make_staff
from tests.welfare import card_world
from tests.welfare.card_world import CardWorld, build_card_world, give_allowance, give_pension


@dataclass
class FiguresWorld:
    card: CardWorld
    commune_b: Organisation
    other_commune_a: Organisation
    hoa: Person  # lives in province B
    department_a: Organisation
    ministry: Organisation
    provincial_officer: User
    ministry_officer: User
    commune_chair: User


def figures_commune(province, code: str, name: str) -> Organisation:
    ward = Ward.objects.create(
        code=code, name=name, unit_type="ward", province=province, name_search=normalise_search(name)
    )
    return OrganisationFactory(
        name=f"Ủy ban nhân dân {name}", kind=OrganisationKind.COMMUNE, province=province, ward=ward
    )


def figures_allowance(
    commune: Organisation, person: Person, *, coefficient: str = "1.50", **fields
) -> SocialAllowance:
    values = {
        "person": person,
        "dossier": card_world._dossier(commune, person, "tcxh-hang-thang"),
        "group": "elderly_80",
        "coefficient": Decimal(coefficient),
        "base_level": 500_000,
        "monthly_amount": 810_000,
        "starts_on": card_world.months_ago(2),
        "commune": commune,
        "province": commune.province,
        "org_path": commune.path,
        "decided_at": timezone.now() - timedelta(days=70),
    } | fields
    return SocialAllowance.objects.create(**values)


def figures_payment(
    world: CardWorld, allowance_or_pension, *, kind: str, point: Organisation, cashier: User, amount: int
):
    return BenefitPayment.objects.create(
        person=allowance_or_pension.person,
        kind=kind,
        benefit_id=allowance_or_pension.pk,
        period=card_world.months_ago(0),
        amount=amount,
        service_point=point,
        org_path=point.path,
        province=point.province,
        recorded_by=cashier,
        receipt_number=f"ASC-TEST-{BenefitPayment.objects.count() + 1:04d}",
    )


def build_figures_world() -> FiguresWorld:
    """Province A: Lan's allowance (commune of Hòa Bình, collected at B's service point), Minh's suspended
    one, an allowance of another commune of A with a change accepted this month; Lan's pension and card.
    Province B: Hoa's allowance, pension (collected at B), a revoked and an active card; a medicine request
    at a clinic of each province; one change report waiting in A's commune."""
    world = build_card_world()
    commune_b = figures_commune(world.province_b, "CB001", "Phường Bến Thành")
    other_a = figures_commune(world.province_a, "CA002", "Xã An Phú")
    hoa = PersonFactory(full_name="Lê Thị Hoa", province=world.province_b, ward=commune_b.ward)

    lan_allowance = give_allowance(world)
    figures_allowance(world.commune, world.minh, status=AllowanceStatus.SUSPENDED)
    # A change of group accepted this month: the stored coefficient (2.0) pays from next month only.
    changed = figures_allowance(other_a, PersonFactory(province=world.province_a), coefficient="2.00")
    next_month = rules.next_month(card_world.months_ago(0))
    AllowanceChange.objects.create(
        allowance=changed, kind=ChangeKind.HEALTH, description="x", happened_on=timezone.localdate(),
        status=ChangeStatus.ACCEPTED, handled_at=timezone.now(), org_path=other_a.path,
        effect={"coefficient": ["1.50", "2.00"], "from": next_month.isoformat()},
    )  # fmt: skip
    AllowanceChange.objects.create(
        allowance=lan_allowance, kind=ChangeKind.BANK, description="y", happened_on=timezone.localdate(),
        org_path=world.commune.path,
    )  # fmt: skip
    hoa_allowance = figures_allowance(commune_b, hoa, group="disability_severe")

    figures_payment(world, lan_allowance, kind=BenefitKind.SOCIAL_ALLOWANCE, point=world.point_b,
          cashier=world.cashier_b, amount=810_000)  # fmt: skip
    figures_payment(world, hoa_allowance, kind=BenefitKind.SOCIAL_ALLOWANCE, point=world.point_b,
          cashier=world.cashier_b, amount=810_000)  # fmt: skip
    give_pension(world, world.lan)
    hoa_pension = give_pension(world, hoa, method="home_delivery")
    hoa_pension.province = world.province_b
    hoa_pension.save()
    figures_payment(
        world,
        hoa_pension,
        kind=BenefitKind.PENSION,
        point=world.point_b,
        cashier=world.cashier_b,
        amount=card_world.PENSION_AMOUNT,
    )

    SocialSecurityCard.objects.create(person=world.lan, number="100000000001", key_id="k")
    SocialSecurityCard.objects.create(
        person=hoa, number="100000000002", key_id="k", status=CardStatus.REVOKED, revoke_reason="lost"
    )
    SocialSecurityCard.objects.create(person=hoa, number="100000000002", issue=2, key_id="k")

    for province, person in ((world.province_a, world.lan), (world.province_b, hoa)):
        clinic = OrganisationFactory(kind=OrganisationKind.CLINIC, province=province)
        MedicineRegistration.objects.create(
            person=person, clinic=clinic, insurance_card_number="DN4791234567890", condition="c",
            mode="pickup", phone="+84912345678", org_path=clinic.path, province=province,
        )  # fmt: skip

    department_a = OrganisationFactory(kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=world.province_a)
    ministry = OrganisationFactory(kind=OrganisationKind.MINISTRY, province=None)
    return FiguresWorld(
        card=world,
        commune_b=commune_b,
        other_commune_a=other_a,
        hoa=hoa,
        department_a=department_a,
        ministry=ministry,
        provincial_officer=make_staff("provincial_officer", department_a),
        ministry_officer=make_staff("ministry_officer", ministry),
        commune_chair=make_staff("commune_chair", world.commune),
    )
