"""Reads of the notices. Notices are public: anyone may read what is published and not withdrawn."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from ansinh.sos.models import Audience, Notice, NoticeRead


def published_notices() -> QuerySet[Notice]:
    return Notice.objects.filter(published_at__lte=timezone.now(), withdrawn_at__isnull=True)


def notice_feed(*, country: str = "", programme: str = "") -> QuerySet[Notice]:
    """Pinned first, then newest. With a country (or programme): the notices for everyone and for it;
    without: all published notices (a notice to one country is public information too)."""
    qs = published_notices()
    if country or programme:
        q = Q(audience=Audience.EVERYONE)
        if country:
            q |= Q(audience=Audience.COUNTRY, country=country.upper())
        if programme:
            q |= Q(audience=Audience.PROGRAMME, programme=programme)
        qs = qs.filter(q)
    return qs.order_by("-pinned", "-published_at", "-id")


def read_notice_ids(actor: Any, notice_ids: list[int]) -> set[int]:
    if not getattr(actor, "is_authenticated", False) or not notice_ids:
        return set()
    reads = NoticeRead.objects.filter(user=actor, notice_id__in=notice_ids)
    return set(reads.values_list("notice_id", flat=True))
