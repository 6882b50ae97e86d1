"""Career-guidance talks at schools (seed 004: 20 talks for 4,800 grade-12 students in a year).

A talk is recorded with its school, place, date and the number of students: it counts towards the centre's
targets. It brings no satisfaction survey: a talk to a school hall is not a service to an identified person
(no `ServiceRecord`), and a survey must only reach a person who was actually served, so the students'
opinion, if asked, is collected by the school on paper and is not part of the audited satisfaction figure.
"""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.core import audit
from ansinh.core.errors import ValidationFailed
from ansinh.geo.models import Ward
from ansinh.jobs import centre_selectors as sel
from ansinh.jobs.models import CareerTalk

MAX_ATTENDEES = 20_000


@transaction.atomic
def talk_record(
    *,
    actor: Any,
    centre_id: Any = None,
    school: str,
    held_on: Any,
    attendees: Any,
    ward_id: Any = None,
    notes: str = "",
) -> CareerTalk:
    centre = sel.centre_get_for(actor, centre_id)
    errors: dict[str, list[str]] = {}
    school = " ".join((school or "").split())
    if not school:
        errors["school"] = [_("Enter the name of the school.")]
    elif len(school) > 255:
        errors["school"] = [_("Keep the name under 255 characters.")]
    if not isinstance(held_on, date):
        errors["held_on"] = [_("Enter the date of the talk.")]
    elif held_on > timezone.localdate() + timedelta(days=1):
        errors["held_on"] = [_("Record a talk once it has been held.")]
    try:
        count = int(attendees)
    except (TypeError, ValueError):
        count = -1
    if not 1 <= count <= MAX_ATTENDEES:
        errors["attendees"] = [_("Enter the number of students who attended.")]
    ward = None
    if ward_id not in (None, ""):
        ward = Ward.objects.filter(pk=ward_id).first()
        if ward is None or (centre.province_id and ward.province_id != centre.province_id):
            errors["ward_id"] = [_("Choose a ward or commune of the centre's province.")]
    if len(notes or "") > 5000:
        errors["notes"] = [_("Keep the notes under 5,000 characters.")]
    if errors:
        raise ValidationFailed(errors)
    talk = CareerTalk.objects.create(
        centre=centre,
        school=school,
        ward=ward,
        held_on=held_on,
        attendees=count,
        notes=(notes or "").strip(),
        recorded_by=actor,
        org_path=centre.path,
    )
    audit.record(actor=actor, action="jobs.talk_record", obj=talk)
    return talk
