"""Overdue obligations on the dashboards: each found from the data, in the reader's scope, with its rule."""

from datetime import date, timedelta

import pytest

from ansinh.overseas import obligations
from ansinh.overseas.models import DepositKind, DepositMovement, Worker, WorkerStatus
from ansinh.overseas.services import contracts, workers
from tests.overseas.world import build_world, contract_terms, registered_contract

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


@pytest.fixture
def world(db):
    return build_world()


def test_a_returned_worker_not_liquidated_in_180_days_is_overdue_for_the_enterprise_and_the_department(world):
    contract = registered_contract(world)
    worker = workers.worker_register(
        actor=world.admin_a,
        contract_id=contract.pk,
        personal_id="040095001234",
        passport_number="C1234567",
        full_name="Lê Thị Hoa",
        date_of_birth=date(1995, 3, 14),
        sex="F",
    )
    # Came back early on 1 May 2026: liquidation was due 180 days later, 28 October 2026.
    Worker.objects.filter(pk=worker.pk).update(
        status=WorkerStatus.RETURNED_EARLY, return_date=date(2026, 5, 1)
    )
    for reader in (world.admin_a, world.dolab_officer, world.provincial_officer):
        (late,) = obligations.overdue_for(reader, TODAY)
        assert late.overdue.deadline.code == "overseas.contract_liquidation"
        assert late.overdue.deadline.due == date(2026, 10, 28)
        assert late.overdue.days == 29
        assert late.subject.endswith("Lê Thị Hoa")
    assert obligations.overdue_for(world.admin_b, TODAY) == []
    assert obligations.overdue_for(world.other_provincial_officer, TODAY) == []
    # Liquidated: nothing is owed any more.
    Worker.objects.filter(pk=worker.pk).update(status=WorkerStatus.LIQUIDATED)
    assert obligations.overdue_for(world.admin_a, TODAY) == []


def test_an_unanswered_registration_is_overdue_for_the_department(world):
    contract = contracts.contract_submit(actor=world.admin_a, **contract_terms())
    late_day = contract.reply_due + timedelta(days=3)
    (late,) = obligations.overdue_for(world.dolab_officer, late_day)
    assert (late.subject, late.overdue.days) == (contract.number, 3)
    assert obligations.overdue_for(world.dolab_officer, contract.reply_due) == []


def test_a_deposit_used_and_not_restored_within_30_days(world):
    DepositMovement.objects.create(
        enterprise=world.enterprise_b, kind=DepositKind.USED, amount=-300_000_000, on=date(2026, 10, 1)
    )
    (late,) = obligations.overdue_for(world.admin_b, TODAY)
    assert late.overdue.deadline.code == "overseas.deposit_restore"
    assert late.overdue.days == 26  # due 31 October
    DepositMovement.objects.create(
        enterprise=world.enterprise_b, kind=DepositKind.TOP_UP, amount=300_000_000, on=date(2026, 11, 20)
    )
    assert obligations.overdue_for(world.admin_b, TODAY) == []


def test_an_annual_report_not_submitted_by_its_due_date_is_overdue(world):
    from ansinh.overseas.services import reports

    after_due = date(2026, 12, 22)  # the 2026 report was due by 19 December
    assert len(obligations.overdue_for(world.dolab_officer, after_due)) == 2  # A and B
    for reader in (world.admin_a, world.provincial_officer):
        (late,) = obligations.overdue_for(reader, after_due)
        assert late.enterprise == world.enterprise_a.organisation.name
        assert late.overdue.deadline.code == "overseas.annual_report"
        assert late.overdue.deadline.due == date(2026, 12, 19)
        assert late.overdue.days == 3
        assert late.subject.endswith("2026")
    # Due on the 19th: not late on that day.
    assert obligations.overdue_for(world.admin_a, date(2026, 12, 19)) == []
    # A branch reads no enterprise obligation; the other province sees B's only.
    assert obligations.overdue_for(world.branch_staff, after_due) == []
    (other,) = obligations.overdue_for(world.other_provincial_officer, after_due)
    assert other.enterprise == world.enterprise_b.organisation.name
    reports.annual_report_submit(actor=world.admin_a, year=2026, today=date(2026, 12, 21))
    assert obligations.overdue_for(world.admin_a, after_due) == []
    assert [o.enterprise for o in obligations.overdue_for(world.dolab_officer, after_due)] == [
        world.enterprise_b.organisation.name
    ]
