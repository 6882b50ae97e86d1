"""Admin for dated reference data only. Changes are audited like any service write."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ansinh.core import audit
from ansinh.core.models import LegalParameter, WorkingDayOverride


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action=f"{obj._meta.model_name}.{'change' if change else 'create'}",
            obj=obj,
            changes={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit.record(actor=request.user, action=f"{obj._meta.model_name}.delete", obj=obj)
        super().delete_model(request, obj)


@admin.register(LegalParameter)
class LegalParameterAdmin(AuditedAdmin):
    list_display = ("code", "region", "value", "valid_from", "valid_to", "source", "source_status")
    list_filter = ("code", "region", "source_status")


@admin.register(WorkingDayOverride)
class WorkingDayOverrideAdmin(AuditedAdmin):
    list_display = ("date", "is_working_day", "reason")
