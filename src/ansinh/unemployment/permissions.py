"""Permission codes of the unemployment service (added to the catalogue in accounts.permissions)."""

from django.utils.translation import gettext_lazy as _

from ansinh.accounts.permissions import register

CLAIM_READ = "ui_claim.read"
CLAIM_HANDLE = "ui_claim.handle"
STATISTICS_READ = "ui_statistics.read"
DELEGATION_MANAGE = "ui_delegation.manage"

register(CLAIM_READ, _("See the unemployment benefits paid by the centres in scope"), sensitive=True)
register(
    CLAIM_HANDLE,
    _("Record job-search notifications at the counter, job referrals, transfers and cancellations"),
)
register(STATISTICS_READ, _("See the unemployment-insurance statistics of the provinces in scope"))
register(DELEGATION_MANAGE, _("Set who decides unemployment-benefit claims in the provinces in scope"))
