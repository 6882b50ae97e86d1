"""Citizen social-security services in one place (seed 001): the monthly social allowance, pension
arrangements, regular medicine under the health-insurance card, and the one social-security card that pays
them in every province.

Who places a row: a citizen's rows belong to their person (scope "own"); a body's rows carry its
organisation's `org_path` and province (the commune that decided an allowance, the clinic that dispenses
the medicine, the service point that paid), so officers see their own and the province sees them all.

Money is integer VND. A benefit month is the first day of its calendar month (`period`).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- the monthly social allowance (Decree 20/2021/NĐ-CP as amended) -------------------------------------


class AllowanceStatus(models.TextChoices):
    ACTIVE = "active", _("Being paid")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


LIVE_ALLOWANCE_STATUSES = (AllowanceStatus.ACTIVE, AllowanceStatus.SUSPENDED)


class SocialAllowance(models.Model):
    """A monthly social allowance granted by the commune's decision on an application dossier. The group,
    coefficient and base level are those the rules gave on the decision day; a change of circumstances
    that changes them is recorded as an `AllowanceChange` and updates these fields."""

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="social_allowances")
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="social_allowance"
    )
    group = models.CharField(_("beneficiary group"), max_length=40)
    coefficient = models.DecimalField(_("coefficient"), max_digits=4, decimal_places=2)
    base_level = models.BigIntegerField(_("base level"))
    monthly_amount = models.BigIntegerField(_("monthly amount"))
    starts_on = models.DateField(_("first month paid"))
    ends_on = models.DateField(_("last month paid"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=AllowanceStatus.choices, default=AllowanceStatus.ACTIVE
    )
    # Cash at a service point (any province, with the card) or a transfer to a bank account.
    payment_method = models.CharField(_("payment method"), max_length=20, default="service_point")
    bank_account = models.CharField(_("bank account"), max_length=40, blank=True)
    commune = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)
    decided_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            # One allowance being paid per person: a second group raises the coefficient, it does not add
            # a second allowance (Decree 20/2021 Art 6: the highest coefficient only).
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["active", "suspended"]),
                name="welfare_one_live_allowance",
            )
        ]
        indexes = [
            models.Index(fields=["org_path", "status"], name="welfare_allowance_scope"),
            models.Index(fields=["province", "status"], name="welfare_allowance_province"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.group}"


class ChangeKind(models.TextChoices):
    MOVED = "moved", _("Moved to another commune or province")
    INCOME = "income", _("Income or household poverty status changed")
    HEALTH = "health", _("Disability or health changed")
    CARE = "care", _("Now cared for by a family, a care facility or a guardian")
    BANK = "bank", _("New bank account or payment method")
    DEATH = "death", _("Death of the beneficiary")
    OTHER = "other", _("Other change")


class ChangeStatus(models.TextChoices):
    REPORTED = "reported", _("Reported, being checked")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")


class AllowanceChange(models.Model):
    """A change of circumstances reported online (by the beneficiary or their family) and how the commune
    handled it: the allowance's new group and amount, a suspension, or its end."""

    allowance = models.ForeignKey(SocialAllowance, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("what changed"), max_length=12, choices=ChangeKind.choices)
    description = models.TextField(_("description"))
    happened_on = models.DateField(_("date of the change"))
    reported_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.REPORTED)
    handled_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    # What the acceptance changed, for the history: {"group": [old, new], "monthly_amount": [old, new], ...}
    effect = models.JSONField(default=dict, blank=True)
    org_path = models.CharField(max_length=255, editable=False)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["org_path", "status", "reported_at"], name="welfare_change_queue")]

    def __str__(self) -> str:
        return f"{self.allowance_id} {self.kind}"


# --- pensions (data from the social-insurance agency) ---------------------------------------------------


class PensionStatus(models.TextChoices):
    ACTIVE = "active", _("Being paid")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class PaymentMethod(models.TextChoices):
    BANK = "bank", _("Transfer to a bank account")
    POST_OFFICE = "post_office", _("Cash at a post office or service point")
    HOME_DELIVERY = "home_delivery", _("Delivered at home (for people who cannot travel)")


class Pension(models.Model):
    """A pension as the social-insurance agency sent it through the partner API (or the demo). The agency
    owns the amount and the status; the pensioner owns the arrangement (how and where it is paid)."""

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="pensions")
    social_insurance_code = models.CharField(_("social insurance code"), max_length=10, unique=True)
    pension_kind = models.CharField(_("kind of pension"), max_length=40, default="retirement")
    monthly_amount = models.BigIntegerField(_("monthly amount"))
    starts_on = models.DateField(_("paid from"))
    status = models.CharField(
        _("status"), max_length=10, choices=PensionStatus.choices, default=PensionStatus.ACTIVE
    )
    # The province where it is paid now: the arrangement's, kept here for scoped reads.
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    partner = models.ForeignKey(
        "dossiers.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=10, default="partner")  # partner | demo
    received_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["province", "status"], name="welfare_pension_province")]

    def __str__(self) -> str:
        return self.social_insurance_code


class PensionArrangement(models.Model):
    """How and where a pension is paid from a month on. The history is kept: a change is a new row, the
    one in force for a month is the latest with `valid_from` on or before it."""

    pension = models.ForeignKey(Pension, on_delete=models.CASCADE, related_name="arrangements")
    method = models.CharField(_("how to receive it"), max_length=20, choices=PaymentMethod.choices)
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("account number"), max_length=40, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=150, blank=True)
    service_point = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("post office or service point"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivery_address = models.CharField(_("delivery address"), max_length=255, blank=True)
    delivery_reason = models.CharField(_("why you cannot travel"), max_length=255, blank=True)
    valid_from = models.DateField(_("from the month of"))
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Handed to the social-insurance agency (partner API); the agency pays by the arrangement in force.
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "-id"]
        indexes = [models.Index(fields=["pension", "valid_from"], name="welfare_arrangement_month")]

    def __str__(self) -> str:
        return f"{self.pension_id} {self.method} {self.valid_from}"


# --- regular medicine under the health-insurance card ---------------------------------------------------


class MedicineMode(models.TextChoices):
    PICKUP = "pickup", _("I collect it at the clinic in a time window")
    DELIVERY = "delivery", _("Delivered to my address")


class MedicineStatus(models.TextChoices):
    REQUESTED = "requested", _("Sent to the clinic")
    SCHEDULED = "scheduled", _("Confirmed and scheduled")
    DISPENSED = "dispensed", _("Collected or delivered")
    DECLINED = "declined", _("Not accepted: see the clinic's reason")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_MEDICINE_STATUSES = (MedicineStatus.REQUESTED, MedicineStatus.SCHEDULED)


class MedicineRegistration(models.Model):
    """A person with a long-term condition asks the clinic where their health-insurance card is registered
    for their regular medicine without a visit; the clinic confirms and schedules a pick-up window or a
    delivery day, then records that it was dispensed."""

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="medicine_requests")
    clinic = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("clinic"), on_delete=models.PROTECT, related_name="+"
    )
    insurance_card_number = models.CharField(_("health-insurance card number"), max_length=15)
    condition = models.CharField(_("long-term condition"), max_length=200)
    medicines = models.TextField(_("regular medicines"), blank=True)
    mode = models.CharField(_("how to receive it"), max_length=10, choices=MedicineMode.choices)
    delivery_address = models.CharField(_("delivery address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    status = models.CharField(max_length=12, choices=MedicineStatus.choices, default=MedicineStatus.REQUESTED)
    scheduled_on = models.DateField(_("day"), null=True, blank=True)
    window_start = models.TimeField(_("from"), null=True, blank=True)
    window_end = models.TimeField(_("until"), null=True, blank=True)
    days_supplied = models.PositiveSmallIntegerField(_("days of medicine"), null=True, blank=True)
    clinic_note = models.CharField(_("note from the clinic"), max_length=500, blank=True)
    handled_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    scheduled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    org_path = models.CharField(max_length=255, editable=False)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One open request per person and clinic: a second one while the first is open is a duplicate.
            models.UniqueConstraint(
                fields=["person", "clinic"],
                condition=Q(status__in=["requested", "scheduled"]),
                name="welfare_one_open_medicine_request",
            )
        ]
        indexes = [
            models.Index(fields=["clinic", "status", "requested_at"], name="welfare_medicine_queue"),
            models.Index(fields=["org_path", "status"], name="welfare_medicine_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.clinic_id} {self.status}"


# --- the social-security card and the payments made with it ---------------------------------------------


class CardStatus(models.TextChoices):
    ACTIVE = "active", _("Valid")
    REVOKED = "revoked", _("Revoked")


class RevokeReason(models.TextChoices):
    LOST = "lost", _("Lost or stolen")
    DAMAGED = "damaged", _("Damaged")
    DECEASED = "deceased", _("Holder deceased")
    MISUSE = "misuse", _("Misused")
    OTHER = "other", _("Other reason")


class SocialSecurityCard(models.Model):
    """One card per person. The number stays with the person; each (re-)issue has its own `issue` number,
    and the QR code signs both, so the QR of a lost card stops working the moment it is revoked and the
    new card's QR carries the next issue number."""

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="security_cards")
    number = models.CharField(_("card number"), max_length=16, db_index=True)
    issue = models.PositiveSmallIntegerField(_("issue"), default=1)
    status = models.CharField(max_length=10, choices=CardStatus.choices, default=CardStatus.ACTIVE)
    key_id = models.CharField(max_length=16)  # the signing key the QR was signed with
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoke_reason = models.CharField(max_length=10, choices=RevokeReason.choices, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number", "issue"], name="welfare_card_issue_unique"),
            models.UniqueConstraint(
                fields=["person"], condition=Q(status="active"), name="welfare_one_active_card"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.issue}"


class BenefitKind(models.TextChoices):
    SOCIAL_ALLOWANCE = "social_allowance", _("Monthly social allowance")
    PENSION = "pension", _("Pension")
    UNEMPLOYMENT = "unemployment", _("Unemployment benefit")


class BenefitPayment(models.Model):
    """A benefit month paid in cash at a service point against the card. The unique constraint is what
    makes a payment happen once: two service points scanning the same card for the same month race
    on it, and the second insert fails whatever the timing."""

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="benefit_payments")
    card = models.ForeignKey(
        SocialSecurityCard, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    kind = models.CharField(max_length=20, choices=BenefitKind.choices)
    # The benefit paid: a SocialAllowance id, a Pension id, or an unemployment BenefitMonth id.
    benefit_id = models.PositiveBigIntegerField()
    period = models.DateField()  # the first day of the month paid (an unemployment month: its start)
    amount = models.BigIntegerField()
    service_point = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    receipt_number = models.CharField(max_length=40, unique=True)
    # The client's idempotency key: the same request sent again returns the same payment.
    request_key = models.CharField(max_length=64, blank=True)
    # When the body that pays the benefit elsewhere (the social-insurance agency, for a pension) confirmed it
    # knows the month is paid, so it will not pay it again.
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "benefit_id", "period"], name="welfare_payment_once"),
        ]
        indexes = [
            models.Index(fields=["person", "period"], name="welfare_payment_person"),
            models.Index(fields=["org_path", "recorded_at"], name="welfare_payment_scope"),
        ]

    def __str__(self) -> str:
        return self.receipt_number
