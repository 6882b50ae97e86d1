"""Working days: the pure calendar (Decree 374/2025 Art 45.3 counting) and the DB-backed one.

Vietnam's 2026 days off used below (from the `holidays` package, checked against the 2026 announcements):
Thu 1/1; Tết Mon 16/2 - Fri 20/2; Hùng Kings' day Sun 26/4, observed Mon 27/4; Thu 30/4 and Fri 1/5;
National Day Tue 1/9 and Wed 2/9, with Mon 31/8 given off in exchange for working Sat 22/8; Vietnam Culture
Day Tue 24/11.
"""

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core import workdays
from ansinh.core.calendar import WorkingCalendar
from ansinh.core.reference_models import WorkingDayOverride

_OFFICIAL = holidays.country_holidays("VN", years=range(2024, 2029))
VN = WorkingCalendar(_OFFICIAL, working_days=_OFFICIAL.weekend_workdays)

DATES = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))


def _brute_count(calendar: WorkingCalendar, start: date, end: date) -> int:
    day, count = calendar.effective_start(start), 0
    while day < end:
        day += timedelta(days=1)
        count += calendar.is_working_day(day)
    return count


# --- the plain rules ---------------------------------------------------------------------------------------


def test_weekends_are_off_and_weekdays_work_without_holidays():
    plain = WorkingCalendar()
    assert plain.is_working_day(date(2026, 3, 6))  # Friday
    assert not plain.is_working_day(date(2026, 3, 7))  # Saturday
    assert not plain.is_working_day(date(2026, 3, 8))  # Sunday
    assert plain.next_working_day(date(2026, 3, 6)) == date(2026, 3, 9)


def test_overrides_win():
    saturday, friday = date(2026, 3, 7), date(2026, 3, 6)
    swapped = WorkingCalendar([friday], working_days=[saturday])
    assert swapped.is_working_day(saturday)
    assert not swapped.is_working_day(friday)
    # A day made working beats a holiday on the same day.
    assert WorkingCalendar([friday], working_days=[friday]).is_working_day(friday)
    assert not WorkingCalendar(days_off=[friday]).is_working_day(friday)


def test_first_day_is_not_counted():
    assert VN.add_working_days(date(2026, 3, 2), 1) == date(2026, 3, 3)  # Mon -> Tue
    assert VN.count_working_days(date(2026, 3, 2), date(2026, 3, 3)) == 1
    assert VN.count_working_days(date(2026, 3, 2), date(2026, 3, 2)) == 0


def test_weekend_start_rolls_to_next_working_day_which_is_then_the_uncounted_day():
    """Dossier complete on Sat 3/1/2026: deemed Mon 5/1 (uncounted), so working day 1 is Tue 6/1."""
    assert VN.effective_start(date(2026, 1, 3)) == date(2026, 1, 5)
    assert VN.add_working_days(date(2026, 1, 3), 1) == date(2026, 1, 6)
    assert VN.add_working_days(date(2026, 1, 3), 0) == date(2026, 1, 5)
    assert VN.count_working_days(date(2026, 1, 3), date(2026, 1, 5)) == 0


def test_holiday_start_rolls_too():
    """New Year's Day (Thu 1/1/2026) rolls to Fri 2/1; working day 1 is Mon 5/1."""
    assert VN.add_working_days(date(2026, 1, 1), 1) == date(2026, 1, 5)


def test_negative_n_is_refused():
    with pytest.raises(ValueError):
        VN.add_working_days(date(2026, 1, 5), -1)


def test_end_before_start_counts_zero():
    assert VN.count_working_days(date(2026, 3, 10), date(2026, 3, 2)) == 0


# --- real 2026 deadlines (15 working days: the decision deadline of Decree 374 Art 16.1) -----------------


def test_fifteen_working_days_across_tet_2026():
    """From Fri 6/2: 9-13/2 are days 1-5, Tết 16-20/2 is off, 23-27/2 are 6-10, 2-6/3 are 11-15."""
    assert VN.add_working_days(date(2026, 2, 6), 15) == date(2026, 3, 6)
    assert VN.count_working_days(date(2026, 2, 6), date(2026, 3, 6)) == 15


def test_fifteen_working_days_across_30_april_and_1_may_2026():
    """From Mon 20/4: 21-24/4 are days 1-4, Mon 27/4 is the observed Hùng Kings' day, 28-29/4 are 5-6,
    Thu 30/4 and Fri 1/5 are off, 4-8/5 are 7-11, 11-14/5 are 12-15."""
    assert VN.add_working_days(date(2026, 4, 20), 15) == date(2026, 5, 14)


def test_fifteen_working_days_across_national_day_2026():
    """From Thu 20/8: Fri 21/8 is day 1, Sat 22/8 is worked (swap) and is day 2, 24-28/8 are 3-7,
    31/8 (swapped), 1/9 and 2/9 are off, 3-4/9 are 8-9, 7-11/9 are 10-14, Mon 14/9 is day 15."""
    assert VN.is_working_day(date(2026, 8, 22))
    assert not VN.is_working_day(date(2026, 8, 31))
    assert VN.add_working_days(date(2026, 8, 20), 15) == date(2026, 9, 14)


def test_vietnam_culture_day_2026_is_off():
    assert not VN.is_working_day(date(2026, 11, 24))


# --- properties --------------------------------------------------------------------------------------------


@given(DATES, st.integers(min_value=0, max_value=80))
def test_add_then_count_round_trips(start, n):
    result = VN.add_working_days(start, n)
    assert VN.is_working_day(result)
    assert VN.count_working_days(start, result) == n
    if n > 0:
        assert result > start
        assert VN.count_working_days(start, result - timedelta(days=1)) == n - 1


@given(DATES, DATES)
def test_fast_count_matches_day_by_day_count(start, end):
    assert VN.count_working_days(start, end) == _brute_count(VN, start, end)


@given(
    DATES,
    st.integers(min_value=0, max_value=40),
    st.sets(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 6, 30)), max_size=15),
    st.sets(st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 6, 30)), max_size=15),
)
def test_round_trip_with_random_overrides(start, n, off, working):
    calendar = WorkingCalendar(off, working_days=working)
    result = calendar.add_working_days(start, n)
    assert calendar.is_working_day(result)
    assert calendar.count_working_days(start, result) == n
    assert calendar.count_working_days(start, result) == _brute_count(calendar, start, result)


# --- the DB-backed calendar (holidays package + WorkingDayOverride rows) ---------------------------------


@pytest.fixture
def fresh_cache():
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_cache")
def test_db_calendar_uses_package_holidays_and_swaps():
    assert workdays.add_working_days(date(2026, 2, 6), 15) == date(2026, 3, 6)
    assert workdays.add_working_days(date(2026, 8, 20), 15) == date(2026, 9, 14)
    assert workdays.count_working_days(date(2026, 4, 20), date(2026, 5, 14)) == 15
    assert workdays.is_working_day(date(2026, 8, 22))
    assert workdays.next_working_day(date(2026, 4, 29)) == date(2026, 5, 4)


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_cache")
def test_db_override_is_seen_at_once_and_wins_over_the_package():
    friday = date(2026, 3, 6)
    assert workdays.is_working_day(friday)
    override = WorkingDayOverride.objects.create(date=friday, is_working_day=False, reason="test day off")
    assert not workdays.is_working_day(friday)
    assert workdays.add_working_days(date(2026, 3, 5), 1) == date(2026, 3, 9)

    # Editing the row in place (same count, same id) is seen too.
    override.is_working_day = True
    override.save()
    assert workdays.is_working_day(friday)

    # The package's worked Saturday can be taken back by data entry.
    WorkingDayOverride.objects.create(date=date(2026, 8, 22), is_working_day=False, reason="cancelled swap")
    assert not workdays.is_working_day(date(2026, 8, 22))


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_cache")
def test_db_calendar_reaches_across_years():
    # 300 working days from mid-2026 land in 2027, beyond the first calendar built.
    result = workdays.add_working_days(date(2026, 6, 1), 300)
    assert result.year == 2027
    assert workdays.count_working_days(date(2026, 6, 1), result) == 300
    assert workdays.is_working_day(result)


@pytest.mark.django_db
@pytest.mark.usefixtures("fresh_cache")
def test_db_calendar_is_cached_between_calls(django_assert_num_queries):
    workdays.is_working_day(date(2026, 3, 6))
    with django_assert_num_queries(1):  # the override signature only
        workdays.add_working_days(date(2026, 3, 6), 10)
