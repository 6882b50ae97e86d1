"""The pension notification templates (English source; Vietnamese in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from ansinh.notify.templates import register_template

ARRANGEMENT_CHANGED = "welfare.pension_arrangement_changed"
PENSION_RECEIVED = "welfare.pension_received"

register_template(
    ARRANGEMENT_CHANGED,
    _("Your pension will be paid differently from {month}"),
    _(
        "From the pension of {month}, your pension {code} is paid by: {method}, in {province}. "
        "The social-insurance agency has been told. Until then it is paid as before."
    ),
)
register_template(
    PENSION_RECEIVED,
    _("Your pension is now in your services"),
    _(
        "The social-insurance agency has sent your pension {code}: {amount} VND a month. "
        "You can see the payment days and choose how and where to receive it."
    ),
)
