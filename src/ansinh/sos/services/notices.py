"""Writes of the notices: publish, withdraw, mark read. Publishing is one row whatever the audience size."""

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts.selectors import require_permission
from ansinh.core import audit
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.geo.models import Country
from ansinh.sos.models import Audience, Notice, NoticeRead, Programme
from ansinh.sos.permissions import NOTICE_PUBLISH
from ansinh.sos.selectors import published_notices


def _clean_notice(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    cleaned = {key: (value.strip() if isinstance(value, str) else value) for key, value in fields.items()}
    for name, limit in (("title", 200), ("title_en", 200)):
        if len(cleaned.get(name) or "") > limit:
            errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
    for name in ("title", "body"):
        if not cleaned.get(name):
            errors[name] = [_("This field is required.")]
    audience = cleaned.get("audience") or Audience.EVERYONE
    if audience not in Audience.values:
        errors["audience"] = [_("Choose one of the options.")]
    cleaned["country"] = (cleaned.get("country") or "").upper()
    if audience == Audience.COUNTRY and not Country.objects.filter(iso2=cleaned["country"]).exists():
        errors["country"] = [_("Choose the country (a two-letter code such as KR).")]
    if audience == Audience.PROGRAMME and cleaned.get("programme") not in Programme.values:
        errors["programme"] = [_("Choose one of the options.")]
    if audience == Audience.EMPLOYER and not cleaned.get("employer"):
        errors["employer"] = [_("Name the employer.")]
    if errors:
        raise ValidationFailed(errors)
    # Only the field that the audience uses is kept, so a notice never carries a stale, unused target.
    cleaned["audience"] = audience
    for other in ("country", "programme", "employer"):
        if audience != other:
            cleaned[other] = ""
    return cleaned


def notice_publish(
    *,
    actor: Any,
    title: str,
    body: str,
    audience: str = Audience.EVERYONE,
    country: str = "",
    programme: str = "",
    employer: str = "",
    pinned: bool = False,
    urgent: bool = False,
    title_en: str = "",
    body_en: str = "",
) -> Notice:
    require_permission(actor, NOTICE_PUBLISH)
    cleaned = _clean_notice(
        {
            "title": title,
            "body": body,
            "audience": audience,
            "country": country,
            "programme": programme,
            "employer": employer,
            "title_en": title_en,
            "body_en": body_en,
        }
    )
    with transaction.atomic():
        notice = Notice.objects.create(**cleaned, pinned=pinned, urgent=urgent, created_by=actor)
        audit.record(
            actor=actor,
            action="notice.publish",
            obj=notice,
            changes={"audience": notice.audience, "country": notice.country, "urgent": urgent},
        )
        if notice.urgent:
            from ansinh.sos.tasks import push_urgent_notice  # the tasks import the services

            transaction.on_commit(lambda: push_urgent_notice.delay(notice.pk), robust=True)
    return notice


def notice_withdraw(*, actor: Any, notice_id: int) -> Notice:
    require_permission(actor, NOTICE_PUBLISH)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id, withdrawn_at__isnull=True).first()
        if notice is None:
            raise NotFound()
        notice.withdrawn_at = timezone.now()
        notice.save(update_fields=["withdrawn_at"])
        audit.record(actor=actor, action="notice.withdraw", obj=notice)
    return notice


def notice_mark_read(*, actor: Any, notice_id: int) -> NoticeRead:
    """A signed-in worker's read mark (the only per-person row a notice ever gets)."""
    notice = published_notices().filter(pk=notice_id).first()
    if notice is None:
        raise NotFound()
    mark, _created = NoticeRead.objects.get_or_create(notice=notice, user=actor)
    return mark
