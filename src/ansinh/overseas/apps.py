from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OverseasConfig(AppConfig):
    name = "ansinh.overseas"
    label = "overseas"
    verbose_name = _("Workers abroad under contract")

    def ready(self) -> None:
        # Importing the declarations registers the permissions, the licence procedure and its effects.
        from ansinh.overseas import permissions, procedures  # noqa: F401
        from ansinh.overseas.services import licensing  # noqa: F401
