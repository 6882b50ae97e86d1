"""Background work of the unemployment service. Safe to run twice: each month is marked once."""

from celery import shared_task
from django.utils import timezone

from ansinh.unemployment import statistics
from ansinh.unemployment.services import months


@shared_task(name="ansinh.unemployment.tasks.sweep_benefit_months")
def sweep_benefit_months() -> dict[str, int]:
    return months.sweep_benefit_months()


@shared_task(name="ansinh.unemployment.tasks.send_window_reminders")
def send_window_reminders() -> int:
    return months.send_window_reminders()


@shared_task(name="ansinh.unemployment.tasks.recount_statistics")
def recount_statistics() -> int:
    """The whole country's count of the current year, made again before the pages find it old."""
    counted = statistics.recount(timezone.localdate().year)
    return len(counted.cells)
