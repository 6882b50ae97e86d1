"""Support and SOS requests from workers abroad, and the messages exchanged about them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    SOS = "sos", _("SOS (emergency)")
    SUPPORT = "support", _("Support request")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Operator assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CANCELLED = "cancelled", _("Cancelled by the worker")


OPEN_STATUSES = (RequestStatus.RECEIVED, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS)


class Category(models.TextChoices):
    WAGES = "wages", _("Wages")
    CONTRACT = "contract", _("Contract")
    ACCIDENT = "accident", _("Accident")
    ILLNESS = "illness", _("Illness")
    ABUSE = "abuse", _("Abuse or violence")
    DOCUMENTS = "documents", _("Documents")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    HELPED = "helped", _("Helped: the problem is solved")
    REFERRED = "referred", _("Referred to the mission, the enterprise or the police")
    SAFE = "safe", _("The worker is safe")
    ADVICE = "advice", _("Advice given")
    NO_CONTACT = "no_contact", _("Could not reach the worker")
    FALSE_ALARM = "false_alarm", _("Sent by mistake")
    DUPLICATE = "duplicate", _("Duplicate of another request")
    OTHER = "other", _("Other")


class HelpRequest(models.Model):
    """A support request or an SOS from a worker abroad."""

    reference = models.CharField(_("reference"), max_length=30, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=RequestKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="help_requests"
    )
    idempotency_key = models.CharField(max_length=64)
    phone = models.CharField(_("phone"), max_length=20)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(null=True, blank=True)
    location_text = models.CharField(_("location"), max_length=500, blank=True)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    client_created_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    outcome_category = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome = models.CharField(_("outcome note"), max_length=500, blank=True)
    reopened_at = models.DateTimeField(null=True, blank=True)
    # Set once, when an SOS waited past its acknowledgement limit and the supervisors were told.
    overdue_alerted_at = models.DateTimeField(null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to="sos/%Y/%m/", blank=True)
    # A snapshot of where the worker was when they asked (the desk's map and its statistics).
    country = models.CharField(_("country"), max_length=2, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Over the per-worker rate: an SOS is still accepted, but the operators see the flag.
    flagged = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["status", "kind", "created_at"], name="help_request_queue"),
            models.Index(fields=["worker", "created_at"], name="help_request_worker"),
            models.Index(fields=["created_at"], name="help_request_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["worker", "idempotency_key"], name="help_request_idempotent"),
        ]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"


class RequestMessage(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_operator = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.body[:30]}"
