from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "ansinh.jobs"
    label = "jobs"
    verbose_name = _("Job exchange and employment service centres")

    def ready(self) -> None:
        # Importing the declarations registers the permission codes.
        from ansinh.jobs import permissions  # noqa: F401
