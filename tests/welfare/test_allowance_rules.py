"""The allowance rules as pure functions: the base level by date, the coefficient by group and age, the
highest-amount rule and its single-parent exception, and the months paid."""

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from ansinh.welfare import allowance_rules as rules


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    ("day", "amount", "confirmed"),
    [
        (date(2021, 7, 1), 360_000, True),
        (date(2024, 6, 30), 360_000, True),
        (date(2024, 7, 1), 500_000, True),
        (date(2026, 6, 30), 500_000, True),
        (date(2026, 7, 1), 540_000, False),  # Decree 335/2026: reported, not read
    ],
)
def test_base_level_by_date(day, amount, confirmed):
    level = rules.base_level_on(day)
    assert (level.amount, level.confirmed) == (amount, confirmed)


def test_no_base_level_before_decree_20():
    with pytest.raises(rules.NotApplicable):
        rules.base_level_on(date(2021, 6, 30))


def test_severe_disability_adult_explained_with_its_sources():
    result = rules.monthly_allowance("disability_severe", date(1980, 3, 15), date(2025, 1, 10))
    assert (result.coefficient, result.base_level, result.amount) == (Decimal("1.5"), 500_000, 750_000)
    assert result.confirmed
    assert "Base level 500,000 VND × coefficient 1.5 = 750,000 VND a month" in result.explanation[-1]
    assert "Decree 20/2021/NĐ-CP Art 6.1.e" in result.explanation[-1]
    assert "Decree 76/2024/NĐ-CP" in result.explanation[-1]


def test_after_july_2026_the_figure_is_marked_unconfirmed():
    result = rules.monthly_allowance("disability_severe", date(1980, 3, 15), date(2026, 11, 27))
    assert result.amount == 810_000  # 540,000 × 1.5, as the press reported
    assert not result.confirmed
    assert result.explanation[-1].startswith("Not confirmed yet")


@pytest.mark.parametrize(
    ("group", "birth", "coefficient"),
    [
        ("child_no_support", date(2022, 1, 1), "2.5"),  # 3 years old
        ("child_no_support", date(2021, 1, 1), "1.5"),  # 4 on 1/1/2025
        ("child_hiv", date(2015, 6, 1), "2.0"),
        ("elderly_poor", date(1955, 1, 1), "1.5"),  # 70
        ("elderly_poor", date(1944, 1, 1), "2.0"),  # 81
        ("elderly_care", date(1950, 1, 1), "3.0"),
        ("disability_extreme", date(2015, 1, 1), "2.5"),  # a child
        ("disability_extreme", date(1990, 1, 1), "2.0"),
        ("disability_extreme", date(1950, 1, 1), "2.5"),  # older person
        ("disability_severe", date(1950, 1, 1), "2.0"),
        ("child_u3_remote", date(2023, 5, 1), "1.5"),
        ("hiv_poor", date(1990, 1, 1), "1.5"),
        ("youth_studying", date(2006, 1, 1), "1.5"),  # 19
    ],
)
def test_coefficients_by_group_and_age(group, birth, coefficient):
    result = rules.monthly_allowance(group, birth, date(2025, 1, 1))
    assert result.coefficient == Decimal(coefficient)
    assert result.amount == int(500_000 * Decimal(coefficient))


def test_age_counts_full_years_on_the_day():
    assert rules.age_on(date(1945, 11, 28), date(2025, 11, 27)) == 79
    assert rules.age_on(date(1945, 11, 27), date(2025, 11, 27)) == 80
    just_before = rules.monthly_allowance("elderly_poor", date(1945, 11, 28), date(2025, 11, 27))
    on_the_day = rules.monthly_allowance("elderly_poor", date(1945, 11, 27), date(2025, 11, 27))
    assert (just_before.coefficient, on_the_day.coefficient) == (Decimal("1.5"), Decimal("2.0"))


@pytest.mark.parametrize(
    ("group", "birth", "field"),
    [
        ("elderly_poor", date(1980, 1, 1), "group"),  # 45: not an older person
        ("child_no_support", date(2000, 1, 1), "group"),
        ("child_u3_remote", date(2020, 1, 1), "group"),
        ("elderly_poor", None, "birth_date"),
        ("no_such_group", date(1950, 1, 1), "group"),
        ("elderly_80", date(1940, 1, 1), "group"),  # repealed from 1/7/2025 (social pension)
    ],
)
def test_groups_that_do_not_apply_say_why(group, birth, field):
    with pytest.raises(rules.NotApplicable) as caught:
        rules.monthly_allowance(group, birth, date(2025, 9, 1))
    assert caught.value.field == field
    assert caught.value.message


def test_repealed_group_applied_before_its_end_and_is_unconfirmed():
    result = rules.monthly_allowance("elderly_80", date(1940, 1, 1), date(2025, 6, 1))
    assert result.amount == 500_000
    assert not result.confirmed


def test_single_parent_counts_each_child():
    result = rules.monthly_allowance("single_parent", date(1990, 1, 1), date(2025, 1, 1), children=3)
    assert (result.coefficient, result.amount) == (Decimal("3.0"), 1_500_000)
    with pytest.raises(rules.NotApplicable):
        rules.monthly_allowance("single_parent", None, date(2025, 1, 1), children=0)


def test_several_groups_pay_the_highest_only():
    result = rules.highest_allowance(
        ["disability_severe", "elderly_poor", "hiv_poor"], date(1950, 1, 1), date(2025, 1, 1)
    )
    assert (result.group, result.amount) == ("disability_severe", 1_000_000)  # 2.0 beats 1.5


def test_a_poor_single_parent_with_a_disability_gets_both():
    result = rules.highest_allowance(
        ["single_parent", "disability_severe"], date(1990, 1, 1), date(2025, 1, 1), children=2
    )
    assert result.group == "single_parent+disability_severe"
    assert result.amount == 750_000 + 1_000_000
    assert "Art 6.2" in result.explanation[-1]


def test_groups_that_do_not_apply_are_left_out_of_the_highest():
    result = rules.highest_allowance(["elderly_poor", "hiv_poor"], date(1990, 1, 1), date(2025, 1, 1))
    assert result.group == "hiv_poor"
    with pytest.raises(rules.NotApplicable):
        rules.highest_allowance(["elderly_poor"], date(1990, 1, 1), date(2025, 1, 1))


def test_first_and_last_months():
    assert rules.first_month_paid(date(2026, 11, 27)) == date(2026, 11, 1)
    assert rules.last_month_paid(date(2026, 3, 31)) == date(2026, 3, 1)


def test_months_paid():
    assert rules.allowance_months(date(2025, 11, 1), None, date(2026, 2, 14)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert rules.allowance_months(date(2025, 11, 1), date(2025, 12, 1), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
    ]
    assert rules.allowance_months(date(2026, 3, 1), None, date(2026, 2, 1)) == []


days = st.dates(min_value=date(2021, 7, 1), max_value=date(2035, 12, 31))


@given(start=days, end=st.none() | days, until=days)
def test_months_are_consecutive_first_days_within_the_bounds(start, end, until):
    months = rules.allowance_months(start, end, until)
    assert all(m.day == 1 for m in months)
    assert all(rules.next_month(a) == b for a, b in pairwise(months))
    if months:
        assert months[0] == start.replace(day=1)
        assert months[-1] <= until.replace(day=1)
        assert end is None or months[-1] <= end.replace(day=1)
        last = min(until, end) if end else until
        assert months[-1] == last.replace(day=1)
    else:
        assert start.replace(day=1) > min(until, end or until).replace(day=1)


@given(
    group=st.sampled_from([g.code for g in rules.GROUPS]),
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 1, 1)),
    day=st.dates(min_value=date(2025, 7, 1), max_value=date(2030, 12, 31)),
)
def test_an_amount_is_always_base_times_coefficient(group, birth, day):
    try:
        result = rules.monthly_allowance(group, birth, day)
    except rules.NotApplicable:
        return  # the reasons are tested above
    assert result.amount == int(rules.base_level_on(day).amount * result.coefficient)
    assert result.amount > 0
    assert result.explanation
