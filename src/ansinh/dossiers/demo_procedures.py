"""The first procedures declared on the engine: two of the six unemployment-insurance procedures
(domain README section 4). The `unemployment` app takes them over with their rules (issue 5); until then
they are declared here so the engine, the demo and the tests run on real procedures, not invented ones.

Deadlines: Decree 374/2025/NĐ-CP Art 16.1 (decision within 15 working days of the complete dossier) and
Art 20 (transfer: 3 working days); before 2026, Decree 28/2015/NĐ-CP Art 18 (20 working days).
"""

from datetime import date
from typing import Any

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

BENEFIT_CLAIM = "tctn-huong"
BENEFIT_TRANSFER = "tctn-chuyen-noi"

_PDF_OR_IMAGE = ("application/pdf", "image/jpeg", "image/png")

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
            FormField("decision_number", _("Number of the benefit decision"), FieldType.TEXT, max_length=50),
            FormField("new_province", _("Province where you will receive the benefit"), FieldType.TEXT),
            FormField("reason", _("Reason for moving"), FieldType.LONG_TEXT, max_length=1000),
            FormField("phone", _("Phone number for the centre to reach you"), FieldType.PHONE),
        ),
        documents=(DocumentKind("request_form", _("Request form (Form 19)"), content_types=_PDF_OR_IMAGE),),
        optional_states=frozenset({State.WITHDRAWN}),
        description_vi="Sau khi đã hưởng ít nhất 1 tháng trợ cấp, người lao động chuyển đến tỉnh khác.",
        description_en="After at least one month of benefit, a worker who moves to another province.",
    ),
)
