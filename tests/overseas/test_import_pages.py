"""The worker-list import in the enterprise's portal (issue 6): upload, a progress bar while the check runs,
the errors shown and downloadable, the confirmation; through HTTP on the real database."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.overseas.models import ImportStatus, Worker, WorkerImport
from tests.overseas.conftest import workbook_bytes, worker_row, worker_rows

pytestmark = pytest.mark.django_db

PAGE = "/overseas/enterprise/imports/"


def sign_in(client, user):
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()


def post_list(client, contract, rows, name="danh-sach.xlsx"):
    upload = SimpleUploadedFile(name, workbook_bytes(rows))
    return client.post(PAGE, {"contract": contract.pk, "file": upload})


def test_a_list_with_errors_then_a_clean_one_is_saved(client, ovl_world, run_on_commit):
    sign_in(client, ovl_world.branch_staff)
    page = client.get(PAGE)
    assert page.status_code == 200
    assert page.context["form"].fields["contract"].choices[1:] == [
        (ovl_world.contract.pk, ovl_world.contract.number)
    ]
    template = client.get(f"{PAGE}template.xlsx")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")

    bad_rows = [*worker_rows(2), ["123", "C0000009", "", "", "Nam", "", ""]]
    sent = post_list(client, ovl_world.contract, bad_rows)
    imported = WorkerImport.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == f"{PAGE}{imported.pk}/"
    shown = client.get(sent["Location"])
    assert shown.context["imported"].status == ImportStatus.HAS_ERRORS
    body = shown.content.decode()
    assert "Số định danh cá nhân gồm đúng 12 chữ số." in body
    assert 'http-equiv="refresh"' not in body  # the check is over: the page stops refreshing
    report = client.get(f"{PAGE}{imported.pk}/errors.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(report.content)).active
    assert any(row[0] == 4 for row in sheet.iter_rows(min_row=2, values_only=True))  # the sheet's row 4
    # A list with errors cannot be confirmed; nothing saved.
    refused = client.post(f"{PAGE}{imported.pk}/confirm/", follow=True)
    assert refused.context["messages"]
    assert not Worker.objects.exists()

    post_list(client, ovl_world.contract, worker_rows(3), name="danh-sach-sua.xlsx")
    clean = WorkerImport.objects.get(filename="danh-sach-sua.xlsx")
    ready = client.get(f"{PAGE}{clean.pk}/")
    assert ready.context["imported"].status == ImportStatus.READY
    assert 'id="confirm-form"' in ready.content.decode()
    saved = client.post(f"{PAGE}{clean.pk}/confirm/", follow=True)
    assert saved.context["imported"].status == ImportStatus.SAVED
    assert Worker.objects.filter(contract=ovl_world.contract, org_path=ovl_world.branch.path).count() == 3
    listed = client.get(PAGE).content.decode()
    assert "danh-sach.xlsx" in listed
    assert "danh-sach-sua.xlsx" in listed


def test_the_page_refreshes_itself_while_the_list_is_checked(client, ovl_world):
    sign_in(client, ovl_world.admin)
    post_list(client, ovl_world.contract, worker_rows(2))  # no run_on_commit: the check has not run
    imported = WorkerImport.objects.get()
    WorkerImport.objects.filter(pk=imported.pk).update(rows_total=4_000, rows_checked=1_000)
    page = client.get(f"{PAGE}{imported.pk}/")
    body = page.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in body
    assert 'value="25"' in body  # the progress bar


def test_a_missing_file_or_contract_is_named_and_nothing_is_stored(client, ovl_world):
    sign_in(client, ovl_world.admin)
    no_file = client.post(PAGE, {"contract": ovl_world.contract.pk})
    assert no_file.status_code == 200
    assert no_file.context["form"].errors["file"] == ["Vui lòng chọn tệp Excel danh sách người lao động."]
    no_contract = client.post(PAGE, {"file": SimpleUploadedFile("a.xlsx", workbook_bytes([worker_row(1)]))})
    assert no_contract.context["form"].errors["contract"]
    # Another enterprise's contract is not a choice.
    other = post_list(client, ovl_world.other_contract, worker_rows(1))
    assert other.context["form"].errors["contract"]
    assert not WorkerImport.objects.exists()


def test_who_may_use_the_import_pages(client, ovl_world, run_on_commit):
    sign_in(client, ovl_world.admin)
    post_list(client, ovl_world.contract, worker_rows(1))
    imported = WorkerImport.objects.get()
    # A branch without worker registration and a citizen are refused the pages; another enterprise has its
    # own page, and none of them sees or confirms A's list.
    for user, status in (
        (ovl_world.plain_branch_staff, 403),
        (ovl_world.other_staff, 200),
        (ovl_world.citizen, 403),
    ):
        client.logout()
        sign_in(client, user)
        own_page = client.get(PAGE)
        assert own_page.status_code == status
        assert "danh-sach.xlsx" not in own_page.content.decode()
        assert client.get(f"{PAGE}{imported.pk}/").status_code in (403, 404)
        assert client.get(f"{PAGE}{imported.pk}/errors.xlsx").status_code in (403, 404)
        assert client.post(f"{PAGE}{imported.pk}/confirm/").status_code in (403, 404)
    imported.refresh_from_db()
    assert imported.status == ImportStatus.READY
    assert not Worker.objects.exists()
    client.logout()
    assert client.get(PAGE).status_code == 302  # to the sign-in page
