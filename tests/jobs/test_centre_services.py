"""The centres' services: counselling, career talks, the counter, placements (verified by a second officer)
and targets. Each service given to a person brings exactly one satisfaction survey; nothing else does."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.jobs.errors import StatusChangeNotAllowed
from ansinh.jobs.models import (
    AppointmentStatus,
    CentreTarget,
    CounterTicket,
    Indicator,
    PlacementStatus,
    SatisfactionSurvey,
    ServiceKind,
    ServiceRecord,
    TicketStatus,
)
from ansinh.jobs.services import career_talks, counselling, counter, placements, service_records, targets
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

PID = "079095001234"
PID_2 = "079195004321"


def survey_token(record: ServiceRecord, token: str = "known-token-for-tests") -> str:
    """Puts a known token on the record's survey (the real one only travels in the person's message)."""
    SatisfactionSurvey.objects.filter(service=record).update(token_hash=service_records._hash(token))
    return token


def held_appointment(world, *, personal_id: str = PID, advice: str = "Nên học thêm Excel nâng cao."):
    appointment = counselling.appointment_book_walk_in(
        actor=world.centre_officer, personal_id=personal_id, full_name="Ngô Văn Tư", topic="Tìm việc kế toán"
    )
    counselling.appointment_record(
        actor=world.centre_officer, appointment_id=appointment.pk, status="done", advice=advice
    )
    return appointment


# --- counselling -------------------------------------------------------------------------------------------


def test_a_person_books_counselling_and_the_officer_records_the_advice(world):
    lan = world.seeker_anonymous.person.user
    when = timezone.now() + timedelta(days=2)
    appointment = counselling.appointment_book(
        actor=lan, centre_id=world.centre_hcm.pk, starts_at=when, channel="video", topic="  Chuyển nghề  "
    )
    assert appointment.topic == "Chuyển nghề"
    assert appointment.org_path == world.centre_hcm.path
    with pytest.raises(ValidationFailed) as err:
        counselling.appointment_record(
            actor=world.centre_officer, appointment_id=appointment.pk, status="done"
        )
    assert "advice" in err.value.details["fields"]
    # Held before its time: refused.
    with pytest.raises(ValidationFailed):
        counselling.appointment_record(
            actor=world.centre_officer, appointment_id=appointment.pk, status="done", advice="x"
        )
    # The other province's centre does not see it.
    with pytest.raises(NotFound):
        counselling.appointment_record(
            actor=world.other_centre_officer, appointment_id=appointment.pk, status="no_show"
        )
    counselling.appointment_record(
        actor=world.centre_officer, appointment_id=appointment.pk, status="no_show"
    )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.NO_SHOW
    assert not ServiceRecord.objects.exists(), "a no-show is not a service"
    with pytest.raises(StatusChangeNotAllowed):
        counselling.appointment_record(
            actor=world.centre_officer, appointment_id=appointment.pk, status="cancelled"
        )


def test_a_booking_is_checked(world):
    lan = world.seeker_anonymous.person.user
    with pytest.raises(ValidationFailed) as err:
        counselling.appointment_book(
            actor=lan,
            centre_id=world.centre_hcm.pk,
            starts_at=timezone.now() - timedelta(hours=1),
            channel="fax",
            topic=" ",
        )
    assert set(err.value.details["fields"]) == {"starts_at", "channel", "topic"}
    with pytest.raises(NotFound):
        counselling.appointment_book(
            actor=lan, centre_id=world.dept_hcm.pk, starts_at=timezone.now(), channel="phone", topic="x"
        )


def test_a_person_cancels_only_their_own_booking(world):
    lan = world.seeker_anonymous.person.user
    minh = world.seeker_full.person.user
    appointment = counselling.appointment_book(
        actor=lan,
        centre_id=world.centre_hcm.pk,
        starts_at=timezone.now() + timedelta(days=1),
        channel="phone",
        topic="Hỏi về bảo hiểm thất nghiệp",
    )
    with pytest.raises(NotFound):
        counselling.appointment_cancel_own(actor=minh, appointment_id=appointment.pk)
    counselling.appointment_cancel_own(actor=lan, appointment_id=appointment.pk)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_a_held_walk_in_records_the_service_and_sends_one_survey(world, django_capture_on_commit_callbacks):
    from ansinh.notify.models import Message

    with django_capture_on_commit_callbacks(execute=True):
        appointment = held_appointment(world)
    record = ServiceRecord.objects.get()
    assert (record.kind, record.source_id, record.centre_id) == (
        ServiceKind.COUNSELLING,
        appointment.pk,
        world.centre_hcm.pk,
    )
    assert record.person.personal_id == PID
    assert record.person.full_name == "Ngô Văn Tư"
    assert SatisfactionSurvey.objects.filter(service=record).count() == 1
    message = Message.objects.get(recipient_person=record.person)
    assert "/jobs/survey/" in message.link
    # The link in the message opens that survey.
    token = message.link.rstrip("/").rsplit("/", 1)[-1]
    assert service_records.survey_for_token(token).service == record


def test_a_walk_in_of_a_person_not_on_record_needs_a_name(world):
    with pytest.raises(ValidationFailed) as err:
        counselling.appointment_book_walk_in(actor=world.centre_officer, personal_id=PID, topic="Việc làm")
    assert "full_name" in err.value.details["fields"]
    with pytest.raises(ValidationFailed) as err:
        counselling.appointment_book_walk_in(
            actor=world.centre_officer, personal_id="12ab", full_name="A", topic="Việc làm"
        )
    assert "personal_id" in err.value.details["fields"]


def test_a_seeker_or_an_employer_cannot_book_walk_ins(world):
    for actor in (world.seeker_anonymous.person.user, world.admin_a, world.ministry_officer):
        with pytest.raises(PermissionDenied):
            counselling.appointment_book_walk_in(actor=actor, personal_id=PID, full_name="A", topic="x")


# --- career talks ------------------------------------------------------------------------------------------


def test_a_career_talk_is_recorded_without_any_survey(world):
    ward = world.hcm.wards.first()
    talk = career_talks.talk_record(
        actor=world.centre_officer,
        school="THPT Nguyễn Thị Minh Khai",
        ward_id=ward.pk,
        held_on=timezone.localdate(),
        attendees="240",
    )
    assert (talk.attendees, talk.ward, talk.centre) == (240, ward, world.centre_hcm)
    assert not ServiceRecord.objects.exists()
    assert not SatisfactionSurvey.objects.exists()
    other_ward = world.hanoi.wards.first()
    with pytest.raises(ValidationFailed) as err:
        career_talks.talk_record(
            actor=world.centre_officer,
            school="",
            ward_id=other_ward.pk,
            held_on=timezone.localdate() + timedelta(days=10),
            attendees=0,
        )
    assert set(err.value.details["fields"]) == {"school", "ward_id", "held_on", "attendees"}


# --- the counter -------------------------------------------------------------------------------------------


def test_the_counter_numbers_calls_serves_and_surveys_only_named_people(world):
    officer = world.centre_officer
    first = counter.ticket_issue(actor=officer, purpose="Bảo hiểm thất nghiệp")
    second = counter.ticket_issue(actor=officer, purpose="Tìm việc", personal_id=PID, full_name="Đỗ Thị Mai")
    other = counter.ticket_issue(actor=world.other_centre_officer, purpose="Tìm việc")
    assert (first.number, second.number, other.number) == (1, 2, 1)
    called = counter.ticket_call_next(actor=officer, desk=" 3 ")
    assert (called.pk, called.status, called.desk) == (first.pk, TicketStatus.CALLED, "3")
    counter.ticket_serve(actor=officer, ticket_id=first.pk)
    assert not ServiceRecord.objects.exists(), "nobody named: no service to survey"
    assert counter.ticket_call_next(actor=officer, desk="3").pk == second.pk
    counter.ticket_serve(actor=officer, ticket_id=second.pk)
    record = ServiceRecord.objects.get()
    assert (record.kind, record.source_id) == (ServiceKind.COUNTER, second.pk)
    with pytest.raises(counter.QueueEmpty):
        counter.ticket_call_next(actor=officer, desk="3")
    with pytest.raises(StatusChangeNotAllowed):
        counter.ticket_leave(actor=officer, ticket_id=second.pk)
    with pytest.raises(NotFound):
        counter.ticket_leave(actor=world.other_centre_officer, ticket_id=first.pk)
    counter.ticket_leave(actor=world.other_centre_officer, ticket_id=other.pk)
    assert CounterTicket.objects.get(pk=other.pk).status == TicketStatus.LEFT


def test_a_person_can_be_named_at_the_desk(world):
    ticket = counter.ticket_issue(actor=world.centre_officer, purpose="Tư vấn")
    counter.ticket_serve(actor=world.centre_officer, ticket_id=ticket.pk, personal_id=PID, full_name="Vũ Hà")
    assert ServiceRecord.objects.get().person.personal_id == PID


@pytest.mark.django_db(transaction=True)
def test_concurrent_tickets_never_share_a_number(reference_data):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    from tests.jobs.world import build_world

    world = build_world()
    numbers: list[int] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def take() -> None:
        try:
            barrier.wait()
            numbers.append(counter.ticket_issue(actor=world.centre_officer, purpose="Tìm việc").number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == list(range(1, 9))


# --- placements --------------------------------------------------------------------------------------------


def test_a_reported_placement_counts_once_another_officer_verified_it(world):
    placement = placements.placement_report(
        actor=world.centre_officer,
        personal_id=PID,
        full_name="Hồ Văn Nam",
        employer_name="  Công ty May Việt Tiến ",
        job_title="Thợ may",
        started_on=timezone.localdate(),
    )
    assert (placement.status, placement.employer_name) == (PlacementStatus.REPORTED, "Công ty May Việt Tiến")
    assert not ServiceRecord.objects.exists()
    with pytest.raises(placements.PlacementSelfCheck):
        placements.placement_verify(actor=world.centre_officer, placement_id=placement.pk)
    with pytest.raises(NotFound):
        placements.placement_verify(actor=world.other_centre_officer, placement_id=placement.pk)
    with pytest.raises(PermissionDenied):
        placements.placement_verify(actor=world.provincial_officer, placement_id=placement.pk)
    placements.placement_verify(actor=world.centre_head, placement_id=placement.pk)
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.VERIFIED
    assert placement.verified_by == world.centre_head
    record = ServiceRecord.objects.get()
    assert (record.kind, record.source_id, record.person_id) == (
        ServiceKind.PLACEMENT,
        placement.pk,
        placement.person_id,
    )
    with pytest.raises(StatusChangeNotAllowed):
        placements.placement_reject(actor=world.centre_head, placement_id=placement.pk, reason="sai")


def test_a_placement_is_rejected_with_a_reason_and_brings_no_survey(world):
    placement = placements.placement_report(
        actor=world.centre_officer, personal_id=PID, full_name="Hồ Văn Nam", employer_id=world.employer_a.pk,
        job_title="Kế toán",
    )  # fmt: skip
    assert placement.employer == world.employer_a
    assert placement.employer_name == world.employer_a.organisation.name
    with pytest.raises(ValidationFailed):
        placements.placement_reject(actor=world.centre_head, placement_id=placement.pk, reason=" ")
    placements.placement_reject(
        actor=world.centre_head, placement_id=placement.pk, reason="Không xác minh được"
    )
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.REJECTED
    assert not ServiceRecord.objects.exists()


def test_a_placement_report_is_checked(world):
    with pytest.raises(ValidationFailed) as err:
        placements.placement_report(
            actor=world.centre_officer,
            personal_id=PID,
            full_name="A",
            employer_name="",
            job_title="",
            started_on=date.today() + timedelta(days=365),
        )
    assert set(err.value.details["fields"]) == {"employer_name", "job_title", "started_on"}


# --- targets -----------------------------------------------------------------------------------------------


def test_heads_and_the_province_set_targets_officers_do_not(world):
    year = timezone.localdate().year
    targets.targets_set(
        actor=world.centre_head,
        centre_id=world.centre_hcm.pk,
        year=year,
        targets={"placements": "500", "satisfied_percent": 95, "surveys": ""},
    )
    assert dict(CentreTarget.objects.values_list("indicator", "target")) == {
        Indicator.PLACEMENTS: 500,
        Indicator.SATISFIED_PERCENT: 95,
    }
    targets.targets_set(
        actor=world.provincial_officer,
        centre_id=world.centre_hcm.pk,
        year=year,
        targets={"placements": 520, "satisfied_percent": ""},
    )
    assert dict(CentreTarget.objects.values_list("indicator", "target")) == {Indicator.PLACEMENTS: 520}
    with pytest.raises(PermissionDenied):
        targets.targets_set(actor=world.centre_officer, centre_id=world.centre_hcm.pk, year=year, targets={})
    with pytest.raises(NotFound):
        targets.targets_set(
            actor=world.provincial_officer, centre_id=world.centre_hanoi.pk, year=year, targets={"fairs": 3}
        )
    with pytest.raises(ValidationFailed) as err:
        targets.targets_set(
            actor=world.centre_head,
            centre_id=world.centre_hcm.pk,
            year=year + 5,
            targets={"satisfied_percent": 120, "nonsense": 1},
        )
    assert "year" in err.value.details["fields"]
    with pytest.raises(ValidationFailed) as err:
        targets.targets_set(
            actor=world.centre_head,
            centre_id=world.centre_hcm.pk,
            year=year,
            targets={"satisfied_percent": 120},
        )
    assert "satisfied_percent" in err.value.details["fields"]


def test_a_second_head_in_another_centre_cannot_verify(world):
    head_hanoi = make_staff("employment_centre_head", world.centre_hanoi, username="head-hn")
    placement = placements.placement_report(
        actor=world.centre_officer,
        personal_id=PID_2,
        full_name="Lý Thị Bình",
        employer_name="X",
        job_title="Y",
    )
    with pytest.raises(NotFound):
        placements.placement_verify(actor=head_hanoi, placement_id=placement.pk)
