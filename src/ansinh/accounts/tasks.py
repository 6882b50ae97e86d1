from celery import shared_task

from ansinh.accounts import services


@shared_task(name="ansinh.accounts.tasks.purge_expired_credentials")
def purge_expired_credentials() -> int:
    return services.credentials_purge_expired()
