"""Demo data of the unemployment service: contribution records for the claimants, a benefit being paid for
each person who asks for a transfer, and the monthly job-search notifications of the windows that have
passed (through the real services, at the story's moment)."""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from ansinh.accounts.models import Organisation, Person, User
from ansinh.dossiers.models import IssuedDocument
from ansinh.dossiers.services import attachments, filing, transitions
from ansinh.unemployment import rules
from ansinh.unemployment.models import BenefitClaim, ContributionMonth
from ansinh.unemployment.procedures import BENEFIT_CLAIM
from ansinh.unemployment.services import months
from ansinh.web.demo.clock import demo_clock

WAGES = (5_300_000, 6_200_000, 7_500_000, 8_000_000, 9_800_000, 12_000_000, 15_500_000)
FOLLOW_UP = timedelta(minutes=1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def record_contributions(
    person: Person, form: dict[str, Any], rng: random.Random, *, eligible: bool = True
) -> None:
    """One to six years of contributions up to the termination month; under a year for a claim the story
    refuses."""
    termination = form.get("termination_date")
    last = (date.fromisoformat(termination) if termination else timezone.localdate()).replace(day=1)
    count = rng.choice([14, 24, 26, 38, 50, 62, 75] if eligible else [6, 8, 10])
    wage = rng.choice(WAGES)
    ContributionMonth.objects.bulk_create(
        [
            ContributionMonth(
                person=person,
                month=rules.add_months(last, -n),
                wage=wage if n < 12 else round(wage * 0.9, -3),
                region="I",
                employer_name="",
            )
            for n in range(count)
        ],
        ignore_conflicts=True,
    )


def paying_claim(
    person: Person, centre: Organisation, officer: User, decider: User, before: datetime, rng: random.Random
) -> BenefitClaim:
    """A benefit decided about 45 days before `before`, its first month notified."""
    filed = before - timedelta(days=60)
    form = {
        "termination_date": (filed.date() - timedelta(days=20)).isoformat(),
        "last_employer": "Công ty TNHH Thời trang Việt",
        "contract_kind": "indefinite",
        "phone": person.phone or "+84912000000",
    }
    record_contributions(person, {**form, "termination_date": form["termination_date"]}, rng)
    with demo_clock(filed), transaction.atomic():
        dossier = filing.dossier_receive_at_counter(
            actor=officer,
            procedure_code=BENEFIT_CLAIM,
            applicant_id_number=person.personal_id or person.passport_number,
            applicant_person_id=person.pk,
            form_data=form,
            organisation_id=centre.pk,
        )
        for code in ("termination_proof", "social_insurance_book"):
            attachments.attachment_add(
                actor=officer,
                dossier_id=dossier.pk,
                document_code=code,
                upload=SimpleUploadedFile(f"{code}.pdf", PDF, content_type="application/pdf"),
            )
        transitions.dossier_act(actor=officer, dossier_id=dossier.pk, action="submit")
        transitions.dossier_act(actor=officer, dossier_id=dossier.pk, action="accept")
    with demo_clock(filed + timedelta(days=14)), transaction.atomic():
        transitions.dossier_act(actor=decider, dossier_id=dossier.pk, action="approve")
    # As for every demo step, its documents are issued a minute after it.
    for document in IssuedDocument.objects.filter(dossier=dossier).select_related("event"):
        IssuedDocument.objects.filter(pk=document.pk).update(issued_at=document.event.at + FOLLOW_UP)
    claim = BenefitClaim.objects.get(dossier=dossier)
    first = claim.months.get(number=1)
    with demo_clock(timezone.make_aware(datetime.combine(first.notify_from, time(9)))):
        months.notification_record(
            actor=officer, claim_id=claim.pk, activities="Tìm việc qua trung tâm", today=first.notify_from
        )
    return claim


def notify_past_windows(today: date, rng: random.Random) -> int:
    """The demo's claimants notified their job search in the windows that have passed, each on the first
    day of the window, at the counter of the centre paying them; about one in eight missed one (so the
    morning's sweep suspends those). Returns the number of notifications."""
    from ansinh.accounts.models import Membership
    from ansinh.unemployment.models import BenefitMonth, ClaimStatus, MonthStatus
    from ansinh.unemployment.permissions import CLAIM_HANDLE

    done = 0
    waiting = (
        BenefitMonth.objects.filter(
            status=MonthStatus.WAITING, notify_from__lt=today, claim__status=ClaimStatus.PAYING
        )
        .select_related("claim")
        .order_by("claim_id", "number")
    )
    officers: dict[int, User | None] = {}
    skipped: set[int] = set()
    for month in waiting:
        claim = month.claim
        if claim.pk in skipped:
            continue
        if rng.random() < 0.125:
            skipped.add(claim.pk)  # this claimant forgets: the sweep will suspend the benefit
            continue
        if claim.centre_id not in officers:
            membership = (
                Membership.objects.filter(organisation_id=claim.centre_id, is_active=True)
                .select_related("user", "role")
                .order_by("pk")
            )
            officers[claim.centre_id] = next(
                (m.user for m in membership if CLAIM_HANDLE in m.role.permissions), None
            )
        officer = officers[claim.centre_id]
        if officer is None:
            continue
        morning = timezone.make_aware(datetime.combine(month.notify_from, time(9)))
        with demo_clock(morning):
            months.notification_record(
                actor=officer,
                claim_id=claim.pk,
                activities="Tìm việc tại sàn giao dịch việc làm",
                today=month.notify_from,
            )
        done += 1
    return done
