"""Job fairs: a centre plans fairs of four kinds, employers take booths with their open vacancies and
interview slots, seekers register (a code for the door), the centre checks people in (each attendance is a
service on record with its survey), walk-ins are registered at the door, and results are recorded."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from ansinh.geo.models import Ward
from ansinh.jobs import fair_selectors
from ansinh.jobs.errors import EmployerNotVerified, NoSeekerProfile
from ansinh.jobs.models import (
    ApplicationStatus,
    FairKind,
    FairRegistration,
    FairStatus,
    SatisfactionSurvey,
    ServiceKind,
    ServiceRecord,
)
from ansinh.jobs.services import applications, bookings, fairs
from ansinh.notify.models import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


# --- helpers the other fair tests use too ------------------------------------------------------------------


def soon(days: float = 2, hours: float = 0):
    base = timezone.now().replace(second=0, microsecond=0)
    return base + timedelta(days=days, hours=hours)


def fair_fields(world, kind: str = FairKind.ONLINE, **extra):
    fields = {
        "title": "Ngày hội việc làm trực tuyến tháng 3",
        "kind": kind,
        "starts_at": soon(2),
        "ends_at": soon(2, 8),
        "description": "Hơn 30 doanh nghiệp tuyển dụng.",
    }
    if kind in (FairKind.ONLINE, FairKind.HYBRID):
        fields["online_url"] = "https://www.facebook.com/vieclamhcm/live"
    if kind in (FairKind.IN_PERSON, FairKind.HYBRID, FairKind.MOBILE):
        fields["venue"] = "Nhà văn hoá Thanh Niên, 4 Phạm Ngọc Thạch"
    if kind == FairKind.MOBILE:
        fields["ward_id"] = Ward.objects.filter(province=world.hcm).order_by("pk").first().pk
    fields.update(extra)
    return fields


def make_fair(world, kind: str = FairKind.ONLINE, **extra):
    return fairs.fair_create(actor=world.centre_officer, **fair_fields(world, kind, **extra))


def make_booth(world, fair, *, employer="a"):
    if employer == "a":
        return fairs.booth_take(actor=world.admin_a, fair_id=fair.pk, vacancy_ids=[world.vacancy_a.pk])
    return fairs.booth_take(actor=world.admin_b, fair_id=fair.pk, vacancy_ids=[world.vacancy_b.pk])


def make_slot(world, booth, *, capacity: int = 3, hours: float = 1, actor=None):
    fair = booth.fair
    return fairs.slot_add(
        actor=actor or world.admin_a,
        booth_id=booth.pk,
        starts_at=fair.starts_at + timedelta(hours=hours),
        ends_at=fair.starts_at + timedelta(hours=hours, minutes=30),
        capacity=capacity,
        video_link="https://meet.example.vn/abc-defg" if fair.kind != FairKind.IN_PERSON else "",
    )


def user_of(profile):
    return profile.person.user


# --- planning fairs ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", FairKind.values)
def test_a_centre_plans_each_kind_of_fair(world, kind):
    fair = make_fair(world, kind)
    assert fair.centre == world.centre_hcm
    assert fair.province == world.hcm
    assert fair.org_path == world.centre_hcm.path
    assert fair.status == FairStatus.PLANNED
    assert bool(fair.online_url) == (kind in (FairKind.ONLINE, FairKind.HYBRID))
    assert bool(fair.venue) == (kind != FairKind.ONLINE)
    assert (fair.ward_id is not None) == (kind == FairKind.MOBILE)


def test_what_each_kind_needs_is_checked_by_field(world):
    with pytest.raises(ValidationFailed) as caught:
        make_fair(world, FairKind.MOBILE, ward_id=None, venue="")
    assert set(caught.value.details["fields"]) == {"ward_id", "venue"}
    with pytest.raises(ValidationFailed) as caught:
        make_fair(world, FairKind.ONLINE, online_url="http://insecure.example.vn")
    assert "online_url" in caught.value.details["fields"]
    hanoi_ward = Ward.objects.filter(province=world.hanoi).first()
    with pytest.raises(ValidationFailed) as caught:
        make_fair(world, FairKind.MOBILE, ward_id=hanoi_ward.pk)
    assert "ward_id" in caught.value.details["fields"]
    with pytest.raises(ValidationFailed) as caught:
        make_fair(world, FairKind.IN_PERSON, starts_at=soon(-1), ends_at=soon(-2), title=" ")
    assert set(caught.value.details["fields"]) == {"starts_at", "ends_at", "title"}


def test_only_centre_officers_plan_and_only_their_centres_fairs_change(world):
    for actor in (world.admin_a, world.provincial_officer, user_of(world.seeker_anonymous)):
        with pytest.raises(PermissionDenied):
            fairs.fair_create(actor=actor, **fair_fields(world))
    fair = make_fair(world)
    with pytest.raises(NotFound):
        fairs.fair_update(actor=world.other_centre_officer, fair_id=fair.pk, title="Hijacked")
    with pytest.raises(NotFound):
        fairs.fair_cancel(actor=world.other_centre_officer, fair_id=fair.pk)
    updated = fairs.fair_update(actor=world.centre_head, fair_id=fair.pk, title="Ngày hội việc làm quý I")
    assert updated.title == "Ngày hội việc làm quý I"
    # Switching an online fair to in person asks for the venue.
    with pytest.raises(ValidationFailed) as caught:
        fairs.fair_update(actor=world.centre_officer, fair_id=fair.pk, kind=FairKind.IN_PERSON)
    assert "venue" in caught.value.details["fields"]


def test_the_province_sees_its_fairs_and_the_other_centre_does_not(world):
    fair = make_fair(world)
    assert fair in fair_selectors.fairs_for_staff(world.provincial_officer)
    assert fair in fair_selectors.fairs_for_staff(world.ministry_officer)
    assert fair not in fair_selectors.fairs_for_staff(world.other_centre_officer)
    with pytest.raises(NotFound):
        fair_selectors.fair_get_for_staff(world.other_centre_officer, fair.pk)
    with pytest.raises(PermissionDenied):
        fair_selectors.fairs_for_staff(world.admin_a)


def test_cancelling_a_fair_cancels_its_bookings_and_tells_the_registered(
    world, django_capture_on_commit_callbacks
):
    fair = make_fair(world)
    slot = make_slot(world, make_booth(world, fair))
    lan = user_of(world.seeker_anonymous)
    bookings.booking_create(actor=lan, slot_id=slot.pk)
    with django_capture_on_commit_callbacks(execute=True):
        fairs.fair_cancel(actor=world.centre_officer, fair_id=fair.pk)
    slot.refresh_from_db()
    assert slot.booked == 0
    assert not slot.bookings.filter(status="booked").exists()
    assert Message.objects.filter(
        recipient_person=world.seeker_anonymous.person, template="jobs.fair_cancelled"
    )
    with pytest.raises(fairs.FairNotOpen):
        fairs.fair_register(actor=lan, fair_id=fair.pk)


# --- booths and slots --------------------------------------------------------------------------------------


def test_an_employer_takes_one_booth_with_its_own_open_vacancies(world):
    fair = make_fair(world)
    with pytest.raises(ValidationFailed):  # B's vacancy is not A's
        fairs.booth_take(actor=world.admin_a, fair_id=fair.pk, vacancy_ids=[world.vacancy_b.pk])
    booth = make_booth(world, fair)
    assert list(booth.vacancies.all()) == [world.vacancy_a]
    assert booth.org_path == world.employer_a.org_path
    with pytest.raises(Conflict):
        fairs.booth_take(actor=world.admin_a, fair_id=fair.pk)
    with pytest.raises(EmployerNotVerified):
        fairs.booth_take(actor=world.admin_pending, fair_id=fair.pk)
    with pytest.raises(NotFound):  # B cannot change A's booth
        fairs.booth_set_vacancies(actor=world.admin_b, booth_id=booth.pk, vacancy_ids=[world.vacancy_b.pk])
    fairs.booth_set_vacancies(actor=world.admin_a, booth_id=booth.pk, vacancy_ids=[])
    assert not booth.vacancies.exists()


def test_a_centre_adds_a_booth_for_an_employer_by_tax_code(world):
    fair = make_fair(world)
    booth = fairs.booth_add(
        actor=world.centre_officer, fair_id=fair.pk, tax_code="0101234567", vacancy_ids=[world.vacancy_b.pk]
    )
    assert booth.employer == world.employer_b
    make_slot(world, booth, actor=world.centre_officer)
    with pytest.raises(ValidationFailed):
        fairs.booth_add(actor=world.centre_officer, fair_id=fair.pk, tax_code="0000000000")
    with pytest.raises(NotFound):
        fairs.booth_add(actor=world.other_centre_officer, fair_id=fair.pk, tax_code="0301234567")


def test_slots_are_checked_and_video_links_are_https(world):
    fair = make_fair(world)
    booth = make_booth(world, fair)
    start = fair.starts_at + timedelta(hours=1)
    cases = [
        ({"video_link": "http://meet.example.vn/x"}, "video_link"),
        ({"video_link": ""}, "video_link"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "many"}, "capacity"),
        ({"ends_at": start - timedelta(minutes=5)}, "ends_at"),
        ({"starts_at": fair.starts_at - timedelta(hours=1)}, "starts_at"),
        ({"ends_at": fair.ends_at + timedelta(hours=1)}, "ends_at"),
    ]
    for change, field in cases:
        values = {
            "starts_at": start,
            "ends_at": start + timedelta(minutes=30),
            "capacity": 2,
            "video_link": "https://meet.example.vn/x",
        } | change
        with pytest.raises(ValidationFailed) as caught:
            fairs.slot_add(actor=world.admin_a, booth_id=booth.pk, **values)
        assert field in caught.value.details["fields"], change
    in_person = make_fair(world, FairKind.IN_PERSON)
    booth2 = make_booth(world, in_person)
    with pytest.raises(ValidationFailed) as caught:
        fairs.slot_add(
            actor=world.admin_a,
            booth_id=booth2.pk,
            starts_at=in_person.starts_at + timedelta(hours=1),
            ends_at=in_person.starts_at + timedelta(hours=2),
            video_link="https://meet.example.vn/x",
        )
    assert "video_link" in caught.value.details["fields"]


def test_a_slot_with_bookings_stays_and_another_employer_cannot_remove_it(world):
    fair = make_fair(world)
    slot = make_slot(world, make_booth(world, fair))
    with pytest.raises(NotFound):
        fairs.slot_delete(actor=world.admin_b, slot_id=slot.pk)
    bookings.booking_create(actor=user_of(world.seeker_anonymous), slot_id=slot.pk)
    with pytest.raises(fairs.SlotHasBookings):
        fairs.slot_delete(actor=world.admin_a, slot_id=slot.pk)
    empty = make_slot(world, slot.booth, hours=2)
    fairs.slot_delete(actor=world.admin_a, slot_id=empty.pk)
    assert not type(empty).objects.filter(pk=empty.pk).exists()


# --- registration and the door -----------------------------------------------------------------------------


def test_a_seeker_registers_once_with_a_code_for_the_door(world):
    fair = make_fair(world, FairKind.IN_PERSON)
    lan = user_of(world.seeker_anonymous)
    registration = fairs.fair_register(actor=lan, fair_id=fair.pk)
    assert len(registration.code) == fairs.CODE_LENGTH
    assert set(registration.code) <= set(fairs.CODE_ALPHABET)
    assert fairs.fair_register(actor=lan, fair_id=fair.pk).pk == registration.pk
    with pytest.raises(NoSeekerProfile):
        fairs.fair_register(actor=UserFactory(), fair_id=fair.pk)


def test_check_in_at_the_door_records_one_service_and_its_survey(world, django_capture_on_commit_callbacks):
    fair = make_fair(world, FairKind.MOBILE)
    lan = user_of(world.seeker_anonymous)
    registration = fairs.fair_register(actor=lan, fair_id=fair.pk)
    typed = f" {registration.code[:5].lower()}-{registration.code[5:]} "
    with django_capture_on_commit_callbacks(execute=True):
        checked, first = fairs.check_in(actor=world.centre_officer, fair_id=fair.pk, code=typed)
    assert first
    assert checked.checked_in_at is not None
    assert checked.checked_in_by == world.centre_officer
    record = ServiceRecord.objects.get(kind=ServiceKind.FAIR, source_id=registration.pk)
    assert record.person == world.seeker_anonymous.person
    assert record.centre == world.centre_hcm
    assert SatisfactionSurvey.objects.filter(service=record).exists()
    assert Message.objects.filter(recipient_person=record.person, template="jobs.survey").count() == 1
    again, first = fairs.check_in(actor=world.centre_officer, fair_id=fair.pk, code=registration.code)
    assert not first
    assert again.checked_in_at == checked.checked_in_at
    assert ServiceRecord.objects.filter(kind=ServiceKind.FAIR).count() == 1
    with pytest.raises(ValidationFailed):
        fairs.check_in(actor=world.centre_officer, fair_id=fair.pk, code="NOPE123456")
    with pytest.raises(NotFound):
        fairs.check_in(actor=world.other_centre_officer, fair_id=fair.pk, code=registration.code)
    online = make_fair(world, FairKind.ONLINE)
    with pytest.raises(fairs.NotAtTheDoor):
        fairs.check_in(actor=world.centre_officer, fair_id=online.pk, code=registration.code)


def test_a_walk_in_is_registered_and_checked_in_at_the_door(world):
    fair = make_fair(world, FairKind.IN_PERSON)
    registration = fairs.walk_in(
        actor=world.centre_officer, fair_id=fair.pk, full_name="Đỗ Văn Nam", phone="0903 123 456"
    )
    assert registration.person.full_name == "Đỗ Văn Nam"
    assert registration.person.phone == "+84903123456"
    assert registration.checked_in_at is not None
    assert ServiceRecord.objects.filter(kind=ServiceKind.FAIR, source_id=registration.pk).exists()
    with pytest.raises(ValidationFailed) as caught:
        fairs.walk_in(actor=world.centre_officer, fair_id=fair.pk, full_name="", phone="")
    assert "phone" in caught.value.details["fields"]
    # A registered seeker who comes without the QR is found by the ID number and checked in once.
    world.seeker_full.person.personal_id = "001095001234"
    world.seeker_full.person.save()
    fairs.fair_register(actor=user_of(world.seeker_full), fair_id=fair.pk)
    found = fairs.walk_in(actor=world.centre_officer, fair_id=fair.pk, personal_id="001095001234")
    assert found.person == world.seeker_full.person
    assert FairRegistration.objects.filter(fair=fair).count() == 2


# --- results -----------------------------------------------------------------------------------------------


def test_results_are_prefilled_from_the_records_and_the_fair_is_closed(world):
    fair = make_fair(world)
    booth = make_booth(world, fair)
    slot = make_slot(world, booth)
    lan = user_of(world.seeker_anonymous)
    application = applications.application_submit(actor=lan, vacancy_id=world.vacancy_a.pk)
    booking = bookings.booking_create(actor=lan, slot_id=slot.pk)
    booking.refresh_from_db()
    assert booking.application == application
    application.refresh_from_db()
    assert application.fair == fair
    assert application.status == ApplicationStatus.SENT
    bookings.booking_mark(actor=world.admin_a, booking_id=booking.pk, status="attended")
    applications.application_set_status(actor=world.admin_a, application_id=application.pk, status="hired")
    [figures] = fair_selectors.booth_figures(fair)
    assert (figures.interviews, figures.offers, figures.hires) == (1, 1, 1)
    totals = fair_selectors.fair_totals(fair)
    assert (totals.registered, totals.attended, totals.hires) == (1, 1, 1)
    with pytest.raises(ValidationFailed):  # the fair has not started yet
        fairs.results_record(actor=world.centre_officer, fair_id=fair.pk, results={}, close=True)
    type(fair).objects.filter(pk=fair.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    with pytest.raises(ValidationFailed) as caught:
        fairs.results_record(
            actor=world.centre_officer, fair_id=fair.pk, results={booth.pk: {"interviews": -1}}
        )
    assert f"booth_{booth.pk}_interviews" in caught.value.details["fields"]
    with pytest.raises(NotFound):
        fairs.results_record(actor=world.other_centre_officer, fair_id=fair.pk, results={})
    fairs.results_record(
        actor=world.centre_officer,
        fair_id=fair.pk,
        results={booth.pk: {"interviews": 5, "offers": 2, "hires": 1}},
        close=True,
    )
    fair.refresh_from_db()
    assert fair.status == FairStatus.CLOSED
    totals = fair_selectors.fair_totals(fair)
    assert (totals.interviews, totals.offers, totals.hires) == (5, 2, 1)
