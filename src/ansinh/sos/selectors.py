"""Reads of the workers-abroad service: the notices (public: anyone may read what is published and not
withdrawn), a worker's own requests, and the desk's queue, log and worker card (staff reads audited)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from ansinh.accounts.selectors import has_permission, membership_allows, require_permission
from ansinh.core import audit
from ansinh.core.errors import NotFound
from ansinh.sos.models import (
    Audience,
    HelpRequest,
    Mission,
    Notice,
    NoticeRead,
    RequestAction,
    RequestKind,
    RequestStatus,
    WorkerProfile,
)
from ansinh.sos.permissions import SOS_HANDLE
from ansinh.sos.timezones import zone_for


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


def worker_phone(user: Any) -> str:
    """The phone a worker's request starts with: their record's, else their account's."""
    person = getattr(user, "person", None)
    return (getattr(person, "phone", "") or getattr(user, "phone", "") or "") if user else ""


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


def audience_push_subscriptions(notice: Notice) -> QuerySet[Any]:
    """The web-push subscriptions of the workers a notice is for (one query, however many)."""
    from ansinh.notify.models import PushSubscription

    workers = WorkerProfile.objects.all()
    if notice.audience == Audience.COUNTRY:
        workers = workers.filter(country=notice.country)
    elif notice.audience == Audience.PROGRAMME:
        workers = workers.filter(programme=notice.programme)
    elif notice.audience == Audience.EMPLOYER:
        workers = workers.filter(employer__iexact=notice.employer)
    return PushSubscription.objects.filter(
        user__is_active=True, user__person_id__in=workers.values("person_id")
    ).order_by("pk")


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


def desk_request_get(actor: Any, request_id: int) -> HelpRequest:
    """A request as the desk reads it (with its log and the worker card): only for the desk, audited.
    Anyone else, the worker who sent it included, is told it does not exist."""
    if not has_permission(actor, SOS_HANDLE):
        raise NotFound()
    return request_get_for(actor, request_id)


def require_desk(actor: Any) -> None:
    require_permission(actor, SOS_HANDLE)


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


def desk_staff(permission: str = SOS_HANDLE) -> list[Any]:
    """The people of the desk holding `permission` (operators to assign to; supervisors to alert)."""
    from ansinh.accounts.models import Membership

    memberships = (
        Membership.objects.filter(is_active=True, organisation__is_active=True, user__is_active=True)
        .select_related("user", "user__person", "role", "organisation")
        .order_by("user__username")
    )
    staff: dict[int, Any] = {}
    for membership in memberships[:2000]:
        if membership_allows(membership, permission):
            staff.setdefault(membership.user_id, membership.user)
    return list(staff.values())


def missions_for(country: str = "") -> QuerySet[Mission]:
    """The directory: the missions and agencies of the worker's country first, then the others."""
    here = Case(When(country=country.upper(), then=Value(0)), default=Value(1))
    return Mission.objects.filter(active=True).order_by(here, "country", "kind", "name")


def request_actions(request: HelpRequest) -> QuerySet[RequestAction]:
    return request.actions.select_related("actor", "mission", "assignee")


@dataclass(frozen=True)
class WorkerCard:
    full_name: str
    date_of_birth: Any
    passport_number: str
    phone: str
    country: str
    programme: str
    employer: str
    enterprise: str
    contract_number: str
    contract_end: Any
    time_zone: str | None
    local_time: datetime | None
    earlier_requests: int
    profile_id: int | None = None
    security_question: str = ""


def worker_card(request: HelpRequest) -> WorkerCard:
    """Who asked, from the records the centre holds (read under `request_get_for`, which audits it)."""
    person = request.worker.person
    profile = WorkerProfile.objects.filter(person=person).first() if person else None
    country = (profile.country if profile else "") or request.country
    zone = (
        zone_for(
            country,
            float(request.latitude) if request.latitude is not None else None,
            float(request.longitude) if request.longitude is not None else None,
        )
        if country
        else None
    )
    return WorkerCard(
        full_name=person.full_name if person else request.worker.get_username(),
        date_of_birth=person.date_of_birth if person else None,
        passport_number=(profile.passport_number if profile else "")
        or (person.passport_number if person else ""),
        phone=request.phone,
        country=country,
        programme=profile.get_programme_display() if profile and profile.programme else "",
        employer=profile.employer if profile else "",
        enterprise=profile.enterprise if profile else "",
        contract_number=profile.contract_number if profile else "",
        contract_end=profile.contract_end if profile else None,
        time_zone=zone,
        local_time=timezone.now().astimezone(ZoneInfo(zone)) if zone else None,
        profile_id=profile.pk if profile else None,
        security_question=profile.security_question if profile and profile.security_answer_hash else "",
        earlier_requests=HelpRequest.objects.filter(
            worker_id=request.worker_id, created_at__lt=request.created_at
        ).count(),
    )
