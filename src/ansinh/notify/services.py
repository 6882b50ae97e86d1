"""Telling people things: the inbox message, its deliveries by e-mail, SMS and web push, and the browsers
that receive web push.

Other apps call `notify_person`, `notify_user` or `notify_org` inside their own service's transaction. The
message and its deliveries are written in that transaction, and sending starts only after it commits
(`transaction.on_commit`), so a rolled-back step tells no one. These calls write no audit row: the
calling service audits the step that caused the message, and the message itself is the record.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from ansinh.accounts.models import Membership, Organisation, Person, User
from ansinh.accounts.selectors import membership_allows
from ansinh.core import audit
from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.notify import rules, selectors, senders
from ansinh.notify.models import Channel, Delivery, DeliveryStatus, Message, PushSubscription
from ansinh.notify.templates import PUSH_ENABLED, render

logger = logging.getLogger(__name__)

ALL_CHANNELS = frozenset(Channel.values)
DEFAULT_LANGUAGE = "vi"

# --- sending messages --------------------------------------------------------------------------------------


def _wanted(channels: Iterable[str] | None) -> frozenset[str]:
    if channels is None:
        return ALL_CHANNELS
    wanted = frozenset(channels)
    unknown = wanted - ALL_CHANNELS
    if unknown:
        raise ValueError(f"unknown channels: {sorted(unknown)}")
    return wanted


def _user_of(person: Person) -> User | None:
    try:
        return person.user
    except ObjectDoesNotExist:
        return None


def _push_endpoints(user: User | None) -> list[str]:
    if user is None or not user.is_active:
        return []
    return list(PushSubscription.objects.filter(user=user).order_by("pk").values_list("endpoint", flat=True))


def _targets(wanted: frozenset[str], *, email: str, phone: str, user: User | None) -> list[tuple[str, str]]:
    targets: list[tuple[str, str]] = []
    if Channel.EMAIL in wanted and email:
        targets.append((Channel.EMAIL, email))
    if Channel.SMS in wanted and phone:
        targets.append((Channel.SMS, phone))
    if Channel.PUSH in wanted:
        targets += [(Channel.PUSH, endpoint) for endpoint in _push_endpoints(user)]
    return targets


def _enqueue(message_id: int) -> None:
    from ansinh.notify.tasks import deliver_message  # the tasks module imports this one

    deliver_message.delay(message_id)


@transaction.atomic
def _record(
    *,
    template: str,
    context: Mapping[str, Any],
    language: str,
    link: str,
    targets: list[tuple[str, str]],
    user: User | None = None,
    person: Person | None = None,
) -> Message:
    subject, body = render(template, context, language)
    message = Message.objects.create(
        recipient_user=user,
        recipient_person=person,
        template=template,
        language=language,
        subject=subject[:255],
        body=body,
        link=rules.clean_link(link),
    )
    Delivery.objects.bulk_create(
        [Delivery(message=message, channel=channel, address=address) for channel, address in targets]
    )
    if targets:
        # robust: the caller's step has committed; a queue that is down must not turn it into an error page.
        # The deliveries stay pending, visible to operations, and can be enqueued again.
        transaction.on_commit(lambda: _enqueue(message.pk), robust=True)
    return message


def notify_person(
    person: Person,
    template: str,
    context: Mapping[str, Any],
    *,
    link: str = "",
    channels: Iterable[str] | None = None,
) -> Message:
    """Tells a citizen or worker: an inbox message to the person (seen once they sign in), and a delivery
    to each address they have, in the language of their account (Vietnamese without one). `channels`
    restricts the deliveries to some of "email", "sms", "push"."""
    wanted = _wanted(channels)
    user = _user_of(person)
    return _record(
        template=template,
        context=context,
        language=user.language if user is not None else DEFAULT_LANGUAGE,
        link=link,
        targets=_targets(
            wanted,
            email=(user.email if user is not None else "") or person.email,
            phone=person.phone or (user.phone if user is not None else ""),
            user=user,
        ),
        person=person,
    )


def notify_user(
    user: User,
    template: str,
    context: Mapping[str, Any],
    *,
    link: str = "",
    channels: Iterable[str] | None = None,
) -> Message:
    """Tells a login (staff): an inbox message to the user and a delivery to each of their addresses."""
    wanted = _wanted(channels)
    person = user.person if user.person_id else None
    return _record(
        template=template,
        context=context,
        language=user.language or DEFAULT_LANGUAGE,
        link=link,
        targets=_targets(
            wanted,
            email=user.email or (person.email if person else ""),
            phone=user.phone or (person.phone if person else ""),
            user=user,
        ),
        user=user,
    )


@transaction.atomic
def notify_org(
    organisation: Organisation,
    template: str,
    context: Mapping[str, Any],
    *,
    permission: str | None = None,
    link: str = "",
) -> list[Message]:
    """Tells every active member of an active organisation, once each; with `permission`, only members
    whose role there carries it (as the access checks read it: a branch only what was delegated to it)."""
    if not organisation.is_active:
        return []
    memberships = (
        Membership.objects.filter(organisation=organisation, is_active=True, user__is_active=True)
        .select_related("user", "user__person", "role", "organisation")
        .order_by("user_id", "pk")
    )
    users: dict[int, User] = {}
    for membership in memberships:
        if permission is None or membership_allows(membership, permission):
            users.setdefault(membership.user_id, membership.user)
    return [notify_user(user, template, context, link=link) for user in users.values()]


# --- delivering --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """The outcome of one delivery attempt. `retry_in`: seconds until the next try, or None for no retry."""

    status: str
    retry_in: int | None = None


def _finish(delivery_id: int, status: str, error: str = "") -> Attempt:
    now = timezone.now()
    Delivery.objects.filter(pk=delivery_id).update(
        status=status,
        last_error=error[:500],
        sent_at=now if status == DeliveryStatus.SENT else None,
        updated_at=now,
    )
    return Attempt(status)


class _NothingToSend(Exception):
    """The address went away between the message and the attempt (a device unsubscribed)."""


def _recipient_user_id(message: Message) -> int | None:
    if message.recipient_user_id is not None:
        return message.recipient_user_id
    if message.recipient_person_id is None:
        return None
    return User.objects.filter(person_id=message.recipient_person_id).values_list("pk", flat=True).first()


def _send(delivery: Delivery) -> None:
    message = delivery.message
    if delivery.channel == Channel.EMAIL:
        senders.send_email(message, delivery.address)
    elif delivery.channel == Channel.SMS:
        senders.send_text(message, delivery.address)
    else:
        # Still this recipient's device? A browser passes to whoever signs in on it next (push_subscribe).
        owner = _recipient_user_id(message)
        subscription = (
            PushSubscription.objects.filter(endpoint=delivery.address, user_id=owner).first()
            if owner
            else None
        )
        if subscription is None:
            raise _NothingToSend("the device unsubscribed or changed hands before sending")
        try:
            senders.send_push(message, subscription)
        except senders.SubscriptionGone:
            subscription.delete()
            raise
        except senders.SendError:
            PushSubscription.objects.filter(pk=subscription.pk).update(failures=F("failures") + 1)
            raise
        PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=timezone.now(), failures=0)


def delivery_attempt(*, delivery_id: int, may_retry: bool) -> Attempt:
    """Sends one delivery once. Safe to run twice: only a pending delivery is sent, and each attempt is
    claimed by moving `attempts` from n to n+1 in one conditional update, so two workers holding the same
    task never both send. With `may_retry`, a failure that may pass leaves it pending and says when to try
    again; otherwise (or after rules.MAX_ATTEMPTS) it is marked failed with the reason."""
    delivery = Delivery.objects.select_related("message").filter(pk=delivery_id).first()
    if delivery is None:
        return Attempt("missing")
    if delivery.status != DeliveryStatus.PENDING:
        return Attempt(delivery.status)
    claimed = Delivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
    ).update(attempts=F("attempts") + 1, updated_at=timezone.now())
    if not claimed:
        return Attempt(DeliveryStatus.PENDING)  # another worker has this attempt
    attempts = delivery.attempts + 1
    try:
        _send(delivery)
    except _NothingToSend as exc:
        return _finish(delivery.pk, DeliveryStatus.SKIPPED, str(exc))
    except senders.SendError as exc:
        error = str(exc)
        if exc.permanent:
            return _finish(delivery.pk, DeliveryStatus.FAILED, error)
    except Exception as exc:  # a bug or an unexpected library error: retry like a passing failure
        # The type only: a library's exception text may hold an address, and logs hold no personal data.
        error = type(exc).__name__
        logger.error("notify: delivery %s raised %s", delivery.pk, error)
    else:
        return _finish(delivery.pk, DeliveryStatus.SENT)
    if may_retry and attempts < rules.MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(last_error=error[:500], updated_at=timezone.now())
        return Attempt(DeliveryStatus.PENDING, retry_in=rules.retry_delay(attempts))
    logger.warning("notify: delivery %s failed after %s attempts: %s", delivery.pk, attempts, error)
    return _finish(delivery.pk, DeliveryStatus.FAILED, error)


# --- the inbox ---------------------------------------------------------------------------------------------


def _require_signed_in(actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied()


# Reading one's own messages writes no audit row: it is not an act on anyone's record, and every audit row
# takes the chain's single lock, which an inbox read by millions of people must not contend for.
def message_mark_read(*, actor: Any, message_id: int) -> Message:
    message = selectors.inbox_for(actor).filter(pk=message_id).first()
    if message is None:
        raise NotFound()
    if message.read_at is None:
        message.read_at = timezone.now()
        Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=message.read_at)
    return message


def message_mark_all_read(*, actor: Any) -> int:
    return selectors.inbox_for(actor).filter(read_at__isnull=True).update(read_at=timezone.now())


# --- web push subscriptions --------------------------------------------------------------------------------

MAX_SUBSCRIPTIONS_PER_USER = 10


def _endpoint(endpoint: str) -> str:
    """Checked against WEBPUSH_ENDPOINT_HOSTS (default: the browsers' push services). A push service on
    this machine over plain http is a development or test stand-in: accepted only with DEBUG on or
    WEBPUSH_ALLOW_LOCAL_ENDPOINTS set (the tests set it), so never in production."""
    return rules.clean_endpoint(
        endpoint,
        allowed_hosts=getattr(settings, "WEBPUSH_ENDPOINT_HOSTS", rules.DEFAULT_PUSH_HOSTS),
        allow_local=bool(settings.DEBUG or getattr(settings, "WEBPUSH_ALLOW_LOCAL_ENDPOINTS", False)),
    )


def _when_text() -> str:
    return timezone.localtime(timezone.now(), ZoneInfo(settings.TIME_ZONE)).strftime("%d/%m/%Y %H:%M")


@transaction.atomic
def push_subscribe(
    *, actor: Any, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Registers this browser for the actor's notifications. The same endpoint again updates its keys; an
    endpoint another account registered on the same browser moves to the actor (the one now signed in).
    A new device is told at once, and the inbox and e-mail keep a note of it."""
    _require_signed_in(actor)
    errors: dict[str, list[str]] = {}
    try:
        endpoint = _endpoint(endpoint)
    except ValidationFailed as exc:
        errors.update(exc.details["fields"])
    try:
        p256dh, auth = rules.clean_push_keys(p256dh, auth)
    except ValidationFailed as exc:
        errors.update(exc.details["fields"])
    if errors:
        raise ValidationFailed(errors)
    user_agent = user_agent[:255]
    subscription = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
    if subscription is not None and subscription.user_id == actor.pk:
        # The page sends its subscription on every visit: write only what changed.
        if (subscription.p256dh, subscription.auth, subscription.user_agent) != (p256dh, auth, user_agent):
            subscription.p256dh, subscription.auth, subscription.user_agent = p256dh, auth, user_agent
            subscription.save(update_fields=["p256dh", "auth", "user_agent"])
        return subscription
    if subscription is None:
        try:
            with transaction.atomic():
                subscription = PushSubscription.objects.create(
                    user=actor, endpoint=endpoint, p256dh=p256dh, auth=auth, user_agent=user_agent
                )
        except IntegrityError:  # the same browser registered twice at the same moment: the other won
            return PushSubscription.objects.get(endpoint=endpoint)
    else:
        # A browser last used by another account: it starts afresh for the one signed in now.
        subscription.user = actor
        subscription.p256dh, subscription.auth, subscription.user_agent = p256dh, auth, user_agent
        subscription.created_at, subscription.failures, subscription.last_success_at = timezone.now(), 0, None
        subscription.save()
    # Keep the newest few: a browser whose data was cleared leaves an orphan behind each time.
    stale = PushSubscription.objects.filter(user=actor).order_by("-created_at", "-pk")[
        MAX_SUBSCRIPTIONS_PER_USER:
    ]
    PushSubscription.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    audit.record(
        actor=actor,
        action="notify.push_subscribe",
        obj=subscription,
        changes={"service": urlsplit(endpoint).hostname},
    )
    notify_user(
        actor,
        PUSH_ENABLED.code,
        {"when": _when_text()},
        link="/inbox/",
        channels=(Channel.PUSH, Channel.EMAIL),
    )
    return subscription


@transaction.atomic
def push_unsubscribe(*, actor: Any, endpoint: str) -> bool:
    """Stops notifications to this browser. Unknown endpoints (or someone else's) change nothing."""
    _require_signed_in(actor)
    subscription = PushSubscription.objects.filter(user=actor, endpoint=endpoint.strip()).first()
    if subscription is None:
        return False
    audit.record(actor=actor, action="notify.push_unsubscribe", obj=subscription)
    subscription.delete()
    return True


def push_broadcast(subscriptions: QuerySet[PushSubscription], payload: dict[str, Any]) -> tuple[int, int]:
    """One web push to each subscription, with no message rows: for news to a whole audience (an urgent
    notice to every worker in a country), where the notice itself is the record. Gone subscriptions are
    removed; other failures are left for the next broadcast. Returns (sent, failed)."""
    sent = failed = 0
    for subscription in subscriptions.iterator(chunk_size=1000):
        try:
            senders.send_push_payload(payload, subscription)
        except senders.SubscriptionGone:
            PushSubscription.objects.filter(pk=subscription.pk).delete()
            failed += 1
        except senders.SendError:
            failed += 1
        else:
            sent += 1
    return sent, failed
