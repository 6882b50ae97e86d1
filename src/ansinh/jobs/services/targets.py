"""Yearly targets of a centre, one per indicator (seed 004: 500 people into new jobs, 38 mobile fairs, 20
career talks, 1,500 survey forms, over 95% satisfied). Set by the centre's head or the province's department
(`jobs_target.set`)."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.core import audit
from ansinh.core.errors import ValidationFailed
from ansinh.jobs import centre_selectors as sel
from ansinh.jobs import permissions as perms
from ansinh.jobs.models import CentreTarget, Indicator

MAX_TARGET = 10_000_000


def _year(year: Any) -> int:
    this_year = timezone.localdate().year
    try:
        value = int(year)
    except (TypeError, ValueError):
        value = 0
    if not this_year - 1 <= value <= this_year + 1:
        raise ValidationFailed.single("year", _("Choose last year, this year or next year."))
    return value


@transaction.atomic
def targets_set(*, actor: Any, centre_id: Any, year: Any, targets: dict[str, Any]) -> list[CentreTarget]:
    """Sets the centre's targets of the year (indicator -> whole number; an empty value removes the
    target). Every value is checked before anything is written."""
    centre = sel.centre_get_for(actor, centre_id, perms.TARGET_SET)
    value_year = _year(year)
    errors: dict[str, list[str]] = {}
    chosen: dict[str, int | None] = {}
    for indicator, raw in (targets or {}).items():
        if indicator not in Indicator.values:
            errors[indicator] = [_("This is not an indicator of the centres.")]
            continue
        if raw in (None, ""):
            chosen[indicator] = None
            continue
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = -1
        limit = 100 if indicator == Indicator.SATISFIED_PERCENT else MAX_TARGET
        if not 0 <= value <= limit:
            errors[indicator] = [
                _("Enter a whole number from 0 to %(limit)s.") % {"limit": f"{limit:,}".replace(",", ".")}
            ]
            continue
        chosen[indicator] = value
    if not chosen and not errors:
        errors["targets"] = [_("Enter at least one target.")]
    if errors:
        raise ValidationFailed(errors)
    saved = []
    for indicator, wanted in chosen.items():
        if wanted is None:
            CentreTarget.objects.filter(centre=centre, year=value_year, indicator=indicator).delete()
            continue
        target, _created = CentreTarget.objects.update_or_create(
            centre=centre,
            year=value_year,
            indicator=indicator,
            defaults={"target": wanted, "org_path": centre.path},
        )
        saved.append(target)
    audit.record(
        actor=actor,
        action="jobs.targets_set",
        obj=centre,
        changes={"year": value_year, "targets": chosen},
    )
    return saved
