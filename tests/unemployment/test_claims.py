"""The benefit's life on a real database: decided from the contribution record when the claim dossier is
approved, notified month by month, suspended and continued, moved to another province, terminated."""

from datetime import date

import pytest

from ansinh.core import workdays
from ansinh.dossiers.models import IssuedDocument
from ansinh.dossiers.services import attachments, filing, transitions
from ansinh.notify.models import Message
from ansinh.unemployment import selectors
from ansinh.unemployment.errors import (
    NotEligible,
    NotTheDecider,
    TooLateToWithdraw,
    TransferNotAllowed,
    WindowClosed,
)
from ansinh.unemployment.models import (
    BenefitClaim,
    ClaimAction,
    ClaimStatus,
    ContributionMonth,
    MonthStatus,
    ProvinceDelegation,
    ReferralOutcome,
)
from ansinh.unemployment.procedures import BENEFIT_CLAIM, BENEFIT_TRANSFER, TERMINATION
from ansinh.unemployment.services import months, referrals, terminations, transfers
from tests.dossiers.conftest import VALID_FORM, pdf_upload

pytestmark = pytest.mark.django_db

FILED = date(2026, 4, 6)  # a Monday
CLAIM_FORM = {**VALID_FORM, "termination_date": "2026-03-31"}


def file_claim(world, form=CLAIM_FORM):
    dossier = filing.dossier_start(actor=world.citizen, procedure_code=BENEFIT_CLAIM, form_data=form)
    for code in ("termination_proof", "social_insurance_book"):
        attachments.attachment_add(
            actor=world.citizen, dossier_id=dossier.pk, document_code=code, upload=pdf_upload()
        )
    transitions.dossier_act(actor=world.citizen, dossier_id=dossier.pk, action="submit")
    transitions.dossier_act(actor=world.officer, dossier_id=dossier.pk, action="accept")
    return dossier


def decided_claim(world, frozen_today) -> BenefitClaim:
    frozen_today(FILED)
    dossier = file_claim(world)
    frozen_today(date(2026, 4, 10))
    transitions.dossier_act(actor=world.decider, dossier_id=dossier.pk, action="approve")
    return BenefitClaim.objects.get(dossier=dossier)


def test_approval_decides_the_benefit_from_the_contribution_record(world, frozen_today, run_on_commit):
    claim = decided_claim(world, frozen_today)
    # 24 months at 8,000,000 (region I) up to March 2026: 60 % of 8,000,000; 3 months; nothing reserved.
    assert claim.rule_set == "law-74-2025"
    assert claim.monthly_benefit == 4_800_000
    assert claim.benefit_months == 3
    assert claim.contribution_months == 24
    assert claim.reserved_months == 0
    # The 11th working day after Mon 6 April 2026 (no holiday until 30 April): Tue 21 April.
    assert claim.start_date == date(2026, 4, 21)
    assert claim.end_date == date(2026, 7, 20)
    assert claim.centre == world.centre
    assert claim.status == ClaimStatus.PAYING
    first, second, third = claim.months.order_by("number")
    # Month 1: within 3 working days of the decision (Fri 10 April); later months from their first day.
    assert (first.notify_from, first.notify_until) == (date(2026, 4, 10), date(2026, 4, 15))
    assert (second.start, second.notify_from) == (date(2026, 5, 21), date(2026, 5, 21))
    assert second.notify_until == workdays.add_working_days(date(2026, 5, 21), 3)
    assert third.end == date(2026, 7, 20)
    assert claim.events.filter(action=ClaimAction.DECIDED).count() == 1
    # The signed decision states the figures (Mẫu 12).
    document = IssuedDocument.objects.get(dossier=claim.dossier, kind="approval")
    assert document.signed_by == world.department.name
    facts = dict(selectors_facts(claim))
    assert facts["Mức hưởng trợ cấp hằng tháng"] == "4.800.000 đồng"


def selectors_facts(claim):
    from ansinh.unemployment.services.claims import claim_decision_facts

    return claim_decision_facts(claim.dossier)


def test_an_ineligible_claim_cannot_be_approved_only_refused_with_reasons(world, frozen_today, run_on_commit):
    ContributionMonth.objects.filter(person=world.person).delete()
    frozen_today(FILED)
    dossier = file_claim(world)
    with pytest.raises(NotEligible) as raised:
        transitions.dossier_act(actor=world.decider, dossier_id=dossier.pk, action="approve")
    assert "12" in raised.value.details["reasons"][0]
    dossier.refresh_from_db()
    assert dossier.state == "accepted"  # nothing half-written
    assert not BenefitClaim.objects.exists()
    refused = transitions.dossier_act(
        actor=world.decider, dossier_id=dossier.pk, action="refuse", note="Chưa đủ 12 tháng đóng"
    )
    assert refused.state == "refused"


def test_the_province_chooses_who_decides(world, frozen_today, run_on_commit):
    frozen_today(FILED)
    dossier = file_claim(world)
    # By default the department of home affairs decides; the centre's head may not.
    with pytest.raises(NotTheDecider):
        transitions.dossier_act(actor=world.head, dossier_id=dossier.pk, action="approve")
    ProvinceDelegation.objects.create(province=world.centre.province, decider="centre")
    with pytest.raises(NotTheDecider):
        transitions.dossier_act(actor=world.decider, dossier_id=dossier.pk, action="approve")
    transitions.dossier_act(actor=world.head, dossier_id=dossier.pk, action="approve")
    document = IssuedDocument.objects.get(dossier=dossier, kind="approval")
    assert document.signed_by == world.centre.name  # the delegated body signs


def test_a_claim_can_be_withdrawn_within_10_working_days_only(world, frozen_today, run_on_commit):
    frozen_today(FILED)
    late = file_claim(world)
    frozen_today(date(2026, 4, 21))  # the 11th working day after filing
    with pytest.raises(TooLateToWithdraw):
        transitions.dossier_act(actor=world.citizen, dossier_id=late.pk, action="withdraw")
    frozen_today(date(2026, 4, 20))
    assert (
        transitions.dossier_act(actor=world.citizen, dossier_id=late.pk, action="withdraw").state
        == "withdrawn"
    )


def test_notify_suspend_continue_then_three_missed_months_terminate(world, frozen_today, run_on_commit):
    claim = decided_claim(world, frozen_today)
    # Month 1 notified online in its window.
    month = months.notification_record(
        actor=world.citizen, activities="Nộp hồ sơ 2 công ty", today=date(2026, 4, 13)
    )
    assert (month.number, month.status, month.amount) == (1, MonthStatus.NOTIFIED, 4_800_000)
    # Outside a window: refused with the next window's dates.
    with pytest.raises(WindowClosed) as closed:
        months.notification_record(actor=world.citizen, activities="x", today=date(2026, 5, 4))
    assert closed.value.details["month"] == 2
    # Month 2's window closes without a notification: the sweep suspends.
    second = claim.months.get(number=2)
    counts = months.sweep_benefit_months(second.notify_until.replace(day=second.notify_until.day + 1))
    assert counts == {"missed": 1, "suspended": 1, "terminated": 0, "finished": 0}
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUSPENDED
    assert claim.months.get(number=2).status == MonthStatus.MISSED
    assert Message.objects.filter(template="unemployment.suspended").count() == 1
    # Running the sweep again changes nothing.
    assert months.sweep_benefit_months(date(2026, 6, 1))["missed"] == 0
    # The worker notifies again: continued from month 3; month 2 stays unpaid.
    following = months.notification_record(
        actor=world.citizen, activities="Phỏng vấn", today=date(2026, 6, 2)
    )
    assert following.number == 3
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAYING
    assert claim.events.filter(action=ClaimAction.CONTINUED).exclude(decision_number="").count() == 1


def test_three_missed_months_in_a_row_end_the_benefit_without_reserve(world, frozen_today, run_on_commit):
    claim = decided_claim(world, frozen_today)
    for number in (1, 2, 3):
        closes = claim.months.get(number=number).notify_until
        months.sweep_benefit_months(date.fromordinal(closes.toordinal() + 1))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.TERMINATED
    assert claim.close_reason == "three_missed"
    assert claim.reserved_months == 0


def test_transfer_moves_the_claim_to_the_destination_centre(world, frozen_today, run_on_commit):
    claim = decided_claim(world, frozen_today)
    form = {"new_province": world.other_centre.province.code, "reason": "Về quê", "phone": "0912345678"}
    transfer = filing.dossier_start(actor=world.citizen, procedure_code=BENEFIT_TRANSFER, form_data=form)
    attachments.attachment_add(
        actor=world.citizen, dossier_id=transfer.pk, document_code="request_form", upload=pdf_upload()
    )
    # Not before a month was received (Decree 374 Art 20).
    with pytest.raises(TransferNotAllowed):
        transitions.dossier_act(actor=world.citizen, dossier_id=transfer.pk, action="submit")
    months.notification_record(actor=world.citizen, activities="Tìm việc", today=date(2026, 4, 13))
    frozen_today(date(2026, 4, 14))
    transitions.dossier_act(actor=world.citizen, dossier_id=transfer.pk, action="submit")
    transitions.dossier_act(actor=world.officer, dossier_id=transfer.pk, action="accept")
    transitions.dossier_act(actor=world.head, dossier_id=transfer.pk, action="approve")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.TRANSFERRING
    assert claim.transfer_to == world.other_centre
    # The origin cannot receive it; the destination can, and from then on only it sees the claim.
    with pytest.raises(Exception, match="not_found"):
        transfers.claim_transfer_receive(actor=world.officer, claim_id=claim.pk)
    transfers.claim_transfer_receive(actor=world.outsider_officer, claim_id=claim.pk)
    claim.refresh_from_db()
    assert (claim.centre, claim.status, claim.province) == (
        world.other_centre, ClaimStatus.PAYING, world.other_centre.province
    )  # fmt: skip
    assert selectors.claims_in_scope(world.outsider_officer).filter(pk=claim.pk).exists()
    assert not selectors.claims_in_scope(world.officer).filter(pk=claim.pk).exists()
    # The history is kept, each event with the centre that managed the claim then.
    centres = list(claim.events.values_list("action", "centre_id"))
    assert (ClaimAction.DECIDED, world.centre.pk) in centres
    assert (ClaimAction.TRANSFER_IN, world.other_centre.pk) in centres
    # The destination's officer records month 2 at the counter.
    second = claim.months.get(number=2)
    months.notification_record(
        actor=world.outsider_officer, claim_id=claim.pk, activities="Tại quầy", today=second.notify_from
    )
    assert claim.months.get(number=2).notified_channel == "counter"


def test_termination_reported_in_time_reserves_the_months_left(world, frozen_today, run_on_commit):
    ContributionMonth.objects.filter(person=world.person).delete()
    from tests.dossiers.conftest import give_contributions

    give_contributions(world.person, last_month=date(2026, 3, 1), count=60)  # 60 months: 5 benefit months
    claim = decided_claim(world, frozen_today)
    assert claim.benefit_months == 5
    months.notification_record(actor=world.citizen, activities="Tìm việc", today=date(2026, 4, 13))
    frozen_today(date(2026, 5, 6))
    form = {"event": "new_job", "event_date": "2026-05-04", "details": "Công ty ABC"}
    notice = filing.dossier_start(actor=world.citizen, procedure_code=TERMINATION, form_data=form)
    transitions.dossier_act(actor=world.citizen, dossier_id=notice.pk, action="submit")
    transitions.dossier_act(actor=world.officer, dossier_id=notice.pk, action="accept")
    transitions.dossier_act(actor=world.decider, dossier_id=notice.pk, action="approve")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.TERMINATED
    # 60 contributed - 12 x 1 month received = 48 reserved (Law 74 Art 41.5; Decree 374 Art 8.6).
    assert claim.reserved_months == 48
    assert claim.months.filter(status=MonthStatus.NOT_DUE).count() == 4


def test_a_termination_found_by_the_centre_reserves_nothing(world, frozen_today, run_on_commit):
    claim = decided_claim(world, frozen_today)
    terminations.claim_terminate(
        actor=world.officer, claim_id=claim.pk, ground="new_job", on=date(2026, 4, 10)
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.TERMINATED
    assert claim.reserved_months == 0


def test_two_referrals_refused_without_reason_end_the_benefit(world, frozen_today, run_on_commit):
    claim = decided_claim(world, frozen_today)
    first = referrals.referral_record(
        actor=world.officer, claim_id=claim.pk, employer_name="A", job_title="Thợ may"
    )
    second = referrals.referral_record(
        actor=world.officer, claim_id=claim.pk, employer_name="B", job_title="Kế toán"
    )
    third = referrals.referral_record(
        actor=world.officer, claim_id=claim.pk, employer_name="C", job_title="Bảo vệ"
    )
    referrals.referral_answer(
        actor=world.officer, referral_id=first.pk, outcome="refused_reason", reason="Xa nhà 80 km"
    )
    referrals.referral_answer(actor=world.officer, referral_id=second.pk, outcome=ReferralOutcome.REFUSED)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAYING
    referrals.referral_answer(actor=world.officer, referral_id=third.pk, outcome=ReferralOutcome.REFUSED)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.TERMINATED
    assert claim.close_reason == "refused_referrals"
    # Another centre's officer sees none of it.
    with pytest.raises(Exception, match="not_found"):
        referrals.referral_record(
            actor=world.outsider_officer, claim_id=claim.pk, employer_name="D", job_title="E"
        )


def test_reminders_go_three_working_days_before_and_on_the_first_day_once(world, frozen_today, run_on_commit):
    claim = decided_claim(world, frozen_today)
    second = claim.months.get(number=2)
    before = date(2026, 5, 18)  # 3 working days before Thu 21 May
    assert months.send_window_reminders(before) >= 1
    assert months.send_window_reminders(before) == 0
    assert months.send_window_reminders(second.notify_from) >= 1
    assert Message.objects.filter(template="unemployment.window_soon").count() == 1
    assert Message.objects.filter(template="unemployment.window_open").count() >= 1


def test_a_month_missed_while_moving_leaves_the_benefit_suspended_at_the_destination(
    world, frozen_today, run_on_commit
):
    claim = decided_claim(world, frozen_today)
    months.notification_record(actor=world.citizen, activities="Tìm việc", today=date(2026, 4, 13))
    BenefitClaim.objects.filter(pk=claim.pk).update(
        status=ClaimStatus.TRANSFERRING, transfer_to=world.other_centre
    )
    second = claim.months.get(number=2)
    counts = months.sweep_benefit_months(date.fromordinal(second.notify_until.toordinal() + 1))
    assert counts["missed"] == 1
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.TRANSFERRING  # still on its way
    transfers.claim_transfer_receive(actor=world.outsider_officer, claim_id=claim.pk)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUSPENDED
