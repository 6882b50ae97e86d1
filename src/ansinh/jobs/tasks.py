"""The job exchange's background work: thin, idempotent, each calling one service."""

from celery import shared_task
from django.utils import timezone


@shared_task
def expire_vacancies() -> int:
    """Vacancies whose deadline has passed are closed as expired."""
    from ansinh.jobs.services.vacancies import vacancies_expire

    return vacancies_expire(today=timezone.localdate())


@shared_task
def send_saved_search_alerts() -> int:
    """Each saved search with alerts on gets the vacancies published since its last alert."""
    from ansinh.jobs.services.saved_searches import alerts_send

    return alerts_send()


@shared_task
def send_interview_reminders() -> int:
    """Seekers with an interview slot in the next day are reminded once."""
    from ansinh.jobs.services.bookings import reminders_send

    return reminders_send(now=timezone.now())
