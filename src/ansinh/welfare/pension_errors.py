"""The pension arrangements' domain errors (stable codes)."""

from django.utils.translation import gettext_lazy as _

from ansinh.core.errors import Conflict, NotFound, PermissionDenied


class NoSuchPension(NotFound):
    code = "welfare.pension_not_found"
    default_message = _("No pension of yours has this number.")


class PensionEnded(Conflict):
    code = "welfare.pension_ended"
    default_message = _("This pension has ended: its arrangement can no longer be changed.")


class ArrangementUnchanged(Conflict):
    code = "welfare.pension_arrangement_unchanged"
    default_message = _("This is already how and where your pension is paid from that month.")


class NotThePensionAgency(PermissionDenied):
    code = "welfare.not_the_pension_agency"
    default_message = _(
        "Only the social-insurance agency's systems send pensions and read their arrangements."
    )


class PensionsBusy(Conflict):
    code = "welfare.pensions_busy"
    default_message = _("Another batch is writing the same pensions: send this batch again.")
