"""The decisions taken on a running benefit, as the signed PDFs the claimant receives: suspension (Mẫu 15),
continuation (Mẫu 16), termination (Mẫu 18), cancellation (Mẫu 08) and the introduction to the new province
on a transfer (Mẫu 20). The claim's history keeps the decision; the dossier engine issues its PDF
(`dossiers.services.case_decisions`), and the text is read back from the history entry here, so the paper
and the record cannot disagree. Documents are in Vietnamese, like every paper the State issues.
"""

from dataclasses import dataclass

from ansinh.accounts.models import Organisation
from ansinh.dossiers.effects import CaseDecision
from ansinh.dossiers.models import Dossier, DossierEvent
from ansinh.dossiers.services.case_decisions import case_decision_record
from ansinh.unemployment import rules, selectors
from ansinh.unemployment.models import BenefitClaim, ClaimAction, ClaimEvent


@dataclass(frozen=True)
class Paper:
    heading: str
    subject: str
    old_basis: str  # Law 38/2013 + Decree 28/2015
    new_basis: str  # Law 74/2025 + Decree 374/2025


_DECISION = "Quyết định"
PAPERS = {
    ClaimAction.SUSPENDED: Paper(
        _DECISION,
        "về việc tạm dừng hưởng trợ cấp thất nghiệp",
        "Điều 53 Luật Việc làm số 38/2013/QH13; Điều 20 Nghị định số 28/2015/NĐ-CP",
        "Điều 41 Luật Việc làm số 74/2025/QH15; Điều 17 Nghị định số 374/2025/NĐ-CP (Mẫu số 15)",
    ),
    ClaimAction.CONTINUED: Paper(
        _DECISION,
        "về việc tiếp tục hưởng trợ cấp thất nghiệp",
        "Điều 53 Luật Việc làm số 38/2013/QH13; Điều 20 Nghị định số 28/2015/NĐ-CP",
        "Điều 41 Luật Việc làm số 74/2025/QH15; Điều 18 Nghị định số 374/2025/NĐ-CP (Mẫu số 16)",
    ),
    ClaimAction.TERMINATED: Paper(
        _DECISION,
        "về việc chấm dứt hưởng trợ cấp thất nghiệp",
        "Điều 53 Luật Việc làm số 38/2013/QH13; Điều 21 Nghị định số 28/2015/NĐ-CP",
        "Điều 41 Luật Việc làm số 74/2025/QH15; Điều 19 Nghị định số 374/2025/NĐ-CP (Mẫu số 18)",
    ),
    ClaimAction.CANCELLED: Paper(
        _DECISION,
        "về việc hủy quyết định hưởng trợ cấp thất nghiệp",
        "Điều 18 Nghị định số 28/2015/NĐ-CP",
        "Điều 16 Nghị định số 374/2025/NĐ-CP (Mẫu số 08)",
    ),
    ClaimAction.TRANSFER_OUT: Paper(
        "Giấy giới thiệu",
        "về việc chuyển nơi hưởng trợ cấp thất nghiệp",
        "Điều 22 Nghị định số 28/2015/NĐ-CP",
        "Điều 20 Nghị định số 374/2025/NĐ-CP (Mẫu số 20)",
    ),
}

# Why a benefit ended, as the termination decision states it (Law 74/2025 Art 41.4).
GROUNDS = {
    "new_job": "Có việc làm",
    "own_business": "Tự tạo việc làm, đăng ký hộ kinh doanh hoặc thành lập doanh nghiệp",
    "abroad": "Đi làm việc ở nước ngoài theo hợp đồng",
    "military": "Thực hiện nghĩa vụ quân sự, nghĩa vụ tham gia công an nhân dân",
    "pension": "Hưởng lương hưu hằng tháng",
    "study": "Đi học tập có thời hạn từ đủ 12 tháng trở lên",
    "emigration": "Ra nước ngoài để định cư",
    "own_request": "Theo đề nghị của người lao động",
    "death": "Chết",
    "detention": "Chấp hành quyết định áp dụng biện pháp xử lý hành chính hoặc hình phạt tù",
    "rehabilitation": "Chấp hành biện pháp cai nghiện bắt buộc",
    "missing": "Bị Tòa án tuyên bố mất tích",
    "penalty": "Bị xử phạt vi phạm hành chính về bảo hiểm thất nghiệp",
    "three_missed": "Không thông báo về việc tìm kiếm việc làm trong 03 tháng liên tục",
    "refused_referrals": "Từ chối nhận việc làm do trung tâm dịch vụ việc làm giới thiệu 02 lần "
    "mà không có lý do chính đáng",
    "not_collected": "Không đến nhận quyết định hưởng trợ cấp thất nghiệp theo lịch hẹn",
}

# Which decisions are issued as papers: the benefit decision itself is the claim dossier's approval.
DOCUMENTED = frozenset(PAPERS)


def paper_step(claim: BenefitClaim, action: str, number: str, actor: object) -> DossierEvent:
    """The decision's step on the claim dossier's timeline, which its PDF hangs on."""
    paper = PAPERS[ClaimAction(action)]
    return case_decision_record(
        claim.dossier, actor=actor, title=f"{paper.heading} {paper.subject}", number=number
    )


def _money(value: int) -> str:
    return f"{value:,}".replace(",", ".") + " đồng"


def _month_line(claim: BenefitClaim, number: int | None) -> str:
    month = claim.months.filter(number=number).first() if number else None
    if month is None:
        return str(number or "")
    return f"Tháng thứ {month.number} ({month.start:%d/%m/%Y} - {month.end:%d/%m/%Y})"


def _articles(claim: BenefitClaim, event: ClaimEvent, name: str) -> tuple[list[str], list[tuple[str, str]]]:
    action = ClaimAction(event.action)
    facts: list[tuple[str, str]] = [("Số quyết định hưởng", claim.decision_number)]
    if action == ClaimAction.SUSPENDED:
        facts.append(("Tháng không thông báo tìm kiếm việc làm", _month_line(claim, event.month_number)))
        unpaid = "không được chi trả trợ cấp thất nghiệp của tháng này"
        if claim.rule_set == rules.NEW_RULES:
            unpaid += " và không được bảo lưu (Điều 41.2 Luật Việc làm số 74/2025/QH15)"
        return [
            f"Tạm dừng hưởng trợ cấp thất nghiệp đối với ông/bà {name}, do không thông báo về việc tìm "
            f"kiếm việc làm theo quy định; {unpaid}.",
            "Người lao động được tiếp tục hưởng khi thông báo lại về việc tìm kiếm việc làm trong thời "
            "hạn hưởng trợ cấp thất nghiệp.",
        ], facts
    if action == ClaimAction.CONTINUED:
        facts.append(("Tiếp tục hưởng từ", _month_line(claim, event.month_number)))
        facts.append(("Mức hưởng trợ cấp hằng tháng", _money(claim.monthly_benefit)))
        return [f"Tiếp tục hưởng trợ cấp thất nghiệp đối với ông/bà {name}."], facts
    if action == ClaimAction.TRANSFER_OUT:
        destination = claim.transfer_to.name if claim.transfer_to else event.note
        received = claim.months.filter(status="notified").count()
        facts += [
            ("Nơi chuyển đến", destination),
            ("Mức hưởng trợ cấp hằng tháng", _money(claim.monthly_benefit)),
            ("Số tháng đã hưởng", str(received)),
            ("Số tháng còn được hưởng", str(claim.benefit_months - received)),
        ]
        return [
            f"Giới thiệu ông/bà {name} chuyển nơi hưởng trợ cấp thất nghiệp đến {destination}.",
            "Người lao động nộp giấy giới thiệu này tại nơi chuyển đến để tiếp tục hưởng.",
        ], facts
    ground = GROUNDS.get(claim.close_reason, claim.close_reason)
    facts += [
        ("Lý do", ground),
        ("Từ ngày", f"{claim.closed_on:%d/%m/%Y}" if claim.closed_on else ""),
        ("Số tháng được bảo lưu", str(claim.reserved_months)),
    ]
    verb = "Hủy quyết định hưởng" if action == ClaimAction.CANCELLED else "Chấm dứt hưởng"
    return [f"{verb} trợ cấp thất nghiệp đối với ông/bà {name}."], facts


def _issuer(claim: BenefitClaim, event: ClaimEvent) -> Organisation:
    if event.action == ClaimAction.TRANSFER_OUT:
        return event.centre  # the introduction is the sending centre's (Mẫu 20)
    # The body that decides benefits in the province managing the claim now (seed 003: delegation).
    return selectors.benefit_decider(claim)


def claim_case_decision(dossier: Dossier, dossier_event: DossierEvent) -> CaseDecision:
    event = ClaimEvent.objects.select_related("claim__person", "claim__transfer_to", "centre").get(
        dossier_event=dossier_event
    )
    claim = event.claim
    paper = PAPERS[ClaimAction(event.action)]
    articles, facts = _articles(claim, event, claim.person.full_name)
    basis = paper.new_basis if claim.rule_set == rules.NEW_RULES else paper.old_basis
    return CaseDecision(
        heading=paper.heading,
        subject=paper.subject,
        number=event.decision_number,
        issuer=_issuer(claim, event),
        legal_basis=[basis],
        articles=articles,
        facts=facts,
    )
