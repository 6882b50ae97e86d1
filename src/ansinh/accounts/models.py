"""People, logins, organisations, roles and memberships, and the credentials around them."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Person(models.Model):
    """A citizen. Separate from `User`: most people in the registers never log in."""

    full_name = models.CharField(_("full name"), max_length=150)
    name_search = models.CharField(max_length=150, db_index=True, editable=False)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    personal_id = models.CharField(_("personal ID number"), max_length=12, null=True, blank=True, unique=True)
    passport_number = models.CharField(_("passport number"), max_length=20, blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164"))
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
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
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name_search", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["province", "name_search"])]

    def __str__(self) -> str:
        return self.full_name


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    DEPARTMENT = "department", _("Ministry department")
    # The ministry's department that licenses enterprises and registers their contracts (Law 69/2020).
    OVERSEAS_LABOUR_DEPARTMENT = "overseas_department", _("Department of Overseas Labour")
    OVERSEAS_LABOUR_CENTRE = "overseas_centre", _("Centre of Overseas Labour")
    PROVINCIAL_DEPARTMENT = "provincial_department", _("Provincial Department of Home Affairs")
    EMPLOYMENT_CENTRE = "employment_centre", _("Employment service centre")
    ENTERPRISE = "enterprise", _("Licensed enterprise")
    BRANCH = "branch", _("Enterprise branch")
    EMPLOYER = "employer", _("Domestic employer")
    MISSION = "mission", _("Mission abroad")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance agency")
    # The commune-level people's committee (xã, phường, đặc khu): social allowances since July 2025.
    COMMUNE = "commune", _("Commune people's committee")
    # A clinic where health-insurance cards are registered for primary care.
    CLINIC = "clinic", _("Health-insurance clinic")
    # Where benefits are paid in cash against the social-security card (post offices and the like).
    SERVICE_POINT = "service_point", _("Benefit payment service point")


class Organisation(models.Model):
    """A node of the organisation tree. `path` ("/1/4/17/") makes "this and everything below" one
    indexed prefix query."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False)
    province = models.ForeignKey(
        "geo.Province",
        verbose_name=_("province"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    country = models.CharField(
        _("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, for missions")
    )
    # For a commune's people's committee: the commune it serves (commune-level procedures go to it).
    ward = models.ForeignKey(
        "geo.Ward", verbose_name=_("ward"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For a branch: the permission codes its enterprise has delegated to it (Law 69/2020 Art 17 limits them).
    delegated_permissions = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["path"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "vi").startswith("en"):
            return self.name_en
        return self.name


class Scope(models.TextChoices):
    SELF = "self", _("Own records")
    ORGANISATION = "organisation", _("Own organisation and the units below it")
    BRANCH = "branch", _("Branch: functions delegated by the enterprise")
    PROVINCE = "province", _("Whole province")
    NATION = "nation", _("Whole country")


class Role(models.Model):
    code = models.CharField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    permissions = models.JSONField(_("permission codes"), default=list, blank=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        if self.name_en and (get_language() or "vi").startswith("en"):
            return self.name_en
        return self.name


class FirstLoginCheck(models.TextChoices):
    """What else an account must prove at its first sign-in, when its first password is not a secret
    (a worker's first password is the passport number)."""

    NONE = "", _("Nothing else")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra: Any) -> "User":
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(username, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A login. Staff act through memberships; citizens and workers through their person record."""

    username = models.CharField(_("username"), max_length=150, unique=True)
    person = models.OneToOneField(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="user", verbose_name=_("person")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the admin site"), default=False)
    language = models.CharField(_("language"), max_length=5, default="vi")
    must_change_password = models.BooleanField(default=False)
    # Asked together with the forced password change; cleared once passed.
    first_login_check = models.CharField(
        _("also asked at first sign-in"),
        max_length=20,
        choices=FirstLoginCheck.choices,
        blank=True,
        default=FirstLoginCheck.NONE,
    )
    password_changed_at = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("username"), name="user_username_ci_unique")]

    def __str__(self) -> str:
        return self.username

    @property
    def asks_date_of_birth(self) -> bool:
        """The forced password change must also be given the person's date of birth."""
        return self.must_change_password and self.first_login_check == FirstLoginCheck.DATE_OF_BIRTH

    def has_nation_permission(self, code: str) -> bool:
        """Asked by the shared kernel (which must not import this app), e.g. for the audit log."""
        from ansinh.accounts.selectors import grant_for  # selectors import this module

        return grant_for(self, code).nation


class Membership(models.Model):
    """A staff user's role in one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="memberships")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation.code} as {self.role.code}"


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # False for a token issued before the second factor (an account that must first change its password):
    # it may change the password, but an official who needs two-factor sign-in must then sign in again.
    two_factor_verified = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user_id})"


class LoginThrottle(models.Model):
    """Failed sign-ins per username (case-folded), whether or not the account exists."""

    username_key = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.username_key


class OneTimeCode(models.Model):
    """A short code sent by SMS or e-mail to reset a password. Stored hashed; few attempts allowed."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("E-mail")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    purpose = models.CharField(max_length=30)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.purpose} {self.channel} ({self.user_id})"


class TotpDevice(models.Model):
    """The staff member's authenticator app. `last_step` refuses a code used twice."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"TOTP ({self.user_id})"
