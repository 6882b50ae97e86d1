"""A saved worker list is signed with the certificate of the organisation that uploaded it (seed 002: the
enterprise signs the worker lists it submits); the signature verifies and names the signer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.core import signing
from ansinh.overseas import tasks
from ansinh.overseas.models import WorkerImport
from ansinh.overseas.services import import_signing, imports
from tests.overseas.conftest import workbook_bytes, worker_rows, xlsx_upload
from tests.overseas.test_import_pages import sign_in

pytestmark = pytest.mark.django_db


def _saved(world, actor) -> WorkerImport:
    imported = imports.import_upload(
        actor=actor, contract_id=world.contract.pk, file=xlsx_upload(workbook_bytes(worker_rows(3)))
    )
    imports.import_check(imported.pk)
    return imports.import_confirm(actor=actor, import_id=imported.pk)


def test_the_saved_list_is_signed_by_the_branch_that_uploaded_it(ovl_world, run_on_commit):
    imported = _saved(ovl_world, ovl_world.branch_staff)
    imported.refresh_from_db()
    assert imported.signed_by == ovl_world.branch.name
    with imported.signed_file.open("rb") as signed:
        content = signed.read()
    report = signing.verify_pdf(content)
    assert report.valid
    assert report.signer == ovl_world.branch.name
    # Once only.
    assert import_signing.worker_list_sign(imported.pk) is False


def test_a_lost_signing_is_done_by_the_sweep(ovl_world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the check and the signing tasks are lost
        imported = imports.import_upload(
            actor=ovl_world.admin,
            contract_id=ovl_world.contract.pk,
            file=xlsx_upload(workbook_bytes(worker_rows(2))),
        )
    imports.import_check(imported.pk)
    with django_capture_on_commit_callbacks(execute=False):
        imports.import_confirm(actor=ovl_world.admin, import_id=imported.pk)
    imported.refresh_from_db()
    assert imported.signed_at is None
    assert import_signing.unsigned_lists() == []  # not yet: its task may still run
    WorkerImport.objects.filter(pk=imported.pk).update(saved_at=timezone.now() - timedelta(minutes=11))
    assert tasks.resume_stalled_imports() == 1
    imported.refresh_from_db()
    assert imported.signed_by == ovl_world.enterprise.organisation.name


def test_the_page_shows_the_signature_and_gives_the_signed_list(client, ovl_world, run_on_commit):
    imported = _saved(ovl_world, ovl_world.admin)
    sign_in(client, ovl_world.admin)
    page = client.get(f"/overseas/enterprise/imports/{imported.pk}/").content.decode()
    assert 'data-signed="yes"' in page
    signed = client.get(f"/overseas/enterprise/imports/{imported.pk}/signed.pdf")
    assert signed.status_code == 200
    assert signing.verify_pdf(signed.content).valid
    client.logout()
    sign_in(client, ovl_world.other_staff)
    assert client.get(f"/overseas/enterprise/imports/{imported.pk}/signed.pdf").status_code == 404
