"""The national database of Vietnamese workers abroad under contract (Law 69/2020; Circular 20/2021): the
licensed enterprises and their branches, the foreign parties they deal with, the contracts they register and
the workers they send, each worker with the history of their time abroad.

Every row that belongs to an enterprise carries the tree path of the organisation that owns it (the
enterprise, or the branch that registered it) and a province, so the scope filter needs no join: an
enterprise sees everything under its path, a branch only its own, a province's officials their province.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EnterpriseStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered, no licence yet")
    LICENSED = "licensed", _("Licensed")
    SUSPENDED = "suspended", _("Licence suspended")
    REVOKED = "revoked", _("Licence revoked")


class Enterprise(models.Model):
    """An enterprise's own information, kept current by the enterprise (seed 002)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="overseas_enterprise"
    )
    tax_code = models.CharField(_("tax code"), max_length=14, unique=True)
    head_office = models.CharField(_("head office"), max_length=255)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")
    charter_capital = models.BigIntegerField(_("charter capital (VND)"))
    legal_representative = models.CharField(_("legal representative"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EnterpriseStatus.choices, default=EnterpriseStatus.REGISTERED
    )
    org_path = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        indexes = [
            models.Index(fields=["org_path"], name="ovl_enterprise_path"),
            models.Index(fields=["status", "province"], name="ovl_enterprise_status"),
        ]

    def __str__(self) -> str:
        return self.tax_code


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    # "Suspended" alone reads as a suspended benefit in Vietnamese; a licence is "đình chỉ".
    SUSPENDED = "suspended", pgettext_lazy("licence", "Suspended")
    REVOKED = "revoked", _("Revoked")


class Licence(models.Model):
    """The licence to provide the service of sending workers abroad (Law 69/2020 Art 10-16)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="licences")
    number = models.CharField(_("licence number"), max_length=40, unique=True)
    issued_on = models.DateField(_("issued on"))
    status = models.CharField(max_length=20, choices=LicenceStatus.choices, default=LicenceStatus.VALID)
    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="overseas_licence"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("licence")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number


class LicenceAction(models.TextChoices):
    GRANTED = "granted", _("Granted")
    AMENDED = "amended", _("Amended")
    SUSPENDED = "suspended", pgettext_lazy("licence", "Suspended")
    REINSTATED = "reinstated", _("Suspension lifted")
    REVOKED = "revoked", _("Revoked")


class LicenceEvent(models.Model):
    """The licence's history: every grant, amendment, suspension and revocation, with its ground."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=LicenceAction.choices)
    on = models.DateField()
    decision_number = models.CharField(max_length=60, blank=True)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.on}"


class DepositKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit made")
    TOP_UP = "top_up", _("Top-up")
    USED = "used", _("Used")
    RELEASED = "released", _("Released")


class DepositMovement(models.Model):
    """The enterprise's deposit at a bank (Law 69/2020 Art 24; Decree 112/2021 Art 23), as a ledger: the
    balance is the sum, and a use must be restored within 30 days."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="deposit_movements")
    kind = models.CharField(max_length=10, choices=DepositKind.choices)
    amount = models.BigIntegerField(_("amount (VND)"), help_text=_("Negative for a use or a release"))
    bank = models.CharField(_("bank"), max_length=150, blank=True)
    on = models.DateField(_("date"))
    note = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class ForeignPartyKind(models.TextChoices):
    EMPLOYER = "employer", _("Foreign employer")
    AGENCY = "agency", _("Foreign receiving agency")
    BROKER = "broker", _("Broker (intermediary)")


class ForeignParty(models.Model):
    """A foreign employer, receiving agency or broker (Law 69/2020 Art 3, 22). Recorded once for the
    country; every enterprise dealing with it points at the same row."""

    kind = models.CharField(_("kind"), max_length=10, choices=ForeignPartyKind.choices)
    country = models.ForeignKey("geo.Country", on_delete=models.PROTECT, related_name="+")
    registration_number = models.CharField(_("registration number"), max_length=60)
    name = models.CharField(_("name"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("foreign party")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "country", "registration_number"], name="ovl_foreign_party_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ContractKind(models.TextChoices):
    SUPPLY = "supply", _("Labour supply contract")
    INTERNSHIP = "internship", _("Skill-improvement internship contract")
    INVESTMENT = "investment", _("Contract won or investment abroad")


class ContractStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting the reply")
    REGISTERED = "registered", _("Registered")
    REFUSED = "refused", _("Refused")


class Contract(models.Model):
    """A contract an enterprise registers before sending workers on it (Law 69/2020 Art 20, 39-40, 31):
    its terms are checked against the caps of the law when it is submitted."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="contracts")
    kind = models.CharField(_("kind"), max_length=12, choices=ContractKind.choices)
    number = models.CharField(_("contract number"), max_length=60)
    foreign_party = models.ForeignKey(ForeignParty, on_delete=models.PROTECT, related_name="contracts")
    broker = models.ForeignKey(
        ForeignParty, on_delete=models.PROTECT, null=True, blank=True, related_name="brokered_contracts"
    )
    country = models.ForeignKey("geo.Country", on_delete=models.PROTECT, related_name="+")
    programme = models.CharField(_("market or programme"), max_length=40, blank=True)
    occupation = models.ForeignKey("geo.Occupation", on_delete=models.PROTECT, related_name="+")
    workers_planned = models.PositiveIntegerField(_("number of workers"))
    monthly_salary = models.BigIntegerField(_("monthly salary (VND)"))
    contract_months = models.PositiveSmallIntegerField(_("contract length (months)"))
    # An internship's length in days decides who registers it (Law 69/2020 Art 39: under 90 days the
    # province, else the ministry); months are too coarse for that line.
    internship_days = models.PositiveIntegerField(_("internship length (days)"), null=True, blank=True)
    service_fee = models.BigIntegerField(_("service fee charged to the worker (VND)"), default=0)
    broker_fee = models.BigIntegerField(_("broker fee paid by the enterprise (VND)"), default=0)
    worker_deposit = models.BigIntegerField(_("deposit asked of the worker (VND)"), default=0)
    signed_on = models.DateField(_("signed on"))
    status = models.CharField(max_length=12, choices=ContractStatus.choices, default=ContractStatus.SUBMITTED)
    # Who replies: the department of the ministry, or a province's department for a short internship.
    registrar = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    reply_due = models.DateField(_("reply due"))
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    refusal_reason = models.TextField(blank=True)
    # The registration form as the enterprise signed it with its organisation certificate (PAdES), and
    # who the verified signature names: the registering body decides only a signed submission.
    signed_file = models.FileField(upload_to="overseas/contracts/%Y/%m/", max_length=200, blank=True)
    signature_sha256 = models.CharField(max_length=64, blank=True)
    signed_by = models.CharField(max_length=255, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    org_path = models.CharField(max_length=255, editable=False)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("contract")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "number"], name="ovl_contract_number_unique")
        ]
        indexes = [
            models.Index(fields=["org_path", "status"], name="ovl_contract_path"),
            models.Index(fields=["registrar", "status", "reply_due"], name="ovl_contract_queue"),
        ]

    def __str__(self) -> str:
        return self.number


class WorkerStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    TRAINED = "trained", _("Orientation training done")
    DEPARTED = "departed", _("Departed")
    WORKING = "working", _("Working abroad")
    CHANGED_EMPLOYER = "changed_employer", _("Changed employer")
    RETURNED_EARLY = "returned_early", _("Returned before the term")
    RETURNED = "returned", _("Returned at the end of the contract")
    OVERSTAYING = "overstaying", _("Stayed on illegally")
    DECEASED = "deceased", _("Deceased")
    LIQUIDATED = "liquidated", _("Contract liquidated")


# Still abroad, for the statistics of workers abroad now and the SOS app.
ABROAD = (
    WorkerStatus.DEPARTED,
    WorkerStatus.WORKING,
    WorkerStatus.CHANGED_EMPLOYER,
    WorkerStatus.OVERSTAYING,
)


class WorkerCode(models.Model):
    """The code a person is managed by in the database, issued at their first registration and kept for
    every later contract (Law 69/2020 Art 69.4)."""

    person = models.OneToOneField("accounts.Person", on_delete=models.PROTECT, related_name="worker_code")
    code = models.CharField(max_length=16, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.code


class Worker(models.Model):
    """One person sent abroad on one contract. The worker code follows the person from contract to
    contract (Law 69/2020 Art 69.4: the database is managed by worker code)."""

    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="overseas_records")
    worker_code = models.CharField(_("worker code"), max_length=16, db_index=True)
    passport_number = models.CharField(_("passport number"), max_length=20)
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="workers")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="workers")
    country = models.ForeignKey("geo.Country", on_delete=models.PROTECT, related_name="+")
    occupation = models.ForeignKey("geo.Occupation", on_delete=models.PROTECT, related_name="+")
    employer_name = models.CharField(_("employer abroad"), max_length=255)
    sex = models.CharField(max_length=1, blank=True)  # copied from the person: the statistics need no join
    departure_date = models.DateField(_("departure date"), null=True, blank=True)
    return_date = models.DateField(_("return date"), null=True, blank=True)
    status = models.CharField(max_length=20, choices=WorkerStatus.choices, default=WorkerStatus.REGISTERED)
    # The organisation that registered the worker (the enterprise or its branch), and the worker's own
    # province of origin, for the scope filter and the statistics.
    org_path = models.CharField(max_length=255, editable=False)
    province = models.ForeignKey(
        "geo.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("worker abroad under contract")
        constraints = [
            models.UniqueConstraint(fields=["person", "contract"], name="ovl_worker_once_per_contract"),
            models.UniqueConstraint(fields=["passport_number", "contract"], name="ovl_worker_passport_once"),
        ]
        indexes = [
            models.Index(fields=["org_path", "status"], name="ovl_worker_path"),
            models.Index(fields=["province", "status"], name="ovl_worker_province"),
            models.Index(fields=["departure_date", "country"], name="ovl_worker_departures"),
        ]

    def __str__(self) -> str:
        return self.worker_code


class WorkerEvent(models.Model):
    """A step of the worker's time abroad, as the enterprise reported it."""

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=WorkerStatus.choices)
    on = models.DateField()
    note = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "at", "id"]

    def __str__(self) -> str:
        return f"{self.status} {self.on}"


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("Being checked")
    HAS_ERRORS = "has_errors", _("Has errors: correct the file and upload it again")
    READY = "ready", _("No errors: waiting for confirmation")
    SAVED = "saved", _("Saved")
    FAILED = "failed", _("Could not be read")


class WorkerImport(models.Model):
    """A worker list uploaded as an Excel file. It is checked row by row in the background; nothing is
    saved until the enterprise confirms a file with no errors, and then every row in one transaction."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="imports")
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="imports")
    # The organisation that uploaded it (the enterprise or a branch): its workers are registered to it.
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    org_path = models.CharField(max_length=255, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to="overseas/imports/%Y/%m/", max_length=200)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=ImportStatus.choices, default=ImportStatus.CHECKING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    # The rows and their reasons, in Vietnamese (the downloadable error report is made from them).
    errors = models.JSONField(default=list, blank=True)
    saved_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    # Once saved, the list as submitted (the file's hash, its rows, the contract) is signed with the
    # certificate of the organisation that uploaded it and verified; the signature stays after a purge.
    signed_file = models.FileField(upload_to="overseas/lists/%Y/%m/", max_length=200, blank=True)
    signature_sha256 = models.CharField(max_length=64, blank=True)
    signed_by = models.CharField(max_length=255, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("worker list import")
        indexes = [models.Index(fields=["org_path", "created_at"], name="ovl_import_path")]

    def __str__(self) -> str:
        return self.filename


class AnnualReport(models.Model):
    """The enterprise's annual report of a year as it submitted it (Circular 21/2021 Art 15): the figures
    counted from the database at the time, and the report form signed with the enterprise's organisation
    certificate (PAdES), verified against the trusted authorities, with who the signature names.

    One row per enterprise and year: a corrected report submitted before the due date replaces the figures
    and the signed file, and the earlier submission is kept in `history` (its file stays in storage)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    figures = models.JSONField(default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    signed_file = models.FileField(upload_to="overseas/reports/%Y/", max_length=200)
    signature_sha256 = models.CharField(max_length=64)
    signed_by = models.CharField(max_length=255)
    signed_at = models.DateTimeField()
    version = models.PositiveSmallIntegerField(default=1)
    # Earlier submissions of the same year, oldest first: file name, sha256, signer, times, submitter.
    history = models.JSONField(default=list, blank=True)
    # The enterprise's path and seat, for the scope filter without a join (like every row here).
    org_path = models.CharField(max_length=255, editable=False)
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("annual report")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="ovl_annual_report_once_a_year")
        ]
        indexes = [
            models.Index(fields=["year", "province"], name="ovl_annual_report_year"),
            models.Index(fields=["org_path", "year"], name="ovl_annual_report_path"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id}/{self.year}"
