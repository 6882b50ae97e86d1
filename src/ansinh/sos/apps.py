from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SosConfig(AppConfig):
    name = "ansinh.sos"
    label = "sos"
    verbose_name = _("Workers abroad: notices and SOS")

    def ready(self) -> None:
        from ansinh.sos import permissions  # noqa: F401
