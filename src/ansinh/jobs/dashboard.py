"""The centres' yearly targets against what they actually did, counted live from the records.

Actual figures of a year (local time, Asia/Ho_Chi_Minh):
- people placed: placements VERIFIED whose verification falls in the year (a hire marked by a verified
  employer is verified at once; a placement a centre reported, once a second officer checked it);
- job fairs held: the centre's fairs, not cancelled, that started in the year and have ended;
  mobile fairs: the same, of kind "mobile";
- career talks and the students attending: talks held in the year;
- people counselled: distinct people with an appointment held in the year (two sessions, one person);
- surveys answered and the share satisfied (score 4 or 5 of those who answered): only from the
  `SatisfactionSurvey` rows, each linked to a service really given, by the year the survey was sent.

Each figure is one grouped query over all the centres asked for, so the number of queries does not grow
with the number of centres (about seven for a province's whole set).
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from ansinh.accounts.models import Organisation
from ansinh.jobs import centre_selectors as sel
from ansinh.jobs import permissions as perms
from ansinh.jobs.models import (
    AppointmentStatus,
    CareerTalk,
    CentreTarget,
    CounsellingAppointment,
    FairKind,
    FairStatus,
    Indicator,
    JobFair,
    Placement,
    PlacementStatus,
)

COUNTS = [i for i in Indicator if i != Indicator.SATISFIED_PERCENT]


@dataclass
class Line:
    indicator: str
    label: str
    target: int | None
    actual: float
    # The actual as a share of the target (None without a target).
    percent: float | None

    @property
    def is_percent(self) -> bool:
        return self.indicator == Indicator.SATISFIED_PERCENT

    @property
    def reached(self) -> bool:
        return self.target is not None and self.actual >= self.target


@dataclass
class CentreFigures:
    centre: Organisation
    year: int
    lines: list[Line]
    surveys: sel.SurveyFigures = field(default_factory=sel.SurveyFigures)

    def line(self, indicator: str) -> Line:
        return next(line for line in self.lines if line.indicator == indicator)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return datetime(year, 1, 1, tzinfo=tz), datetime(year + 1, 1, 1, tzinfo=tz)


def _by_centre(rows: Any, *names: str) -> dict[int, dict[str, int]]:
    return {row["centre_id"]: {name: row[name] or 0 for name in names} for row in rows}


def actuals(
    centre_ids: list[int],
    year: int,
    now: datetime | None = None,
    surveys: dict[int, sel.SurveyFigures] | None = None,
) -> dict[int, dict[str, float]]:
    """Indicator -> actual figure, for each centre."""
    now = now or timezone.now()
    start, end = year_bounds(year)
    placed = _by_centre(
        Placement.objects.filter(
            centre_id__in=centre_ids,
            status=PlacementStatus.VERIFIED,
            verified_at__gte=start,
            verified_at__lt=end,
        )
        .values("centre_id")
        .annotate(n=Count("id")),
        "n",
    )
    fairs = _by_centre(
        JobFair.objects.filter(
            centre_id__in=centre_ids, starts_at__gte=start, starts_at__lt=end, ends_at__lte=now
        )
        .exclude(status=FairStatus.CANCELLED)
        .values("centre_id")
        .annotate(n=Count("id"), mobile=Count("id", filter=Q(kind=FairKind.MOBILE))),
        "n",
        "mobile",
    )
    talks = _by_centre(
        CareerTalk.objects.filter(centre_id__in=centre_ids, held_on__year=year)
        .values("centre_id")
        .annotate(n=Count("id"), students=Sum("attendees")),
        "n",
        "students",
    )
    counselled = _by_centre(
        CounsellingAppointment.objects.filter(
            centre_id__in=centre_ids,
            status=AppointmentStatus.DONE,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .values("centre_id")
        .annotate(n=Count("person_id", distinct=True)),
        "n",
    )
    if surveys is None:
        surveys = sel.survey_figures(centre_ids, year)
    result: dict[int, dict[str, float]] = {}
    for centre_id in centre_ids:
        survey = surveys.get(centre_id, sel.SurveyFigures())
        result[centre_id] = {
            Indicator.PLACEMENTS: placed.get(centre_id, {}).get("n", 0),
            Indicator.FAIRS: fairs.get(centre_id, {}).get("n", 0),
            Indicator.MOBILE_FAIRS: fairs.get(centre_id, {}).get("mobile", 0),
            Indicator.CAREER_TALKS: talks.get(centre_id, {}).get("n", 0),
            Indicator.TALK_ATTENDEES: talks.get(centre_id, {}).get("students", 0),
            Indicator.COUNSELLED: counselled.get(centre_id, {}).get("n", 0),
            Indicator.SURVEYS: survey.answered,
            Indicator.SATISFIED_PERCENT: survey.percent or 0.0,
        }
    return result


def _lines(targets: dict[str, int], figures: dict[str, float]) -> list[Line]:
    lines = []
    for indicator in Indicator:
        target = targets.get(indicator)
        actual = figures.get(indicator, 0)
        percent = round(100 * actual / target, 1) if target else None
        lines.append(Line(indicator, str(indicator.label), target, actual, percent))
    return lines


def figures_for(centres: list[Organisation], year: int, now: datetime | None = None) -> list[CentreFigures]:
    """Targets and actual figures of each centre in the year."""
    ids = [c.pk for c in centres]
    surveys = sel.survey_figures(ids, year)
    found = actuals(ids, year, now, surveys)
    targets: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    for centre_id, indicator, target in CentreTarget.objects.filter(centre_id__in=ids, year=year).values_list(
        "centre_id", "indicator", "target"
    ):
        targets[centre_id][indicator] = target
    return [
        CentreFigures(
            centre=c,
            year=year,
            lines=_lines(targets[c.pk], found[c.pk]),
            surveys=surveys.get(c.pk, sel.SurveyFigures()),
        )
        for c in centres
    ]


def totals(rows: list[CentreFigures], year: int) -> CentreFigures | None:
    """The sum over centres (the satisfied share recomputed from the summed answers, not averaged)."""
    if not rows:
        return None
    surveys = sel.SurveyFigures(
        sent=sum(r.surveys.sent for r in rows),
        answered=sum(r.surveys.answered for r in rows),
        satisfied=sum(r.surveys.satisfied for r in rows),
    )
    figures: dict[str, float] = {i: sum(r.line(i).actual for r in rows) for i in COUNTS}
    figures[Indicator.SATISFIED_PERCENT] = surveys.percent or 0.0
    targets: dict[str, int] = {}
    for indicator in COUNTS:
        values = [r.line(indicator).target for r in rows if r.line(indicator).target is not None]
        if values:
            targets[indicator] = sum(v for v in values if v is not None)
    percent_targets = [
        r.line(Indicator.SATISFIED_PERCENT).target
        for r in rows
        if r.line(Indicator.SATISFIED_PERCENT).target is not None
    ]
    if percent_targets:
        targets[Indicator.SATISFIED_PERCENT] = min(t for t in percent_targets if t is not None)
    return CentreFigures(centre=rows[0].centre, year=year, lines=_lines(targets, figures), surveys=surveys)


def dashboard_for(
    actor: Any, *, year: int, centre_id: Any = None, province_id: Any = None
) -> list[CentreFigures]:
    """The dashboard rows the actor may read (`jobs_statistics.read`): one centre, or every centre in
    scope (a province's centres, the whole country for the ministry), optionally of one province."""
    if centre_id not in (None, ""):
        centres = [sel.centre_get_for(actor, centre_id, perms.STATISTICS_READ)]
    else:
        qs = sel.centres_for(actor, perms.STATISTICS_READ)
        if str(province_id or "").isdigit():
            qs = qs.filter(province_id=int(str(province_id)))
        centres = list(qs)
    return figures_for(centres, year)
