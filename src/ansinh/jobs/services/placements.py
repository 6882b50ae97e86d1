"""Placements: a person placed in a job through a centre. A hire marked by a verified employer places the
seeker at once (`placement_from_hire`); a placement a centre's officer reports (`placement_report`) counts
once another officer of the same centre has verified it (`placement_verify`), never the one who reported
it."""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ansinh.core import audit
from ansinh.core.errors import Conflict, ValidationFailed
from ansinh.jobs import centre_selectors as sel
from ansinh.jobs.centres import centre_for_province
from ansinh.jobs.errors import StatusChangeNotAllowed
from ansinh.jobs.models import Application, Employer, Placement, PlacementStatus, ServiceKind
from ansinh.jobs.services.service_records import person_for_service, service_delivered


class PlacementSelfCheck(Conflict):
    code = "jobs.placement_self_check"
    default_message = gettext_lazy("Another officer of the centre must verify the placement you reported.")


@transaction.atomic
def placement_from_hire(*, actor: Any, application: Application) -> Placement | None:
    """A verified employer marked the application hired: the seeker is placed, and the placement is
    verified by that mark (the employer confirms it, the seeker applied). It counts for the centre that
    verified the employer (else the centre of the vacancy's province; a fair's organiser when the application
    came through a fair). Without any centre it is not a centre's placement and nothing is recorded."""
    existing = Placement.objects.filter(application=application).first()
    if existing is not None:
        return existing
    vacancy = application.vacancy
    employer = vacancy.employer
    centre = (
        (application.fair.centre if application.fair is not None else None)
        or employer.centre
        or centre_for_province(vacancy.province_id or employer.province_id)
    )
    if centre is None:
        return None
    now = timezone.now()
    placement = Placement.objects.create(
        centre=centre,
        person=application.seeker.person,
        employer=employer,
        employer_name=employer.organisation.name,
        application=application,
        fair=application.fair,
        job_title=vacancy.title,
        status=PlacementStatus.VERIFIED,
        reported_by=actor,
        verified_by=actor,
        verified_at=now,
        org_path=centre.path,
    )
    audit.record(actor=actor, action="jobs.placement_from_hire", obj=placement)
    service_delivered(
        centre=centre, person=placement.person, kind=ServiceKind.PLACEMENT, source_id=placement.pk, at=now
    )
    return placement


# --- placements a centre reports, verified by a second officer --------------------------------------------


@transaction.atomic
def placement_report(
    *,
    actor: Any,
    centre_id: Any = None,
    personal_id: str,
    full_name: str = "",
    employer_id: Any = None,
    employer_name: str = "",
    job_title: str,
    started_on: Any = None,
) -> Placement:
    """A centre's officer reports a person placed in a job (found by the personal ID number; the employer
    on the exchange or by name). It counts once another officer of the centre verified it."""
    centre = sel.centre_get_for(actor, centre_id)
    errors: dict[str, list[str]] = {}
    employer = None
    if employer_id not in (None, ""):
        employer = Employer.objects.select_related("organisation").filter(pk=employer_id).first()
        if employer is None:
            errors["employer_id"] = [_("Choose an employer on the exchange, or type its name.")]
        else:
            employer_name = employer.organisation.name
    employer_name = " ".join((employer_name or "").split())
    if not employer_name and "employer_id" not in errors:
        errors["employer_name"] = [_("Enter the employer's name.")]
    elif len(employer_name) > 255:
        errors["employer_name"] = [_("Keep the name under 255 characters.")]
    job_title = " ".join((job_title or "").split())
    if not job_title:
        errors["job_title"] = [_("Enter the job.")]
    elif len(job_title) > 200:
        errors["job_title"] = [_("Keep the job under 200 characters.")]
    if started_on is not None and not isinstance(started_on, date):
        errors["started_on"] = [_("Enter a valid date.")]
    elif isinstance(started_on, date) and started_on > timezone.localdate() + timedelta(days=90):
        errors["started_on"] = [_("Report a placement when the person starts within three months.")]
    if errors:
        raise ValidationFailed(errors)
    person = person_for_service(personal_id=personal_id, full_name=full_name)
    placement = Placement.objects.create(
        centre=centre,
        person=person,
        employer=employer,
        employer_name=employer_name,
        job_title=job_title,
        started_on=started_on,
        status=PlacementStatus.REPORTED,
        reported_by=actor,
        org_path=centre.path,
    )
    audit.record(actor=actor, action="jobs.placement_report", obj=placement)
    return placement


def _reported(actor: Any, placement_id: int) -> Placement:
    found = sel.placement_get_for(actor, placement_id)
    placement = Placement.objects.select_for_update().get(pk=found.pk)
    if placement.status != PlacementStatus.REPORTED:
        raise StatusChangeNotAllowed()
    if placement.reported_by_id is not None and placement.reported_by_id == getattr(actor, "pk", None):
        raise PlacementSelfCheck()
    placement.centre, placement.person = found.centre, found.person
    return placement


@transaction.atomic
def placement_verify(*, actor: Any, placement_id: int) -> Placement:
    """Another officer of the centre confirms the placement: it counts towards the targets, the service is
    recorded and the person gets a satisfaction survey."""
    placement = _reported(actor, placement_id)
    now = timezone.now()
    placement.status = PlacementStatus.VERIFIED
    placement.verified_by = actor
    placement.verified_at = now
    placement.save(update_fields=["status", "verified_by", "verified_at"])
    audit.record(actor=actor, action="jobs.placement_verify", obj=placement)
    service_delivered(
        centre=placement.centre,
        person=placement.person,
        kind=ServiceKind.PLACEMENT,
        source_id=placement.pk,
        at=now,
    )
    return placement


@transaction.atomic
def placement_reject(*, actor: Any, placement_id: int, reason: str) -> Placement:
    """Another officer could not confirm the placement (the reason is kept in the audit log)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed.single("reason", _("Say why the placement is not confirmed."))
    placement = _reported(actor, placement_id)
    placement.status = PlacementStatus.REJECTED
    placement.verified_by = actor
    placement.verified_at = timezone.now()
    placement.save(update_fields=["status", "verified_by", "verified_at"])
    audit.record(actor=actor, action="jobs.placement_reject", obj=placement, changes={"reason": reason[:500]})
    return placement
