"""The pension payment calendar's rules (the working-day calendar reads its overrides from the database)."""

from datetime import date

import pytest

from ansinh.core import workdays
from ansinh.welfare import pension_calendar as cal

pytestmark = pytest.mark.django_db


def test_bank_paid_from_the_second_and_in_the_account_by_the_fifth():
    # June 2026: the 2nd is a Tuesday, the 5th a Friday.
    assert cal.payment_window(date(2026, 6, 17), cal.BANK) == (date(2026, 6, 2), date(2026, 6, 5))


def test_post_office_fixed_points_then_the_post_office_until_the_25th():
    days = cal.payment_days(date(2026, 6, 1), cal.POST_OFFICE)
    assert (days.opens, days.fixed_points_until, days.closes) == (
        date(2026, 6, 2),
        date(2026, 6, 10),
        date(2026, 6, 25),
    )
    assert cal.payment_window(date(2026, 6, 1), cal.POST_OFFICE) == (date(2026, 6, 2), date(2026, 6, 25))


def test_home_delivery_within_the_fixed_point_days():
    assert cal.payment_window(date(2026, 6, 1), cal.HOME_DELIVERY) == (date(2026, 6, 2), date(2026, 6, 10))


def test_a_day_off_moves_the_payment_later_never_earlier():
    # 2 August 2026 is a Sunday: payment starts on Monday the 3rd.
    opens, _closes = cal.payment_window(date(2026, 8, 1), cal.BANK)
    assert opens == date(2026, 8, 3)
    # 2 September is National Day.
    opens, closes = cal.payment_window(date(2026, 9, 1), cal.POST_OFFICE)
    assert opens > date(2026, 9, 2)
    assert workdays.is_working_day(opens)
    assert closes == date(2026, 9, 25)


@pytest.mark.parametrize("method", cal.METHODS)
def test_every_window_is_in_its_month_and_ordered(method):
    for month in cal.pension_months(date(2026, 1, 1), date(2027, 12, 1)):
        opens, closes = cal.payment_window(month, method)
        assert month <= opens <= closes
        assert closes.month == month.month


def test_an_unknown_method_is_refused():
    with pytest.raises(cal.UnknownMethod):
        cal.payment_window(date(2026, 6, 1), "cheque")


def test_pension_months_from_the_first_month_to_until_month():
    assert cal.pension_months(date(2025, 11, 20), date(2026, 2, 3)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert cal.pension_months(date(2026, 3, 5), date(2026, 3, 31)) == [date(2026, 3, 1)]
    assert cal.pension_months(date(2026, 3, 5), date(2026, 2, 28)) == []


def test_calendar_lists_count_months_across_the_year_end():
    months = cal.calendar(2026, 11, 3, cal.BANK)
    assert [m.period for m in months] == [date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]
    assert all(m.method == cal.BANK for m in months)
    assert cal.calendar(2026, 1, 0, cal.BANK) == []


@pytest.mark.parametrize(
    ("requested", "applies"),
    [
        (date(2026, 6, 1), date(2026, 7, 1)),
        (date(2026, 6, cal.ARRANGEMENT_CUTOFF_DAY), date(2026, 7, 1)),
        (date(2026, 6, cal.ARRANGEMENT_CUTOFF_DAY + 1), date(2026, 8, 1)),
        (date(2026, 12, 31), date(2027, 2, 1)),
        (date(2026, 12, 3), date(2027, 1, 1)),
    ],
)
def test_a_change_applies_from_next_month_or_the_one_after_the_cut_off(requested, applies):
    assert cal.arrangement_takes_effect(requested) == applies
