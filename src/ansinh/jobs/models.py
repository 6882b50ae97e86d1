"""The job exchange (seed 001) and the employment service centres' work (seed 004).

Who places a row: an employer's rows carry its organisation's `org_path` (employers see their own), a
centre's rows carry the centre's `org_path` and province (the province's department sees them all). A
seeker's rows belong to the seeker's person (scope "own").

Search and matching read denormalised, normalised text (`search_text`, `skills_search`; see
`ansinh.core.text.normalise_search`) so both database backends answer "ke toan" and "Kế toán" the same way;
the full-text and trigram indexes over them are made by hand-written migrations, one per backend.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- employers and vacancies ---------------------------------------------------------------------------


class EmployerStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Not verified")
    SUSPENDED = "suspended", _("Suspended")


class Employer(models.Model):
    """An employer on the exchange: a domestic employer that registered itself and was verified by a
    centre, or an enterprise licensed to send workers abroad (verified by its licence)."""

    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="job_employer"
    )
    tax_code = models.CharField(_("tax code"), max_length=14, unique=True)
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("address"), max_length=255)
    contact_name = models.CharField(_("contact person"), max_length=150)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    description = models.TextField(_("about the employer"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EmployerStatus.choices, default=EmployerStatus.PENDING
    )
    # The centre that verified the employer: its placements count towards that centre's targets.
    centre = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=500, blank=True)
    org_path = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("employer")
        indexes = [
            models.Index(fields=["org_path"], name="jobs_employer_path"),
            models.Index(fields=["status", "province"], name="jobs_employer_status"),
        ]

    def __str__(self) -> str:
        return self.organisation.name


class ContractType(models.TextChoices):
    # Labour Code 2019 Art 20: indefinite or definite term (up to 36 months); part-time is Art 32.
    INDEFINITE = "indefinite", _("Indefinite term")
    FIXED_TERM = "fixed_term", _("Fixed term")
    PART_TIME = "part_time", _("Part time")
    SEASONAL = "seasonal", _("Seasonal or by the task")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship or internship")


class VacancyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed by the employer")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn by a centre")


class Vacancy(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="vacancies")
    title = models.CharField(_("job title"), max_length=200)
    occupation = models.ForeignKey(
        "geo.Occupation", verbose_name=_("occupation (ISCO-08)"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("description"))
    requirements = models.TextField(_("requirements"), blank=True)
    # Normalised required skills, space separated ("han dien, tieng han" -> "han dien tieng han").
    skills_search = models.CharField(max_length=500, blank=True, editable=False)
    # Domestic work: a province (and ward) unless remote. Work abroad: a country and the supply contract
    # registered by the licensed enterprise, shown on the vacancy so a worker can tell it from a scam.
    province = models.ForeignKey(
        "geo.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ward = models.ForeignKey(
        "geo.Ward", verbose_name=_("ward"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_remote = models.BooleanField(_("remote work"), default=False)
    is_abroad = models.BooleanField(_("work abroad"), default=False)
    country = models.ForeignKey(
        "geo.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    supply_contract = models.ForeignKey(
        "overseas.Contract",
        verbose_name=_("registered supply contract"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    salary_min = models.BigIntegerField(_("salary from (VND a month)"), null=True, blank=True)
    salary_max = models.BigIntegerField(_("salary up to (VND a month)"), null=True, blank=True)
    contract_type = models.CharField(_("contract type"), max_length=20, choices=ContractType.choices)
    openings = models.PositiveIntegerField(_("number of openings"), default=1)
    deadline = models.DateField(_("application deadline"))
    status = models.CharField(
        _("status"), max_length=20, choices=VacancyStatus.choices, default=VacancyStatus.OPEN
    )
    # title + occupation + employer + place + skills + description, normalised: what search reads.
    search_text = models.TextField(editable=False, default="")
    org_path = models.CharField(max_length=255, editable=False)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        indexes = [
            models.Index(fields=["status", "-published_at"], name="jobs_vacancy_open"),
            models.Index(fields=["status", "deadline"], name="jobs_vacancy_deadline"),
            models.Index(fields=["province", "status", "-published_at"], name="jobs_vacancy_province"),
            models.Index(fields=["occupation", "status"], name="jobs_vacancy_occupation"),
            models.Index(fields=["org_path"], name="jobs_vacancy_path"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=models.F("salary_max")),
                name="jobs_vacancy_salary_range",
            ),
            models.CheckConstraint(
                condition=Q(is_abroad=False) | (Q(country__isnull=False) & Q(supply_contract__isnull=False)),
                name="jobs_vacancy_abroad_contract",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --- job seekers -------------------------------------------------------------------------------------------


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Private: only I and the centres see my profile")
    ANONYMOUS = "anonymous", _("Anonymous: employers see my profile without my name or contacts")
    FULL = "full", _("Full: employers see my profile with my name and contacts")


class EducationLevel(models.TextChoices):
    NONE = "none", _("No formal schooling")
    PRIMARY = "primary", _("Primary school")
    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    ELEMENTARY_VOCATIONAL = "vocational_elementary", _("Elementary vocational certificate")
    INTERMEDIATE = "intermediate", _("Intermediate vocational diploma")
    COLLEGE = "college", _("College")
    UNIVERSITY = "university", _("University")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class SeekerProfile(models.Model):
    """A job seeker's profile and CV. One per person."""

    person = models.OneToOneField("accounts.Person", on_delete=models.PROTECT, related_name="job_seeker")
    headline = models.CharField(_("what work I am looking for"), max_length=200)
    education = models.CharField(
        _("education"), max_length=30, choices=EducationLevel.choices, default=EducationLevel.UPPER_SECONDARY
    )
    skills = models.TextField(_("skills"), blank=True, help_text=_("Separate skills with commas."))
    skills_search = models.CharField(max_length=1000, blank=True, editable=False)
    experience = models.TextField(_("work experience"), blank=True)
    experience_years = models.PositiveSmallIntegerField(_("years of experience"), default=0)
    occupations = models.ManyToManyField(
        "geo.Occupation", verbose_name=_("occupations wanted"), through="SeekerOccupation", related_name="+"
    )
    provinces = models.ManyToManyField(
        "geo.Province", verbose_name=_("provinces wanted"), through="SeekerProvince", related_name="+"
    )
    # Where the seeker lives (a centre of this province serves them).
    province = models.ForeignKey(
        "geo.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expected_salary = models.BigIntegerField(_("expected salary (VND a month)"), null=True, blank=True)
    wants_abroad = models.BooleanField(_("also work abroad"), default=False)
    wants_remote = models.BooleanField(_("also remote work"), default=False)
    visibility = models.CharField(
        _("who may see my profile"), max_length=20, choices=Visibility.choices, default=Visibility.ANONYMOUS
    )
    is_looking = models.BooleanField(_("looking for work now"), default=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("job seeker")
        indexes = [
            models.Index(fields=["is_looking", "visibility"], name="jobs_seeker_looking"),
            models.Index(fields=["province", "is_looking"], name="jobs_seeker_province"),
        ]

    def __str__(self) -> str:
        return self.headline


class SeekerOccupation(models.Model):
    seeker = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="wanted_occupations")
    occupation = models.ForeignKey("geo.Occupation", on_delete=models.PROTECT, related_name="+")
    # The ISCO sub-major group (2 digits): a near occupation ("721" welders for "722" blacksmiths) matches by
    # an indexed equality.
    sub_major_group = models.CharField(max_length=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seeker", "occupation"], name="jobs_seeker_occupation")
        ]
        indexes = [
            models.Index(fields=["occupation", "seeker"], name="jobs_seekocc_occupation"),
            models.Index(fields=["sub_major_group", "seeker"], name="jobs_seekocc_group"),
        ]

    def __str__(self) -> str:
        return f"{self.seeker_id}: {self.occupation_id}"


class SeekerProvince(models.Model):
    seeker = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="wanted_provinces")
    province = models.ForeignKey("geo.Province", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["seeker", "province"], name="jobs_seeker_province_u")]
        indexes = [models.Index(fields=["province", "seeker"], name="jobs_seekprov_province")]

    def __str__(self) -> str:
        return f"{self.seeker_id}: {self.province_id}"


class SavedSearch(models.Model):
    """A seeker's saved search; with `alert` on, new matching vacancies are sent once a day."""

    seeker = models.ForeignKey(SeekerProfile, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("words"), max_length=200, blank=True)
    filters = models.JSONField(default=dict, blank=True)
    alert = models.BooleanField(_("send me new vacancies"), default=True)
    # Vacancies published after this moment are new to the seeker.
    last_alerted_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("saved search")
        indexes = [models.Index(fields=["alert", "last_alerted_at"], name="jobs_savedsearch_alert")]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    VIEWED = "viewed", _("Viewed by the employer")
    INTERVIEW = "interview", _("Invited to an interview")
    OFFER = "offer", _("Offered the job")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="applications")
    seeker = models.ForeignKey(SeekerProfile, on_delete=models.PROTECT, related_name="applications")
    # Denormalised from the vacancy for the employer's scope.
    org_path = models.CharField(max_length=255, editable=False)
    cover_note = models.TextField(_("message to the employer"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SENT
    )
    fair = models.ForeignKey(
        "JobFair", null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("application")
        constraints = [models.UniqueConstraint(fields=["vacancy", "seeker"], name="jobs_application_once")]
        indexes = [
            models.Index(fields=["org_path", "status"], name="jobs_application_path"),
            models.Index(fields=["seeker", "-created_at"], name="jobs_application_seeker"),
        ]

    def __str__(self) -> str:
        return f"{self.seeker_id} -> {self.vacancy_id} ({self.status})"


class ApplicationEvent(models.Model):
    """Each change of an application's status, for the seeker's timeline."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    note = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.status}"


# --- job fairs ---------------------------------------------------------------------------------------------


class FairKind(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    MOBILE = "mobile", _("Mobile fair in a commune")
    HYBRID = "hybrid", _("Hybrid: in person and online")


class FairStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")
    CLOSED = "closed", _("Results recorded")


class JobFair(models.Model):
    centre = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=FairKind.choices)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    province = models.ForeignKey(
        "geo.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    ward = models.ForeignKey(
        "geo.Ward",
        verbose_name=_("ward or commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    # An online or hybrid fair's stream or fan page (seed 004 runs its online fairs on a fan page).
    online_url = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=FairStatus.choices, default=FairStatus.PLANNED
    )
    org_path = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("job fair")
        indexes = [
            models.Index(fields=["status", "starts_at"], name="jobs_fair_upcoming"),
            models.Index(fields=["org_path", "starts_at"], name="jobs_fair_path"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="jobs_fair_times")
        ]

    def __str__(self) -> str:
        return self.title


class FairBooth(models.Model):
    """An employer's booth at a fair, with the vacancies it presents."""

    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="booths")
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="booths")
    vacancies = models.ManyToManyField(Vacancy, blank=True, related_name="booths")
    # Results recorded by the centre after the fair (interviews held at the door included).
    interviews = models.PositiveIntegerField(_("interviews"), default=0)
    offers = models.PositiveIntegerField(_("job offers"), default=0)
    hires = models.PositiveIntegerField(_("hires"), default=0)
    org_path = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fair", "employer"], name="jobs_booth_once")]

    def __str__(self) -> str:
        return f"{self.fair_id}: {self.employer_id}"


class FairRegistration(models.Model):
    """A person registered for a fair. `code` is in the QR shown at the door; scanning it records
    attendance."""

    fair = models.ForeignKey(JobFair, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=32, unique=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fair", "person"], name="jobs_fair_registration_once")]

    def __str__(self) -> str:
        return f"{self.fair_id}: {self.person_id}"


class InterviewSlot(models.Model):
    """A booth's interview slot. `booked` is raised by one conditional UPDATE (booked < capacity), so
    concurrent bookings can never pass the capacity."""

    booth = models.ForeignKey(FairBooth, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("places"), default=1)
    booked = models.PositiveSmallIntegerField(default=0)
    video_link = models.URLField(_("video call link"), blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(booked__lte=models.F("capacity")), name="jobs_slot_not_overbooked"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="jobs_slot_times"),
        ]

    def __str__(self) -> str:
        return f"{self.booth_id} {self.starts_at:%Y-%m-%d %H:%M}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


class InterviewBooking(models.Model):
    slot = models.ForeignKey(InterviewSlot, on_delete=models.PROTECT, related_name="bookings")
    seeker = models.ForeignKey(SeekerProfile, on_delete=models.PROTECT, related_name="bookings")
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="bookings"
    )
    status = models.CharField(max_length=20, choices=BookingStatus.choices, default=BookingStatus.BOOKED)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "seeker"], condition=Q(status="booked"), name="jobs_booking_once_per_slot"
            )
        ]
        indexes = [models.Index(fields=["status", "reminded_at"], name="jobs_booking_reminders")]

    def __str__(self) -> str:
        return f"{self.slot_id}: {self.seeker_id} ({self.status})"


# --- the centres' services ----------------------------------------------------------------------------------


class ServiceKind(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling")
    PLACEMENT = "placement", _("Placement in a job")
    FAIR = "fair", _("Job fair")
    COUNTER = "counter", _("One-stop counter")
    CAREER_TALK = "career_talk", _("Career talk")


class ServiceRecord(models.Model):
    """A service a centre actually gave to a person. Every satisfaction survey hangs on one, so the share
    of satisfied people can be traced back to real services (and nobody else can answer)."""

    centre = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("service"), max_length=20, choices=ServiceKind.choices)
    # The row the service is about: a placement, a counselling appointment, a fair registration, a ticket.
    source_id = models.PositiveBigIntegerField()
    delivered_at = models.DateTimeField(default=timezone.now)
    org_path = models.CharField(max_length=255, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "source_id"], name="jobs_service_once")]
        indexes = [models.Index(fields=["org_path", "delivered_at"], name="jobs_service_path")]

    def __str__(self) -> str:
        return f"{self.kind} {self.source_id}"


class SatisfactionSurvey(models.Model):
    service = models.OneToOneField(ServiceRecord, on_delete=models.PROTECT, related_name="survey")
    # Only a hash of the link's token is kept (the link is the only way in for a person without an account).
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    # 1 (very unhappy) .. 5 (very happy); 4 and 5 count as satisfied.
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    org_path = models.CharField(max_length=255, editable=False)

    class Meta:
        indexes = [models.Index(fields=["org_path", "answered_at"], name="jobs_survey_path")]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5), name="jobs_survey_score"
            )
        ]

    def __str__(self) -> str:
        return f"survey of {self.service_id}"


class PlacementStatus(models.TextChoices):
    REPORTED = "reported", _("Reported, to be verified")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Not confirmed")


class Placement(models.Model):
    """A person placed in a job through a centre. A hire marked by a verified employer on an application is
    verified by that mark; a placement a centre reports itself waits for a second officer's check."""

    centre = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    employer_name = models.CharField(_("employer"), max_length=255)
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="placement"
    )
    fair = models.ForeignKey(
        JobFair, null=True, blank=True, on_delete=models.SET_NULL, related_name="placements"
    )
    job_title = models.CharField(_("job"), max_length=200)
    started_on = models.DateField(_("starts work on"), null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.REPORTED
    )
    reported_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    org_path = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["org_path", "status", "verified_at"], name="jobs_placement_path")]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.employer_name}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    DONE = "done", _("Held")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("Did not come")


class CounsellingAppointment(models.Model):
    centre = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("accounts.Person", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField(_("time"))
    channel = models.CharField(
        _("how"),
        max_length=20,
        choices=[("in_person", _("At the centre")), ("phone", _("By phone")), ("video", _("Video call"))],
        default="in_person",
    )
    topic = models.CharField(_("what I would like advice on"), max_length=300)
    status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    advice = models.TextField(_("record of advice"), blank=True)
    counsellor = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    org_path = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["org_path", "starts_at"], name="jobs_counselling_path")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.starts_at:%Y-%m-%d %H:%M}"


class CareerTalk(models.Model):
    """A career-guidance talk at a school (seed 004: 20 talks, 4,800 grade-12 students in a year)."""

    centre = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    school = models.CharField(_("school"), max_length=255)
    ward = models.ForeignKey(
        "geo.Ward",
        verbose_name=_("ward or commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("date"))
    attendees = models.PositiveIntegerField(_("students attending"))
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    org_path = models.CharField(max_length=255, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["org_path", "held_on"], name="jobs_talk_path")]

    def __str__(self) -> str:
        return f"{self.school} {self.held_on}"


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called to the desk")
    SERVED = "served", _("Served")
    LEFT = "left", _("Left without service")


class CounterTicket(models.Model):
    """A number at the one-stop counter. Numbers restart each day at each centre."""

    centre = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    number = models.PositiveIntegerField()
    person = models.ForeignKey(
        "accounts.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("what for"), max_length=40)
    status = models.CharField(max_length=20, choices=TicketStatus.choices, default=TicketStatus.WAITING)
    desk = models.CharField(_("desk"), max_length=20, blank=True)
    issued_at = models.DateTimeField(default=timezone.now)
    called_at = models.DateTimeField(null=True, blank=True)
    served_at = models.DateTimeField(null=True, blank=True)
    served_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    org_path = models.CharField(max_length=255, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "day", "number"], name="jobs_ticket_number")]
        indexes = [models.Index(fields=["centre", "day", "status"], name="jobs_ticket_queue")]

    def __str__(self) -> str:
        return f"{self.day} #{self.number}"


class Indicator(models.TextChoices):
    PLACEMENTS = "placements", _("People placed in new jobs")
    FAIRS = "fairs", _("Job fairs held")
    MOBILE_FAIRS = "mobile_fairs", _("Mobile job fairs in communes")
    CAREER_TALKS = "career_talks", _("Career talks at schools")
    TALK_ATTENDEES = "talk_attendees", _("Students at career talks")
    COUNSELLED = "counselled", _("People counselled")
    SURVEYS = "surveys", _("Satisfaction surveys answered")
    SATISFIED_PERCENT = "satisfied_percent", _("Satisfied people (%)")


class CentreTarget(models.Model):
    centre = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    target = models.PositiveIntegerField(_("target"))
    org_path = models.CharField(max_length=255, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["centre", "year", "indicator"], name="jobs_target_once")
        ]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.year} {self.indicator}"
