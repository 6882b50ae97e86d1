from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "ansinh.geo"
    label = "geo"
    verbose_name = _("Places and reference lists")
