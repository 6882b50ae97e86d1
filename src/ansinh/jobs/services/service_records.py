"""Services a centre actually gave, and the satisfaction survey each one brings.

A survey exists only for a service on record, and its link is sent only to the person served: the share of
satisfied people on the centre's dashboard can be traced to real services, one answer per service."""

import hashlib
import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts.models import Organisation, Person
from ansinh.accounts.services import person_create
from ansinh.core import audit
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.core.identifiers import parse_personal_id
from ansinh.jobs import messages
from ansinh.jobs.errors import SurveyAnswered
from ansinh.jobs.models import SatisfactionSurvey, ServiceKind, ServiceRecord
from ansinh.notify.services import notify_person


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def survey_path(token: str) -> str:
    return reverse("jobs_centre:survey", kwargs={"token": token})


@transaction.atomic
def service_delivered(
    *, centre: Organisation, person: Person, kind: str, source_id: int, at: datetime | None = None
) -> ServiceRecord:
    """Records that `centre` gave `person` a service (kind + the row it is about) and sends the person a
    survey about it, after commit. Recording the same service again returns the first record (and sends
    nothing more), so a retried call is harmless."""
    existing = ServiceRecord.objects.filter(kind=kind, source_id=source_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            record = ServiceRecord.objects.create(
                centre=centre,
                person=person,
                kind=kind,
                source_id=source_id,
                delivered_at=at or timezone.now(),
                org_path=centre.path,
            )
    except IntegrityError:  # recorded concurrently
        return ServiceRecord.objects.get(kind=kind, source_id=source_id)
    token = secrets.token_urlsafe(24)
    SatisfactionSurvey.objects.create(service=record, token_hash=_hash(token), org_path=centre.path)
    service_name = str(ServiceKind(kind).label)

    def send() -> None:
        notify_person(
            person,
            messages.SURVEY,
            {"centre": centre.name, "service": service_name},
            link=survey_path(token),
        )

    transaction.on_commit(send)
    return record


def person_for_service(*, personal_id: str, full_name: str = "", phone: str = "") -> Person:
    """The person a centre serves at its desk, found by the personal ID number (CCCD); a person not yet on
    record is registered with the name given. The caller has checked the officer's permission and audits the
    service it records."""
    parsed = parse_personal_id(personal_id or "")
    if not (personal_id or "").strip():
        raise ValidationFailed.single("personal_id", _("Enter the personal ID number."))
    if not parsed.valid:
        raise ValidationFailed.single("personal_id", str(parsed.error))
    person = Person.objects.filter(personal_id=parsed.number).first()
    if person is not None:
        return person
    if not " ".join((full_name or "").split()):
        raise ValidationFailed.single(
            "full_name", _("This person is not on record yet: enter the full name to register them.")
        )
    return person_create(
        actor=None, full_name=full_name, personal_id=parsed.number, phone=phone, province=None
    )


def survey_for_token(token: str) -> SatisfactionSurvey:
    survey = (
        SatisfactionSurvey.objects.select_related("service__centre")
        .filter(token_hash=_hash(token or ""))
        .first()
    )
    if survey is None:
        raise NotFound()
    return survey


@transaction.atomic
def survey_answer(*, token: str, score: object, comment: str = "") -> SatisfactionSurvey:
    """The person's answer, once. The link is the proof of having been served: nobody else can answer."""
    survey = survey_for_token(token)
    survey = SatisfactionSurvey.objects.select_for_update().get(pk=survey.pk)
    if survey.answered_at is not None:
        raise SurveyAnswered()
    try:
        value = int(str(score))
    except ValueError:
        value = 0
    if not 1 <= value <= 5:
        raise ValidationFailed.single("score", _("Choose how satisfied you are, from 1 to 5."))
    survey.score = value
    survey.comment = (comment or "").strip()[:2000]
    survey.answered_at = timezone.now()
    survey.save(update_fields=["score", "comment", "answered_at"])
    audit.record(actor=None, action="jobs.survey_answer", obj=survey, changes={"score": value})
    return survey
