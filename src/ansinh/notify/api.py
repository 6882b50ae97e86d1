"""The inbox and web-push endpoints for the mobile app (bearer token). The inbox page's script uses the
session views of notify/views.py instead, since the API takes bearer tokens only."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.notify import selectors, services, vapid
from ansinh.notify.models import Message, PushSubscription
from ansinh.notify.schemas import (
    InboxMessageOut,
    PushEndpointIn,
    PushKeyOut,
    PushSubscriptionIn,
    PushSubscriptionOut,
    UnreadCountOut,
)

router = Router(tags=["notifications"])


@router.get("/inbox", response=list[InboxMessageOut], summary="The caller's messages, newest first")
@paginate(PageNumber)
def inbox_list(request: HttpRequest, unread: bool = False) -> QuerySet[Message]:
    return selectors.inbox_for(current_user(request), unread_only=unread)


@router.get(
    "/inbox/unread-count", response=UnreadCountOut, summary="How many of the caller's messages are unread"
)
def inbox_unread_count(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.unread_count_for(current_user(request))}


@router.post(
    "/inbox/{message_id}/read", response=InboxMessageOut, summary="Mark one of the caller's messages read"
)
def inbox_mark_read(request: HttpRequest, message_id: int) -> Message:
    return services.message_mark_read(actor=current_user(request), message_id=message_id)


@router.get("/push/key", response=PushKeyOut, summary="The key to pass to pushManager.subscribe")
def push_key(request: HttpRequest) -> dict[str, str]:
    return {"public_key": vapid.public_key()}


@router.post(
    "/push/subscriptions",
    response={201: PushSubscriptionOut},
    summary="Register this browser or device for web-push notifications",
)
def push_subscribe(request: HttpRequest, payload: PushSubscriptionIn) -> Status:
    subscription: PushSubscription = services.push_subscribe(
        actor=current_user(request),
        endpoint=payload.endpoint,
        p256dh=payload.keys.p256dh,
        auth=payload.keys.auth,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201, subscription)


@router.delete(
    "/push/subscriptions",
    response={204: None},
    summary="Stop web-push notifications to this browser or device",
)
def push_unsubscribe(request: HttpRequest, payload: PushEndpointIn) -> Status:
    services.push_unsubscribe(actor=current_user(request), endpoint=payload.endpoint)
    return Status(204, None)
