"""The unemployment service's domain errors (stable codes)."""

from django.utils.translation import gettext_lazy as _

from ansinh.core.errors import Conflict, NotFound, PermissionDenied


class NotEligible(Conflict):
    code = "unemployment.not_eligible"
    default_message = _("The claimant is not eligible: refuse the claim, giving these reasons.")


class NoOpenClaim(NotFound):
    code = "unemployment.no_open_claim"
    default_message = _("You are not receiving an unemployment benefit at the moment.")


class WindowClosed(Conflict):
    code = "unemployment.window_closed"
    default_message = _("No job-search notification is due today.")


class AlreadyNotified(Conflict):
    code = "unemployment.already_notified"
    default_message = _("This month's job search is already notified.")


class TooLateToWithdraw(Conflict):
    code = "unemployment.withdrawal_too_late"
    default_message = _("A claim can be withdrawn only within 10 working days of filing.")


class NotTheDecider(PermissionDenied):
    code = "unemployment.not_the_decider"
    default_message = _("In this province, benefit claims are decided by another body.")


class TransferNotAllowed(Conflict):
    code = "unemployment.transfer_not_allowed"
    default_message = _("The benefit can move to another province after at least one month was received.")


class ContributionsBusy(Conflict):
    code = "unemployment.contributions_busy"
    default_message = _(
        "Another batch changed the same contribution records at the same time. Send this batch again."
    )
