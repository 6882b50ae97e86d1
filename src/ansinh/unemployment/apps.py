from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnemploymentConfig(AppConfig):
    name = "ansinh.unemployment"
    verbose_name = _("Unemployment insurance")
