"""The workers-abroad service's notification templates (English source; Vietnamese in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from ansinh.notify.templates import register_template

REQUEST_CHANGED = "sos.request_changed"
OPERATOR_REPLIED = "sos.operator_replied"
REQUEST_OVERDUE = "sos.request_overdue"
URGENT_NOTICE = "sos.urgent_notice"

register_template(
    REQUEST_CHANGED,
    _("Your request {reference}: {status}"),
    _("Your request {reference} is now: {status}.\n{note}"),
)
register_template(
    OPERATOR_REPLIED,
    _("Reply to your request {reference}"),
    _("The operator replied to your request {reference}:\n{body}"),
)
register_template(
    REQUEST_OVERDUE,
    _("Not acknowledged in time: {reference}"),
    _(
        "{kind} {reference} from {country} has waited {minutes} minutes without an operator. "
        "Open the console."
    ),
)
register_template(
    URGENT_NOTICE,
    _("Urgent notice: {title}"),
    _("{title}\n{summary}"),
)
