"""The decisions taken on a running benefit reach the claimant as signed PDFs that the public verify page
recognises: suspension (Mẫu 15), continuation (Mẫu 16), termination (Mẫu 18), cancellation (Mẫu 08) and
the introduction to the new province (Mẫu 20)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ansinh.core import signing
from ansinh.dossiers.models import DocumentKindChoice, IssuedDocument
from ansinh.dossiers.services import attachments, documents, filing, transitions
from ansinh.unemployment import selectors
from ansinh.unemployment.models import ClaimAction, ProvinceDelegation
from ansinh.unemployment.procedures import BENEFIT_TRANSFER
from ansinh.unemployment.services import months, terminations
from tests.dossiers.conftest import pdf_upload
from tests.unemployment.test_claims import decided_claim

pytestmark = pytest.mark.django_db


def papers(claim):
    return list(
        IssuedDocument.objects.filter(dossier=claim.dossier, kind=DocumentKindChoice.CASE_DECISION).order_by(
            "id"
        )
    )


def pdf_text(document: IssuedDocument) -> str:
    with document.file.open("rb") as handle:
        data = handle.read()
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def day_after(day: date) -> date:
    return date.fromordinal(day.toordinal() + 1)


def test_suspension_and_continuation_are_signed_decisions_the_verify_page_knows(
    client, world, frozen_today, run_on_commit
):
    claim = decided_claim(world, frozen_today)
    months.notification_record(actor=world.citizen, activities="Tìm việc", today=date(2026, 4, 13))
    months.sweep_benefit_months(day_after(claim.months.get(number=2).notify_until))

    (suspension,) = papers(claim)
    event = claim.events.get(action=ClaimAction.SUSPENDED)
    assert suspension.title == "Quyết định về việc tạm dừng hưởng trợ cấp thất nghiệp"
    # The province did not delegate: its department decides and signs (seed 003).
    assert suspension.signed_by == world.department.name
    text = pdf_text(suspension)
    assert "TẠM DỪNG HƯỞNG TRỢ CẤP THẤT NGHIỆP" in text.upper()
    assert f"Số:{event.decision_number}" in text.replace(" ", "")  # the number wraps in its column
    assert "Tháng thứ 2" in text
    assert "Điều 17 Nghị định số 374/2025/NĐ-CP" in text
    assert suspension.short_code in text
    with suspension.file.open("rb") as handle:
        assert signing.verify_pdf(handle.read()).valid
    page = client.get(reverse("dossiers:verify", args=[suspension.short_code]))
    assert page.status_code == 200
    assert "tạm dừng hưởng trợ cấp thất nghiệp" in page.content.decode()
    # The claimant reports again: continued, with its own signed decision.
    months.notification_record(actor=world.citizen, activities="Phỏng vấn", today=date(2026, 6, 22))
    suspension_again, continuation = papers(claim)
    assert suspension_again == suspension
    assert continuation.title == "Quyết định về việc tiếp tục hưởng trợ cấp thất nghiệp"
    assert "4.800.000 đồng" in pdf_text(continuation)
    # Both are on the claimant's list of decisions, newest first, after the benefit decision's own.
    assert [d.kind for d in selectors.decision_papers(claim)] == [
        "case_decision",
        "case_decision",
        "approval",
    ]


def test_issuing_twice_for_one_decision_keeps_one_paper(world, frozen_today, run_on_commit):
    claim = decided_claim(world, frozen_today)
    terminations.claim_terminate(
        actor=world.officer, claim_id=claim.pk, ground="new_job", on=date(2026, 4, 10)
    )
    (paper,) = papers(claim)
    again, created = documents.document_issue(event_id=paper.event_id, kind=DocumentKindChoice.CASE_DECISION)
    assert (again, created) == (paper, False)
    text = pdf_text(paper)
    assert "Quyết định về việc chấm dứt hưởng trợ cấp thất nghiệp".upper() in text.upper()
    assert "Có việc làm" in text
    assert "Số tháng được bảo lưu 0" in text


def test_a_delegated_centre_signs_the_decisions_of_its_province(world, frozen_today, run_on_commit):
    claim = decided_claim(world, frozen_today)
    ProvinceDelegation.objects.update_or_create(
        province=claim.province, defaults={"decider": ProvinceDelegation.Decider.CENTRE}
    )
    terminations.claim_terminate(
        actor=world.officer, claim_id=claim.pk, ground="pension", on=date(2026, 4, 10)
    )
    (paper,) = papers(claim)
    assert paper.signed_by == world.centre.name


def test_the_origin_centre_introduces_the_claimant_to_the_new_province(world, frozen_today, run_on_commit):
    claim = decided_claim(world, frozen_today)
    months.notification_record(actor=world.citizen, activities="Tìm việc", today=date(2026, 4, 13))
    frozen_today(date(2026, 4, 14))
    form = {"new_province": world.other_centre.province.code, "reason": "Về quê", "phone": "0912345678"}
    transfer = filing.dossier_start(actor=world.citizen, procedure_code=BENEFIT_TRANSFER, form_data=form)
    attachments.attachment_add(
        actor=world.citizen, dossier_id=transfer.pk, document_code="request_form", upload=pdf_upload()
    )
    transitions.dossier_act(actor=world.citizen, dossier_id=transfer.pk, action="submit")
    transitions.dossier_act(actor=world.officer, dossier_id=transfer.pk, action="accept")
    transitions.dossier_act(actor=world.head, dossier_id=transfer.pk, action="approve")
    (introduction,) = papers(claim)
    assert introduction.title == "Giấy giới thiệu về việc chuyển nơi hưởng trợ cấp thất nghiệp"
    assert introduction.signed_by == world.centre.name
    text = pdf_text(introduction)
    assert world.other_centre.name in text
    assert "Số tháng còn được hưởng 2" in text


def test_a_paper_lost_with_its_task_is_found_by_the_missing_documents_sweep(world, frozen_today, monkeypatch):
    from django.db import transaction

    queued: list = []
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: queued.append(func))
    claim = decided_claim(world, frozen_today)
    terminations.claim_terminate(actor=world.officer, claim_id=claim.pk, ground="death", on=date(2026, 4, 10))
    event = claim.events.get(action=ClaimAction.TERMINATED)
    assert event.dossier_event is not None
    assert not papers(claim)
    later = event.dossier_event.at + documents.MISSING_AFTER * 2
    assert (event.dossier_event_id, "case_decision") in documents.events_missing_documents(later)
