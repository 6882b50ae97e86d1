"""Sending SMS through a configurable backend (SMS_BACKEND), like Django's e-mail backends."""

import json
import logging
import urllib.request
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Messages sent with the locmem backend (tests read them here, as with django.core.mail.outbox).
outbox: list[tuple[str, str]] = []


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleSmsBackend:
    """Development: prints the message. Never configure this in production (it shows the code)."""

    def send(self, phone: str, text: str) -> None:
        print(f"[SMS to {phone}] {text}")


class LocmemSmsBackend:
    def send(self, phone: str, text: str) -> None:
        outbox.append((phone, text))


class HttpSmsBackend:
    """Posts `{"to", "from", "text"}` as JSON to SMS_GATEWAY_URL with a bearer token."""

    def send(self, phone: str, text: str) -> None:
        body = json.dumps({"to": phone, "from": settings.SMS_SENDER, "text": text}).encode()
        request = urllib.request.Request(  # noqa: S310 - URL comes from configuration
            settings.SMS_GATEWAY_URL,
            data=body,
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            if response.status >= 300:
                logger.error("SMS gateway answered %s", response.status)


def send_sms(phone: str, text: str) -> None:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    backend.send(phone, text)
