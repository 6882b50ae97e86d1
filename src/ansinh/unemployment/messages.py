"""The unemployment service's notification templates (English source; Vietnamese in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from ansinh.notify.templates import register_template

WINDOW_SOON = "unemployment.window_soon"
WINDOW_OPEN = "unemployment.window_open"
SUSPENDED = "unemployment.suspended"
CONTINUED = "unemployment.continued"
CLAIM_CLOSED = "unemployment.claim_closed"
TRANSFERRED = "unemployment.transferred"

register_template(
    WINDOW_SOON,
    _("Job-search notification for month {number} opens on {opens}"),
    _(
        "Your monthly job-search notification for benefit month {number} is due from {opens} to {closes}. "
        "Without it the month is not paid."
    ),
)
register_template(
    WINDOW_OPEN,
    _("Notify your job search today: month {number}"),
    _("You can notify your job search for benefit month {number} online until {closes}."),
)
register_template(
    SUSPENDED,
    _("Benefit suspended: month {number} was not notified"),
    _(
        "Your unemployment benefit is suspended (decision {decision}) because month {number} was not "
        "notified by {closes}. Notify your job search to have it continued."
    ),
)
register_template(
    CONTINUED,
    _("Benefit continued"),
    _("Your unemployment benefit continues (decision {decision}) from month {number}."),
)
register_template(
    CLAIM_CLOSED,
    _("Unemployment benefit ended"),
    _("Your unemployment benefit ended on {day}: {reason}. Months reserved: {reserved}."),
)
register_template(
    TRANSFERRED,
    _("Your benefit is now paid by {centre}"),
    _("{centre} has received your benefit file and continues the payments from month {number}."),
)
