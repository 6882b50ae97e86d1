"""`ansinh demo` files dossiers in every state through the real services: receipt codes, timelines, audit
rows and signed documents as real use leaves them, dated in the past so that some are overdue, and the same
dossiers for the same seed."""

import hashlib
import io
import random
from io import StringIO

import pypdf
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from ansinh.accounts.models import User
from ansinh.core import sms, workdays
from ansinh.core.audit import verify_chain
from ansinh.core.signing import verify_pdf
from ansinh.dossiers import rules
from ansinh.dossiers.models import NO_DUE_DATE, Dossier, DossierEvent, IssuedDocument
from ansinh.dossiers.procedures import State
from ansinh.dossiers.selectors import dossiers_for_staff
from ansinh.dossiers.services.attachments import sniff_content_type
from ansinh.dossiers.services.filing import procedure_of
from ansinh.notify.models import Delivery, DeliveryStatus, Message
from ansinh.web.demo.dossiers import FOLLOW_UP, demo_pdf, demo_png
from tests.factories import standard_role


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


# Transactional, as the command runs for real: every step commits, so the documents each step calls for
# are issued (rendered and signed) after it. Slow (about sixty PDFs): one load, many checks.
@pytest.mark.django_db(transaction=True)
def test_the_demo_files_dossiers_in_every_state(reference_data, tmp_path):
    standard_role("system_admin")  # an earlier transactional test may have emptied the roles
    accounts_file = tmp_path / "demo-accounts.md"
    run_demo("--accounts-file", str(accounts_file))
    now, today = timezone.now(), timezone.localdate()

    counts = {state: Dossier.objects.filter(state=state).count() for state in State}
    assert all(counts.values()), counts
    total = sum(counts.values())
    assert 30 <= total <= 60
    assert f"{total} dossiers in every state" in accounts_file.read_text(encoding="utf-8")

    # demo.citizen files online: several of its own in different states, one approved with its decision.
    citizen = User.objects.get(username="demo.citizen")
    own = Dossier.objects.filter(applicant_person=citizen.person)
    assert own.count() >= 3
    assert len(set(own.values_list("state", flat=True))) >= 3
    assert set(own.values_list("channel", flat=True)) == {"online"}
    decision = own.get(state=State.APPROVED).documents.get(kind="approval", revoked_at__isnull=True)
    with decision.file.open("rb") as handle:
        signed = handle.read()
    assert hashlib.sha256(signed).hexdigest() == decision.sha256
    assert verify_pdf(signed).valid
    assert decision.dossier.receipt_code in pypdf.PdfReader(io.BytesIO(signed)).pages[0].extract_text()

    # Every filed dossier has its current receipt slip, every decision its document, nothing twice.
    for dossier in Dossier.objects.exclude(receipt_code=None):
        assert dossier.documents.filter(kind="receipt", revoked_at__isnull=True).count() == 1, dossier
        assert dossier.receipt_code.split("-")[-2] == f"{timezone.localtime(dossier.submitted_at):%y%m%d}"
    assert not Dossier.objects.filter(receipt_code=None).exclude(state__in=[State.DRAFT, State.WITHDRAWN])
    for kind, step in (("approval", "approve"), ("refusal", "refuse")):
        steps = DossierEvent.objects.filter(action=step)
        assert IssuedDocument.objects.filter(kind=kind, event__in=steps).count() == steps.count() > 0

    # Dated in the past: among the open dossiers some are overdue, some due soon, some on time; the due
    # date is the procedure's working days from the complete dossier, and the queue sorts by it.
    urgencies = set()
    for dossier in Dossier.objects.all():
        assert dossier.queue_due == (dossier.due_date or NO_DUE_DATE)
        assert dossier.created_at < now
        if dossier.complete_on is not None:
            days = procedure_of(dossier).processing_days  # the version the dossier was opened under
            assert dossier.due_date == workdays.add_working_days(dossier.complete_on, days), dossier
        if dossier.state in rules.CLOCK_RUNNING:
            urgencies.add(rules.urgency(dossier.due_date, today, workdays.add_working_days(today, 2)))
    assert urgencies == set(rules.Urgency)
    assert not Dossier.objects.filter(state=State.IN_PROCESSING, assigned_to__isnull=True).exists()
    for dossier in Dossier.objects.filter(state=State.RETURNED):
        assert dossier.events.filter(action="return").last().note  # what to add or correct

    # Each timeline is in the order it happened, entirely in the past; documents follow their step.
    for dossier in Dossier.objects.all():
        events = list(dossier.events.order_by("id"))
        moments = [e.at for e in events]
        assert moments == sorted(moments), dossier
        assert moments[-1] < now
        for document in dossier.documents.select_related("event"):
            assert document.issued_at == document.event.at + FOLLOW_UP < now
    assert not DossierEvent.objects.filter(at__date=today).exists()
    # The same steps in the audit log, at the real time of the load (the chain is never rewritten).
    assert verify_chain().ok

    # Applicants were told in their inbox, but no message left the platform: the addresses are invented.
    assert Message.objects.filter(recipient_person=citizen.person).exists()
    assert not Delivery.objects.exclude(status=DeliveryStatus.SKIPPED).exists()
    assert mail.outbox == []
    assert sms.outbox == []

    # A few dossiers in the second province, out of the main centre officer's sight.
    centre = User.objects.get(username="demo.centre")
    main_centre = centre.memberships.get().organisation
    elsewhere = Dossier.objects.exclude(receiving_organisation=main_centre)
    assert elsewhere.exclude(state=State.DRAFT).exists()
    assert not dossiers_for_staff(centre).filter(pk__in=elsewhere).exists()
    assert dossiers_for_staff(User.objects.get(username="demo.ministry")).filter(pk__in=elsewhere).exists()


class _Rollback(Exception):
    pass


def _dossiers_of(seed: str) -> list[tuple[object, ...]]:
    """What the demo files for `seed`, loaded inside a transaction that is rolled back (no documents)."""
    try:
        with transaction.atomic():
            run_demo("--seed", seed, "--accounts-file", "-")
            rows = [
                (
                    d.procedure_code,
                    d.state,
                    d.channel,
                    d.applicant_id_number,
                    d.receiving_organisation.code,
                    d.receipt_code,
                    d.form_data,
                    d.submitted_at,
                    d.due_date,
                    d.decision_note,
                    list(d.events.values_list("action", "at", "note")),
                    sorted(d.attachments.values_list("document_code", "sha256")),
                )
                for d in Dossier.objects.select_related("receiving_organisation").order_by("pk")
            ]
            raise _Rollback
    except _Rollback:
        pass
    return rows


@pytest.mark.django_db
def test_same_seed_same_dossiers(reference_data):
    first = _dossiers_of("7")
    assert first == _dossiers_of("7")
    other = _dossiers_of("8")
    assert [row[3] for row in first] != [row[3] for row in other]  # other applicants
    assert sorted(row[1] for row in first) == sorted(row[1] for row in other)  # as many in each state


def test_attached_files_are_what_they_claim_to_be():
    pdf = demo_pdf(["Quyết định chấm dứt hợp đồng (bản chụp)", "Họ và tên: Nguyễn Thị Ánh"])
    assert sniff_content_type(pdf) == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Quyet dinh cham dut hop dong (ban chup)" in text
    assert "Nguyen Thi Anh" in text
    png = demo_png(random.Random(1))
    assert sniff_content_type(png) == "image/png"
    assert png != demo_png(random.Random(2))
