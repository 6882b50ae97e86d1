"""Permission codes of the dossier engine (added to the catalogue in accounts.permissions)."""

from django.utils.translation import gettext_lazy as _

from ansinh.accounts.permissions import register

DOSSIER_READ = "dossier.read"
DOSSIER_RECEIVE = "dossier.receive"
DOSSIER_PROCESS = "dossier.process"
DOSSIER_DECIDE = "dossier.decide"
DOSSIER_SUPERVISE = "dossier.supervise"
PARTNER_MANAGE = "partner.manage"

register(DOSSIER_READ, _("See the dossiers received by the organisations in scope"), sensitive=True)
register(DOSSIER_RECEIVE, _("Receive dossiers at the counter, return them for completion, accept them"))
register(DOSSIER_PROCESS, _("Process dossiers and deliver results"))
register(DOSSIER_DECIDE, _("Approve or refuse dossiers and sign the decisions"))
register(DOSSIER_SUPERVISE, _("Assign dossiers to officers and receive the deadline warnings"))
register(PARTNER_MANAGE, _("See partner systems and their callback log"))

# The permission each staff step needs over the dossier's receiving organisation.
STEP_PERMISSION = {
    "return": DOSSIER_RECEIVE,
    "accept": DOSSIER_RECEIVE,
    "cancel": DOSSIER_RECEIVE,
    "start": DOSSIER_PROCESS,
    "deliver": DOSSIER_PROCESS,
    "approve": DOSSIER_DECIDE,
    "refuse": DOSSIER_DECIDE,
}
