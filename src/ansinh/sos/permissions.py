"""Permission codes of the workers-abroad service."""

from django.utils.translation import gettext_lazy as _

from ansinh.accounts.permissions import register

NOTICE_PUBLISH = "notice.publish"

register(NOTICE_PUBLISH, _("Publish and withdraw notices to workers abroad"))

SOS_HANDLE = "sos.handle"

register(SOS_HANDLE, _("Handle support and SOS requests of workers abroad (24/7 desk)"), sensitive=True)

SOS_SUPERVISE = "sos.supervise"

register(
    SOS_SUPERVISE,
    _("Supervise the 24/7 desk: hand requests over, be told of late SOS, see the dashboard"),
    sensitive=True,
)

WORKER_MANAGE = "worker.manage"

register(WORKER_MANAGE, _("Provision and import the accounts of workers abroad"), sensitive=True)
