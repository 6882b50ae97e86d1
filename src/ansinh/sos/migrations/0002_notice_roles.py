"""The Centre of Overseas Labour's operators publish notices to workers abroad."""

from django.db import migrations

GRANTS = {
    "colab_operator": ["notice.publish", "sos.handle"],
    "system_admin": ["notice.publish"],
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
    dependencies = [("sos", "0001_initial"), ("accounts", "0003_apitoken_two_factor_verified")]
    operations = [migrations.RunPython(grant, revoke)]
