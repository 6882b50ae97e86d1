"""Applications: a seeker applies and withdraws, the employer moves the application on, a hire places the
seeker and brings a satisfaction survey about the placement."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.jobs.errors import AlreadyApplied, NoSeekerProfile, StatusChangeNotAllowed, VacancyClosed
from ansinh.jobs.models import (
    ApplicationStatus,
    Placement,
    PlacementStatus,
    SatisfactionSurvey,
    ServiceKind,
    ServiceRecord,
    VacancyStatus,
)
from ansinh.jobs.services import applications
from ansinh.notify.models import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _seeker_user(profile):
    return profile.person.user


def test_a_seeker_applies_once_and_the_employer_is_told(world, django_capture_on_commit_callbacks):
    lan = _seeker_user(world.seeker_anonymous)
    with django_capture_on_commit_callbacks(execute=True):
        application = applications.application_submit(
            actor=lan, vacancy_id=world.vacancy_a.pk, cover_note=" Tôi có 3 năm kinh nghiệm. "
        )
    assert application.status == ApplicationStatus.SENT
    assert application.cover_note == "Tôi có 3 năm kinh nghiệm."
    assert application.org_path == world.employer_a.org_path
    assert list(application.events.values_list("status", flat=True)) == ["sent"]
    assert Message.objects.filter(recipient_user=world.admin_a, template="jobs.new_application").exists()
    with pytest.raises(AlreadyApplied):
        applications.application_submit(actor=lan, vacancy_id=world.vacancy_a.pk)


def test_closed_expired_and_unverified_vacancies_take_no_applications(world):
    lan = _seeker_user(world.seeker_anonymous)
    world.vacancy_a.status = VacancyStatus.CLOSED
    world.vacancy_a.save()
    with pytest.raises(VacancyClosed):
        applications.application_submit(actor=lan, vacancy_id=world.vacancy_a.pk)
    world.vacancy_b.deadline = timezone.localdate() - timedelta(days=1)
    world.vacancy_b.save()
    with pytest.raises(VacancyClosed):
        applications.application_submit(actor=lan, vacancy_id=world.vacancy_b.pk)
    with pytest.raises(NotFound):
        applications.application_submit(actor=lan, vacancy_id=999_999)


def test_only_a_person_with_a_seeker_profile_applies_and_the_message_is_bounded(world):
    with pytest.raises(NoSeekerProfile):
        applications.application_submit(actor=UserFactory(), vacancy_id=world.vacancy_a.pk)
    with pytest.raises(ValidationFailed) as caught:
        applications.application_submit(
            actor=_seeker_user(world.seeker_full), vacancy_id=world.vacancy_a.pk, cover_note="x" * 2001
        )
    assert "cover_note" in caught.value.details["fields"]
    assert not world.vacancy_a.applications.exists()


def test_the_seeker_withdraws_only_their_own_and_not_after_a_decision(world):
    application = applications.application_submit(
        actor=_seeker_user(world.seeker_anonymous), vacancy_id=world.vacancy_a.pk
    )
    with pytest.raises(NotFound):
        applications.application_withdraw(
            actor=_seeker_user(world.seeker_full), application_id=application.pk
        )
    applications.application_withdraw(
        actor=_seeker_user(world.seeker_anonymous), application_id=application.pk
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    with pytest.raises(StatusChangeNotAllowed):
        applications.application_withdraw(
            actor=_seeker_user(world.seeker_anonymous), application_id=application.pk
        )


def test_the_employer_moves_its_own_applications_forward_only(world):
    application = applications.application_submit(
        actor=_seeker_user(world.seeker_anonymous), vacancy_id=world.vacancy_a.pk
    )
    with pytest.raises(NotFound):  # another employer's application does not exist for B
        applications.application_set_status(
            actor=world.admin_b, application_id=application.pk, status="offer"
        )
    with pytest.raises(PermissionDenied):
        applications.application_set_status(
            actor=_seeker_user(world.seeker_full), application_id=application.pk, status="offer"
        )
    viewed = applications.application_mark_viewed(actor=world.admin_a, application_id=application.pk)
    assert viewed.status == ApplicationStatus.VIEWED
    applications.application_set_status(
        actor=world.admin_a, application_id=application.pk, status="interview"
    )
    with pytest.raises(StatusChangeNotAllowed):
        applications.application_set_status(actor=world.admin_a, application_id=application.pk, status="sent")
    with pytest.raises(StatusChangeNotAllowed):
        applications.application_set_status(
            actor=world.admin_a, application_id=application.pk, status="nonsense"
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERVIEW
    assert not Placement.objects.exists()


def test_a_hire_places_the_seeker_verified_and_sends_one_survey(world, django_capture_on_commit_callbacks):
    lan = _seeker_user(world.seeker_anonymous)
    application = applications.application_submit(actor=lan, vacancy_id=world.vacancy_a.pk)
    with django_capture_on_commit_callbacks(execute=True):
        applications.application_set_status(
            actor=world.admin_a, application_id=application.pk, status="hired", note="Bắt đầu 01/12"
        )
    placement = Placement.objects.get(application=application)
    assert placement.status == PlacementStatus.VERIFIED
    assert placement.centre == world.centre_hcm  # the centre that verified employer A
    assert placement.person == world.seeker_anonymous.person
    record = ServiceRecord.objects.get(kind=ServiceKind.PLACEMENT, source_id=placement.pk)
    survey = SatisfactionSurvey.objects.get(service=record)
    assert survey.answered_at is None
    assert survey.org_path == world.centre_hcm.path
    sent = Message.objects.get(recipient_person=world.seeker_anonymous.person, template="jobs.survey")
    assert sent.link.startswith("/jobs/survey/")
    assert Message.objects.filter(
        recipient_person=world.seeker_anonymous.person, template="jobs.application_status"
    ).exists()
    with pytest.raises(StatusChangeNotAllowed):  # hired is final
        applications.application_set_status(
            actor=world.admin_a, application_id=application.pk, status="rejected"
        )
    assert Placement.objects.count() == 1
    assert SatisfactionSurvey.objects.count() == 1
