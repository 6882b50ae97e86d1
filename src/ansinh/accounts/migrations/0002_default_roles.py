"""The standard roles every deployment starts with. Roles are data: administrators may change them."""

from django.db import migrations

ROLES = [
    (
        "system_admin",
        "Quản trị hệ thống",
        "System administrator",
        "nation",
        [
            "person.read",
            "person.manage",
            "account.manage",
            "role.manage",
            "organisation.manage",
            "audit.read",
            "reference.manage",
        ],
    ),
    ("auditor", "Thanh tra, kiểm toán", "Auditor", "nation", ["audit.read"]),
    ("ministry_officer", "Chuyên viên Bộ", "Ministry officer", "nation", ["person.read"]),
    (
        "colab_operator",
        "Điều phối viên trực tổng đài (Trung tâm Lao động ngoài nước)",
        "Operator, Centre of Overseas Labour",
        "organisation",
        ["person.read"],
    ),
    (
        "provincial_officer",
        "Chuyên viên Sở Nội vụ",
        "Provincial officer",
        "province",
        ["person.read", "person.manage", "account.manage"],
    ),
    (
        "employment_centre_officer",
        "Cán bộ Trung tâm dịch vụ việc làm",
        "Employment centre officer",
        "organisation",
        ["person.read", "person.manage"],
    ),
    (
        "enterprise_admin",
        "Quản trị tài khoản doanh nghiệp",
        "Enterprise account administrator",
        "organisation",
        ["account.manage", "role.manage"],
    ),
    ("enterprise_staff", "Nhân viên doanh nghiệp", "Enterprise staff", "organisation", []),
    ("branch_staff", "Nhân viên chi nhánh", "Branch staff", "branch", []),
    (
        "mission_officer",
        "Cán bộ cơ quan đại diện ở nước ngoài",
        "Officer at a mission abroad",
        "organisation",
        ["person.read"],
    ),
    ("social_insurance_partner", "Cán bộ Bảo hiểm xã hội", "Social insurance officer", "organisation", []),
]


def create_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, name_en, scope, permissions in ROLES:
        Role.objects.update_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "scope": scope, "permissions": permissions}
        )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
