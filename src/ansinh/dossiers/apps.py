from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "ansinh.dossiers"
    label = "dossiers"
    verbose_name = _("Public-service procedures and dossiers")

    def ready(self) -> None:
        # Each app declares its procedures in code; importing the modules registers them.
        from ansinh.dossiers import permissions  # noqa: F401
