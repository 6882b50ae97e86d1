"""The six unemployment-insurance procedures (domain README section 4; Decree 374/2025/NĐ-CP), declared
on the dossier engine with their documents, forms and deadlines:

1. the benefit claim (a dossier; decision within 15 working days, before 2026 Decree 28/2015's 20);
2. the monthly job-search notification (on the claimant's page, in its 3-working-day window, or at the
   counter by staff);
3. the suspension (started by the centre when a month is missed; decision within 2 working days);
4. the continuation (the claimant notifies again; decision within 2 working days);
5. the termination (a dossier: the claimant reports the event within 3 working days);
6. the transfer of the place of receiving the benefit (a dossier; 3 working days at each centre).

What each step does to the claim is in `unemployment.services` (registered as the procedures' effects).
"""

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from ansinh.accounts.models import OrganisationKind
from ansinh.dossiers.procedures import (
    Choice,
    DocumentKind,
    FieldType,
    Filing,
    FormField,
    ProcedureVersion,
    State,
    register,
)
from ansinh.geo.sources import province_rows

BENEFIT_CLAIM = "tctn-huong"
JOB_SEARCH_NOTIFICATION = "tctn-thong-bao"
SUSPENSION = "tctn-tam-dung"
CONTINUATION = "tctn-tiep-tuc"
TERMINATION = "tctn-cham-dut"
BENEFIT_TRANSFER = "tctn-chuyen-noi"
NEW_DECREE_FROM = date(2026, 1, 1)

_PDF_OR_IMAGE = ("application/pdf", "image/jpeg", "image/png")
# The 34 provinces by code, from the same package the reference data is loaded from.
_PROVINCES = tuple(Choice(row["code"], row["name"]) for row in province_rows())

_CLAIM_FIELDS = (
    FormField("termination_date", _("Date the employment contract ended"), FieldType.DATE),
    FormField("last_employer", _("Last employer"), FieldType.TEXT, max_length=255),
    FormField(
        "contract_kind",
        _("Kind of the last contract"),
        FieldType.CHOICE,
        choices=(
            Choice("indefinite", _("Indefinite term")),
            Choice("definite", _("Definite term")),
            Choice("seasonal", _("Seasonal or under 12 months")),
        ),
    ),
    FormField("phone", _("Phone number for the centre to reach you"), FieldType.PHONE),
    FormField(
        "bank_account",
        _("Bank account for the benefit (optional)"),
        FieldType.TEXT,
        required=False,
        max_length=40,
    ),
    FormField("wants_training", _("I would like vocational training"), FieldType.BOOLEAN, required=False),
)

_CLAIM_DOCUMENTS = (
    DocumentKind(
        "termination_proof",
        _("Proof that the contract ended (expired contract, decision, notice or agreement)"),
        content_types=_PDF_OR_IMAGE,
    ),
    DocumentKind(
        "social_insurance_book",
        _("Social insurance book or the contribution record"),
        content_types=_PDF_OR_IMAGE,
    ),
    DocumentKind("other", _("Other papers (optional)"), mandatory=False, content_types=_PDF_OR_IMAGE),
)

_COMMON: dict[str, Any] = {
    "receiving_kind": OrganisationKind.EMPLOYMENT_CENTRE,
    "deciding_kind": OrganisationKind.PROVINCIAL_DEPARTMENT,
    "level": "province",
    "fields": _CLAIM_FIELDS,
    "documents": _CLAIM_DOCUMENTS,
    "optional_states": frozenset({State.IN_PROCESSING, State.WITHDRAWN, State.CANCELLED}),
}

register(
    ProcedureVersion(
        code=BENEFIT_CLAIM,
        version="2015",
        valid_from=date(2015, 5, 15),
        valid_to=date(2025, 12, 31),
        name_vi="Giải quyết hưởng trợ cấp thất nghiệp",
        name_en="Unemployment benefit claim",
        legal_basis="Luật Việc làm 38/2013/QH13 Điều 49; Nghị định 28/2015/NĐ-CP Điều 16-18",
        processing_days=20,
        description_vi="Người lao động nộp hồ sơ trong 3 tháng kể từ ngày chấm dứt hợp đồng lao động.",
        description_en="Workers file within 3 months of the end of their employment contract.",
        **_COMMON,
    ),
    ProcedureVersion(
        code=BENEFIT_CLAIM,
        version="2026",
        valid_from=date(2026, 1, 1),
        valid_to=None,
        name_vi="Giải quyết hưởng trợ cấp thất nghiệp",
        name_en="Unemployment benefit claim",
        legal_basis="Luật Việc làm 74/2025/QH15 Điều 38; Nghị định 374/2025/NĐ-CP Điều 14, 16",
        processing_days=15,
        description_vi=(
            "Người lao động nộp hồ sơ trong 3 tháng kể từ ngày chấm dứt hợp đồng lao động; "
            "nộp trực tuyến bằng bản chụp hoặc bản điện tử."
        ),
        description_en=(
            "Workers file within 3 months of the end of their employment contract; online filings "
            "carry scanned copies or electronic documents."
        ),
        **_COMMON,
    ),
)

register(
    ProcedureVersion(
        code=BENEFIT_TRANSFER,
        version="2026",
        valid_from=date(2026, 1, 1),
        valid_to=None,
        name_vi="Chuyển nơi hưởng trợ cấp thất nghiệp",
        name_en="Transfer of the place of receiving unemployment benefit",
        legal_basis="Nghị định 374/2025/NĐ-CP Điều 20 (Mẫu 19)",
        receiving_kind=OrganisationKind.EMPLOYMENT_CENTRE,
        deciding_kind=OrganisationKind.EMPLOYMENT_CENTRE,
        level="province",
        processing_days=3,
        fields=(
            FormField(
                "decision_number",
                _("Number of the benefit decision (optional)"),
                FieldType.TEXT,
                required=False,
                max_length=50,
            ),
            FormField(
                "new_province",
                _("Province where you will receive the benefit"),
                FieldType.CHOICE,
                choices=_PROVINCES,
            ),
            FormField("reason", _("Reason for moving"), FieldType.LONG_TEXT, max_length=1000),
            FormField("phone", _("Phone number for the centre to reach you"), FieldType.PHONE),
        ),
        documents=(DocumentKind("request_form", _("Request form (Form 19)"), content_types=_PDF_OR_IMAGE),),
        optional_states=frozenset({State.WITHDRAWN}),
        description_vi="Sau khi đã hưởng ít nhất 1 tháng trợ cấp, người lao động chuyển đến tỉnh khác.",
        description_en="After at least one month of benefit, a worker who moves to another province.",
    ),
)

register(
    ProcedureVersion(
        code=JOB_SEARCH_NOTIFICATION,
        version="2026",
        valid_from=NEW_DECREE_FROM,
        valid_to=None,
        name_vi="Thông báo về việc tìm kiếm việc làm hằng tháng",
        name_en="Monthly job-search notification",
        legal_basis="Luật Việc làm 74/2025/QH15 Điều 41; Nghị định 374/2025/NĐ-CP Điều 21 (Mẫu 24)",
        receiving_kind=OrganisationKind.EMPLOYMENT_CENTRE,
        deciding_kind=OrganisationKind.EMPLOYMENT_CENTRE,
        level="province",
        processing_days=0,
        filing=Filing.SERVICE,
        service_url_name="unemployment:mine",
        deadline_vi=(
            "Hằng tháng, trong 03 ngày làm việc: tháng đầu kể từ ngày có quyết định hưởng, "
            "các tháng sau kể từ ngày đầu của tháng hưởng; ghi nhận ngay."
        ),
        deadline_en=(
            "Every month, within 3 working days: the first month from the benefit decision, later months "
            "from the first day of the benefit month; recorded at once."
        ),
        fields=(
            FormField("activities", _("What you did to find work this month"), FieldType.LONG_TEXT),
            FormField("still_unemployed", _("I have not found a job"), FieldType.BOOLEAN),
        ),
        description_vi=(
            "Người đang hưởng trợ cấp thông báo trực tuyến hoặc trực tiếp tại trung tâm dịch vụ việc làm. "
            "Không thông báo đúng hạn thì bị tạm dừng hưởng trợ cấp tháng đó."
        ),
        description_en=(
            "A person receiving the benefit notifies online or in person at the employment service centre. "
            "A month not notified in time is suspended and not paid."
        ),
    ),
    ProcedureVersion(
        code=SUSPENSION,
        version="2026",
        valid_from=NEW_DECREE_FROM,
        valid_to=None,
        name_vi="Tạm dừng hưởng trợ cấp thất nghiệp",
        name_en="Suspension of the unemployment benefit",
        legal_basis="Luật Việc làm 74/2025/QH15 Điều 41.2; Nghị định 374/2025/NĐ-CP Điều 17 (Mẫu 15)",
        receiving_kind=OrganisationKind.EMPLOYMENT_CENTRE,
        deciding_kind=OrganisationKind.EMPLOYMENT_CENTRE,
        level="province",
        processing_days=2,
        filing=Filing.TRIGGERED,
        deadline_vi="Trong 02 ngày làm việc sau ngày cuối của thời hạn thông báo tìm kiếm việc làm.",
        deadline_en="Within 2 working days after the last day of the job-search notification window.",
        description_vi="Trung tâm tạm dừng khi người hưởng không thông báo tìm kiếm việc làm trong tháng.",
        description_en="The centre suspends the benefit when the monthly job-search notification is missed.",
    ),
    ProcedureVersion(
        code=CONTINUATION,
        version="2026",
        valid_from=NEW_DECREE_FROM,
        valid_to=None,
        name_vi="Tiếp tục hưởng trợ cấp thất nghiệp",
        name_en="Continuation of the unemployment benefit",
        legal_basis="Nghị định 374/2025/NĐ-CP Điều 18 (Mẫu 16)",
        receiving_kind=OrganisationKind.EMPLOYMENT_CENTRE,
        deciding_kind=OrganisationKind.EMPLOYMENT_CENTRE,
        level="province",
        processing_days=2,
        filing=Filing.SERVICE,
        service_url_name="unemployment:mine",
        deadline_vi="Trong 02 ngày làm việc kể từ ngày người lao động thông báo lại.",
        deadline_en="Within 2 working days of the worker's new notification.",
        fields=(
            FormField("activities", _("What you did to find work this month"), FieldType.LONG_TEXT),
            FormField("still_unemployed", _("I have not found a job"), FieldType.BOOLEAN),
        ),
        description_vi="Người bị tạm dừng thông báo lại việc tìm kiếm việc làm để được tiếp tục hưởng.",
        description_en="A suspended claimant notifies again to have the benefit continued.",
    ),
    ProcedureVersion(
        code=TERMINATION,
        version="2026",
        valid_from=NEW_DECREE_FROM,
        valid_to=None,
        name_vi="Chấm dứt hưởng trợ cấp thất nghiệp",
        name_en="Termination of the unemployment benefit",
        legal_basis=(
            "Luật Việc làm 74/2025/QH15 Điều 41.4, 41.5; Nghị định 374/2025/NĐ-CP Điều 19 (Mẫu 17, 18)"
        ),
        receiving_kind=OrganisationKind.EMPLOYMENT_CENTRE,
        deciding_kind=OrganisationKind.PROVINCIAL_DEPARTMENT,
        level="province",
        processing_days=3,
        fields=(
            FormField(
                "event",
                _("What happened"),
                FieldType.CHOICE,
                choices=(
                    Choice("new_job", _("I have a new job")),
                    Choice("own_business", _("I started my own business")),
                    Choice("abroad", _("I am going abroad to work under contract")),
                    Choice("military", _("I am called up for military or police service")),
                    Choice("pension", _("I receive a monthly pension")),
                    Choice("study", _("I study for 12 months or more")),
                    Choice("emigration", _("I settle abroad")),
                    Choice("own_request", _("I no longer want the benefit")),
                ),
            ),
            FormField("event_date", _("Date of the event"), FieldType.DATE),
            FormField("details", _("Details (employer, school...)"), FieldType.LONG_TEXT, required=False),
        ),
        documents=(
            DocumentKind(
                "evidence",
                _("Copy of the evidence (contract, decision, letter)"),
                mandatory=False,
                content_types=_PDF_OR_IMAGE,
            ),
        ),
        optional_states=frozenset({State.WITHDRAWN}),
        description_vi=(
            "Người đang hưởng báo trong 03 ngày làm việc kể từ khi có việc làm hoặc sự kiện khác; "
            "số tháng chưa hưởng được bảo lưu theo quy định."
        ),
        description_en=(
            "A person receiving the benefit reports within 3 working days of a new job or another event; "
            "the months not received are reserved where the law allows."
        ),
    ),
)
