"""Receipt codes under concurrency, the deadline sweep and its warnings, documents and their verification."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from django.db import connection, connections

from ansinh.dossiers.models import Dossier, IssuedDocument
from ansinh.dossiers.services import attachments, deadlines, documents, filing, transitions
from ansinh.dossiers.services.receipts import allocate_receipt_code
from ansinh.notify.models import Message
from tests.dossiers.conftest import VALID_FORM, pdf_upload


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_give_distinct_consecutive_codes(world):
    day = date(2026, 11, 26)
    n = 40

    def allocate(_: int) -> str:
        try:
            return allocate_receipt_code(world.centre, day)
        finally:
            connections.close_all()

    workers = 1 if connection.vendor == "sqlite" and connection.settings_dict["NAME"] == ":memory:" else 8
    with ThreadPoolExecutor(max_workers=workers) as pool:
        codes = list(pool.map(allocate, range(n)))
    assert len(set(codes)) == n
    assert sorted(codes) == [f"TTDVVL-NA-261126-{i:04d}" for i in range(1, n + 1)]


def _submitted(world, run_day, frozen_today):
    frozen_today(run_day)
    dossier = filing.dossier_start(actor=world.citizen, procedure_code="tctn-huong", form_data=VALID_FORM)
    for code in ("termination_proof", "social_insurance_book"):
        attachments.attachment_add(
            actor=world.citizen, dossier_id=dossier.pk, document_code=code, upload=pdf_upload()
        )
    return transitions.dossier_act(actor=world.citizen, dossier_id=dossier.pk, action="submit")


@pytest.mark.django_db
def test_sweep_marks_due_soon_and_overdue_once_and_warns_supervisors(world, frozen_today, run_on_commit):
    old = _submitted(world, date(2026, 4, 1), frozen_today)  # due 22 Apr 2026
    recent = _submitted(world, date(2026, 4, 28), frozen_today)  # due 21 May 2026
    transitions.dossier_assign(actor=world.head, dossier_ids=[old.pk], officer_id=world.officer.pk)

    first = deadlines.deadline_sweep(today=date(2026, 5, 19))
    assert (first.overdue, first.due_soon) == (1, 1)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.overdue_warned_on == date(2026, 5, 19)
    assert recent.due_soon_warned_on == date(2026, 5, 19)
    # The head (supervise) gets the centre's digest; the officer in charge gets theirs.
    head_msgs = Message.objects.filter(recipient_user=world.head, template="dossier.deadlines")
    officer_msgs = Message.objects.filter(recipient_user=world.officer, template="dossier.deadlines")
    assert head_msgs.count() == 1
    assert officer_msgs.count() == 1
    assert old.receipt_code in head_msgs.get().body
    assert recent.receipt_code in head_msgs.get().body
    assert old.receipt_code in officer_msgs.get().body
    assert recent.receipt_code not in officer_msgs.get().body

    again = deadlines.deadline_sweep(today=date(2026, 5, 19))
    assert (again.overdue, again.due_soon) == (0, 0)
    assert Message.objects.filter(template="dossier.deadlines").count() == 2


@pytest.mark.django_db
def test_document_verification_detects_a_changed_byte(world, frozen_today, run_on_commit):
    dossier = _submitted(world, date(2026, 11, 26), frozen_today)
    receipt = IssuedDocument.objects.get(dossier=dossier, kind="receipt")
    with receipt.file.open("rb") as handle:
        pdf = handle.read()
    good = documents.document_check_file(receipt, pdf)
    assert good.authentic
    assert good.signature.signer == world.centre.name
    altered = bytearray(pdf)
    altered[len(altered) // 2] ^= 0x01
    bad = documents.document_check_file(receipt, bytes(altered))
    assert not bad.authentic
    assert not bad.same_as_issued
    assert not bad.signature.valid
    # The issuing is idempotent: a second run of the task for the same step issues nothing new.
    again, created = documents.document_issue(event_id=receipt.event_id, kind="receipt")
    assert again.pk == receipt.pk
    assert not created
    assert Dossier.objects.get(pk=dossier.pk).documents.count() == 1


@pytest.mark.django_db
def test_receipt_pdf_is_vietnamese(world, frozen_today, run_on_commit):
    import io

    from pypdf import PdfReader

    dossier = _submitted(world, date(2026, 11, 26), frozen_today)
    receipt = IssuedDocument.objects.get(dossier=dossier, kind="receipt")
    with receipt.file.open("rb") as handle:
        text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
    assert "Giấy tiếp nhận hồ sơ" in text or "GIẤY TIẾP NHẬN HỒ SƠ" in text
    assert dossier.receipt_code in text
    assert receipt.short_code in text


@pytest.mark.django_db
def test_a_document_whose_task_was_lost_is_issued_by_the_sweep(world, frozen_today):
    from ansinh.dossiers.tasks import issue_missing_documents

    # No run_on_commit: the step commits but its document task never runs (as with the broker down).
    dossier = _submitted(world, date(2026, 11, 26), frozen_today)
    assert not IssuedDocument.objects.filter(dossier=dossier).exists()
    assert issue_missing_documents() == 0  # too early: the task may still be on its way
    frozen_today(date(2026, 11, 27))
    assert issue_missing_documents() == 1
    assert IssuedDocument.objects.filter(dossier=dossier, kind="receipt").count() == 1
    assert issue_missing_documents() == 0
