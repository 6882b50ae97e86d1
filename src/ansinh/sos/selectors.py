"""Reads of the notices. Notices are public: anyone may read what is published and not withdrawn."""

from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from ansinh.accounts.selectors import has_permission, require_permission
from ansinh.core import audit
from ansinh.core.errors import NotFound
from ansinh.sos.models import (
    Audience,
    HelpRequest,
    Notice,
    NoticeRead,
    RequestKind,
    RequestStatus,
    WorkerProfile,
)
from ansinh.sos.permissions import SOS_HANDLE


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


def worker_profile_of(actor: Any) -> WorkerProfile | None:
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "person_id", None):
        return None
    return WorkerProfile.objects.filter(person_id=actor.person_id).first()


def notice_feed_for_worker(actor: Any) -> QuerySet[Notice]:
    """What a signed-in worker sees: notices for everyone and those aimed at their country, programme or
    employer; pinned first, then the ones aimed at them, then the newest. Anyone else gets the public feed."""
    profile = worker_profile_of(actor)
    if profile is None:
        return notice_feed()
    mine = Q(audience=Audience.COUNTRY, country=profile.country)
    if profile.programme:
        mine |= Q(audience=Audience.PROGRAMME, programme=profile.programme)
    if profile.employer:
        mine |= Q(audience=Audience.EMPLOYER, employer__iexact=profile.employer)
    aimed = Case(When(mine, then=Value(0)), default=Value(1))
    return (
        published_notices()
        .filter(mine | Q(audience=Audience.EVERYONE))
        .order_by("-pinned", aimed, "-published_at", "-id")
    )


def read_notice_ids(actor: Any, notice_ids: list[int]) -> set[int]:
    if not getattr(actor, "is_authenticated", False) or not notice_ids:
        return set()
    reads = NoticeRead.objects.filter(user=actor, notice_id__in=notice_ids)
    return set(reads.values_list("notice_id", flat=True))


# --- support and SOS requests -----------------------------------------------------------------------------


def my_requests(actor: Any) -> QuerySet[HelpRequest]:
    if not getattr(actor, "is_authenticated", False):
        return HelpRequest.objects.none()
    return HelpRequest.objects.filter(worker=actor).order_by("-created_at", "-id")


def request_get_for(actor: Any, request_id: int) -> HelpRequest:
    """The worker who sent it, or an operator of the desk (whose read of it is audited)."""
    request = HelpRequest.objects.select_related("worker", "assigned_to").filter(pk=request_id).first()
    if request is None:
        raise NotFound()
    if request.worker_id == getattr(actor, "pk", None):
        return request
    if not has_permission(actor, SOS_HANDLE):
        raise NotFound()
    audit.record_read(actor=actor, obj=request)
    return request


def request_queue(actor: Any) -> QuerySet[HelpRequest]:
    """Open requests for the desk: every SOS before any support request, then the oldest first."""
    require_permission(actor, SOS_HANDLE)
    open_states = [RequestStatus.RECEIVED, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS]
    kind_order = Case(When(kind=RequestKind.SOS, then=Value(0)), default=Value(1))
    return (
        HelpRequest.objects.filter(status__in=open_states)
        .select_related("worker", "assigned_to")
        .order_by(kind_order, "created_at", "id")
    )
