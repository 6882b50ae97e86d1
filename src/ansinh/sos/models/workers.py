"""Workers abroad whose data the centre holds: who may sign in to the app with a passport number. Until the
overseas-labour database (`overseas`) is the source, records come from the demo data and the centre's Excel
import; the desk's worker card reads them."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.sos.models.notices import Programme


class WorkerSource(models.TextChoices):
    DEMO = "demo", _("Demo data")
    IMPORT = "import", _("Excel import by the centre")
    OVERSEAS = "overseas", _("Overseas-labour database")


class WorkerProfile(models.Model):
    person = models.OneToOneField(
        "accounts.Person", on_delete=models.PROTECT, related_name="worker_abroad", verbose_name=_("person")
    )
    # As printed in the passport used at departure, upper-case: it is also the sign-in name.
    passport_number = models.CharField(_("passport number"), max_length=20, unique=True)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 code, e.g. KR"))
    programme = models.CharField(_("programme"), max_length=40, choices=Programme.choices, blank=True)
    employer = models.CharField(_("employer abroad"), max_length=255, blank=True)
    enterprise = models.CharField(_("sending enterprise"), max_length=255, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=60, blank=True)
    departure_date = models.DateField(_("departure date"), null=True, blank=True)
    contract_end = models.DateField(_("contract end"), null=True, blank=True)
    security_question = models.CharField(_("security question"), max_length=200, blank=True)
    security_answer_hash = models.CharField(max_length=128, blank=True)
    source = models.CharField(max_length=10, choices=WorkerSource.choices, default=WorkerSource.IMPORT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("worker abroad")
        verbose_name_plural = _("workers abroad")
        indexes = [models.Index(fields=["country", "programme"], name="worker_abroad_country")]

    def __str__(self) -> str:
        return self.passport_number
