"""A new base level applies to every allowance being paid from its first month, without a new decision
(Decree 20/2021 Art 6.1: the allowance is the base level × the coefficient): the schedule, the months due at
the service point and the pages all pay July 2026 at 540,000 × the coefficient."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings

from ansinh.welfare import allowance_rules as rules
from ansinh.welfare import allowance_selectors as selectors
from ansinh.welfare.benefits_due import benefits_due
from ansinh.welfare.models import BenefitKind
from ansinh.welfare.services import allowance_changes
from tests.welfare.allowance_world import (
    allowance_world,
    approved_allowance,
    pin_today,
    run_commit_hooks_at_once,
)


def test_the_amount_of_a_month_follows_the_base_level_of_that_month():
    assert rules.amount_in_month(Decimal("1.5"), date(2024, 6, 1)) == 540_000  # 360,000 × 1.5
    assert rules.amount_in_month(Decimal("1.5"), date(2024, 7, 1)) == 750_000  # 500,000 × 1.5
    assert rules.amount_in_month(Decimal("1.5"), date(2026, 7, 31)) == 810_000  # 540,000 × 1.5


def test_the_coefficient_of_a_month_is_the_last_step_started_by_then():
    steps = [(date(2026, 1, 1), Decimal("1.5")), (date(2026, 7, 1), Decimal("2.0"))]
    assert rules.coefficient_in_month(steps, date(2026, 6, 1)) == Decimal("1.5")
    assert rules.coefficient_in_month(steps, date(2026, 7, 1)) == Decimal("2.0")
    assert rules.coefficient_in_month(steps, date(2027, 1, 1)) == Decimal("2.0")


@pytest.mark.django_db
class TestAnAllowanceDecidedBeforeTheNewBaseLevel:
    @pytest.fixture
    def allowance(self, monkeypatch):
        run_commit_hooks_at_once(monkeypatch)
        world = allowance_world()
        pin_today(monkeypatch, date(2026, 5, 12))
        allowance = approved_allowance(world)  # a severe disability: 500,000 × 1.5
        pin_today(monkeypatch, date(2026, 8, 10))
        allowance.world = world
        return allowance

    def test_the_schedule_pays_the_new_level_from_july(self, allowance):
        assert allowance.monthly_amount == 750_000  # as decided
        schedule = {m.month: m.amount for m in selectors.allowance_schedule(allowance, date(2026, 8, 10))}
        assert schedule == {
            date(2026, 5, 1): 750_000,
            date(2026, 6, 1): 750_000,
            date(2026, 7, 1): 810_000,
            date(2026, 8, 1): 810_000,
        }

    def test_the_service_point_is_asked_for_the_amount_of_each_month(self, allowance):
        due = {
            d.period: d.amount
            for d in benefits_due(allowance.person, date(2026, 8, 10))
            if d.kind == BenefitKind.SOCIAL_ALLOWANCE
        }
        assert due[date(2026, 6, 1)] == 750_000
        assert due[date(2026, 8, 1)] == 810_000

    def test_a_change_of_group_and_the_new_level_combine(self, allowance):
        world = allowance.world
        change = allowance_changes.change_report(
            actor=world.citizen,
            allowance_id=allowance.pk,
            kind="health",
            description="Giám định lại: khuyết tật đặc biệt nặng",
            happened_on=date(2026, 8, 1),
        )
        allowance_changes.change_accept(
            actor=world.officer, change_id=change.pk, outcome="Đúng", new_group="disability_extreme"
        )
        allowance.refresh_from_db()
        schedule = {m.month: m.amount for m in selectors.allowance_schedule(allowance, date(2026, 9, 1))}
        assert schedule[date(2026, 8, 1)] == 810_000  # 540,000 × 1.5 until the change takes effect
        assert schedule[date(2026, 9, 1)] == 1_080_000  # 540,000 × 2.0 from the next month

    def test_the_page_shows_this_months_amount(self, allowance, client):
        client.force_login(allowance.world.citizen)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get("/social/allowance/").content.decode()
        assert "810.000" in page.split('id="allowance-amount"')[1].split("</dd>")[0]
