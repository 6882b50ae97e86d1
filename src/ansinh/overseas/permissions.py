"""Permission codes of the overseas-labour database (added to the catalogue in accounts.permissions).

An enterprise's staff hold them over the enterprise (organisation scope: its branches included); a branch's
staff hold the delegable ones, and each works only where the enterprise delegated it to the branch
(`Organisation.delegated_permissions`, checked by `accounts.selectors.grant_for`). Law 69/2020 Art 17: a
branch never signs or liquidates contracts nor collects fees, so registering a contract is never delegable.
"""

from django.utils.translation import gettext_lazy as _

from ansinh.accounts.permissions import register

READ = "ovl.read"
ENTERPRISE_MANAGE = "ovl_enterprise.manage"
CONTRACT_REGISTER = "ovl_contract.register"
WORKER_REGISTER = "ovl_worker.register"
WORKER_UPDATE = "ovl_worker.update"
REPORT_SUBMIT = "ovl_report.submit"
REGISTRATION_DECIDE = "ovl_registration.decide"
LICENCE_MANAGE = "ovl_licence.manage"
STATISTICS_READ = "ovl_statistics.read"

register(READ, _("See the enterprises, contracts and workers abroad in scope"), sensitive=True)
register(ENTERPRISE_MANAGE, _("Keep the enterprise's information, branches and foreign partners current"))
register(CONTRACT_REGISTER, _("Register contracts for sending workers abroad"))
register(WORKER_REGISTER, _("Register workers and import worker lists"), sensitive=True)
register(WORKER_UPDATE, _("Report departures, returns and the other steps of a worker's time abroad"))
register(REPORT_SUBMIT, _("Prepare and submit the enterprise's reports"))
register(REGISTRATION_DECIDE, _("Decide contract registrations of the enterprises in scope"))
register(LICENCE_MANAGE, _("Grant, amend, suspend and revoke licences to send workers abroad"))
register(STATISTICS_READ, _("See the statistics of workers abroad in scope"))

# What an enterprise may delegate to a branch (Law 69/2020 Art 17), by the function's name in the rules.
DELEGABLE = {
    "worker_registration": WORKER_REGISTER,
    "worker_update": WORKER_UPDATE,
    "reports": REPORT_SUBMIT,
    "read": READ,
}
