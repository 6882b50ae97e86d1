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
}
