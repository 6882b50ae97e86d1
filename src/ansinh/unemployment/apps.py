from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnemploymentConfig(AppConfig):
    name = "ansinh.unemployment"
    label = "unemployment"
    verbose_name = _("Unemployment insurance")

    def ready(self) -> None:
        # Importing the declarations registers the six procedures, their effects on the claim, the
        # permissions and the message templates.
        from ansinh.unemployment import messages, permissions, procedures  # noqa: F401
        from ansinh.unemployment.services import claims, terminations, transfers  # noqa: F401
