"""Sending one message by one channel. Each sender either returns (sent) or raises a `SendError` that says
whether trying again later may help; the delivery service decides about retries."""

import json
import smtplib
from typing import Any

import requests
from django.conf import settings
from django.core.mail import EmailMessage
from pywebpush import WebPushException, webpush

from ansinh.core.sms import send_sms
from ansinh.notify import vapid
from ansinh.notify.models import Message, PushSubscription

PUSH_TIMEOUT_SECONDS = 10
# How long a push service keeps a message for a device that is offline (a phone abroad with no signal).
PUSH_TTL_SECONDS = 24 * 3600
# Push services accept about 4 KB of encrypted payload; the inbox keeps the full text.
PUSH_BODY_CHARS = 1000


class SendError(Exception):
    """`permanent`: the same attempt would fail again (bad address, refused); otherwise retry later."""

    def __init__(self, reason: str, *, permanent: bool = False):
        super().__init__(reason)
        self.permanent = permanent


class SubscriptionGone(SendError):
    """The push service says the subscription no longer exists (404/410): forget it."""

    def __init__(self, reason: str):
        super().__init__(reason, permanent=True)


def send_email(message: Message, address: str) -> None:
    body = message.body
    if message.link:
        body = f"{body}\n\n{settings.PUBLIC_BASE_URL}{message.link}"
    email = EmailMessage(message.subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    try:
        email.send()
    except smtplib.SMTPRecipientsRefused as exc:
        raise SendError("recipient refused", permanent=True) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise SendError(f"e-mail: {type(exc).__name__}") from exc


def send_text(message: Message, address: str) -> None:
    # The body alone: an SMS has no subject, and links in official SMS are what scams imitate.
    try:
        send_sms(address, message.body)
    except Exception as exc:  # any gateway failure (HTTP, timeout) may pass: try again later
        raise SendError(f"sms: {type(exc).__name__}") from exc


def push_payload(message: Message) -> dict[str, Any]:
    """What the service worker (notify/static/notify/sw.js) shows."""
    return {
        "title": message.subject,
        "body": message.body[:PUSH_BODY_CHARS],
        "url": message.link or "/inbox/",
        "tag": f"ansinh-message-{message.pk}",
        "lang": message.language,
    }


def send_push(message: Message, subscription: PushSubscription) -> None:
    send_push_payload(push_payload(message), subscription)


def send_push_payload(payload: dict[str, Any], subscription: PushSubscription) -> None:
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=vapid.signer(),
            # A new dict each time: pywebpush writes `aud` and `exp` into the one it is given.
            vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT},
            timeout=PUSH_TIMEOUT_SECONDS,
            ttl=PUSH_TTL_SECONDS,
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (404, 410):
            raise SubscriptionGone(f"push: {status}") from exc
        # 429 (slow down) and 5xx pass; any other 4xx (bad key, payload refused) would fail again.
        temporary = status is None or status == 429 or status >= 500
        raise SendError(f"push: {status}", permanent=not temporary) from exc
    except requests.RequestException as exc:
        raise SendError(f"push: {type(exc).__name__}") from exc
