"""The job exchange's notification templates (English source; Vietnamese in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from ansinh.notify.templates import register_template

NEW_APPLICATION = "jobs.new_application"
APPLICATION_STATUS = "jobs.application_status"
SURVEY = "jobs.survey"
REFERRAL = "jobs.referral"

register_template(
    NEW_APPLICATION,
    _("New application: {vacancy}"),
    _('{seeker} applied for your vacancy "{vacancy}".'),
)
register_template(
    APPLICATION_STATUS,
    _('Your application for "{vacancy}": {status}'),
    _('{employer} changed your application for "{vacancy}" to: {status}.'),
)
register_template(
    SURVEY,
    _("How was the service of {centre}?"),
    _(
        "You recently received a service from {centre} ({service}). Please tell us in one minute how "
        "satisfied you are: your answer helps the centre do better."
    ),
)
register_template(
    REFERRAL,
    _("A job for you: {vacancy}"),
    _(
        'The employment service centre refers you to the vacancy "{vacancy}" of {employer}. Please apply '
        "or tell the centre your answer: refusing a suitable job twice without a good reason ends the "
        "unemployment benefit."
    ),
)
