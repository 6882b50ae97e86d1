"""The 24/7 desk: the operators' log of what they did on a request, the directory of missions and
agencies they escalate to, and the numbered stream of events the consoles follow."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.sos.models.requests import HelpRequest


class MissionKind(models.TextChoices):
    EMBASSY = "embassy", _("Embassy")
    CONSULATE = "consulate", _("Consulate general")
    LABOUR_ATTACHE = "labour_attache", _("Labour attaché")
    POLICE = "police", _("Local police")
    ENTERPRISE = "enterprise", _("Sending enterprise")
    OTHER = "other", _("Other agency")


class Mission(models.Model):
    """A mission or agency the desk can call on, with the number that answers at any hour."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=MissionKind.choices)
    country = models.CharField(_("country"), max_length=2)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone_24h = models.CharField(_("24/7 phone"), max_length=30, blank=True)
    phone = models.CharField(_("office phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = ["country", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class ActionKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledged")
    ASSIGN = "assign", _("Assigned")
    HANDOVER = "handover", _("Handed over")
    CALL = "call", _("Call")
    NOTE = "note", _("Note")
    ESCALATE = "escalate", _("Escalated")
    RESOLVE = "resolve", _("Resolved")
    REOPEN = "reopen", _("Reopened")
    OVERDUE = "overdue", _("Not acknowledged in time: supervisors told")


class RequestAction(models.Model):
    """One line of the desk's log on a request; escalations name the mission or agency called."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="actions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    body = models.TextField(blank=True)
    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind}"


class DeskSequence(models.Model):
    """One row: the last sequence number given to a desk event. Taking the next number locks the row until
    the transaction commits, so numbers become visible in order and a console that replays after number N
    can never miss an event numbered below a later one it already saw."""

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)


class DeskEvent(models.Model):
    sequence = models.BigIntegerField(unique=True)
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sequence"]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.kind}"
