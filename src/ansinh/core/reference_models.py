"""Dated reference data the law changes over time: legal parameters and working-day exceptions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceStatus(models.TextChoices):
    PRIMARY = "P", _("read in the primary text")
    SECONDARY = "S", _("secondary source")
    UNCONFIRMED = "U", _("unconfirmed")


class LegalParameter(models.Model):
    """A value fixed by law for a period, e.g. the region I minimum wage from 2026-01-01.

    `region` is "" for national values (base salary) and "I".."IV" for regional minimum wages.
    `valid_to` is derived from the next row when loading, so a lookup is one indexed range query.
    """

    code = models.CharField(max_length=60)
    region = models.CharField(max_length=4, blank=True)
    value = models.BigIntegerField(help_text=_("Integer VND"))
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=255)
    source_status = models.CharField(max_length=1, choices=SourceStatus.choices, default=SourceStatus.PRIMARY)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["code", "region", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "region", "valid_from"], name="legal_parameter_unique_start"
            ),
        ]
        indexes = [models.Index(fields=["code", "region", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.code}{'/' + self.region if self.region else ''} {self.valid_from}: {self.value}"


class WorkingDayOverride(models.Model):
    """A day the government moves: a weekend made a working day, or a weekday given off (day swaps)."""

    date = models.DateField(unique=True)
    is_working_day = models.BooleanField()
    reason = models.CharField(max_length=255)
    # Part of the cache signature in `ansinh.core.workdays`: an edit made elsewhere invalidates every process.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'working' if self.is_working_day else 'off'}"
