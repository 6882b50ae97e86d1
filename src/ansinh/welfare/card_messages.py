"""The card notification templates (English source; Vietnamese in the catalogue)."""

from django.utils.translation import gettext_lazy as _

from ansinh.notify.templates import register_template

CARD_ISSUED = "welfare.card_issued"
CARD_REVOKED = "welfare.card_revoked"
PAYMENT_RECORDED = "welfare.payment_recorded"

register_template(
    CARD_ISSUED,
    _("Your social-security card {number} is ready"),
    _(
        "Your social-security card {number} (issue {issue}) is ready. Show it in the app or print it: any "
        "service point in any province pays your benefits with it."
    ),
)
register_template(
    CARD_REVOKED,
    _("Your social-security card {number} was revoked"),
    _(
        "Your social-security card {number} (issue {issue}) was revoked on {day}: {reason}. It can no "
        "longer be used. If you did not ask for this, contact your commune's social affairs office."
    ),
)
register_template(
    PAYMENT_RECORDED,
    _("Payment received: {amount}"),
    _(
        "{amount} was paid to you with your social-security card for {month} at {place} on {when}. "
        "Receipt number {receipt}. If you did not receive it, contact the social affairs office at once."
    ),
)
