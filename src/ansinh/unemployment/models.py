"""Unemployment insurance: the contribution record, the benefit being paid, its months, its history, and the
job referrals offered to a claimant."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ContributionMonth(models.Model):
    """One month of unemployment-insurance contributions of a person, as the social-insurance agency records
    it (received through the partner API; demo data otherwise). The claim's figures are computed from it."""

    person = models.ForeignKey("accounts.Person", on_delete=models.CASCADE, related_name="ui_contributions")
    month = models.DateField(_("month"), help_text=_("First day of the month"))
    wage = models.BigIntegerField(_("wage declared for unemployment insurance"))
    region = models.CharField(_("minimum-wage region"), max_length=3, default="I")
    state_pay_scale = models.BooleanField(_("State pay scale"), default=False)
    employer_name = models.CharField(_("employer"), max_length=255, blank=True)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["person", "month"]
        constraints = [
            models.UniqueConstraint(fields=["person", "month"], name="ui_contribution_month_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.month:%Y-%m}"


class ClaimStatus(models.TextChoices):
    PAYING = "paying", _("Being paid")
    SUSPENDED = "suspended", _("Suspended")
    TRANSFERRING = "transferring", _("Moving to another province")
    FINISHED = "finished", _("All months received")
    TERMINATED = "terminated", _("Terminated")
    CANCELLED = "cancelled", _("Cancelled: the decision was not collected")


OPEN_CLAIM_STATUSES = (ClaimStatus.PAYING, ClaimStatus.SUSPENDED, ClaimStatus.TRANSFERRING)


class BenefitClaim(models.Model):
    """A benefit decided on a claim dossier, and where it is being paid. The managing centre changes when the
    claimant moves; the history stays with the claim (`ClaimEvent`)."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.PROTECT, related_name="benefit_claim")
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="benefit_claims")
    centre = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="benefit_claims"
    )
    # Copies of the centre's tree path and province, so the scope filter needs no join.
    org_path = models.CharField(max_length=255, editable=False)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.PAYING
    )
    decision_number = models.CharField(_("decision number"), max_length=60, unique=True)
    decided_on = models.DateField(_("decided on"))
    decided_month = models.DateField(editable=False)  # first day of decided_on's month (statistics)
    rule_set = models.CharField(max_length=20)
    termination_date = models.DateField(_("contract ended on"))
    contribution_months = models.PositiveIntegerField()
    average_wage = models.BigIntegerField()
    monthly_benefit = models.BigIntegerField(_("monthly benefit"))
    benefit_months = models.PositiveSmallIntegerField(_("benefit months"))
    reserved_months = models.PositiveIntegerField(_("months reserved"))
    start_date = models.DateField(_("benefit starts on"))
    end_date = models.DateField(_("benefit ends on"))
    explanation = models.JSONField(default=list)
    bank_account = models.CharField(max_length=40, blank=True)
    transfer_to = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    close_reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("benefit claim")
        indexes = [
            models.Index(fields=["centre", "status"], name="claim_centre_status"),
            models.Index(fields=["org_path"], name="claim_org_path"),
            models.Index(fields=["person", "status"], name="claim_person_status"),
            models.Index(fields=["transfer_to", "status"], name="claim_transfer_to"),
            # The statistics read only this index (PostgreSQL index-only scan); the tree path last, for the
            # scope filter of an officer who sees less than the whole country.
            models.Index(
                fields=["decided_month", "province", "monthly_benefit", "benefit_months", "org_path"],
                name="claim_statistics",
            ),
        ]

    def __str__(self) -> str:
        return self.decision_number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_CLAIM_STATUSES


class MonthStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for the notification")
    NOTIFIED = "notified", _("Notified: to be paid")
    MISSED = "missed", _("Not notified: not paid")
    NOT_DUE = "not_due", _("Not due (claim ended)")


class BenefitMonth(models.Model):
    """One benefit month: its period, its job-search notification window, whether it is paid, and when it
    was handed to the social-insurance agency for payment."""

    claim = models.ForeignKey(BenefitClaim, on_delete=models.CASCADE, related_name="months")
    number = models.PositiveSmallIntegerField()
    start = models.DateField()
    end = models.DateField()
    notify_from = models.DateField()
    notify_until = models.DateField()
    status = models.CharField(max_length=10, choices=MonthStatus.choices, default=MonthStatus.WAITING)
    amount = models.BigIntegerField(default=0)
    notified_at = models.DateTimeField(null=True, blank=True)
    notified_channel = models.CharField(max_length=10, blank=True)  # online | counter
    activities = models.TextField(blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    opening_reminded_on = models.DateField(null=True, blank=True)
    handed_off_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)  # the social-insurance agency's

    class Meta:
        ordering = ["claim", "number"]
        constraints = [models.UniqueConstraint(fields=["claim", "number"], name="benefit_month_unique")]
        indexes = [
            models.Index(fields=["status", "notify_until"], name="benefit_month_window"),
            models.Index(fields=["status", "notify_from"], name="benefit_month_opening"),
            models.Index(fields=["status", "handed_off_at"], name="benefit_month_handoff"),
            # The payment orders the agency has still to confirm, read by id.
            models.Index(
                fields=["id"],
                condition=models.Q(handed_off_at__isnull=False, paid_on__isnull=True),
                name="benefit_month_to_pay",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} #{self.number}"


class ClaimAction(models.TextChoices):
    DECIDED = "decided", _("Benefit decided")
    NOTIFIED = "notified", _("Job search notified")
    SUSPENDED = "suspended", _("Suspended: month not notified")
    CONTINUED = "continued", _("Continued")
    TERMINATED = "terminated", _("Terminated")
    FINISHED = "finished", _("All months received")
    CANCELLED = "cancelled", _("Cancelled: decision not collected")
    TRANSFER_OUT = "transfer_out", _("Sent to another province")
    TRANSFER_IN = "transfer_in", _("Received from another province")
    REFERRED = "referred", _("Referred to a job")
    REFERRAL_ANSWERED = "referral_answered", _("Answer to a job referral")
    HANDED_OFF = "handed_off", _("Payment sent to social insurance")
    PAID = "paid", _("Paid by social insurance")


class ClaimEvent(models.Model):
    claim = models.ForeignKey(BenefitClaim, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ClaimAction.choices)
    month_number = models.PositiveSmallIntegerField(null=True, blank=True)
    # The managing centre when it happened: the history reads right after a transfer.
    centre = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    decision_number = models.CharField(max_length=60, blank=True)
    note = models.TextField(blank=True)
    # A decision issued as a signed PDF: its step on the claim dossier's timeline, which the PDF hangs on.
    dossier_event = models.OneToOneField(
        "dossiers.DossierEvent", on_delete=models.PROTECT, null=True, blank=True, related_name="claim_event"
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["claim", "at"], name="claim_event_timeline")]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d}"


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("Waiting for the answer")
    ACCEPTED = "accepted", _("Accepted")
    REFUSED_WITH_REASON = "refused_reason", _("Refused with a good reason")
    REFUSED = "refused", _("Refused without a good reason")


class JobReferral(models.Model):
    """A job the centre referred a claimant to. Two refusals without good reason end the benefit
    (Law 74/2025 Art 41.4). The jobs app links its vacancies through `vacancy_reference`."""

    claim = models.ForeignKey(BenefitClaim, on_delete=models.CASCADE, related_name="referrals")
    referred_on = models.DateField(_("referred on"))
    employer_name = models.CharField(_("employer"), max_length=255)
    job_title = models.CharField(_("job"), max_length=255)
    vacancy_reference = models.CharField(max_length=60, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReferralOutcome.choices, default=ReferralOutcome.PENDING
    )
    reason = models.TextField(_("reason given"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["claim", "referred_on", "id"]

    def __str__(self) -> str:
        return f"{self.claim_id}: {self.job_title}"

    @property
    def exchange_vacancy_id(self) -> int | None:
        """The job exchange's vacancy this referral names ("jobs.vacancy:<id>"), if it names one."""
        prefix, _sep, number = self.vacancy_reference.partition(":")
        return int(number) if prefix == "jobs.vacancy" and number.isdigit() else None


class ProvinceDelegation(models.Model):
    """Who decides benefit claims in a province (seed 003): the provincial People's Committee delegates to
    the department of home affairs (the default) or to the employment service centre."""

    class Decider(models.TextChoices):
        DEPARTMENT = "department", _("Department of Home Affairs")
        CENTRE = "centre", _("Employment service centre")

    province = models.OneToOneField("geo.Province", on_delete=models.CASCADE, related_name="+")
    decider = models.CharField(max_length=20, choices=Decider.choices, default=Decider.DEPARTMENT)
    legal_basis = models.CharField(_("delegation decision"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.province_id}: {self.decider}"
