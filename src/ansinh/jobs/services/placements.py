"""Placements: a person placed in a job through a centre. This module: the placement a hire makes."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from ansinh.core import audit
from ansinh.jobs.centres import centre_for_province
from ansinh.jobs.models import Application, Placement, PlacementStatus, ServiceKind
from ansinh.jobs.services.service_records import service_delivered


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
