"""My services (welfare/overview.py): every section read for the person's own records, the next steps in
date order, the page for a person with nothing and for an account without a person, and a query count that
does not grow with the person's history.

The builder `everything_for` (used by the page, API and matrix tests too) gives one person a record in
every service: the job exchange's seeker Lan (tests/jobs/world.py) also has an unemployment benefit in its
notification window, a monthly allowance due this month, a pension paid at the post office, medicine ready
to collect, the card, a payment, a dossier waiting for the commune, a support request and messages.
"""

from dataclasses import dataclass
from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from ansinh.accounts.models import Organisation, OrganisationKind, Person, User
from ansinh.dossiers.models import Dossier
from ansinh.jobs.services import applications, bookings
from ansinh.notify.models import Message
from ansinh.sos.models import HelpRequest
from ansinh.unemployment.models import BenefitClaim, BenefitMonth, ClaimStatus
from ansinh.welfare.models import (
    BenefitKind,
    BenefitPayment,
    MedicineMode,
    MedicineRegistration,
    MedicineStatus,
    PaymentMethod,
    Pension,
    PensionArrangement,
    SocialAllowance,
    SocialSecurityCard,
)
from ansinh.welfare.overview import LIMIT, my_services
from tests.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.jobs.test_fairs import make_booth, make_fair, make_slot
from tests.jobs.world import build_world

pytestmark = pytest.mark.django_db

# At most this whatever the history: 23 reads, plus one count for each section with more than LIMIT items
MAX_QUERIES = 30


@dataclass
class Everything:
    user: User
    person: Person
    other: User  # a second citizen with records of their own
    dossier: Dossier
    claim: BenefitClaim
    centre: Organisation
    commune: Organisation
    service_point: Organisation
    jobs: object


def _dossier(
    person: Person, organisation: Organisation, *, state: str, due: date | None, code: str
) -> Dossier:
    return Dossier.objects.create(
        receipt_code=code,
        procedure_code="welfare.social_allowance",
        procedure_version="1",
        state=state,
        applicant_person=person,
        applicant_name=person.full_name,
        receiving_organisation=organisation,
        org_path=organisation.path,
        province=organisation.province,
        due_date=due,
    )


def _claim(person: Person, centre: Organisation, today: date, number: str) -> BenefitClaim:
    dossier = _dossier(person, centre, state="delivered", due=None, code=f"TC-{number}")
    start = today - timedelta(days=20)
    claim = BenefitClaim.objects.create(
        dossier=dossier,
        person=person,
        centre=centre,
        org_path=centre.path,
        province=centre.province,
        status=ClaimStatus.PAYING,
        decision_number=f"QĐ-{number}",
        decided_on=start,
        decided_month=start.replace(day=1),
        rule_set="2025",
        termination_date=start - timedelta(days=30),
        contribution_months=24,
        average_wage=8_000_000,
        monthly_benefit=4_800_000,
        benefit_months=3,
        reserved_months=0,
        start_date=start,
        end_date=start + timedelta(days=90),
    )
    BenefitMonth.objects.create(
        claim=claim,
        number=1,
        start=start,
        end=start + timedelta(days=29),
        notify_from=today - timedelta(days=1),
        notify_until=today + timedelta(days=3),
    )
    return claim


def everything_for(today: date | None = None) -> Everything:
    """Needs the `reference_data` fixture (through tests/jobs/world.py)."""
    today = today or timezone.localdate()
    world = build_world()
    user = world.seeker_anonymous.person.user
    person = user.person
    hcm = world.hcm
    commune = OrganisationFactory(name="UBND phường Bến Nghé", kind=OrganisationKind.COMMUNE, province=hcm)
    clinic = OrganisationFactory(name="Trạm y tế phường Bến Nghé", kind=OrganisationKind.CLINIC, province=hcm)
    service_point = OrganisationFactory(
        name="Điểm chi trả Bưu điện Sài Gòn", kind=OrganisationKind.SERVICE_POINT, province=hcm
    )
    # The job exchange: an application, and an interview booked at a fair (which registers for it).
    applications.application_submit(actor=user, vacancy_id=world.vacancy_a.pk)
    slot = make_slot(world, make_booth(world, make_fair(world)))
    bookings.booking_create(actor=user, slot_id=slot.pk)
    claim = _claim(person, world.centre_hcm, today, "0001")
    allowance_dossier = _dossier(person, commune, state="delivered", due=None, code="TC-A1")
    SocialAllowance.objects.create(
        person=person,
        dossier=allowance_dossier,
        group="elderly_80",
        coefficient=Decimal("1.0"),
        base_level=500_000,
        monthly_amount=500_000,
        starts_on=today.replace(day=1) - timedelta(days=40),
        commune=commune,
        province=hcm,
        org_path=commune.path,
        decided_at=timezone.now() - timedelta(days=45),
    )
    pension = Pension.objects.create(
        person=person,
        social_insurance_code="7901234567",
        monthly_amount=5_200_000,
        starts_on=date(2020, 1, 1),
        province=hcm,
    )
    PensionArrangement.objects.create(
        pension=pension,
        method=PaymentMethod.POST_OFFICE,
        province=hcm,
        service_point=service_point,
        valid_from=date(2020, 1, 1),
    )
    MedicineRegistration.objects.create(
        person=person,
        clinic=clinic,
        insurance_card_number="DN4797912345678",
        condition="Tăng huyết áp",
        mode=MedicineMode.PICKUP,
        phone="+84912345678",
        status=MedicineStatus.SCHEDULED,
        scheduled_on=today + timedelta(days=2),
        window_start=time(8, 0),
        window_end=time(10, 0),
        org_path=clinic.path,
        province=hcm,
    )
    card = SocialSecurityCard.objects.create(person=person, number="ASXH790000000001", key_id="k1")
    BenefitPayment.objects.create(
        person=person,
        card=card,
        kind=BenefitKind.PENSION,
        benefit_id=pension.pk,
        period=(today.replace(day=1) - timedelta(days=1)).replace(day=1),
        amount=5_200_000,
        service_point=service_point,
        org_path=service_point.path,
        province=hcm,
        recorded_by=world.centre_officer,
        receipt_number="BL-0001",
    )
    dossier = _dossier(person, commune, state="accepted", due=today + timedelta(days=10), code="TC-A2")
    HelpRequest.objects.create(kind="support", worker=user, idempotency_key="k-1", phone="+84912345678")
    Message.objects.create(
        recipient_person=person, template="t", language="vi", subject="Lịch nhận thuốc", body="..."
    )
    # Someone else's records, which must never show.
    other = UserFactory(person=PersonFactory(full_name="Người Khác", province=hcm))
    _claim(other.person, world.centre_hcm, today, "0002")
    _dossier(other.person, commune, state="returned", due=None, code="TC-OTHER")
    HelpRequest.objects.create(kind="sos", worker=other, idempotency_key="k-2", phone="+84900000000")
    Message.objects.create(
        recipient_user=other, template="t", language="vi", subject="Của người khác", body="."
    )
    return Everything(user, person, other, dossier, claim, world.centre_hcm, commune, service_point, world)


@pytest.fixture
def everything(reference_data, settings):
    settings.LANGUAGE_CODE = "en"
    return everything_for()


def test_every_section_shows_the_persons_own_records(everything):
    services = my_services(everything.user)
    assert services.has_person
    assert services.person_name == everything.person.full_name
    keys = [s.key for s in services.sections]
    for key in ("unemployment", "allowance", "pension", "medicine", "card", "payments", "dossiers", "jobs"):
        assert key in keys, key
    assert {"fairs", "support", "inbox"} <= set(keys)
    claim = services.section("unemployment")
    assert claim.count == 1
    assert claim.items[0].title == "Decision QĐ-0001"
    dossiers = services.section("dossiers")
    assert "TC-OTHER" not in " ".join(i.title for i in dossiers.items)
    assert services.section("support").count == 1
    inbox = services.section("inbox")
    assert [i.title for i in inbox.items] == ["Lịch nhận thuốc"]
    assert services.unread == 1
    fairs = services.section("fairs")
    assert fairs.count == 2  # the fair registration and the interview booked there
    # Services already used are not offered again; the others are.
    offers = {o.key for o in services.offers}
    assert offers == set()  # every offered service is in use (jobs: applications; benefit: the claim)


def test_the_next_steps_are_in_date_order_and_say_what_to_do(everything):
    today = timezone.localdate()
    services = my_services(everything.user)
    steps = services.next_steps
    dated = [s.on for s in steps if s.on is not None]
    assert dated == sorted(dated)
    assert steps[-1].on is None
    assert steps[-1].service == "inbox"
    by_service = {s.service: s for s in steps}
    notify = by_service["unemployment"]
    assert notify.on == today + timedelta(days=3)
    assert f"by {(today + timedelta(days=3)):%d/%m/%Y}" in notify.text
    assert notify.link.url() == "/unemployment/"
    medicine = by_service["medicine"]
    assert "ready to collect" in medicine.text
    assert "08:00–10:00" in medicine.text
    allowance = by_service["allowance"]
    assert "540.000" in allowance.text  # the base level in force this month × 1.0
    assert "any service point" in allowance.text
    assert allowance.on == today.replace(day=1)
    dossier = by_service["dossiers"]
    assert dossier.on == everything.dossier.due_date
    assert "answer due by" in dossier.text
    # Each section's single step is its most urgent one.
    assert services.section("medicine").next_step == medicine


def test_a_month_already_paid_is_no_longer_a_next_step(everything):
    allowance = SocialAllowance.objects.get(person=everything.person)
    BenefitPayment.objects.create(
        person=everything.person,
        kind=BenefitKind.SOCIAL_ALLOWANCE,
        benefit_id=allowance.pk,
        period=timezone.localdate().replace(day=1),
        amount=500_000,
        service_point=everything.service_point,
        org_path=everything.service_point.path,
        province=everything.service_point.province,
        recorded_by=everything.jobs.centre_officer,
        receipt_number="BL-0002",
    )
    services = my_services(everything.user)
    assert "allowance" not in {s.service for s in services.next_steps}
    assert services.section("payments").count == 2


def test_a_pension_without_an_arrangement_asks_for_one(everything):
    PensionArrangement.objects.all().delete()
    steps = my_services(everything.user).section("pension").steps
    assert [s.text for s in steps] == ["Choose how and where to receive your pension"]


def test_a_person_with_nothing_sees_only_the_offers(reference_data, settings):
    settings.LANGUAGE_CODE = "en"
    user = UserFactory(person=PersonFactory())
    services = my_services(user)
    assert services.has_person
    assert services.sections == []
    assert services.next_steps == []
    assert [o.key for o in services.offers] == ["allowance", "medicine", "card", "jobs", "unemployment"]


def test_an_account_without_a_person_reads_nothing_personal(db, settings):
    settings.LANGUAGE_CODE = "en"
    user = UserFactory()
    Message.objects.create(recipient_user=user, template="t", language="en", subject="Welcome", body=".")
    services = my_services(user)
    assert not services.has_person
    assert services.person_name == ""
    assert [s.key for s in services.sections] == ["inbox"]
    # Only the services that need no citizen record are offered.
    assert [o.key for o in services.offers] == ["jobs", "unemployment"]


def test_the_query_count_does_not_grow_with_the_history(everything, django_assert_max_num_queries):
    user = User.objects.get(pk=everything.user.pk)
    with django_assert_max_num_queries(MAX_QUERIES):
        small = my_services(user)
    # Ten times more of everything that can repeat.
    person, commune = everything.person, everything.commune
    for n in range(10):
        _dossier(
            person, commune, state="submitted", due=timezone.localdate() + timedelta(days=n), code=f"X{n}"
        )
        HelpRequest.objects.create(kind="support", worker=everything.user, idempotency_key=f"m{n}", phone="1")
        Message.objects.create(
            recipient_person=person, template="t", language="vi", subject=f"S{n}", body="."
        )
        _claim(person, everything.centre, timezone.localdate(), f"1{n:03d}")
    user = User.objects.get(pk=everything.user.pk)
    with django_assert_max_num_queries(MAX_QUERIES):
        big = my_services(user)
    for section in big.sections:
        assert len(section.items) <= LIMIT, section.key
    assert big.section("dossiers").count == small.section("dossiers").count + 20  # each claim has its dossier
    assert big.section("inbox").count == 11
