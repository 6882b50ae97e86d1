"""The live target-vs-actual dashboard: a hire on the exchange counts at once for the centre, with its
survey; fairs, talks, counselling and surveys are counted from the records; the queries stay bounded."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.jobs import dashboard
from ansinh.jobs.models import FairKind, FairStatus, Indicator, JobFair, ServiceKind, ServiceRecord
from ansinh.jobs.services import applications, career_talks, service_records, targets
from tests.factories import OrganisationFactory
from tests.jobs.test_centre_services import held_appointment, survey_token

pytestmark = pytest.mark.django_db


def _year() -> int:
    return timezone.localdate().year


def _line(world, actor, indicator, centre=None):
    rows = dashboard.dashboard_for(actor, year=_year(), centre_id=(centre or world.centre_hcm).pk)
    return rows[0].line(indicator)


def _fair(centre, *, kind=FairKind.IN_PERSON, hours_ago=3, status=FairStatus.PLANNED, hours=2, year=None):
    """A fair that started `hours_ago` and lasted `hours` (by default: held this morning)."""
    starts = timezone.now() - timedelta(hours=hours_ago)
    if year is not None:
        starts = starts.replace(year=year)
    return JobFair.objects.create(
        centre=centre,
        title="Ngày hội việc làm",
        kind=kind,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        province_id=centre.province_id,
        status=status,
        org_path=centre.path,
    )


def test_a_hire_on_the_exchange_counts_for_the_centre_and_its_survey_updates_the_figure(world):
    targets.targets_set(
        actor=world.centre_head,
        centre_id=world.centre_hcm.pk,
        year=_year(),
        targets={"placements": 500, "surveys": 1500, "satisfied_percent": 95},
    )
    assert _line(world, world.centre_officer, Indicator.PLACEMENTS).actual == 0
    lan = world.seeker_anonymous.person.user
    application = applications.application_submit(actor=lan, vacancy_id=world.vacancy_a.pk)
    applications.application_set_status(actor=world.admin_a, application_id=application.pk, status="hired")

    placed = _line(world, world.centre_officer, Indicator.PLACEMENTS)
    assert (placed.target, placed.actual, placed.percent) == (500, 1, 0.2)
    # The province sees it too; the other province's centre does not.
    assert _line(world, world.provincial_officer, Indicator.PLACEMENTS).actual == 1
    assert _line(world, world.ministry_officer, Indicator.PLACEMENTS).actual == 1
    with pytest.raises(NotFound):
        _line(world, world.other_centre_officer, Indicator.PLACEMENTS)
    # The seeker's survey about the placement: answered, it moves the survey figures.
    record = ServiceRecord.objects.get(kind=ServiceKind.PLACEMENT)
    assert record.person == world.seeker_anonymous.person
    service_records.survey_answer(token=survey_token(record), score=5)
    answered = _line(world, world.centre_officer, Indicator.SURVEYS)
    satisfied = _line(world, world.centre_officer, Indicator.SATISFIED_PERCENT)
    assert (answered.actual, answered.target) == (1, 1500)
    assert (satisfied.actual, satisfied.target, satisfied.reached) == (100.0, 95, True)


def test_fairs_talks_and_counselling_are_counted(world):
    centre = world.centre_hcm
    _fair(centre)
    _fair(centre, kind=FairKind.MOBILE)
    _fair(centre, kind=FairKind.MOBILE, status=FairStatus.CLOSED)
    _fair(centre, status=FairStatus.CANCELLED)  # cancelled
    _fair(centre, hours_ago=-5)  # not held yet
    _fair(centre, hours_ago=1, hours=48)  # still going on
    _fair(centre, year=_year() - 1)  # last year
    _fair(world.centre_hanoi)  # another centre
    for attendees in (200, 240):
        career_talks.talk_record(
            actor=world.centre_officer, school="THPT", held_on=timezone.localdate(), attendees=attendees
        )
    held_appointment(world)
    held_appointment(world)  # the same person twice
    held_appointment(world, personal_id="079195004321")
    figures = dashboard.dashboard_for(world.centre_officer, year=_year())[0]
    actual = {line.indicator: line.actual for line in figures.lines}
    assert actual[Indicator.FAIRS] == 3
    assert actual[Indicator.MOBILE_FAIRS] == 2
    assert actual[Indicator.CAREER_TALKS] == 2
    assert actual[Indicator.TALK_ATTENDEES] == 440
    assert actual[Indicator.COUNSELLED] == 2
    assert actual[Indicator.SURVEYS] == 0
    assert actual[Indicator.SATISFIED_PERCENT] == 0


def test_the_province_sees_its_centres_with_a_total_in_bounded_queries(world, django_assert_max_num_queries):
    second = OrganisationFactory(
        name="Trung tâm DVVL số 2", kind="employment_centre", province=world.hcm, parent=world.dept_hcm
    )
    for _ in range(3):
        OrganisationFactory(kind="employment_centre", province=world.hcm, parent=world.dept_hcm)
    targets.targets_set(
        actor=world.provincial_officer, centre_id=second.pk, year=_year(), targets={"placements": 100}
    )
    targets.targets_set(
        actor=world.provincial_officer,
        centre_id=world.centre_hcm.pk,
        year=_year(),
        targets={"placements": 400},
    )
    with django_assert_max_num_queries(9):
        rows = dashboard.dashboard_for(world.provincial_officer, year=_year())
    assert {r.centre.pk for r in rows} >= {world.centre_hcm.pk, second.pk}
    assert world.centre_hanoi.pk not in {r.centre.pk for r in rows}
    total = dashboard.totals(rows, _year())
    assert total.line(Indicator.PLACEMENTS).target == 500


def test_seekers_and_employers_have_no_dashboard(world):
    for actor in (world.seeker_anonymous.person.user, world.admin_a):
        with pytest.raises(PermissionDenied):
            dashboard.dashboard_for(actor, year=_year())
