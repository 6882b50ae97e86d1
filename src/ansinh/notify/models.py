"""The inbox (one row per message to one person or one login), the deliveries of each message by e-mail,
SMS and web push, and the browsers subscribed to web push."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """What the recipient reads in the inbox, already rendered in their language. Exactly one recipient:
    a person (citizens and workers; they see it once they have an account) or a login (staff)."""

    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the inbox index below starts with this column
    )
    recipient_person = models.ForeignKey(
        "accounts.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    template = models.CharField(_("template"), max_length=100)
    language = models.CharField(_("language"), max_length=5)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=500, blank=True, help_text=_("A page of this site"))
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_user__isnull=False, recipient_person__isnull=True)
                | Q(recipient_user__isnull=True, recipient_person__isnull=False),
                name="notify_message_one_recipient",
            ),
        ]
        # The inbox: "to this login or to this person, newest first".
        indexes = [
            models.Index(fields=["recipient_user", "-created_at"], name="notify_msg_user_inbox"),
            models.Index(fields=["recipient_person", "-created_at"], name="notify_msg_person_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.template} #{self.pk}"


class Channel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    PUSH = "push", _("Notification on a device")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")


def mask_address(channel: str, address: str) -> str:
    """An address as staff screens and logs may show it: enough to recognise, not enough to use."""
    if channel == Channel.EMAIL and "@" in address:
        local, _at, domain = address.rpartition("@")
        return f"{local[:1]}***@{domain}"
    if channel == Channel.SMS:
        return f"{address[:3]}***{address[-3:]}" if len(address) > 6 else "***"
    if channel == Channel.PUSH:
        # The endpoint is a capability: whoever holds it can push to the device. Show the service only.
        return f"{urlsplit(address).hostname or ''}/…"
    return "***"


class Delivery(models.Model):
    """One message by one channel to one address. `address` is copied when the message is created, so a
    later change of the contact details does not change where a message was sent."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=1000)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        # Operations watch for deliveries stuck in one status ("pending for an hour").
        indexes = [models.Index(fields=["status", "updated_at"], name="notify_delivery_status")]

    def __str__(self) -> str:
        return f"{self.channel} {self.masked_address} ({self.status})"

    @property
    def masked_address(self) -> str:
        return mask_address(self.channel, self.address)


class PushSubscription(models.Model):
    """A browser's web-push subscription (the W3C Push API): where to post, and the keys to encrypt for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.CharField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=50)
    user_agent = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_success_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")

    def __str__(self) -> str:
        return f"{mask_address(Channel.PUSH, self.endpoint)} ({self.user_id})"
