"""Applications: a seeker applies and may withdraw; the employer moves the application on. A hire places
the seeker (`placements.placement_from_hire`)."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts.selectors import require_permission, scope_q
from ansinh.core import audit
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.jobs import messages, rules
from ansinh.jobs import permissions as perms
from ansinh.jobs.errors import AlreadyApplied, NoSeekerProfile, StatusChangeNotAllowed, VacancyClosed
from ansinh.jobs.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    EmployerStatus,
    SeekerProfile,
    Vacancy,
    VacancyStatus,
)
from ansinh.jobs.services.placements import placement_from_hire
from ansinh.notify.services import notify_org, notify_person


def seeker_of(actor: Any) -> SeekerProfile:
    """The signed-in person's seeker profile."""
    person_id = getattr(actor, "person_id", None)
    profile = SeekerProfile.objects.filter(person_id=person_id).first() if person_id else None
    if profile is None:
        raise NoSeekerProfile()
    return profile


def _open_vacancy(vacancy_id: int) -> Vacancy:
    vacancy = Vacancy.objects.select_related("employer__organisation").filter(pk=vacancy_id).first()
    if vacancy is None:
        raise NotFound()
    if (
        vacancy.status != VacancyStatus.OPEN
        or vacancy.deadline < timezone.localdate()
        or vacancy.employer.status != EmployerStatus.VERIFIED
    ):
        raise VacancyClosed()
    return vacancy


def _event(application: Application, actor: Any, note: str = "") -> None:
    ApplicationEvent.objects.create(
        application=application, status=application.status, note=note, actor=actor
    )


@transaction.atomic
def application_submit(
    *, actor: Any, vacancy_id: int, cover_note: str = "", fair_id: int | None = None
) -> Application:
    seeker = seeker_of(actor)
    vacancy = _open_vacancy(vacancy_id)
    if len(cover_note or "") > 2000:
        raise ValidationFailed.single("cover_note", _("Keep the message under 2,000 characters."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                vacancy=vacancy,
                seeker=seeker,
                org_path=vacancy.org_path,
                cover_note=(cover_note or "").strip(),
                fair_id=fair_id,
            )
    except IntegrityError:
        raise AlreadyApplied() from None
    _event(application, actor)
    audit.record(actor=actor, action="jobs.application_submit", obj=application)
    organisation = vacancy.employer.organisation
    context = {"vacancy": vacancy.title, "seeker": seeker.person.full_name}
    transaction.on_commit(
        lambda: notify_org(organisation, messages.NEW_APPLICATION, context, permission=perms.VACANCY_MANAGE)
    )
    return application


@transaction.atomic
def application_withdraw(*, actor: Any, application_id: int) -> Application:
    seeker = seeker_of(actor)
    application = Application.objects.select_for_update().filter(pk=application_id, seeker=seeker).first()
    if application is None:
        raise NotFound()
    if not rules.seeker_may_withdraw(application.status):
        raise StatusChangeNotAllowed()
    application.status = ApplicationStatus.WITHDRAWN
    application.status_changed_at = timezone.now()
    application.save(update_fields=["status", "status_changed_at"])
    _event(application, actor)
    audit.record(actor=actor, action="jobs.application_withdraw", obj=application)
    return application


def application_get_for_employer(actor: Any, application_id: int) -> Application:
    """An application to one of the actor's employer's vacancies (404 for anyone else's)."""
    grant = require_permission(actor, perms.VACANCY_MANAGE)
    application = (
        Application.objects.select_related("vacancy__employer__organisation", "seeker__person")
        .filter(scope_q(grant, org_path="org_path"), pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound()
    return application


@transaction.atomic
def application_set_status(*, actor: Any, application_id: int, status: str, note: str = "") -> Application:
    """The employer moves an application on. Hired places the seeker; each change tells the seeker."""
    found = application_get_for_employer(actor, application_id)
    application = Application.objects.select_for_update().get(pk=found.pk)
    application.vacancy, application.seeker = found.vacancy, found.seeker
    if application.status == status:
        return application
    if status not in ApplicationStatus.values or not rules.employer_may_move(application.status, status):
        raise StatusChangeNotAllowed()
    application.status = status
    application.status_changed_at = timezone.now()
    application.save(update_fields=["status", "status_changed_at"])
    _event(application, actor, note=(note or "")[:500])
    audit.record(actor=actor, action="jobs.application_status", obj=application, changes={"status": status})
    if status == ApplicationStatus.HIRED:
        placement_from_hire(actor=actor, application=application)
    person = application.seeker.person
    context = {
        "vacancy": application.vacancy.title,
        "employer": application.vacancy.employer.organisation.name,
        "status": ApplicationStatus(status).label,
    }
    transaction.on_commit(lambda: notify_person(person, messages.APPLICATION_STATUS, context))
    return application


def application_mark_viewed(*, actor: Any, application_id: int) -> Application:
    """The employer opened a sent application: the seeker sees it was viewed."""
    application = application_get_for_employer(actor, application_id)
    if application.status == ApplicationStatus.SENT:
        return application_set_status(
            actor=actor, application_id=application.pk, status=ApplicationStatus.VIEWED
        )
    return application
