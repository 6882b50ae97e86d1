"""The licence application as a public-service procedure on the dossier engine (Law 69/2020 Art 10-12;
Decree 112/2021 Art 4-6, 23): a registered enterprise files it online with the evidence of each condition;
the Department of Overseas Labour receives and decides. The conditions are checked when it is submitted
(`services.licensing`), and the approval grants the licence."""

from datetime import date

from django.utils.translation import gettext_lazy as _

from ansinh.accounts.models import OrganisationKind
from ansinh.dossiers.procedures import (
    Choice,
    DocumentKind,
    FieldType,
    FormField,
    ProcedureVersion,
    register,
)
from ansinh.overseas import rules

LICENCE_APPLICATION = "ovl-giay-phep"

_EDUCATION = tuple(
    Choice(level, label)
    for level, label in (
        ("secondary", _("Upper secondary school")),
        ("vocational", _("Vocational training")),
        ("college", _("College")),
        ("university", _("University")),
        ("postgraduate", _("Postgraduate")),
    )
)
_PDF_OR_IMAGE = ("application/pdf", "image/jpeg", "image/png")


def _staff_field(activity: str) -> FormField:
    return FormField(
        f"staff_{activity}",
        rules.STAFF_ACTIVITIES[activity],
        FieldType.INTEGER,
        help_text=_("Qualified staff with a labour contract and social insurance (Decree 112/2021 Art 4)"),
        min_value=0,
        max_value=10_000,
    )


register(
    ProcedureVersion(
        code=LICENCE_APPLICATION,
        version="2022",
        valid_from=date(2022, 1, 1),
        valid_to=None,
        name_vi=(
            "Cấp Giấy phép hoạt động dịch vụ đưa người lao động Việt Nam "
            "đi làm việc ở nước ngoài theo hợp đồng"
        ),
        name_en="Licence to send Vietnamese workers abroad under contract",
        legal_basis="Luật số 69/2020/QH14 Điều 10, 11, 12; Nghị định số 112/2021/NĐ-CP Điều 4, 5, 6, 23",
        receiving_kind=OrganisationKind.OVERSEAS_LABOUR_DEPARTMENT,
        deciding_kind=OrganisationKind.OVERSEAS_LABOUR_DEPARTMENT,
        level="nation",
        # Law Art 12: 20 days from the complete dossier. [U] counted as working days, like the engine's
        # other deadlines; the text does not say.
        processing_days=20,
        applicant="organisation",
        fields=(
            FormField("charter_capital", _("Charter capital"), FieldType.MONEY, min_value=0),
            FormField("all_owners_domestic", _("Every owner is a domestic investor"), FieldType.BOOLEAN),
            FormField("deposit", _("Deposit made at the bank"), FieldType.MONEY, min_value=0),
            FormField(
                "assigned_branches",
                _("Branches to be assigned to send workers"),
                FieldType.INTEGER,
                min_value=0,
                max_value=1000,
            ),
            FormField(
                "representative_vietnamese",
                _("The legal representative is a Vietnamese citizen"),
                FieldType.BOOLEAN,
            ),
            FormField(
                "representative_education",
                _("Legal representative's education"),
                FieldType.CHOICE,
                choices=_EDUCATION,
            ),
            FormField(
                "representative_experience_months",
                _("Legal representative's experience in sending workers abroad (months)"),
                FieldType.INTEGER,
                min_value=0,
                max_value=1200,
            ),
            FormField(
                "representative_clean_record",
                _("The legal representative has a clean record"),
                FieldType.BOOLEAN,
            ),
            *(_staff_field(activity) for activity in rules.STAFF_ACTIVITIES),
            FormField(
                "trainee_capacity", _("Trainees taught at the same time"), FieldType.INTEGER, min_value=0
            ),
            FormField("classroom_m2", _("Classroom area (m²)"), FieldType.INTEGER, min_value=0),
            FormField(
                "dormitory_capacity", _("Persons the dormitory houses"), FieldType.INTEGER, min_value=0
            ),
            FormField("dormitory_m2", _("Dormitory area (m²)"), FieldType.INTEGER, min_value=0),
            FormField(
                "largest_room_occupants",
                _("Persons in the most crowded room"),
                FieldType.INTEGER,
                min_value=0,
            ),
            FormField("separated_by_sex", _("Men and women are housed separately"), FieldType.BOOLEAN),
            FormField("facility_owned", _("The facility is the enterprise's own"), FieldType.BOOLEAN),
            FormField(
                "lease_ends_on", _("The lease ends on (leased facility)"), FieldType.DATE, required=False
            ),
            FormField("website", _("Website"), max_length=200),
        ),
        documents=(
            DocumentKind("application", _("Application for the licence"), content_types=_PDF_OR_IMAGE),
            DocumentKind(
                "business_registration", _("Business registration certificate"), content_types=_PDF_OR_IMAGE
            ),
            DocumentKind(
                "deposit_certificate", _("Bank's certificate of the deposit"), content_types=_PDF_OR_IMAGE
            ),
            DocumentKind(
                "representative",
                _("Legal representative's degree, curriculum vitae and criminal record"),
                content_types=_PDF_OR_IMAGE,
            ),
            DocumentKind(
                "staff",
                _("List of staff with their qualifications and contracts"),
                content_types=_PDF_OR_IMAGE,
            ),
            DocumentKind(
                "facility", _("Proof of the facility (ownership or lease)"), content_types=_PDF_OR_IMAGE
            ),
        ),
        description_vi=(
            "Doanh nghiệp đã đăng ký thông tin trên hệ thống nộp hồ sơ đề nghị cấp giấy phép, "
            "kèm giấy tờ chứng minh từng điều kiện; hồ sơ không đủ điều kiện bị từ chối ngay khi nộp, "
            "nêu rõ điều kiện chưa đạt."
        ),
        description_en=(
            "A registered enterprise applies with the evidence of each condition; an application "
            "that does not meet a condition is refused when submitted, naming the condition not met."
        ),
    ),
)
