"""Uploaded worker lists lose their personal data after the keeping time (OVERSEAS_IMPORT_KEEP_DAYS); the
record of the upload stays."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.core.models import AuditEntry
from ansinh.overseas import tasks
from ansinh.overseas.models import ImportStatus, WorkerImport
from ansinh.overseas.services import import_purge, imports
from tests.overseas.conftest import workbook_bytes, worker_row, worker_rows, xlsx_upload

pytestmark = pytest.mark.django_db


def _checked(world, rows) -> WorkerImport:
    imported = imports.import_upload(
        actor=world.admin, contract_id=world.contract.pk, file=xlsx_upload(workbook_bytes(rows))
    )
    imports.import_check(imported.pk)
    imported.refresh_from_db()
    return imported


def _age(imported: WorkerImport, days: int) -> None:
    past = timezone.now() - timedelta(days=days)
    WorkerImport.objects.filter(pk=imported.pk).update(created_at=past, checked_at=past)


def test_old_lists_lose_their_file_rows_and_cell_values_but_keep_the_record(
    ovl_world, settings, django_capture_on_commit_callbacks
):
    settings.OVERSEAS_IMPORT_KEEP_DAYS = 30
    with_errors = _checked(ovl_world, [*worker_rows(2), ["123", "C0000009", "A", "", "Nam", "", ""]])
    ready = _checked(ovl_world, worker_rows(3, start=20))
    recent = _checked(ovl_world, [worker_row(40)])
    stored = {i.pk: i.file.name for i in (with_errors, ready)}
    storage = WorkerImport._meta.get_field("file").storage
    assert storage.exists(f"{stored[ready.pk]}.checked.jsonl.gz")  # the rows kept for the confirmation
    _age(with_errors, 31)
    _age(ready, 45)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.purge_old_imports() == 2

    with_errors.refresh_from_db()
    assert with_errors.file.name == ""
    assert with_errors.errors == []
    assert (with_errors.status, with_errors.error_count, with_errors.rows_total) == (
        ImportStatus.HAS_ERRORS,
        2,  # the ID and the missing date of birth
        3,
    )
    assert with_errors.sha256  # what was uploaded stays known by its hash
    ready.refresh_from_db()
    assert ready.status == ImportStatus.FAILED  # never confirmed: closed, with the reason in Vietnamese
    assert "không được xác nhận trong 30 ngày" in ready.errors[0]["message"]
    for name in stored.values():
        assert not storage.exists(name)
        assert not storage.exists(f"{name}.checked.jsonl.gz")
    recent.refresh_from_db()
    assert recent.file.name
    assert storage.exists(recent.file.name)
    assert AuditEntry.objects.filter(action="overseas.worker_import_purge").count() == 2
    # Run again: nothing left to purge.
    assert import_purge.imports_purge() == 0


def test_a_list_being_checked_is_never_purged(ovl_world, settings):
    settings.OVERSEAS_IMPORT_KEEP_DAYS = 1
    imported = imports.import_upload(
        actor=ovl_world.admin,
        contract_id=ovl_world.contract.pk,
        file=xlsx_upload(workbook_bytes([worker_row(1)])),
    )
    WorkerImport.objects.filter(pk=imported.pk).update(created_at=timezone.now() - timedelta(days=5))
    assert import_purge.imports_purge() == 0
    assert import_purge.import_purge(imported.pk) is False
    imported.refresh_from_db()
    assert imported.file.name
