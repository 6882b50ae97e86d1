"""A commune that receives and decides monthly social allowance applications, a citizen living there, and
its officers; and `approved_allowance`, which runs the whole dossier through the engine (file, submit,
accept, approve) so a test or a demo gets an allowance being paid in one call.

    world = allowance_world()                           # own small province and wards
    allowance = approved_allowance(world)               # the citizen's, group "disability_severe"
    allowance = approved_allowance(world, group="elderly_poor", birth=date(1940, 5, 1))

With the real reference data (browser tests), pass a province and a ward:
`allowance_world(province=Province.objects.get(code="01"), ward=Ward.objects.filter(...).first())`.
Staff need a second factor on pages: see tests/authz/matrix.py (`SESSION_2FA_KEY`).
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from ansinh.accounts.models import Organisation, OrganisationKind, Person, User
from ansinh.core.text import normalise_search
from ansinh.dossiers.models import Dossier
from ansinh.dossiers.services import filing, transitions
from ansinh.geo.models import Province, Ward
from ansinh.welfare.models import SocialAllowance
from ansinh.welfare.procedures import ALLOWANCE_APPLICATION
from tests.factories import OrganisationFactory, PersonFactory, ProvinceFactory, UserFactory, make_staff

APPLICATION_FORM = {
    "group": "disability_severe",
    "circumstances": "Tôi bị khuyết tật vận động nặng từ năm 2015, sống một mình, không có thu nhập.",
    "phone": "0912345678",
    "payment_method": "service_point",
}


@dataclass
class AllowanceWorld:
    province: Province
    ward: Ward
    other_ward: Ward
    commune: Organisation
    other_commune: Organisation
    person: Person
    citizen: User
    officer: User  # commune_officer: receives, accepts, manages allowances
    chair: User  # commune_chair: decides
    other_officer: User  # an officer of the other commune
    stranger: User  # a citizen of the other commune


def _ward(province: Province, code: str, name: str) -> Ward:
    ward, _ = Ward.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "unit_type": "xa",
            "province": province,
            "name_search": normalise_search(name),
        },
    )
    return ward


def commune_of(ward: Ward, code: str = "") -> Organisation:
    """The people's committee of `ward` (created once per ward)."""
    existing = Organisation.objects.filter(kind=OrganisationKind.COMMUNE, ward=ward).first()
    if existing is not None:
        return existing
    return OrganisationFactory(
        code=code or f"UBND-{ward.code}",
        name=f"Ủy ban nhân dân {ward.name}",
        kind=OrganisationKind.COMMUNE,
        province=ward.province,
        ward=ward,
    )


def allowance_world(
    *, province: Province | None = None, ward: Ward | None = None, other_ward: Ward | None = None
) -> AllowanceWorld:
    province = province or ProvinceFactory(code="40", name="Tỉnh Nghệ An")
    ward = ward or _ward(province, "T4001", "Xã Diễn Châu")
    other_ward = other_ward or _ward(province, "T4002", "Xã Yên Thành")
    commune, other_commune = commune_of(ward), commune_of(other_ward)
    person = PersonFactory(
        full_name="Trần Thị Bình",
        personal_id="040080001111",
        date_of_birth=date(1980, 3, 15),
        province=province,
        ward=ward,
        phone="+84912345678",
    )
    stranger_person = PersonFactory(personal_id="040080002222", province=province, ward=other_ward)
    return AllowanceWorld(
        province=province,
        ward=ward,
        other_ward=other_ward,
        commune=commune,
        other_commune=other_commune,
        person=person,
        citizen=UserFactory(person=person, email="binh@example.invalid"),
        officer=make_staff("commune_officer", commune),
        chair=make_staff("commune_chair", commune),
        other_officer=make_staff("commune_officer", other_commune),
        stranger=UserFactory(person=stranger_person),
    )


def filed_application(
    world: AllowanceWorld, form: dict[str, Any] | None = None, *, citizen: User | None = None
) -> Dossier:
    """Filed online by the citizen and accepted by the commune officer (ready to decide)."""
    citizen = citizen or world.citizen
    dossier = filing.dossier_start(
        actor=citizen, procedure_code=ALLOWANCE_APPLICATION, form_data={**APPLICATION_FORM, **(form or {})}
    )
    transitions.dossier_act(actor=citizen, dossier_id=dossier.pk, action="submit")
    transitions.dossier_act(actor=world.officer, dossier_id=dossier.pk, action="accept")
    return dossier


def approved_allowance(
    world: AllowanceWorld,
    *,
    group: str = "disability_severe",
    birth: date | None = None,
    form: dict[str, Any] | None = None,
    citizen: User | None = None,
) -> SocialAllowance:
    """The whole dossier through the engine: filed, accepted, approved by the chair → the allowance."""
    citizen = citizen or world.citizen
    if birth is not None:
        Person.objects.filter(pk=citizen.person_id).update(date_of_birth=birth)
        citizen.person.refresh_from_db()
    dossier = filed_application(world, {"group": group, **(form or {})}, citizen=citizen)
    transitions.dossier_act(actor=world.chair, dossier_id=dossier.pk, action="approve")
    return SocialAllowance.objects.get(dossier=dossier)


def pin_today(monkeypatch: Any, day: date) -> None:
    """Pin "today" (Asia/Ho_Chi_Minh, 9:00) for the month and deadline arithmetic."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    moment = datetime.combine(day, time(9, 0), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    monkeypatch.setattr(timezone, "now", lambda: moment)


def run_commit_hooks_at_once(monkeypatch: Any) -> None:
    """Run `transaction.on_commit` callbacks at once (the test's transaction never commits): the decision
    PDF and the notifications that follow a step are what the tests check."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
