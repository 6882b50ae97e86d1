"""Satisfaction surveys: only a service on record has one, it answers once (through its link, no sign-in),
and the figures count only survey rows: sent, answered, satisfied (4-5) and the share of the answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.jobs import centre_selectors as sel
from ansinh.jobs.errors import SurveyAnswered
from ansinh.jobs.models import SatisfactionSurvey, ServiceKind, ServiceRecord
from ansinh.jobs.services import career_talks, counselling, service_records
from tests.jobs.test_centre_services import PID, held_appointment, survey_token

pytestmark = pytest.mark.django_db


def _served(world, n: int) -> list[ServiceRecord]:
    """n people counselled at the HCM centre, each with a survey."""
    records = []
    for i in range(n):
        appointment = held_appointment(world, personal_id=f"0790950{i:05d}")
        records.append(ServiceRecord.objects.get(kind=ServiceKind.COUNSELLING, source_id=appointment.pk))
    return records


def test_a_survey_answers_once(world):
    record = _served(world, 1)[0]
    token = survey_token(record)
    survey = service_records.survey_answer(token=token, score="5", comment="  Cán bộ nhiệt tình  ")
    assert (survey.score, survey.comment) == (5, "Cán bộ nhiệt tình")
    with pytest.raises(SurveyAnswered):
        service_records.survey_answer(token=token, score=1)
    assert SatisfactionSurvey.objects.get().score == 5


def test_a_wrong_token_or_score_is_refused(world):
    token = survey_token(_served(world, 1)[0])
    with pytest.raises(NotFound):
        service_records.survey_answer(token="not-the-token", score=5)
    with pytest.raises(ValidationFailed):
        service_records.survey_answer(token=token, score=6)
    with pytest.raises(ValidationFailed):
        service_records.survey_answer(token=token, score="rất tốt")
    assert SatisfactionSurvey.objects.get().answered_at is None


def test_only_a_real_service_has_a_survey(world):
    lan = world.seeker_anonymous.person.user
    booked = counselling.appointment_book(
        actor=lan,
        centre_id=world.centre_hcm.pk,
        starts_at=timezone.now() + timedelta(days=1),
        channel="phone",
        topic="Tìm việc",
    )
    counselling.appointment_record(actor=world.centre_officer, appointment_id=booked.pk, status="cancelled")
    career_talks.talk_record(
        actor=world.centre_officer, school="THPT Lê Quý Đôn", held_on=timezone.localdate(), attendees=300
    )
    assert not SatisfactionSurvey.objects.exists()
    _served(world, 2)
    assert SatisfactionSurvey.objects.count() == ServiceRecord.objects.count() == 2
    # Recording the same service again sends nothing more.
    record = ServiceRecord.objects.first()
    again = service_records.service_delivered(
        centre=world.centre_hcm, person=record.person, kind=record.kind, source_id=record.source_id
    )
    assert again == record
    assert SatisfactionSurvey.objects.count() == 2


def test_the_satisfied_share_is_of_the_answers(world):
    records = _served(world, 5)
    for i, (record, score) in enumerate(zip(records, [5, 4, 2, 3], strict=False)):
        service_records.survey_answer(token=survey_token(record, f"token-{i}"), score=score)
    figures = sel.survey_figures([world.centre_hcm.pk, world.centre_hanoi.pk], timezone.localdate().year)
    hcm = figures[world.centre_hcm.pk]
    assert (hcm.sent, hcm.answered, hcm.satisfied, hcm.percent) == (5, 4, 2, 50.0)
    assert world.centre_hanoi.pk not in figures
    assert sel.SurveyFigures(sent=3, answered=3, satisfied=2).percent == 66.7
    assert sel.SurveyFigures(sent=3).percent is None
    other_year = sel.survey_figures([world.centre_hcm.pk], timezone.localdate().year - 1)
    assert other_year == {}


def test_the_audit_list_shows_each_answer_with_its_service_in_scope(world):
    record = _served(world, 1)[0]
    service_records.survey_answer(token=survey_token(record), score=4)
    answers = list(sel.survey_answers_for(world.centre_officer))
    assert [(a.service.kind, a.service.source_id, a.score) for a in answers] == [
        (ServiceKind.COUNSELLING, record.source_id, 4)
    ]
    assert list(sel.survey_answers_for(world.provincial_officer)) == answers
    assert list(sel.survey_answers_for(world.ministry_officer)) == answers
    assert not sel.survey_answers_for(world.other_centre_officer).exists()


def test_the_survey_page_needs_only_the_right_token(world, client):
    token = survey_token(_served(world, 1)[0])
    assert client.get("/jobs/survey/wrong-token/").status_code == 404
    page = client.get(f"/jobs/survey/{token}/")
    assert page.status_code == 200
    assert 'name="score"' in page.content.decode()
    bad = client.post(f"/jobs/survey/{token}/", {"score": "9"})
    assert bad.status_code == 422
    done = client.post(f"/jobs/survey/{token}/", {"score": "5", "comment": "Tốt"})
    assert done.status_code == 302
    assert done["Location"] == f"/jobs/survey/{token}/"
    thanks = client.get(done["Location"])
    assert thanks.status_code == 200
    assert 'name="score"' not in thanks.content.decode()
    again = client.post(f"/jobs/survey/{token}/", {"score": "1"})
    assert again.status_code == 409
    assert SatisfactionSurvey.objects.get().score == 5


def test_the_survey_api_needs_only_the_right_token(world, client):
    token = survey_token(_served(world, 1)[0])
    assert client.get("/api/v1/jobs/surveys/nope").status_code == 404
    info = client.get(f"/api/v1/jobs/surveys/{token}")
    assert info.status_code == 200
    assert info.json()["answered"] is False
    answer = client.post(
        f"/api/v1/jobs/surveys/{token}", {"score": 4, "comment": ""}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert answer.json()["answered"] is True
    again = client.post(f"/api/v1/jobs/surveys/{token}", {"score": 4}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "jobs.survey_answered"


def test_personal_id_constant_is_valid():
    from ansinh.core.identifiers import parse_personal_id

    assert parse_personal_id(PID).valid
