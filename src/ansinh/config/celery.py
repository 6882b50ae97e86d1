"""The Celery application. The broker comes from REDIS_URL (or CELERY_BROKER_URL); without one,
tasks run eagerly in the web process (the embedded default)."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.config.settings")

app = Celery("ansinh")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "verify-audit-chain-nightly": {
        "task": "ansinh.core.tasks.verify_audit_chain",
        "schedule": crontab(hour=2, minute=15),
    },
    "purge-expired-api-tokens-hourly": {
        "task": "ansinh.accounts.tasks.purge_expired_credentials",
        "schedule": crontab(minute=5),
    },
    # Working-hours mornings and noon: officers see the day's warnings when they start and after lunch.
    "dossier-deadline-sweep": {
        "task": "ansinh.dossiers.tasks.sweep_deadlines",
        "schedule": crontab(hour="7,13", minute=0),
    },
    # Partner callbacks whose back-off has passed (a worker's own retries cover most; this catches the rest).
    "partner-callbacks-retry": {"task": "ansinh.dossiers.tasks.retry_due_callbacks", "schedule": 60.0},
    # Receipts and decisions whose rendering task was lost.
    "dossier-missing-documents": {"task": "ansinh.dossiers.tasks.issue_missing_documents", "schedule": 600.0},
    # Notifications whose delivery task was lost (broker down when they were written).
    "notify-resend-stale": {"task": "ansinh.notify.tasks.resend_stale_deliveries", "schedule": 300.0},
    # SOS not acknowledged within the limit (5 minutes): the supervisors are told within half a minute more.
    "sos-overdue-sweep": {"task": "ansinh.sos.tasks.sweep_overdue_requests", "schedule": 30.0},
    # Worker lists whose check was lost (broker down, worker killed): checked again, or failed after an hour.
    "overseas-imports-resume": {"task": "ansinh.overseas.tasks.resume_stalled_imports", "schedule": 300.0},
    # At night: uploaded worker lists past OVERSEAS_IMPORT_KEEP_DAYS lose their personal data.
    "overseas-imports-purge": {
        "task": "ansinh.overseas.tasks.purge_old_imports",
        "schedule": crontab(hour=2, minute=15),
    },
    # Just after midnight: windows that closed yesterday without a notification suspend their claims
    # (Decree 374 Art 17: within 2 working days); benefits whose last month ended are finished.
    "unemployment-months-sweep": {
        "task": "ansinh.unemployment.tasks.sweep_benefit_months",
        "schedule": crontab(hour=0, minute=30),
    },
    # Morning reminders: 3 working days before a notification window, and on its first day.
    # The statistics pages read a count of the whole country: counted again before it is 5 minutes old.
    "unemployment-statistics-recount": {
        "task": "ansinh.unemployment.tasks.recount_statistics",
        "schedule": 240.0,
    },
    "unemployment-window-reminders": {
        "task": "ansinh.unemployment.tasks.send_window_reminders",
        "schedule": crontab(hour=7, minute=30),
    },
    # Just after midnight: vacancies whose deadline passed yesterday are closed as expired.
    "jobs-vacancies-expire": {
        "task": "ansinh.jobs.tasks.expire_vacancies",
        "schedule": crontab(hour=0, minute=10),
    },
    # Early morning, once a day: saved searches get the vacancies published since their last alert.
    "jobs-saved-search-alerts": {
        "task": "ansinh.jobs.tasks.send_saved_search_alerts",
        "schedule": crontab(hour=6, minute=0),
    },
    # Every quarter hour: interviews starting within a day are reminded once.
    "jobs-interview-reminders": {"task": "ansinh.jobs.tasks.send_interview_reminders", "schedule": 900.0},
}
