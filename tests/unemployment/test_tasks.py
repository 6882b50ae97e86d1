"""The unemployment tasks run the sweep and the reminders (Celery runs them in process in tests)."""

import pytest

from ansinh.unemployment import tasks

pytestmark = pytest.mark.django_db


def test_the_tasks_run_the_services_and_are_safe_twice():
    first = tasks.sweep_benefit_months.delay().get()
    assert first == {"missed": 0, "suspended": 0, "terminated": 0, "finished": 0}
    assert tasks.send_window_reminders.delay().get() == 0
    assert tasks.sweep_benefit_months.delay().get() == first
    assert tasks.recount_statistics.delay().get() == 0  # no record yet: no cell
