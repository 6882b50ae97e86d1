"""The overseas-labour department's officers, and the standard roles' overseas-labour permissions. Roles are
data: administrators may change them afterwards."""

from django.db import migrations

NEW_ROLES = [
    (
        "overseas_department_officer",
        "Chuyên viên Cục Quản lý lao động ngoài nước",
        "Officer, Department of Overseas Labour",
        "nation",
    ),
    # Receives and decides the dossiers filed with the department (licence applications): a role of its
    # own, scoped to the department, so that reading every enterprise nationwide does not also open every
    # dossier of the country.
    (
        "overseas_licensing_officer",
        "Chuyên viên cấp phép, Cục Quản lý lao động ngoài nước",
        "Licensing officer, Department of Overseas Labour",
        "organisation",
    ),
]

GRANTS = {
    "overseas_department_officer": [
        "ovl.read",
        "ovl_registration.decide",
        "ovl_licence.manage",
        "ovl_statistics.read",
    ],
    "overseas_licensing_officer": ["dossier.read", "dossier.receive", "dossier.process", "dossier.decide"],
    "provincial_officer": ["ovl.read", "ovl_registration.decide", "ovl_statistics.read"],
    "ministry_officer": ["ovl_statistics.read"],
    "enterprise_admin": [
        "ovl.read",
        "ovl_enterprise.manage",
        "ovl_contract.register",
        "ovl_worker.register",
        "ovl_worker.update",
        "ovl_report.submit",
    ],
    "enterprise_staff": [
        "ovl.read",
        "ovl_contract.register",
        "ovl_worker.register",
        "ovl_worker.update",
        "ovl_report.submit",
    ],
    # Effective only where the enterprise delegated them to the branch (Law 69/2020 Art 17).
    "branch_staff": ["ovl.read", "ovl_worker.register", "ovl_worker.update", "ovl_report.submit"],
}


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, name_en, scope in NEW_ROLES:
        Role.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "scope": scope, "permissions": []}
        )
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
    Role.objects.filter(code__in=[code for code, *_ in NEW_ROLES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("overseas", "0001_enterprises_contracts_workers"),
        ("accounts", "0002_default_roles"),
        ("dossiers", "0002_dossier_roles"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
