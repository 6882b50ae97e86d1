"""Roles are data: administrators may edit them here. Accounts, people and memberships are managed through
the services (pages and API), which check scope and audit every change."""

from django import forms
from django.contrib import admin

from ansinh.accounts import permissions as perms
from ansinh.accounts.models import Role
from ansinh.core.admin import AuditedAdmin


class RoleForm(forms.ModelForm):
    class Meta:
        model = Role
        fields = ["code", "name", "name_en", "scope", "permissions", "description"]

    def clean_permissions(self) -> list[str]:
        codes = self.cleaned_data["permissions"] or []
        unknown = [c for c in codes if not perms.is_known(c)]
        if unknown:
            raise forms.ValidationError(f"Unknown permission codes: {', '.join(unknown)}")
        return sorted(codes)


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    form = RoleForm
    list_display = ("code", "name", "scope")
