"""Dossiers (hồ sơ), their timeline, attachments, issued documents and partner systems."""

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.dossiers.procedures import State

# Dossiers without a due date (drafts, returned for completion) sort after every dated one in the queue.
NO_DUE_DATE = date(9999, 12, 31)


class Channel(models.TextChoices):
    ONLINE = "online", _("Online, by the applicant")
    COUNTER = "counter", _("At the one-stop counter")
    PARTNER = "partner", _("From a partner system")


STATE_LABELS = {
    State.DRAFT: _("Draft"),
    State.SUBMITTED: _("Submitted, waiting for checking"),
    State.RETURNED: _("Returned for completion"),
    State.ACCEPTED: _("Accepted (complete)"),
    State.IN_PROCESSING: _("In processing"),
    State.APPROVED: _("Approved"),
    State.REFUSED: _("Refused"),
    State.DELIVERED: _("Result delivered"),
    State.WITHDRAWN: _("Withdrawn by the applicant"),
    State.CANCELLED: _("Cancelled"),
}
STATE_CHOICES = [(s.value, label) for s, label in STATE_LABELS.items()]


class Dossier(models.Model):
    receipt_code = models.CharField(_("receipt code"), max_length=60, unique=True, null=True, blank=True)
    procedure_code = models.CharField(_("procedure"), max_length=60, db_index=True)
    procedure_version = models.CharField(max_length=20)
    state = models.CharField(_("state"), max_length=20, choices=STATE_CHOICES, default=State.DRAFT)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)

    applicant_person = models.ForeignKey(
        "accounts.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="dossiers"
    )
    applicant_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers_filed",
    )
    # Copies of the applicant's name and ID so that the queue searches one table.
    applicant_name = models.CharField(_("applicant"), max_length=255)
    applicant_name_search = models.CharField(max_length=255, editable=False)
    applicant_id_number = models.CharField(_("ID number"), max_length=20, db_index=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    receiving_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="dossiers_received"
    )
    # Copies of the receiving body's tree path and province: the scope filter needs no join.
    org_path = models.CharField(max_length=255, editable=False)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dossiers_assigned",
        verbose_name=_("officer in charge"),
    )

    form_data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    received_on = models.DateField(null=True, blank=True)
    complete_on = models.DateField(_("complete dossier received on"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    queue_due = models.DateField(default=NO_DUE_DATE, editable=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    due_soon_warned_on = models.DateField(null=True, blank=True)
    overdue_warned_on = models.DateField(null=True, blank=True)

    partner = models.ForeignKey(
        "dossiers.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="dossiers"
    )
    partner_reference = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        indexes = [
            models.Index(fields=["receiving_organisation", "queue_due", "id"], name="dossier_queue"),
            models.Index(
                fields=["receiving_organisation", "state", "queue_due", "id"], name="dossier_queue_state"
            ),
            models.Index(fields=["province", "queue_due", "id"], name="dossier_province_queue"),
            models.Index(fields=["queue_due", "id"], name="dossier_national_queue"),
            models.Index(fields=["applicant_name_search"], name="dossier_name_search"),
            models.Index(fields=["applicant_person", "created_at"], name="dossier_applicant"),
            models.Index(fields=["state", "due_date"], name="dossier_open_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "partner_reference"],
                condition=Q(partner__isnull=False),
                name="dossier_partner_reference_unique",
            ),
            models.CheckConstraint(
                condition=Q(applicant_person__isnull=False) | Q(applicant_organisation__isnull=False),
                name="dossier_has_applicant",
            ),
        ]

    def __str__(self) -> str:
        return self.receipt_code or f"#{self.pk}"

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS.get(State(self.state), self.state))


class DossierEvent(models.Model):
    """One step on the dossier's timeline: a transition, an upload, an assignment, a document issued."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    note = models.TextField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    # Internal notes between officers are not shown to the applicant.
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["dossier", "at"], name="dossier_event_timeline"),
            models.Index(fields=["action", "at"], name="dossier_event_action"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


def _attachment_path(instance: "Attachment", filename: str) -> str:
    # Never the applicant's file name on disk: it may hold personal data or path tricks.
    now = timezone.now()
    return f"dossiers/{now:%Y/%m}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    document_code = models.CharField(max_length=60)
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document_code", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class DocumentKindChoice(models.TextChoices):
    RECEIPT = "receipt", _("Receipt and appointment slip")
    APPROVAL = "approval", _("Decision (approval)")
    REFUSAL = "refusal", _("Refusal with reasons")
    # A decision taken while the case runs on, after the dossier's own decision (a benefit suspended...).
    CASE_DECISION = "case_decision", _("Decision on the running case")


class IssuedDocument(models.Model):
    """A PDF the platform issued. The short code printed on it opens the public verify page."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKindChoice.choices)
    # The timeline step that called for this document: issuing twice for one step is a no-op.
    event = models.OneToOneField(DossierEvent, on_delete=models.PROTECT, related_name="document")
    short_code = models.CharField(max_length=16, unique=True)
    file = models.FileField(upload_to="issued/%Y/%m/", max_length=200)
    sha256 = models.CharField(max_length=64)
    signed_by = models.CharField(max_length=255, blank=True)
    # What the paper is called, when the kind says too little ("Quyết định tạm dừng hưởng ...").
    title = models.CharField(max_length=255, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["issued_at", "id"]

    def __str__(self) -> str:
        return self.short_code


class ReceiptCounter(models.Model):
    """The last receipt sequence number an organisation used on a day (row locked while allocating)."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "day"], name="receipt_counter_unique")]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.day}: {self.last}"


class Partner(models.Model):
    """Another system that files dossiers through the partner API (the national public-service portal)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=255)
    token_hash = models.CharField(max_length=64, unique=True)
    token_prefix = models.CharField(max_length=8)
    # The shared secret signs requests (optional) and callbacks; it must be readable to sign with.
    hmac_secret = models.CharField(max_length=128)
    callback_url = models.URLField(_("callback URL"), blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class CallbackStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed after retries")


class PartnerCallback(models.Model):
    """A status change to tell a partner about, and what happened when we tried."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="callbacks")
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="callbacks")
    event_id = models.CharField(max_length=40, unique=True)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=CallbackStatus.choices, default=CallbackStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="callback_due")]

    def __str__(self) -> str:
        return self.event_id
