"""Permission codes of the citizen social-security services.

Citizens need none: their allowance, pension, medicine requests and card are their own (scope "own",
checked against their person). The allowance dossier itself uses the engine's `dossier.receive`,
`dossier.process` and `dossier.decide` over the commune.
"""

from django.utils.translation import gettext_lazy as _

from ansinh.accounts.permissions import register

ALLOWANCE_MANAGE = "welfare_allowance.manage"
MEDICINE_HANDLE = "welfare_medicine.handle"
CARD_MANAGE = "welfare_card.manage"
PAYMENT_RECORD = "welfare_payment.record"
STATISTICS_READ = "welfare_statistics.read"

register(
    ALLOWANCE_MANAGE,
    _("Handle the social allowances a commune decided: changes of circumstances, suspension, end"),
    sensitive=True,
)
# Sensitive: the queue shows people's long-term conditions and medicines (health data).
register(
    MEDICINE_HANDLE,
    _("Confirm, schedule and dispense the clinic's regular-medicine requests"),
    sensitive=True,
)
register(CARD_MANAGE, _("Issue, revoke and re-issue social-security cards"), sensitive=True)
register(
    PAYMENT_RECORD,
    _("Scan social-security cards and record the benefits paid at a service point"),
    sensitive=True,
)
register(STATISTICS_READ, _("See the social-security services' figures"))
