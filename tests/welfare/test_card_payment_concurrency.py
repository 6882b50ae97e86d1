"""A month is paid once even when two service points in two provinces record it at the same moment: the
unique constraint (kind, benefit, month) decides the race; the loser is told `welfare.already_paid`.

The threaded race runs on PostgreSQL (each thread its own connection; the second insert waits for the
first transaction and then fails on the constraint). SQLite runs one writer at a time, so there the same
rule is shown sequentially (and the threaded test is skipped)."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections
from django.utils import timezone

from ansinh.welfare.benefits_due import benefits_due
from ansinh.welfare.card_errors import AlreadyPaid
from ansinh.welfare.card_signing import card_qr_payload, initials_of
from ansinh.welfare.models import BenefitPayment
from ansinh.welfare.services import card_payments, cards
from tests.welfare.card_world import build_card_world, give_allowance, give_unemployment_month


def _qr(card):
    return card_qr_payload(
        card.number,
        card.issue,
        timezone.localdate(card.issued_at),
        initials=initials_of(card.person.full_name),
    )


def _run_at_once(work, items):
    barrier = threading.Barrier(len(items))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(item):
        try:
            barrier.wait(timeout=30)
            outcome = work(item)
        except Exception as exc:
            outcome = type(exc).__name__
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return Counter(outcomes)


def _record(cashier, qr, item, key):
    try:
        card_payments.payment_record(
            actor=cashier,
            qr=qr,
            kind=item.kind,
            benefit_id=item.benefit_id,
            period=item.period,
            request_key=key,
        )
    except AlreadyPaid:
        return "already_paid"
    return "paid"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("benefit", ["allowance", "unemployment"])
def test_two_service_points_pay_the_same_month_at_once(benefit):
    if connection.vendor != "postgresql":
        pytest.skip("the threaded race runs on PostgreSQL; SQLite serialises writers (see the test below)")
    world = build_card_world()
    give_allowance(world) if benefit == "allowance" else give_unemployment_month(world)
    card, _ = cards.card_issue(actor=world.lan_user)
    qr = _qr(card)
    item = benefits_due(world.lan)[0]
    # Several rounds, two cashiers each (provinces A and B), each with its own request key.
    racers = [(world.cashier_a, "race-a-000001"), (world.cashier_b, "race-b-000001")] * 3
    racers = [(cashier, f"{key}-{n}") for n, (cashier, key) in enumerate(racers)]
    outcomes = _run_at_once(lambda racer: _record(racer[0], qr, item, racer[1]), racers)
    assert outcomes == Counter({"paid": 1, "already_paid": len(racers) - 1}), outcomes
    assert (
        BenefitPayment.objects.filter(kind=item.kind, benefit_id=item.benefit_id, period=item.period).count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
def test_the_same_request_sent_twice_at_once_records_once():
    if connection.vendor != "postgresql":
        pytest.skip("the threaded race runs on PostgreSQL")
    world = build_card_world()
    give_allowance(world)
    card, _ = cards.card_issue(actor=world.lan_user)
    qr = _qr(card)
    item = benefits_due(world.lan)[0]
    outcomes = _run_at_once(lambda _n: _record(world.cashier_b, qr, item, "double-click-01"), list(range(4)))
    assert outcomes == Counter({"paid": 4}), outcomes  # each answered with the one payment
    assert BenefitPayment.objects.count() == 1


@pytest.mark.django_db
def test_the_second_service_point_is_refused_sequentially():
    world = build_card_world()
    give_allowance(world)
    card, _ = cards.card_issue(actor=world.lan_user)
    qr = _qr(card)
    item = benefits_due(world.lan)[0]
    assert _record(world.cashier_a, qr, item, "seq-a-0000001") == "paid"
    with pytest.raises(AlreadyPaid) as caught:
        card_payments.payment_record(
            actor=world.cashier_b, qr=qr, kind=item.kind, benefit_id=item.benefit_id, period=item.period,
            request_key="seq-b-0000001",
        )  # fmt: skip
    assert caught.value.details["service_point"] == "Bưu điện Hòa Bình"
    assert caught.value.details["province"] == "Tỉnh Thử A"
    assert BenefitPayment.objects.count() == 1


@pytest.mark.django_db
def test_the_constraint_decides_even_when_the_check_is_passed(monkeypatch):
    """The race's losing path on any database: the 'is it due?' check is made to pass (as for a racer that
    read before the winner committed), and the insert itself is refused by the constraint."""
    world = build_card_world()
    give_allowance(world)
    card, _ = cards.card_issue(actor=world.lan_user)
    qr = _qr(card)
    item = benefits_due(world.lan)[0]
    _record(world.cashier_a, qr, item, "winner-000001")
    monkeypatch.setattr(card_payments, "benefits_due", lambda person, on: [item])
    assert _record(world.cashier_b, qr, item, "loser-0000001") == "already_paid"
    assert BenefitPayment.objects.count() == 1
