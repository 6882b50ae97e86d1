"""Background work of the overseas-labour database. Tasks take ids and are safe to run twice."""

from celery import shared_task

from ansinh.overseas.services import imports


@shared_task(name="ansinh.overseas.tasks.check_worker_import")
def check_worker_import(import_id: int) -> str:
    """Checks an uploaded worker list; a list no longer being checked is left as it is. Returns its status."""
    return imports.import_check(import_id)


@shared_task(name="ansinh.overseas.tasks.resume_stalled_imports")
def resume_stalled_imports() -> int:
    """Lists whose check was lost (the worker died) are checked again; after an hour they fail."""
    stalled = imports.imports_stalled_sweep()
    for import_id in stalled:
        check_worker_import.delay(import_id)
    return len(stalled)
