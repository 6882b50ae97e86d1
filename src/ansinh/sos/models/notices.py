"""Notices to workers abroad (thông báo). A notice is stored once with its audience: publishing to a million
workers is one row; per-person rows exist only for what a person did (read it)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Every worker abroad")
    COUNTRY = "country", _("Workers in one country")
    PROGRAMME = "programme", _("Workers in one programme")
    EMPLOYER = "employer", _("Workers of one employer")


class Programme(models.TextChoices):
    EPS_KOREA = "eps_korea", _("EPS, Korea")
    JAPAN_TECHNICAL_INTERN = "japan_technical_intern", _("Technical intern training, Japan")
    JAPAN_SPECIFIED_SKILLED = "japan_specified_skilled", _("Specified skilled worker, Japan")
    TAIWAN = "taiwan", _("Contract workers, Taiwan")
    GERMANY_CARE = "germany_care", _("Nursing and care, Germany")
    OTHER = "other", _("Other programmes")


class Notice(models.Model):
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    title_en = models.CharField(_("English title"), max_length=200, blank=True)
    body_en = models.TextField(_("English text"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    country = models.CharField(_("country"), max_length=2, blank=True, help_text=_("ISO 3166 code, e.g. KR"))
    programme = models.CharField(_("programme"), max_length=40, choices=Programme.choices, blank=True)
    employer = models.CharField(_("employer"), max_length=255, blank=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    urgent = models.BooleanField(_("urgent"), default=False)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(fields=["audience", "country", "published_at"], name="notice_audience"),
            models.Index(fields=["-pinned", "-published_at", "-id"], name="notice_feed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(audience="country") | ~Q(country=""), name="notice_country_audience_has_country"
            ),
            models.CheckConstraint(
                condition=~Q(audience="programme") | ~Q(programme=""),
                name="notice_programme_audience_has_programme",
            ),
            models.CheckConstraint(
                condition=~Q(audience="employer") | ~Q(employer=""),
                name="notice_employer_audience_has_employer",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class NoticeRead(models.Model):
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_read_once")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.notice_id}"
