"""Give the standard roles the dossier permissions, and add the head of a centre (who assigns dossiers and is
warned about deadlines). Roles are data: administrators may change them afterwards."""

from django.db import migrations

GRANTS = {
    "system_admin": ["dossier.read", "dossier.supervise", "partner.manage"],
    "ministry_officer": ["dossier.read"],
    "provincial_officer": ["dossier.read", "dossier.process", "dossier.decide", "dossier.supervise"],
    "employment_centre_officer": ["dossier.read", "dossier.receive", "dossier.process"],
}

NEW_ROLES = [
    (
        "employment_centre_head",
        "Lãnh đạo Trung tâm Dịch vụ việc làm",
        "Head of an employment service centre",
        "organisation",
        [
            "person.read",
            "person.manage",
            "dossier.read",
            "dossier.receive",
            "dossier.process",
            "dossier.decide",
            "dossier.supervise",
        ],
    ),
]


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, permissions in GRANTS.items():
        role = Role.objects.filter(code=code).first()
        if role is None:
            continue
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
    dependencies = [("dossiers", "0001_initial"), ("accounts", "0003_apitoken_two_factor_verified")]
    operations = [migrations.RunPython(grant, revoke)]
