"""Give the standard roles the unemployment-insurance permissions. Roles are data: administrators may change
them afterwards."""

from django.db import migrations

GRANTS = {
    "employment_centre_officer": ["ui_claim.read", "ui_claim.handle", "ui_statistics.read"],
    "employment_centre_head": ["ui_claim.read", "ui_claim.handle", "ui_statistics.read"],
    "provincial_officer": ["ui_claim.read", "ui_statistics.read", "ui_delegation.manage"],
    "ministry_officer": ["ui_statistics.read"],
    "system_admin": ["ui_statistics.read", "ui_delegation.manage"],
}


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, permissions in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = list(dict.fromkeys([*role.permissions, *permissions]))
            role.save(update_fields=["permissions"])


def revoke(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, permissions in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = [p for p in role.permissions if p not in permissions]
            role.save(update_fields=["permissions"])


class Migration(migrations.Migration):
    dependencies = [
        ("unemployment", "0001_claims"),
        ("dossiers", "0002_dossier_roles"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
