"""The employers' roles, and the standard roles' job-exchange permissions. Roles are data: administrators
may change them afterwards."""

from django.db import migrations

NEW_ROLES = [
    ("employer_admin", "Quản trị tài khoản nhà tuyển dụng", "Employer account administrator", "organisation"),
    ("employer_staff", "Nhân viên tuyển dụng", "Recruiter", "organisation"),
]

GRANTS = {
    "employer_admin": ["account.manage", "jobs_vacancy.manage"],
    "employer_staff": ["jobs_vacancy.manage"],
    # Licensed enterprises post the vacancies abroad of their registered supply contracts.
    "enterprise_admin": ["jobs_vacancy.manage"],
    "enterprise_staff": ["jobs_vacancy.manage"],
    "employment_centre_officer": ["jobs_employer.verify", "jobs_centre.operate", "jobs_statistics.read"],
    "employment_centre_head": [
        "jobs_employer.verify",
        "jobs_centre.operate",
        "jobs_statistics.read",
        "jobs_target.set",
    ],
    "provincial_officer": ["jobs_employer.verify", "jobs_statistics.read", "jobs_target.set"],
    "ministry_officer": ["jobs_statistics.read"],
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
        ("jobs", "0001_exchange_fairs_centres"),
        ("accounts", "0002_default_roles"),
        ("unemployment", "0002_claim_roles"),
        ("overseas", "0002_overseas_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
