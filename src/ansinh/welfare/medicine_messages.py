"""The medicine notification templates (English source; Vietnamese in the catalogue).

No message names the condition or the medicines: messages also go out by e-mail and SMS, and health data
stay on the pages behind sign-in."""

from django.utils.translation import gettext_lazy as _

from ansinh.notify.templates import register_template

REQUEST_SENT = "welfare.medicine_request_sent"
REQUEST_NEW = "welfare.medicine_request_new"  # to the clinic's staff
PICKUP_SCHEDULED = "welfare.medicine_pickup_scheduled"
DELIVERY_SCHEDULED = "welfare.medicine_delivery_scheduled"
DISPENSED = "welfare.medicine_dispensed"
DECLINED = "welfare.medicine_declined"
CANCELLED = "welfare.medicine_cancelled"
CANCELLED_FOR_CLINIC = "welfare.medicine_cancelled_clinic"  # to the clinic's staff

register_template(
    REQUEST_SENT,
    _("Your medicine request was sent to {clinic}"),
    _(
        "{clinic} received your request for your regular medicine. The clinic will confirm it and tell you "
        "the day. You do not need to go there before that."
    ),
)
register_template(
    REQUEST_NEW,
    _("New regular-medicine request ({mode})"),
    _("A person asks for their regular medicine. Please confirm and schedule it in the clinic's queue."),
)
register_template(
    PICKUP_SCHEDULED,
    _("Your medicine is ready to collect on {day}"),
    _(
        "{clinic} has prepared your regular medicine ({days} days). Please collect it on {day} between "
        "{start} and {end}, with your health-insurance card. {note}"
    ),
)
register_template(
    DELIVERY_SCHEDULED,
    _("Your medicine will be delivered on {day}"),
    _(
        "{clinic} will deliver your regular medicine ({days} days) to {address} on {day}{window}. "
        "Please keep your phone with you. {note}"
    ),
)
register_template(
    DISPENSED,
    _("You received your medicine from {clinic}"),
    _(
        "{clinic} recorded that you received {days} days of medicine. You can ask for the next medicine "
        "from {next_from}."
    ),
)
register_template(
    DECLINED,
    _("{clinic} could not accept your medicine request"),
    _("{clinic} could not accept your request for regular medicine. The reason: {reason}"),
)
register_template(
    CANCELLED,
    _("Your medicine request is cancelled"),
    _("Your request for regular medicine at {clinic} is cancelled. You can send a new one at any time."),
)
register_template(
    CANCELLED_FOR_CLINIC,
    _("A medicine request was cancelled"),
    _("The person cancelled their regular-medicine request scheduled for {day}. You need not prepare it."),
)
