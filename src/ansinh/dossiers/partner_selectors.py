"""Reads about partner systems: a partner's own dossiers, and the callback log staff see.

Partners are not placed in the organisation tree: whoever holds `partner.manage` (in any scope) sees every
partner and every callback. A partner sees only the dossiers it filed.
"""

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from ansinh.accounts.selectors import grant_for
from ansinh.core.errors import NotFound
from ansinh.dossiers import permissions as perms
from ansinh.dossiers.models import CallbackStatus, Dossier, Partner, PartnerCallback

CALLBACK_STATUSES = frozenset(CallbackStatus.values)


def partner_dossier_find(partner: Partner, reference: str) -> Dossier | None:
    return Dossier.objects.filter(partner=partner, partner_reference=reference).first()


def partner_dossier_get(partner: Partner, reference: str) -> Dossier:
    """The partner's dossier with this reference; another partner's dossier does not exist for it."""
    dossier = partner_dossier_find(partner, reference)
    if dossier is None:
        raise NotFound()
    return dossier


def may_manage_partners(actor: Any) -> bool:
    return not grant_for(actor, perms.PARTNER_MANAGE).empty


def _count_of(status: str) -> Coalesce:
    counted = (
        PartnerCallback.objects.filter(partner=OuterRef("pk"), status=status)
        .order_by()
        .values("partner")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def partner_overview_for(actor: Any) -> QuerySet[Partner]:
    """Every partner with how many of its callbacks wait to be sent and how many failed."""
    if not may_manage_partners(actor):
        return Partner.objects.none()
    return Partner.objects.annotate(
        n_pending=_count_of(CallbackStatus.PENDING),
        n_failed=_count_of(CallbackStatus.FAILED),
    ).order_by("name", "id")


def callbacks_for(
    actor: Any, *, partner_id: int | None = None, status: str = ""
) -> QuerySet[PartnerCallback]:
    """The callback log, newest first; `status` one of CallbackStatus (anything else: every status)."""
    if not may_manage_partners(actor):
        return PartnerCallback.objects.none()
    qs = PartnerCallback.objects.select_related("partner", "dossier")
    if partner_id:
        qs = qs.filter(partner_id=partner_id)
    if status in CALLBACK_STATUSES:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def due_callback_ids(limit: int = 500) -> list[int]:
    """Pending callbacks whose next attempt is due (for the sweep), oldest due first."""
    now = timezone.now()
    return list(
        PartnerCallback.objects.filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True))
        .filter(status=CallbackStatus.PENDING)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )


def callback_due_in(callback_id: int) -> int | None:
    """Seconds until a pending callback's next attempt (at least 1), or None when it is not pending."""
    next_attempt_at = (
        PartnerCallback.objects.filter(pk=callback_id, status=CallbackStatus.PENDING)
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if next_attempt_at is None:
        return None
    return max(1, int((next_attempt_at - timezone.now()).total_seconds()) + 1)
