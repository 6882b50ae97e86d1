"""The allowance notification templates (English source; Vietnamese in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from ansinh.notify.templates import register_template

ALLOWANCE_GRANTED = "welfare.allowance_granted"
ALLOWANCE_SUSPENDED = "welfare.allowance_suspended"
ALLOWANCE_RESUMED = "welfare.allowance_resumed"
ALLOWANCE_ENDED = "welfare.allowance_ended"
CHANGE_ACCEPTED = "welfare.allowance_change_accepted"
CHANGE_REJECTED = "welfare.allowance_change_rejected"

register_template(
    ALLOWANCE_GRANTED,
    _("Monthly social allowance granted: {amount} a month"),
    _("{commune} granted you a monthly social allowance of {amount} from {month}, paid by {method}."),
)
register_template(
    ALLOWANCE_SUSPENDED,
    _("Your monthly social allowance is suspended"),
    _("{commune} suspended your monthly social allowance: {reason}"),
)
register_template(
    ALLOWANCE_RESUMED,
    _("Your monthly social allowance is paid again"),
    _("{commune} resumed your monthly social allowance: {reason}"),
)
register_template(
    ALLOWANCE_ENDED,
    _("Your monthly social allowance has ended"),
    _("{commune} ended your monthly social allowance; the last month paid is {month}: {reason}"),
)
register_template(
    CHANGE_ACCEPTED,
    _("Your report of a change was accepted"),
    _("{commune} accepted the change you reported: {outcome}"),
)
register_template(
    CHANGE_REJECTED,
    _("Your report of a change was not accepted"),
    _("{commune} did not accept the change you reported: {outcome}"),
)
