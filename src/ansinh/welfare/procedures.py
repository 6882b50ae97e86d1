"""The monthly social allowance application (trợ cấp xã hội hằng tháng), declared on the dossier engine.

Since the two-level local government (1 July 2025) the applicant files with the commune people's committee
where they live, and the commune chairman decides within 10 working days (Decree 147/2025/NĐ-CP Art 5.2.b
[S]); the declaration is on the forms of Decree 20/2021/NĐ-CP Art 7.1 (Mẫu 1a-1đ) [P]. What the approval
does (the allowance and its amount) is in `welfare.services.allowances`.
"""

from datetime import date

from django.utils.translation import gettext_lazy as _

from ansinh.accounts.models import OrganisationKind
from ansinh.dossiers.procedures import (
    Choice,
    DocumentKind,
    FieldType,
    FormField,
    ProcedureVersion,
    State,
    register,
)
from ansinh.welfare import allowance_rules as rules

ALLOWANCE_APPLICATION = "tcxh-hang-thang"
COMMUNE_LEVEL_FROM = date(2025, 7, 1)

SERVICE_POINT, BANK = "service_point", "bank"
PAYMENT_METHODS = (
    Choice(SERVICE_POINT, _("Cash at a service point, with the social-security card")),
    Choice(BANK, _("Transfer to my bank account")),
)

_PDF_OR_IMAGE = ("application/pdf", "image/jpeg", "image/png")

# Only the groups in force when the commune level began: 5.5.b and 5.5.c moved to the social pension.
_GROUP_CHOICES = tuple(Choice(g.code, g.name_en) for g in rules.groups_in_force(COMMUNE_LEVEL_FROM))

_FIELDS = (
    FormField(
        "group",
        _("Which group you belong to"),
        FieldType.CHOICE,
        choices=_GROUP_CHOICES,
        help_text=_("If several apply, choose the one with the highest amount; tell the others below."),
    ),
    FormField(
        "children",
        _("Number of children you raise (single parents only)"),
        FieldType.INTEGER,
        required=False,
        min_value=1,
        max_value=rules.MAX_CHILDREN,
    ),
    FormField(
        "circumstances",
        _("Your circumstances"),
        FieldType.LONG_TEXT,
        help_text=_("Who you live with, your income, your health: what the commune needs to know."),
        max_length=2000,
    ),
    FormField("phone", _("Phone number for the commune to reach you"), FieldType.PHONE),
    FormField(
        "payment_method",
        _("How you want to receive the allowance"),
        FieldType.CHOICE,
        choices=PAYMENT_METHODS,
    ),
    FormField(
        "bank_account",
        _("Bank and account number (for a transfer)"),
        FieldType.TEXT,
        required=False,
        max_length=40,
    ),
)

_DOCUMENTS = (
    DocumentKind(
        "declaration",
        _("Declaration form (Form 1a to 1đ of Decree 20/2021), signed"),
        mandatory=False,
        content_types=_PDF_OR_IMAGE,
    ),
    DocumentKind(
        "group_proof",
        _(
            "Papers proving the group (disability certificate, HIV certificate, poor-household certificate, "
            "birth certificate, school certificate)"
        ),
        mandatory=False,
        content_types=_PDF_OR_IMAGE,
        max_files=5,
    ),
    DocumentKind("other", _("Other papers (optional)"), mandatory=False, content_types=_PDF_OR_IMAGE),
)

register(
    ProcedureVersion(
        code=ALLOWANCE_APPLICATION,
        version="2025",
        valid_from=COMMUNE_LEVEL_FROM,
        valid_to=None,
        name_vi="Trợ cấp xã hội hằng tháng",
        name_en="Monthly social allowance",
        legal_basis=(
            "Nghị định 20/2021/NĐ-CP Điều 5-8 (sửa đổi bởi Nghị định 76/2024/NĐ-CP); "
            "Nghị định 147/2025/NĐ-CP Điều 5 khoản 2 điểm b"
        ),
        receiving_kind=OrganisationKind.COMMUNE,
        deciding_kind=OrganisationKind.COMMUNE,
        level="commune",
        processing_days=rules.PROCESSING_WORKING_DAYS,
        fields=_FIELDS,
        documents=_DOCUMENTS,
        optional_states=frozenset({State.IN_PROCESSING, State.WITHDRAWN, State.CANCELLED}),
        description_vi=(
            "Trẻ em không có nguồn nuôi dưỡng, người cao tuổi, người khuyết tật nặng và đặc biệt nặng, "
            "người đơn thân nghèo đang nuôi con, người nhiễm HIV/AIDS thuộc hộ nghèo nộp hồ sơ tại Ủy ban "
            "nhân dân cấp xã nơi cư trú. Chủ tịch UBND cấp xã quyết định trong 10 ngày làm việc; trợ cấp "
            "được hưởng từ tháng ký quyết định."
        ),
        description_en=(
            "Children with no one to support them, older people, people with severe disabilities, poor "
            "single parents and people living with HIV in poor households apply to the people's committee "
            "of the commune where they live. The commune chairman decides within 10 working days; the "
            "allowance is paid from the month of the decision."
        ),
    ),
)
