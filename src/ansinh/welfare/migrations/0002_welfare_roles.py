"""The roles of the communes, clinics and service points, and the standard roles' social-security
permissions. Roles are data: administrators may change them afterwards."""

from django.db import migrations

NEW_ROLES = [
    (
        "commune_officer",
        "Công chức Văn hóa - Xã hội cấp xã",
        "Commune social affairs officer",
        "organisation",
        [
            "person.read",
            "dossier.read",
            "dossier.receive",
            "dossier.process",
            "welfare_allowance.manage",
            "welfare_card.manage",
        ],
    ),
    (
        "commune_chair",
        "Chủ tịch Ủy ban nhân dân cấp xã",
        "Chair of the commune people's committee",
        "organisation",
        [
            "person.read",
            "dossier.read",
            "dossier.decide",
            "dossier.supervise",
            "welfare_allowance.manage",
            "welfare_statistics.read",
        ],
    ),
    (
        "clinic_staff",
        "Nhân viên cơ sở khám bệnh, chữa bệnh",
        "Clinic staff",
        "organisation",
        [
            "welfare_medicine.handle",
        ],
    ),
    (
        "service_point_cashier",
        "Nhân viên điểm chi trả",
        "Service point cashier",
        "organisation",
        [
            "welfare_payment.record",
        ],
    ),
]

GRANTS = {
    "provincial_officer": ["welfare_statistics.read"],
    "ministry_officer": ["welfare_statistics.read"],
}


def grant(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, name_en, scope, permissions in NEW_ROLES:
        Role.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "scope": scope, "permissions": permissions},
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
        ("welfare", "0001_social_security_services"),
        ("accounts", "0002_default_roles"),
        ("dossiers", "0002_dossier_roles"),
        ("jobs", "0002_job_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
