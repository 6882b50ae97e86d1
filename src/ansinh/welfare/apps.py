from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WelfareConfig(AppConfig):
    name = "ansinh.welfare"
    label = "welfare"
    verbose_name = _("Citizen social-security services")

    def ready(self) -> None:
        # Importing the declarations registers the permission codes, the allowance procedure and its
        # effects on the allowance, and the message templates.
        from ansinh.welfare import (  # noqa: F401
            allowance_messages,
            card_messages,
            medicine_messages,
            pension_messages,
            permissions,
            procedures,
        )
        from ansinh.welfare.services import allowances  # noqa: F401
