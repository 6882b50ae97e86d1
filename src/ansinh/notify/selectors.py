"""Reads of the inbox and of deliveries. A person sees the messages to their login and to their person
record; nobody else's."""

from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from ansinh.notify.models import Delivery, DeliveryStatus, Message, PushSubscription


def inbox_for(actor: Any, *, unread_only: bool = False) -> QuerySet[Message]:
    """The actor's messages, newest first."""
    if not getattr(actor, "is_authenticated", False):
        return Message.objects.none()
    q = Q(recipient_user=actor.pk)
    if actor.person_id:
        q |= Q(recipient_person=actor.person_id)
    messages = Message.objects.filter(q)
    if unread_only:
        messages = messages.filter(read_at__isnull=True)
    return messages.order_by("-created_at", "-pk")


def unread_count_for(actor: Any) -> int:
    return inbox_for(actor, unread_only=True).count()


def deliveries_for_message(message_id: int) -> QuerySet[Delivery]:
    """Unscoped: for the delivery tasks and for tests. Staff screens must scope the message first."""
    return Delivery.objects.filter(message_id=message_id).order_by("pk")


def pending_delivery_ids(message_id: int) -> list[int]:
    return list(
        deliveries_for_message(message_id).filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True)
    )


def stale_pending_delivery_ids(*, untouched_since: datetime, limit: int = 500) -> list[int]:
    """Deliveries still pending and not attempted since `untouched_since`: their task was lost (the broker
    was down when the message was written, or a worker died)."""
    stale = Delivery.objects.filter(status=DeliveryStatus.PENDING, updated_at__lt=untouched_since)
    return list(stale.order_by("updated_at").values_list("pk", flat=True)[:limit])


def push_subscriptions_for(actor: Any) -> QuerySet[PushSubscription]:
    if not getattr(actor, "is_authenticated", False):
        return PushSubscription.objects.none()
    return PushSubscription.objects.filter(user=actor.pk).order_by("-created_at")
