"""Background work of the overseas-labour database. Tasks take ids and are safe to run twice."""

from celery import shared_task

from ansinh.overseas.services import import_purge, import_signing, imports


@shared_task(name="ansinh.overseas.tasks.check_worker_import")
def check_worker_import(import_id: int) -> str:
    """Checks an uploaded worker list; a list no longer being checked is left as it is. Returns its status."""
    return imports.import_check(import_id)


@shared_task(name="ansinh.overseas.tasks.resume_stalled_imports")
def resume_stalled_imports() -> int:
    """Lists whose check was lost (the worker died) are checked again, after an hour they fail; saved lists
    whose signing was lost are signed."""
    stalled = imports.imports_stalled_sweep()
    for import_id in stalled:
        check_worker_import.delay(import_id)
    unsigned = import_signing.unsigned_lists()
    for import_id in unsigned:
        sign_worker_list.delay(import_id)
    return len(stalled) + len(unsigned)


@shared_task(name="ansinh.overseas.tasks.sign_worker_list")
def sign_worker_list(import_id: int) -> bool:
    """Signs a saved worker list with its organisation's certificate (once)."""
    return import_signing.worker_list_sign(import_id)


@shared_task(name="ansinh.overseas.tasks.purge_old_imports")
def purge_old_imports() -> int:
    """Uploaded worker lists past their keeping time lose their personal data (`services.import_purge`)."""
    return import_purge.imports_purge()
