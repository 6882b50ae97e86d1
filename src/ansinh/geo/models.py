"""Reference places and lists: the 34 provinces and their wards (from 1 July 2025), the 63 earlier
province codes used in personal ID numbers, countries and occupations. Loaded by `ansinh load_reference`."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _localised(name_vi: str, name_en: str) -> str:
    """The English name on English pages when there is one; Vietnamese otherwise."""
    return name_en if name_en and (get_language() or "vi").startswith("en") else name_vi


class Province(models.Model):
    """A provincial-level unit after Resolution 202/2025/QH15 (34 units)."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100, blank=True)
    # "city" (thành phố trực thuộc trung ương) or "province" (tỉnh); versioned data, may change by resolution.
    unit_type = models.CharField(max_length=20)
    name_search = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return _localised(self.name, self.name_en)


class Ward(models.Model):
    """A commune-level unit (xã, phường, đặc khu) after 1 July 2025."""

    code = models.CharField(max_length=8, unique=True)
    name = models.CharField(max_length=100)
    name_en = models.CharField(max_length=100, blank=True)
    unit_type = models.CharField(max_length=20)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="wards")
    name_search = models.CharField(max_length=100, db_index=True)

    class Meta:
        ordering = ["province", "name"]
        verbose_name = _("ward or commune")
        verbose_name_plural = _("wards and communes")

    def __str__(self) -> str:
        return _localised(self.name, self.name_en)


class LegacyProvince(models.Model):
    """One of the 63 provinces before 1 July 2025; its 3-digit code still opens personal ID numbers."""

    code = models.CharField(max_length=3, unique=True)
    name = models.CharField(max_length=100)
    successor = models.ForeignKey(Province, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Country(models.Model):
    iso2 = models.CharField(max_length=2, unique=True)
    iso3 = models.CharField(max_length=3, unique=True)
    numeric = models.CharField(max_length=3)
    name_vi = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    name_search = models.CharField(max_length=120, db_index=True)

    class Meta:
        ordering = ["name_vi"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _localised(self.name_vi, self.name_en)


class Occupation(models.Model):
    """An ISCO-08 group: major (1 digit), sub-major (2), minor (3) or unit (4)."""

    code = models.CharField(max_length=4, unique=True)
    level = models.PositiveSmallIntegerField()
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name_vi = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255)
    # Both names, normalised (ansinh.core.text.normalise_search): "tho han" and "welder" find the same row.
    name_search = models.CharField(max_length=520, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def name(self) -> str:
        return _localised(self.name_vi, self.name_en)
