"""The regular-medicine rules, pure: the card number, the days per dispensing by date, the next request,
and the pick-up window or delivery day."""

from datetime import date, datetime, time

import pytest

from ansinh.welfare import medicine_rules as rules

NOW = datetime(2026, 11, 25, 10, 0)  # a Wednesday


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def problems(**kw):
    base = {"pickup": True, "day": date(2026, 11, 26), "start": time(8), "end": time(10)}
    base.update(kw)
    return rules.schedule_problems(now=NOW, is_working_day=weekdays, **base)


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("dn 479 1234567890", "DN4791234567890"), ("hs-4-01-0123456789", "HS4010123456789"), ("", "")],
)
def test_card_numbers_are_normalised(raw, normalised):
    assert rules.normalise_card_number(raw) == normalised


@pytest.mark.parametrize("number", ["DN4791234567890", "HS4010123456789", "GD40101ABC45678"])
def test_fifteen_characters_starting_with_two_letters_pass(number):
    assert rules.card_number_problem(number) is None


@pytest.mark.parametrize(
    "number", ["", "DN479123456789", "DN47912345678901", "1N4791234567890", "DN47912345678é0"]
)
def test_other_card_numbers_are_refused(number):
    assert rules.card_number_problem(number)


def test_the_usual_form_is_only_a_hint():
    assert rules.is_usual_card_form("DN4791234567890")
    assert not rules.is_usual_card_form("GD40101ABC45678")  # accepted, but flagged to the clinic
    assert not rules.is_usual_card_form("DN9791234567890")  # benefit level 9 does not exist


def test_days_per_dispensing_follow_the_circular_in_force():
    assert rules.max_days_per_dispensing(date(2025, 6, 30)) == 30  # Circular 52/2017
    assert rules.max_days_per_dispensing(date(2025, 7, 1)) == 90  # Circular 26/2025
    assert rules.days_supplied_problem(90, date(2026, 1, 5)) is None
    assert rules.days_supplied_problem(91, date(2026, 1, 5))
    assert rules.days_supplied_problem(31, date(2025, 1, 5))
    assert rules.days_supplied_problem(0, date(2026, 1, 5))
    assert rules.days_supplied_problem(None, date(2026, 1, 5))


def test_the_next_request_opens_a_few_days_before_the_medicine_runs_out():
    assert rules.supply_runs_out(date(2026, 11, 1), 30) == date(2026, 12, 1)
    assert rules.next_request_from(date(2026, 11, 1), 30) == date(2026, 11, 26)
    # A short supply never opens the next request on the day of dispensing itself.
    assert rules.next_request_from(date(2026, 11, 1), 3) == date(2026, 11, 2)
    assert rules.next_request_from(date(2026, 11, 1), None) == date(2026, 11, 1)


def test_a_good_pickup_window_passes():
    assert problems() == {}
    assert problems(start=time(7), end=time(7, 30)) == {}
    assert problems(start=time(13), end=time(17)) == {}


def test_a_pickup_needs_a_window():
    found = problems(start=None, end=None)
    assert set(found) == {"window_start", "window_end"}


def test_a_delivery_needs_only_a_day():
    assert problems(pickup=False, start=None, end=None) == {}
    assert set(problems(pickup=False, day=None, start=None, end=None)) == {"scheduled_on"}
    assert set(problems(pickup=False, start=time(8), end=None)) == {"window_end"}


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"day": None}, "scheduled_on"),
        ({"day": date(2026, 11, 24)}, "scheduled_on"),  # yesterday
        ({"day": date(2026, 11, 28)}, "scheduled_on"),  # a Saturday
        ({"day": date(2027, 3, 1)}, "scheduled_on"),  # too far ahead
        ({"start": time(6, 30), "end": time(8)}, "window_start"),  # before opening
        ({"start": time(15), "end": time(17, 30)}, "window_start"),  # after closing
        ({"start": time(8), "end": time(8, 20)}, "window_end"),  # shorter than 30 minutes
        ({"start": time(8), "end": time(12, 30)}, "window_end"),  # longer than 4 hours
        ({"start": time(10), "end": time(9)}, "window_end"),  # ends before it starts
        ({"day": date(2026, 11, 25), "start": time(8), "end": time(9, 30)}, "window_end"),  # passed today
    ],
)
def test_bad_schedules_name_the_field(kw, field):
    assert field in problems(**kw)


def test_a_window_later_today_passes():
    assert problems(day=date(2026, 11, 25), start=time(9), end=time(11)) == {}
