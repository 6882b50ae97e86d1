"""The desk's supervisor (told of late SOS, hands requests over between shifts, sees the dashboard), and the
centre's right to provision workers' accounts. Roles are data: administrators may change them afterwards."""

from django.db import migrations

GRANTS = {
    "colab_operator": ["worker.manage"],
    "system_admin": ["worker.manage"],
}

NEW_ROLES = [
    (
        "colab_supervisor",
        "Trưởng ca trực tổng đài (Trung tâm Lao động ngoài nước)",
        "Desk supervisor, Centre of Overseas Labour",
        "organisation",
        ["person.read", "notice.publish", "sos.handle", "sos.supervise", "worker.manage"],
    ),
]


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, permissions in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = list(dict.fromkeys([*role.permissions, *permissions]))
            role.save(update_fields=["permissions"])
    for code, name, name_en, scope, permissions in NEW_ROLES:
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "scope": scope, "permissions": permissions}
        )


def revoke(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, permissions in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.permissions = [p for p in role.permissions if p not in permissions]
            role.save(update_fields=["permissions"])
    Role.objects.filter(code__in=[r[0] for r in NEW_ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [("sos", "0003_desk_and_workers")]
    operations = [migrations.RunPython(grant, revoke)]
