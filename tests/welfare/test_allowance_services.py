"""The allowance's life on a real database: applied for as a dossier on the engine, decided by the commune
chair (the allowance and its signed decision), suspended, resumed, ended; changes of circumstances."""

from datetime import date
from decimal import Decimal

import pytest

from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.core.models import AuditEntry
from ansinh.dossiers.errors import InvalidTransition
from ansinh.dossiers.models import IssuedDocument
from ansinh.dossiers.services import transitions
from ansinh.notify.models import Message
from ansinh.welfare import allowance_selectors as selectors
from ansinh.welfare.allowance_errors import AllowanceStateConflict, ChangeAlreadyHandled
from ansinh.welfare.models import AllowanceStatus, ChangeStatus, SocialAllowance
from ansinh.welfare.services import allowance_changes, allowances
from tests.welfare.allowance_world import (
    allowance_world,
    approved_allowance,
    filed_application,
    pin_today,
    run_commit_hooks_at_once,
)

pytestmark = pytest.mark.django_db

DECIDED = date(2026, 5, 12)


@pytest.fixture
def world(db):
    return allowance_world()


@pytest.fixture
def frozen_today(monkeypatch):
    return lambda day: pin_today(monkeypatch, day)


@pytest.fixture
def run_on_commit(monkeypatch):
    run_commit_hooks_at_once(monkeypatch)


def test_the_whole_dossier_gives_the_allowance_and_its_signed_decision(world, frozen_today, run_on_commit):
    frozen_today(DECIDED)
    dossier = filed_application(world)
    assert dossier.receiving_organisation == world.commune
    transitions.dossier_act(actor=world.chair, dossier_id=dossier.pk, action="approve")
    allowance = SocialAllowance.objects.get(dossier=dossier)
    # A severe disability at 46: 500,000 × 1.5 (Decree 20/2021 Art 6.1.e; Decree 76/2024).
    assert allowance.group == "disability_severe"
    assert allowance.coefficient == Decimal("1.5")
    assert (allowance.base_level, allowance.monthly_amount) == (500_000, 750_000)
    assert allowance.starts_on == date(2026, 5, 1)  # the month the chair signs
    assert allowance.status == AllowanceStatus.ACTIVE
    assert (allowance.commune, allowance.org_path) == (world.commune, world.commune.path)
    assert allowance.province == world.province
    assert allowance.payment_method == "service_point"
    assert allowance.decided_by == world.chair
    document = IssuedDocument.objects.get(dossier=dossier, kind="approval")
    assert document.signed_by == world.commune.name
    facts = dict(allowances.allowance_decision_facts(dossier))
    assert facts["Mức trợ cấp hằng tháng"] == "750.000 đồng"
    assert facts["Hệ số"] == "1,5"
    assert facts["Thời điểm hưởng"] == "Từ tháng 05/2026"
    assert Message.objects.filter(
        template="welfare.allowance_granted", recipient_person=world.person
    ).exists()
    assert AuditEntry.objects.filter(action="welfare.allowance_grant").count() == 1


def test_an_approval_the_rules_do_not_support_is_refused_and_nothing_is_written(world, frozen_today):
    frozen_today(DECIDED)
    dossier = filed_application(world, {"group": "elderly_poor"})  # she is 46
    with pytest.raises(Exception) as caught:
        transitions.dossier_act(actor=world.chair, dossier_id=dossier.pk, action="approve")
    assert caught.value.code == "welfare.allowance_not_applicable"
    assert "60 or older" in str(caught.value.message) or caught.value.details["field"] == "group"
    dossier.refresh_from_db()
    assert dossier.state == "accepted"
    assert not SocialAllowance.objects.exists()
    # The chair refuses it instead, with the reason.
    transitions.dossier_act(
        actor=world.chair, dossier_id=dossier.pk, action="refuse", note="Chưa đủ 60 tuổi."
    )


def test_a_second_allowance_is_refused(world, frozen_today):
    frozen_today(DECIDED)
    approved_allowance(world)
    dossier = filed_application(world, {"group": "hiv_poor"})
    with pytest.raises(Exception) as caught:
        transitions.dossier_act(actor=world.chair, dossier_id=dossier.pk, action="approve")
    assert caught.value.code == "welfare.allowance_already_receiving"


def test_a_bank_transfer_needs_an_account(world, frozen_today):
    frozen_today(DECIDED)
    dossier = filed_application(world, {"payment_method": "bank"})
    with pytest.raises(ValidationFailed):
        transitions.dossier_act(actor=world.chair, dossier_id=dossier.pk, action="approve")
    allowance = approved_allowance(world, form={"payment_method": "bank", "bank_account": "Agribank 1234567"})
    assert (allowance.payment_method, allowance.bank_account) == ("bank", "Agribank 1234567")


def test_only_the_commune_decides_its_dossiers(world, frozen_today):
    frozen_today(DECIDED)
    dossier = filed_application(world)
    with pytest.raises(Exception):
        transitions.dossier_act(actor=world.other_officer, dossier_id=dossier.pk, action="approve")
    with pytest.raises(Exception):
        transitions.dossier_act(actor=world.officer, dossier_id=dossier.pk, action="approve")
    assert not SocialAllowance.objects.exists()


def test_suspend_resume_and_end(world, frozen_today, run_on_commit):
    frozen_today(DECIDED)
    allowance = approved_allowance(world)
    with pytest.raises(ValidationFailed):
        allowances.allowance_suspend(actor=world.officer, allowance_id=allowance.pk, reason=" ")
    with pytest.raises(NotFound):
        allowances.allowance_suspend(actor=world.other_officer, allowance_id=allowance.pk, reason="x")
    with pytest.raises(NotFound):
        allowances.allowance_suspend(actor=world.citizen, allowance_id=allowance.pk, reason="x")
    allowances.allowance_suspend(actor=world.officer, allowance_id=allowance.pk, reason="Không nhận 3 tháng.")
    allowance.refresh_from_db()
    assert allowance.status == AllowanceStatus.SUSPENDED
    with pytest.raises(AllowanceStateConflict):
        allowances.allowance_suspend(actor=world.officer, allowance_id=allowance.pk, reason="again")
    allowances.allowance_resume(actor=world.chair, allowance_id=allowance.pk, reason="Đã liên hệ được.")
    allowance.refresh_from_db()
    assert allowance.status == AllowanceStatus.ACTIVE
    frozen_today(date(2026, 9, 3))
    allowances.allowance_end(actor=world.officer, allowance_id=allowance.pk, reason="Không còn đủ điều kiện.")
    allowance.refresh_from_db()
    assert (allowance.status, allowance.ends_on) == (AllowanceStatus.ENDED, date(2026, 9, 1))
    templates = list(Message.objects.filter(recipient_person=world.person).values_list("template", flat=True))
    for code in ("suspended", "resumed", "ended"):
        assert f"welfare.allowance_{code}" in templates
    schedule = selectors.allowance_schedule(allowance, date(2026, 12, 1))
    assert [m.month for m in schedule] == [date(2026, m, 1) for m in (9, 8, 7, 6, 5)]
    # 500,000 × 1.5, then 540,000 × 1.5 from July 2026 (the new base level needs no new decision).
    assert [m.amount for m in schedule] == [810_000, 810_000, 810_000, 750_000, 750_000]
    assert not any(m.paid for m in schedule)


def test_a_new_group_changes_the_amount_from_next_month(world, frozen_today, run_on_commit):
    frozen_today(DECIDED)
    allowance = approved_allowance(world)
    frozen_today(date(2026, 6, 20))
    change = allowance_changes.change_report(
        actor=world.citizen,
        allowance_id=allowance.pk,
        kind="health",
        description="Hội đồng giám định xác định khuyết tật đặc biệt nặng.",
        happened_on=date(2026, 6, 15),
    )
    assert change.status == ChangeStatus.REPORTED
    assert list(selectors.change_queue(world.officer)) == [change]
    assert list(selectors.change_queue(world.other_officer)) == []
    allowance_changes.change_accept(
        actor=world.officer, change_id=change.pk, outcome="Đổi sang khuyết tật đặc biệt nặng.",
        new_group="disability_extreme",
    )  # fmt: skip
    allowance.refresh_from_db()
    change.refresh_from_db()
    # From July 2026: 540,000 [U] × 2.0.
    assert (allowance.group, allowance.monthly_amount) == ("disability_extreme", 1_080_000)
    assert change.effect["monthly_amount"] == [750_000, 1_080_000]
    assert change.effect["from"] == "2026-07-01"
    schedule = {m.month: m.amount for m in selectors.allowance_schedule(allowance, date(2026, 8, 1))}
    assert schedule[date(2026, 6, 1)] == 750_000
    assert schedule[date(2026, 7, 1)] == 1_080_000
    with pytest.raises(ChangeAlreadyHandled):
        allowance_changes.change_reject(actor=world.officer, change_id=change.pk, outcome="no")
    explanation = selectors.allowance_explanation(allowance, date(2026, 8, 10))
    assert explanation is not None
    assert not explanation.confirmed


def test_a_reported_death_ends_the_allowance_with_that_month(world, frozen_today, run_on_commit):
    frozen_today(DECIDED)
    allowance = approved_allowance(world)
    frozen_today(date(2026, 8, 10))
    change = allowance_changes.change_report(
        actor=world.citizen, allowance_id=allowance.pk, kind="death",
        description="Mẹ tôi mất ngày 2/8.", happened_on=date(2026, 8, 2),
    )  # fmt: skip
    allowance_changes.change_accept(actor=world.chair, change_id=change.pk, outcome="Đã xác minh.")
    allowance.refresh_from_db()
    assert (allowance.status, allowance.ends_on) == (AllowanceStatus.ENDED, date(2026, 8, 1))
    change.refresh_from_db()
    assert change.effect == {"status": ["active", "ended"], "ends_on": "2026-08-01"}
    with pytest.raises(AllowanceStateConflict):
        allowance_changes.change_report(
            actor=world.citizen, allowance_id=allowance.pk, kind="other", description="x",
            happened_on=date(2026, 8, 9),
        )  # fmt: skip


def test_reports_are_validated_and_only_on_ones_own_allowance(world, frozen_today, run_on_commit):
    frozen_today(DECIDED)
    allowance = approved_allowance(world)
    base = {"allowance_id": allowance.pk, "kind": "income", "description": "x", "happened_on": DECIDED}
    with pytest.raises(NotFound):
        allowance_changes.change_report(actor=world.stranger, **base)
    with pytest.raises(ValidationFailed) as caught:
        allowance_changes.change_report(actor=world.citizen, **{**base, "kind": "nope"})
    assert "kind" in caught.value.details["fields"]
    with pytest.raises(ValidationFailed) as caught:
        allowance_changes.change_report(actor=world.citizen, **{**base, "happened_on": date(2026, 6, 1)})
    assert "happened_on" in caught.value.details["fields"]
    change = allowance_changes.change_report(actor=world.citizen, **base)
    with pytest.raises(ValidationFailed):
        allowance_changes.change_reject(actor=world.officer, change_id=change.pk, outcome="")
    with pytest.raises(NotFound):
        allowance_changes.change_reject(actor=world.other_officer, change_id=change.pk, outcome="Không.")
    allowance_changes.change_reject(actor=world.officer, change_id=change.pk, outcome="Thu nhập chưa đổi.")
    change.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED
    assert Message.objects.filter(template="welfare.allowance_change_rejected").exists()


def test_a_bank_change_never_records_the_number_in_the_history(world, frozen_today, run_on_commit):
    frozen_today(DECIDED)
    allowance = approved_allowance(world)
    change = allowance_changes.change_report(
        actor=world.citizen, allowance_id=allowance.pk, kind="bank", description="Tôi mở tài khoản.",
        happened_on=DECIDED,
    )  # fmt: skip
    allowance_changes.change_accept(
        actor=world.officer, change_id=change.pk, outcome="OK", payment_method="bank", bank_account="VCB 0011"
    )
    allowance.refresh_from_db()
    change.refresh_from_db()
    assert (allowance.payment_method, allowance.bank_account) == ("bank", "VCB 0011")
    assert "VCB 0011" not in str(change.effect)


def test_the_invalid_step_is_the_engines(world, frozen_today):
    frozen_today(DECIDED)
    allowance = approved_allowance(world)
    with pytest.raises(InvalidTransition):
        transitions.dossier_act(actor=world.chair, dossier_id=allowance.dossier_id, action="approve")
