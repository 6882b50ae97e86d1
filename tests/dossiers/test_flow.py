"""The whole life of a dossier through the services, on the real database."""

from datetime import date

import pytest
from django.core import mail

from ansinh.core.models import AuditEntry
from ansinh.dossiers.errors import InvalidTransition, MissingDocuments
from ansinh.dossiers.models import Dossier, IssuedDocument
from ansinh.dossiers.services import attachments, filing, transitions
from ansinh.notify.models import Message
from tests.dossiers.conftest import VALID_FORM, pdf_upload


def _ready_draft(world, procedure_code):
    dossier = filing.dossier_start(actor=world.citizen, procedure_code=procedure_code, form_data=VALID_FORM)
    for code in ("termination_proof", "social_insurance_book"):
        attachments.attachment_add(
            actor=world.citizen, dossier_id=dossier.pk, document_code=code, upload=pdf_upload()
        )
    return dossier


@pytest.mark.django_db
def test_full_path_with_return_across_a_holiday(world, procedure_code, frozen_today, run_on_commit):
    # Submitted Tue 28 Apr 2026: 30/4 and 1/5 are holidays, so 15 working days end on Thu 21 May.
    frozen_today(date(2026, 4, 28))
    dossier = _ready_draft(world, procedure_code)
    dossier = transitions.dossier_act(actor=world.citizen, dossier_id=dossier.pk, action="submit")
    assert dossier.state == "submitted"
    assert dossier.receipt_code == "TTDVVL-NA-260428-0001"
    assert dossier.due_date == date(2026, 5, 21)

    # Returned on Wed 29 Apr: the clock stops.
    frozen_today(date(2026, 4, 29))
    dossier = transitions.dossier_act(
        actor=world.officer, dossier_id=dossier.pk, action="return", note="Thiếu trang 2 sổ BHXH"
    )
    assert dossier.state == "returned"
    assert dossier.due_date is None

    # Completed on Mon 4 May: the 15 working days start again from that day.
    frozen_today(date(2026, 5, 4))
    attachments.attachment_add(
        actor=world.citizen, dossier_id=dossier.pk, document_code="other", upload=pdf_upload("trang2.pdf")
    )
    dossier = transitions.dossier_act(actor=world.citizen, dossier_id=dossier.pk, action="resubmit")
    assert dossier.receipt_code == "TTDVVL-NA-260428-0001"  # the code stays
    assert dossier.due_date == date(2026, 5, 25)

    transitions.dossier_act(actor=world.officer, dossier_id=dossier.pk, action="accept")
    transitions.dossier_act(actor=world.officer, dossier_id=dossier.pk, action="start")
    dossier = transitions.dossier_act(
        actor=world.decider, dossier_id=dossier.pk, action="approve", note="Hưởng 3 tháng trợ cấp"
    )
    assert dossier.state == "approved"
    dossier = transitions.dossier_act(actor=world.officer, dossier_id=dossier.pk, action="deliver")
    assert dossier.state == "delivered"
    assert dossier.closed_at is not None

    steps = list(dossier.events.filter(to_state__gt="").order_by("id").values_list("action", "to_state"))
    assert steps == [
        ("create", "draft"),
        ("submit", "submitted"),
        ("return", "returned"),
        ("resubmit", "submitted"),
        ("accept", "accepted"),
        ("start", "in_processing"),
        ("approve", "approved"),
        ("deliver", "delivered"),
    ]
    audited = set(AuditEntry.objects.filter(object_id=str(dossier.pk)).values_list("action", flat=True))
    assert {
        "dossier.submit",
        "dossier.return",
        "dossier.resubmit",
        "dossier.approve",
        "dossier.deliver",
    } <= audited

    kinds = list(IssuedDocument.objects.filter(dossier=dossier).values_list("kind", "revoked_at"))
    assert [k for k, _ in kinds] == ["receipt", "receipt", "approval"]
    assert kinds[0][1] is not None
    assert kinds[1][1] is None

    # The applicant was told at each step, in the inbox and by e-mail (Vietnamese by default).
    inbox = Message.objects.filter(recipient_person=world.person)
    assert inbox.count() >= 6
    assert any("TTDVVL-NA-260428-0001" in m.subject for m in mail.outbox)


@pytest.mark.django_db
def test_illegal_steps_are_refused(world, procedure_code):
    dossier = _ready_draft(world, procedure_code)
    with pytest.raises(InvalidTransition) as exc:
        transitions.dossier_act(actor=world.citizen, dossier_id=dossier.pk, action="resubmit")
    assert exc.value.code == "dossier.invalid_transition"
    transitions.dossier_act(actor=world.citizen, dossier_id=dossier.pk, action="submit")
    with pytest.raises(InvalidTransition):
        transitions.dossier_act(actor=world.decider, dossier_id=dossier.pk, action="approve")  # not accepted
    with pytest.raises(InvalidTransition):
        transitions.dossier_act(actor=world.officer, dossier_id=dossier.pk, action="deliver")


@pytest.mark.django_db
def test_submit_needs_the_mandatory_documents_and_fields(world, procedure_code):
    dossier = filing.dossier_start(
        actor=world.citizen, procedure_code=procedure_code, form_data={"phone": "0912345678"}
    )
    with pytest.raises(MissingDocuments) as exc:
        transitions.dossier_act(actor=world.citizen, dossier_id=dossier.pk, action="submit")
    # Missing fields and missing documents are named together, so the applicant fixes everything at once.
    fields = exc.value.details["fields"]
    assert {"termination_date", "documents.termination_proof", "documents.social_insurance_book"} <= set(
        fields
    )
    assert "documents.other" not in fields  # optional
    dossier.refresh_from_db()
    assert dossier.state == "draft"
    assert dossier.receipt_code is None


@pytest.mark.django_db
def test_officers_act_only_within_their_scope(world, procedure_code):
    dossier = _ready_draft(world, procedure_code)
    transitions.dossier_act(actor=world.citizen, dossier_id=dossier.pk, action="submit")
    from ansinh.core.errors import NotFound

    with pytest.raises(NotFound):
        transitions.dossier_act(actor=world.outsider_officer, dossier_id=dossier.pk, action="accept")
    with pytest.raises(NotFound):
        transitions.dossier_act(actor=world.stranger, dossier_id=dossier.pk, action="withdraw")
    # A centre officer cannot decide; the department can.
    transitions.dossier_act(actor=world.officer, dossier_id=dossier.pk, action="accept")
    with pytest.raises(NotFound):
        transitions.dossier_act(actor=world.officer, dossier_id=dossier.pk, action="approve", note="x")
    assert Dossier.objects.get(pk=dossier.pk).state == "accepted"


@pytest.mark.django_db
def test_refusal_needs_reasons_and_issues_a_signed_refusal(world, procedure_code, run_on_commit):
    from ansinh.core.errors import ValidationFailed
    from ansinh.core.signing import verify_pdf

    dossier = _ready_draft(world, procedure_code)
    transitions.dossier_act(actor=world.citizen, dossier_id=dossier.pk, action="submit")
    transitions.dossier_act(actor=world.officer, dossier_id=dossier.pk, action="accept")
    with pytest.raises(ValidationFailed) as exc:
        transitions.dossier_act(actor=world.decider, dossier_id=dossier.pk, action="refuse", note="  ")
    assert "note" in exc.value.details["fields"]
    transitions.dossier_act(
        actor=world.decider, dossier_id=dossier.pk, action="refuse", note="Chưa đóng đủ 12 tháng BHTN"
    )
    refusal = IssuedDocument.objects.get(dossier=dossier, kind="refusal")
    assert refusal.signed_by == world.department.name
    with refusal.file.open("rb") as handle:
        report = verify_pdf(handle.read())
    assert report.valid
    assert report.signer == world.department.name
