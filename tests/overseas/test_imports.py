"""The worker-list import (issue 6, item 3): upload, background check, error report, confirmation in one
transaction; through the services on the real database and through HTTP."""

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ansinh.accounts.models import Person
from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.core.models import AuditEntry
from ansinh.overseas import tasks
from ansinh.overseas.errors import ImportStateInvalid, NotLicensed
from ansinh.overseas.models import (
    ContractStatus,
    EnterpriseStatus,
    ImportStatus,
    Worker,
    WorkerCode,
    WorkerEvent,
    WorkerImport,
    WorkerStatus,
)
from ansinh.overseas.services import import_checking, import_saving, import_sheets, imports
from tests.factories import PersonFactory
from tests.overseas.conftest import (
    HEADER_EN,
    HEADER_VI,
    make_contract,
    workbook_bytes,
    worker_row,
    worker_rows,
    xlsx_upload,
)

# Messages of the platform already translated to Vietnamese (the default language).
VI_PERSONAL_ID = "Số định danh cá nhân gồm đúng 12 chữ số."
VI_PASSPORT = "Số hộ chiếu gồm từ 6 đến 12 ký tự chữ và số."
VI_NAME = "Vui lòng nhập họ và tên."
VI_NOT_XLSX = "Đây không phải là tệp Excel (.xlsx)."
VI_SAME_PASSPORT = "Số hộ chiếu này đã có ở dòng 2."


def upload(world, rows=None, *, actor=None, data=None, name="danh-sach.xlsx", contract=None) -> WorkerImport:
    data = data if data is not None else workbook_bytes(rows if rows is not None else worker_rows(5))
    return imports.import_upload(
        actor=actor or world.admin, contract_id=(contract or world.contract).pk, file=xlsx_upload(data, name)
    )


def checked(world, rows=None, **kw) -> WorkerImport:
    imported = upload(world, rows, **kw)
    imports.import_check(imported.pk)
    imported.refresh_from_db()
    return imported


def errors_by_row(imported: WorkerImport) -> dict[int, dict[str, dict]]:
    found: dict[int, dict[str, dict]] = {}
    for error in imported.errors:
        found.setdefault(error["row"], {})[error["field"]] = error
    return found


def file_error(exc: ValidationFailed) -> str:
    return exc.details["fields"]["file"][0]


# --- the whole way ------------------------------------------------------------------------------------------


def test_upload_check_confirm_saves_every_row_in_one_batch(ovl_world, run_on_commit, monkeypatch):
    monkeypatch.setattr(import_checking, "BATCH", 4)  # several batches through every path
    people_before = Person.objects.count()
    imported = upload(ovl_world, worker_rows(10))
    imported.refresh_from_db()
    assert imported.status == ImportStatus.READY
    assert (imported.rows_total, imported.rows_checked, imported.error_count) == (10, 10, 0)
    assert imported.org_path == ovl_world.enterprise.organisation.path
    assert imported.sha256
    assert imported.filename == "danh-sach.xlsx"
    assert imported.file.storage.exists(imports._cache_name(imported))
    assert Worker.objects.count() == 0  # nothing saved before the confirmation

    with CaptureQueriesContext(connection) as queries:
        saved = imports.import_confirm(actor=ovl_world.admin, import_id=imported.pk)

    worker_inserts = [
        q for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "overseas_worker"')
    ]
    assert len(worker_inserts) == 3  # the kept rows read back, and written, in batches of 4
    assert saved.status == ImportStatus.SAVED
    assert saved.saved_count == 10
    assert saved.saved_at
    workers = list(Worker.objects.filter(contract=ovl_world.contract).select_related("person"))
    assert len(workers) == 10
    assert Person.objects.count() == people_before + 10
    codes = dict(WorkerCode.objects.values_list("person_id", "code"))
    first = next(w for w in workers if w.person.personal_id == worker_row(1)[0])
    assert first.worker_code == codes[first.person_id]
    assert len(first.worker_code) == 10
    assert first.passport_number == "C0000001"
    assert first.sex == "M"
    assert first.person.full_name == "Nguyễn Văn Thử 1"
    assert first.person.phone == "+84900000001"
    assert first.person.date_of_birth == date(1995, 2, 2)
    assert first.employer_name == "Samsung Heavy Industries"  # blank: the contract's employer
    assert first.country_id == ovl_world.contract.country_id
    assert first.occupation_id == ovl_world.contract.occupation_id
    assert first.enterprise_id == ovl_world.enterprise.pk
    assert first.org_path == imported.org_path
    assert first.status == WorkerStatus.REGISTERED
    events = WorkerEvent.objects.filter(worker__contract=ovl_world.contract)
    assert events.count() == 10
    assert set(events.values_list("status", "actor_id", "on")) == {
        (WorkerStatus.REGISTERED, ovl_world.admin.pk, timezone.localdate())
    }
    batch_rows = AuditEntry.objects.filter(action="overseas.worker_import")
    assert batch_rows.count() == 1
    assert batch_rows.get().changes == {
        "contract": "HD-2026/KR-01",
        "workers": 10,
        "people_created": 10,
        "people_updated": 0,
        "sha256": imported.sha256,
    }
    assert not AuditEntry.objects.filter(action="overseas.worker_register").exists()
    assert not imported.file.storage.exists(imports._cache_name(imported))  # the kept rows are gone
    assert imported.file.storage.exists(imported.file.name)  # the upload stays, as evidence


def test_a_registered_person_keeps_their_worker_code_and_gets_the_new_passport(ovl_world, run_on_commit):
    row = worker_row(7)
    person = PersonFactory(full_name="NGUYEN VAN THU 7", personal_id=row[0], passport_number="B1111111")
    WorkerCode.objects.create(person=person, code="K7K7K7K7K7")
    imported = upload(ovl_world, [row, worker_row(8)])
    imports.import_confirm(actor=ovl_world.admin, import_id=imported.pk)
    worker = Worker.objects.get(person=person)
    assert worker.worker_code == "K7K7K7K7K7"
    person.refresh_from_db()
    assert person.passport_number == "C0000007"
    assert person.full_name == "NGUYEN VAN THU 7"  # the same person (the name matches without marks)
    assert AuditEntry.objects.get(action="overseas.worker_import").changes["people_created"] == 1


# --- row by row ---------------------------------------------------------------------------------------------


def test_each_wrong_cell_is_reported_with_row_column_value_and_reason_in_vietnamese(ovl_world):
    today = timezone.localdate()
    rows = [
        worker_row(1),  # row 2: fine
        ["12345", "C0000002", "Trần Thị Hai", "02/02/1995", "Nữ", "", ""],  # row 3
        [worker_row(3)[0], "C-1", "Lê Văn Ba", date(1995, 3, 3), "Nam", "", ""],  # row 4
        [worker_row(4)[0], "C0000004", "", date(1995, 4, 4), "Nam", "", ""],  # row 5
        [worker_row(5)[0], "C0000005", "Phạm Văn Năm", "31/02/1995", "Nam", "", ""],  # row 6
        [worker_row(6)[0], "C0000006", "Hoàng Văn Sáu", date(1995, 6, 6), "X", "", ""],  # row 7
        [worker_row(7)[0], "C0000007", "Vũ Văn Bảy", date(1995, 7, 7), "Nam", "12", ""],  # row 8
        [
            f"0012{(today.year - 10) % 100:02d}000008",
            "C0000008",
            "Đỗ Văn Tám",
            date(today.year - 10, 1, 15),
            "Nam",
            "",
            "",
        ],  # row 9: too young
        [worker_row(9)[0], "C0000009", "Ngô Văn Chín", date(1988, 9, 9), "Nam", "", ""],  # row 10: year
        [worker_row(10)[0], "C0000010", "X" * 151, date(1995, 10, 10), "Nam", "", ""],  # row 11
    ]
    imported = checked(ovl_world, rows)
    assert imported.status == ImportStatus.HAS_ERRORS
    assert imported.rows_total == imported.rows_checked == 10
    found = errors_by_row(imported)
    assert 2 not in found
    assert found[3]["personal_id"] == {
        "row": 3,
        "column": "Số định danh cá nhân",
        "field": "personal_id",
        "value": "12345",
        "message": VI_PERSONAL_ID,
    }
    assert found[4]["passport_number"]["message"] == VI_PASSPORT
    assert found[4]["passport_number"]["value"] == "C-1"
    assert found[5]["full_name"]["message"] == VI_NAME
    assert found[6]["date_of_birth"]["value"] == "31/02/1995"
    assert set(found[7]) == {"sex"}
    assert found[7]["sex"]["value"] == "X"
    assert set(found[8]) == {"phone"}
    assert set(found[9]) == {"date_of_birth"}
    assert set(found[10]) == {"date_of_birth"}
    assert set(found[11]) == {"full_name"}
    assert imported.error_count == len(imported.errors) == 9
    assert [e["row"] for e in imported.errors] == sorted(e["row"] for e in imported.errors)
    assert not imported.file.storage.exists(imports._cache_name(imported))
    with pytest.raises(ImportStateInvalid):
        imports.import_confirm(actor=ovl_world.admin, import_id=imported.pk)
    assert Worker.objects.count() == 0


def test_the_same_personal_id_or_passport_twice_in_the_file(ovl_world, monkeypatch):
    monkeypatch.setattr(import_checking, "BATCH", 2)
    again = worker_row(1)
    again[1] = "C7777777"  # same personal ID, another passport
    other_passport = worker_row(3)
    other_passport[1] = worker_row(2)[1]  # another person, the passport of row 3
    broken_twice = ["bad", worker_row(2)[1], "Sai Số", date(1995, 1, 1), "Nam", "", ""]
    imported = checked(ovl_world, [worker_row(1), worker_row(2), again, other_passport, broken_twice])
    found = errors_by_row(imported)
    assert set(found) == {4, 5, 6}
    assert found[4]["personal_id"]["field"] == "personal_id"
    assert "2" in found[4]["personal_id"]["message"]
    assert found[5]["passport_number"]["message"] == "Số hộ chiếu này đã có ở dòng 3."
    # A row with another mistake is still compared (its passport was readable).
    assert set(found[6]) == {"personal_id", "passport_number"}


def test_rows_are_checked_against_the_database(ovl_world, run_on_commit):
    earlier = upload(ovl_world, [worker_row(1), worker_row(2)])
    imports.import_confirm(actor=ovl_world.admin, import_id=earlier.pk)
    PersonFactory(full_name="Bùi Thị Khác", personal_id=worker_row(4)[0])
    passport_taken = worker_row(3)
    passport_taken[1] = worker_row(2)[1]  # a new person with the passport of a worker on the contract
    imported = upload(ovl_world, [worker_row(1), passport_taken, worker_row(4), worker_row(5)])
    imported.refresh_from_db()
    assert imported.status == ImportStatus.HAS_ERRORS
    found = errors_by_row(imported)
    assert set(found) == {2, 3, 4}
    assert set(found[2]) == {"personal_id"}  # already on the contract (its passport is their own)
    assert set(found[3]) == {"passport_number"}
    assert set(found[4]) == {"full_name"}
    # The same people may go on another contract of the enterprise.
    second = make_contract(ovl_world.enterprise, "HD-2026/KR-02", registrar=ovl_world.department)
    other = upload(ovl_world, [worker_row(1), worker_row(2)], contract=second)
    other.refresh_from_db()
    assert other.status == ImportStatus.READY


def test_cells_are_read_as_people_type_them(ovl_world):
    rows = [
        [
            int("123095000001"),
            "c 000 0001",
            "  Trần   Văn  Một ",
            "05/03/1995",
            "nam",
            912345678,
            " Hyundai ",
        ],
        [worker_row(2)[0], "C0000002", "Lê Thị Hai", "5/3/1995", "Female", "+82 10 1234 5678", ""],
        [worker_row(3)[0], "C0000003", "Mai Văn Ba", "1995-03-05", "Male", "", ""],
        [worker_row(4)[0], "C0000004", "Võ Thị Bốn", 34763, "NỮ", "", ""],  # an Excel serial: 05/03/1995
        [int("001095000005"), "C0000005", "Lý Văn Năm", date(1995, 3, 5), "Nam", "", ""],  # lost its zeros
    ]
    imported = checked(ovl_world, rows, data=workbook_bytes(rows, HEADER_EN))
    found = errors_by_row(imported)
    assert set(found) == {6}
    assert found[6]["personal_id"]["column"] == "Personal ID"
    assert found[6]["personal_id"]["value"] == "1095000005"
    assert "12" in found[6]["personal_id"]["message"]


def test_the_header_may_follow_empty_rows_in_any_order_and_the_row_numbers_are_the_sheets(ovl_world):
    def reordered(row):
        return [row[2], row[0], row[1], *row[3:]]

    bad = ["bad", "C0000002", "Lê Văn Hai", date(1995, 1, 1), "Nam", "", ""]
    header = [
        "Họ và tên *",
        "Số định danh cá nhân",
        "Số hộ chiếu (như trong hộ chiếu)",
        *HEADER_VI[3:],
        "Ghi chú",
    ]
    data = workbook_bytes([reordered(worker_row(1)), reordered(bad)], header, before=2)
    imported = checked(ovl_world, data=data)
    assert imported.status == ImportStatus.HAS_ERRORS
    assert [(e["row"], e["field"], e["value"]) for e in imported.errors] == [(5, "personal_id", "bad")]


def test_every_row_is_read_even_when_the_sheet_announces_fewer(ovl_world):
    source = zipfile.ZipFile(io.BytesIO(workbook_bytes(worker_rows(3))))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:G4"/>' in content
                content = content.replace(b'<dimension ref="A1:G4"/>', b'<dimension ref="A1:G2"/>')
            target.writestr(item, content)
    imported = checked(ovl_world, data=buffer.getvalue())
    assert imported.status == ImportStatus.READY
    assert imported.rows_total == 3


def test_progress_is_written_while_checking(ovl_world, monkeypatch):
    monkeypatch.setattr(import_checking, "PROGRESS_EVERY", 3)
    imported = upload(ovl_world, worker_rows(10))
    with CaptureQueriesContext(connection) as queries:
        imports.import_check(imported.pk)
    progress = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("UPDATE") and "rows_checked" in q["sql"]
    ]
    assert len(progress) == 1 + 3 + 1  # the estimate, rows 3, 6 and 9, the end
    imported.refresh_from_db()
    assert (imported.rows_total, imported.rows_checked) == (10, 10)


def test_the_stored_errors_are_capped_and_the_report_says_so(ovl_world, monkeypatch):
    monkeypatch.setattr(import_checking, "MAX_STORED_ERRORS", 3)
    rows = [["bad", "C-1", "", "x", "x", "", ""] for _ in range(4)]
    imported = checked(ovl_world, rows)
    assert imported.error_count == 20
    assert len(imported.errors) == 3
    sheet = openpyxl.load_workbook(
        io.BytesIO(import_sheets.error_report(imported)), read_only=True
    ).worksheets[0]
    values = [r for r in sheet.iter_rows(values_only=True) if any(r)]
    assert len(values) == 1 + 3 + 1
    assert "3" in values[-1][3]
    assert "20" in values[-1][3]


def test_the_error_report_lists_row_column_value_and_reason(ovl_world):
    rows = [[worker_row(1)[0], "C0000001", "Lê Văn Một", "x", "Nam", "", ""]]
    imported = checked(ovl_world, rows)
    data = import_sheets.error_report(imported)
    assert data[:2] == b"PK"
    rows_out = list(openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))
    assert len(rows_out) == 2
    assert rows_out[1][:3] == (2, "Ngày sinh", "x")
    # What came from the file is text in the report, never a formula.
    imported.errors = [{"row": 2, "column": "Họ và tên", "field": "full_name", "value": '=HYPERLINK("x")'}]
    sheet = openpyxl.load_workbook(io.BytesIO(import_sheets.error_report(imported))).worksheets[0]
    cell = sheet["C2"]
    assert cell.value == '=HYPERLINK("x")'
    assert cell.data_type == "s"


# --- files refused at once ----------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (b"%PDF-1.4\n", "danh-sach.xlsx", VI_NOT_XLSX),
        (workbook_bytes(worker_rows(1)), "danh-sach.xls", VI_NOT_XLSX),
        (_zip({"word/document.xml": b"<w/>"}), "danh-sach.xlsx", VI_NOT_XLSX),
        (_zip({"[Content_Types].xml": b"<x", "xl/workbook.xml": b"<broken"}), "danh-sach.xlsx", VI_NOT_XLSX),
        (b"", "danh-sach.xlsx", "Tệp rỗng."),
        (workbook_bytes([], header=None), "danh-sach.xlsx", "Tệp rỗng."),
        (workbook_bytes([]), "danh-sach.xlsx", "Tệp có dòng tiêu đề nhưng không có người lao động nào."),
        (
            workbook_bytes([["x"]], header=["Họ và tên", "Ghi chú"]),
            "danh-sach.xlsx",
            "Còn thiếu: Số định danh",
        ),
        (workbook_bytes([], header=[*HEADER_VI, "Passport"]), "danh-sach.xlsx", "xuất hiện hai lần"),
    ],
)
def test_a_file_that_is_not_a_worker_list_is_refused_at_once(ovl_world, data, name, expected):
    with pytest.raises(ValidationFailed) as caught:
        upload(ovl_world, data=data, name=name)
    assert expected in file_error(caught.value)
    assert not WorkerImport.objects.exists()


def test_a_file_too_big_or_that_unpacks_too_big_is_refused(ovl_world, monkeypatch):
    big = b"PK\x03\x04" + b"\0" * (20 * 1024 * 1024)
    with pytest.raises(ValidationFailed) as caught:
        upload(ovl_world, data=big)
    assert file_error(caught.value) == "Tệp lớn hơn 20 MB."
    monkeypatch.setattr(import_sheets, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(ValidationFailed) as caught:
        upload(ovl_world, worker_rows(3))
    assert VI_NOT_XLSX in file_error(caught.value)


def test_too_many_rows_fail_the_check_naming_the_file(ovl_world, monkeypatch):
    monkeypatch.setattr(import_sheets, "MAX_ROWS", 5)
    imported = checked(ovl_world, worker_rows(6))
    assert imported.status == ImportStatus.FAILED
    assert imported.error_count == 1
    (error,) = imported.errors
    assert error["field"] == "file"
    assert error["row"] is None
    assert "5" in error["message"]


def test_a_stored_file_that_no_longer_reads_fails_the_check(ovl_world):
    imported = upload(ovl_world)
    with imported.file.storage.open(imported.file.name, "wb") as handle:
        handle.write(b"PK\x03\x04 damaged")
    assert imports.import_check(imported.pk) == ImportStatus.FAILED
    imported.refresh_from_db()
    assert imported.errors[0]["field"] == "file"
    assert VI_NOT_XLSX in imported.errors[0]["message"]


def test_the_template_is_a_list_the_import_reads(ovl_world):
    data = import_sheets.import_template()
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Danh sách", "Hướng dẫn"]
    assert [c.value for c in workbook["Danh sách"][1]] == HEADER_VI
    with pytest.raises(ValidationFailed) as caught:
        upload(ovl_world, data=data)
    assert file_error(caught.value) == "Tệp có dòng tiêu đề nhưng không có người lao động nào."


def test_an_organisation_checks_at_most_three_lists_at_a_time(ovl_world):
    for _ in range(3):
        upload(ovl_world)  # the test's transaction never commits: the checks stay queued
    with pytest.raises(ValidationFailed) as caught:
        upload(ovl_world)
    assert "file" in caught.value.details["fields"]
    WorkerImport.objects.update(created_at=timezone.now() - timedelta(hours=2))  # stalled: they do not count
    upload(ovl_world)


# --- who may ------------------------------------------------------------------------------------------------


def test_a_delegated_branch_uploads_and_its_enterprise_confirms(ovl_world, run_on_commit):
    imported = upload(ovl_world, actor=ovl_world.branch_staff)
    assert imported.organisation == ovl_world.branch
    assert imported.org_path == ovl_world.branch.path
    imports.import_confirm(actor=ovl_world.admin, import_id=imported.pk)
    assert set(Worker.objects.values_list("org_path", flat=True)) == {ovl_world.branch.path}


def test_who_may_not_import(ovl_world, run_on_commit):
    with pytest.raises(PermissionDenied):
        upload(ovl_world, actor=ovl_world.plain_branch_staff)
    with pytest.raises(PermissionDenied):
        upload(ovl_world, actor=ovl_world.citizen)
    with pytest.raises(ValidationFailed) as caught:
        upload(ovl_world, actor=ovl_world.other_staff)  # A's contract
    assert "contract" in caught.value.details["fields"]
    imported = upload(ovl_world)
    for outsider in (ovl_world.other_staff, ovl_world.plain_branch_staff, ovl_world.citizen):
        with pytest.raises(NotFound):
            imports.import_confirm(actor=outsider, import_id=imported.pk)
    assert Worker.objects.count() == 0


def test_only_a_registered_contract_of_a_licensed_enterprise(ovl_world):
    submitted = make_contract(
        ovl_world.enterprise, "HD-2026/KR-03", registrar=ovl_world.department, status=ContractStatus.SUBMITTED
    )
    with pytest.raises(ValidationFailed) as caught:
        upload(ovl_world, contract=submitted)
    assert "contract" in caught.value.details["fields"]
    imported = checked(ovl_world)
    ovl_world.enterprise.status = EnterpriseStatus.SUSPENDED
    ovl_world.enterprise.save()
    with pytest.raises(NotLicensed):
        upload(ovl_world)
    with pytest.raises(NotLicensed):  # suspended between the check and the confirmation
        imports.import_confirm(actor=ovl_world.admin, import_id=imported.pk)


# --- the confirmation ---------------------------------------------------------------------------------------


def test_a_list_is_saved_only_when_ready_and_only_once(ovl_world):
    imported = upload(ovl_world)
    with pytest.raises(ImportStateInvalid):  # still being checked
        imports.import_confirm(actor=ovl_world.admin, import_id=imported.pk)
    imports.import_check(imported.pk)
    imports.import_confirm(actor=ovl_world.admin, import_id=imported.pk)
    with pytest.raises(ImportStateInvalid) as caught:
        imports.import_confirm(actor=ovl_world.admin, import_id=imported.pk)
    assert caught.value.code == "overseas.import_state"
    assert Worker.objects.count() == 5


def test_the_confirmation_checks_the_database_again(ovl_world, run_on_commit):
    first = upload(ovl_world, [worker_row(1), worker_row(2), worker_row(3)])
    second = upload(ovl_world, [worker_row(3), worker_row(4)])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == ImportStatus.READY
    imports.import_confirm(actor=ovl_world.admin, import_id=first.pk)
    with pytest.raises(ValidationFailed) as caught:
        imports.import_confirm(actor=ovl_world.admin, import_id=second.pk)
    assert "file" in caught.value.details["fields"]
    second.refresh_from_db()
    assert second.status == ImportStatus.HAS_ERRORS
    assert second.error_count == 1
    assert second.errors[0]["row"] == 2
    assert second.errors[0]["field"] == "personal_id"
    assert second.errors[0]["column"] == "Số định danh cá nhân"
    assert Worker.objects.count() == 3  # nothing of the second list
    assert not Person.objects.filter(personal_id=worker_row(4)[0]).exists()


def test_an_error_half_way_through_the_save_leaves_nothing(ovl_world, run_on_commit, monkeypatch):
    monkeypatch.setattr(import_checking, "BATCH", 3)
    imported = upload(ovl_world, worker_rows(8))
    people, audit_rows = Person.objects.count(), AuditEntry.objects.count()
    real = WorkerEvent.objects.bulk_create
    calls = []

    def fail_on_the_second_batch(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:
            raise RuntimeError("the disk is full")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(WorkerEvent.objects, "bulk_create", fail_on_the_second_batch)
    with pytest.raises(RuntimeError):
        imports.import_confirm(actor=ovl_world.admin, import_id=imported.pk)
    assert calls == [3, 3]
    assert (Worker.objects.count(), WorkerEvent.objects.count(), WorkerCode.objects.count()) == (0, 0, 0)
    assert (Person.objects.count(), AuditEntry.objects.count()) == (people, audit_rows)
    imported.refresh_from_db()
    assert imported.status == ImportStatus.READY
    monkeypatch.setattr(WorkerEvent.objects, "bulk_create", real)
    assert imports.import_confirm(actor=ovl_world.admin, import_id=imported.pk).saved_count == 8


def test_a_unique_index_collision_is_tried_again_then_refused(ovl_world, run_on_commit, monkeypatch):
    from django.db import IntegrityError

    from ansinh.core.errors import Conflict

    real = WorkerCode.objects.bulk_create
    failures = {"left": 1}

    def collide(objs, *args, **kwargs):
        if failures["left"]:
            failures["left"] -= 1
            real(objs, *args, **kwargs)  # some rows written: the savepoint must undo them
            raise IntegrityError("duplicate key value violates unique constraint")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(WorkerCode.objects, "bulk_create", collide)
    first = upload(ovl_world, worker_rows(3))
    assert imports.import_confirm(actor=ovl_world.admin, import_id=first.pk).saved_count == 3
    assert WorkerCode.objects.count() == 3
    failures["left"] = 3
    second = upload(ovl_world, worker_rows(2, start=10))
    with pytest.raises(Conflict):
        imports.import_confirm(actor=ovl_world.admin, import_id=second.pk)
    second.refresh_from_db()
    assert second.status == ImportStatus.READY
    assert Worker.objects.count() == 3


def test_without_the_kept_rows_the_confirmation_reads_the_workbook(ovl_world, run_on_commit):
    missing = upload(ovl_world, worker_rows(3))
    missing.file.storage.delete(imports._cache_name(missing))
    assert imports.import_confirm(actor=ovl_world.admin, import_id=missing.pk).saved_count == 3
    foreign = upload(ovl_world, worker_rows(2, start=10))
    foreign.refresh_from_db()
    storage, name = foreign.file.storage, imports._cache_name(foreign)
    with storage.open(name, "rb") as handle:
        kept = handle.read()
    storage.delete(name)
    import gzip

    lines = gzip.decompress(kept).split(b"\n")
    storage.save(name, io.BytesIO(gzip.compress(b"\n".join([lines[0], lines[1]]))))  # a row is missing
    assert imports.import_confirm(actor=ovl_world.admin, import_id=foreign.pk).saved_count == 2


def test_the_fast_instances_are_the_instances_django_builds(ovl_world):
    now = timezone.now()
    values = (7, "ABCDEFGHJK", "C1234567", 1, 2, 3, 4, "Samsung", "F", "/1/", None, now)
    fast = import_saving._WORKERS([values])[0]
    slow = Worker(
        person_id=7,
        worker_code="ABCDEFGHJK",
        passport_number="C1234567",
        enterprise_id=1,
        contract_id=2,
        country_id=3,
        occupation_id=4,
        employer_name="Samsung",
        sex="F",
        org_path="/1/",
        province_id=None,
        created_at=now,
    )
    attnames = [f.attname for f in Worker._meta.concrete_fields]
    assert [getattr(fast, a) for a in attnames] == [getattr(slow, a) for a in attnames]
    assert fast.status == WorkerStatus.REGISTERED
    assert fast._state.adding
    with pytest.raises(ValueError, match="no field"):
        import_saving._Instances(Worker, ("nickname",))


def test_fresh_worker_codes_are_distinct_and_from_the_alphabet(ovl_world):
    from ansinh.overseas.services import workers

    assert import_saving.CODE_ALPHABET == workers.CODE_ALPHABET  # the same codes as one at a time
    codes = import_saving._new_codes(5_000)
    assert len(set(codes)) == 5_000
    assert all(len(c) == 10 and set(c) <= set(import_saving.CODE_ALPHABET) for c in codes)


# --- the tasks ----------------------------------------------------------------------------------------------


def test_the_check_task_does_nothing_to_a_list_no_longer_being_checked(ovl_world):
    imported = upload(ovl_world)
    assert tasks.check_worker_import(imported.pk) == ImportStatus.READY
    WorkerImport.objects.filter(pk=imported.pk).update(rows_checked=999)
    assert tasks.check_worker_import(imported.pk) == ImportStatus.READY
    imported.refresh_from_db()
    assert imported.rows_checked == 999
    assert tasks.check_worker_import(10**9) == ""


def test_the_upload_enqueues_the_check_after_commit(ovl_world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        imported = upload(ovl_world)
    assert len(callbacks) == 1
    imported.refresh_from_db()
    assert imported.status == ImportStatus.READY


def test_stalled_checks_are_run_again_then_given_up(ovl_world):
    lost = upload(ovl_world)
    hopeless = upload(ovl_world)
    fresh = upload(ovl_world)
    WorkerImport.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=20))
    WorkerImport.objects.filter(pk=hopeless.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert tasks.resume_stalled_imports() == 1
    statuses = dict(WorkerImport.objects.values_list("pk", "status"))
    assert statuses == {lost.pk: ImportStatus.READY, hopeless.pk: ImportStatus.FAILED, fresh.pk: "checking"}
    hopeless.refresh_from_db()
    assert hopeless.errors[0]["field"] == "file"


# --- a process killed half-way ------------------------------------------------------------------------------

KILLED_CONFIRMATION = r"""
import os, sys, time
import ansinh.config.settings as config
config.DATABASES["default"]["NAME"] = os.environ["OVL_TEST_DB"]
import django
django.setup()
from ansinh.accounts.models import User
from ansinh.overseas.models import WorkerEvent
from ansinh.overseas.services import imports

real = WorkerEvent.objects.bulk_create

def stall(objs, *args, **kwargs):
    made = real(objs, *args, **kwargs)
    with open(os.environ["OVL_MARKER"], "w") as marker:
        marker.write(str(len(made)))
    time.sleep(300)
    return made

WorkerEvent.objects.bulk_create = stall
imports.import_confirm(actor=User.objects.get(pk=int(sys.argv[1])), import_id=int(sys.argv[2]))
"""


@pytest.mark.django_db(transaction=True)
def test_a_process_killed_half_way_through_the_save_leaves_the_database_as_before(
    ovl_world, settings, tmp_path
):
    imported = upload(ovl_world, worker_rows(40))  # committed; the check ran after the commit
    imported.refresh_from_db()
    assert imported.status == ImportStatus.READY
    people, audit_rows = Person.objects.count(), AuditEntry.objects.count()
    marker = tmp_path / "written"
    env = {
        **os.environ,
        "OVL_TEST_DB": str(connection.settings_dict["NAME"]),
        "OVL_MARKER": str(marker),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "ansinh.config.settings",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_CONFIRMATION, str(ovl_world.admin.pk), str(imported.pk)],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, "the confirmation ended before it was killed"
            assert time.monotonic() < deadline, "the confirmation never reached the save"
            time.sleep(0.05)
        assert marker.read_text() == "40"  # people, codes, workers and events written, not committed
    finally:
        process.send_signal(signal.SIGKILL)  # no chance to roll back or clean up
        process.wait(timeout=30)
    assert (Worker.objects.count(), WorkerEvent.objects.count(), WorkerCode.objects.count()) == (0, 0, 0)
    assert (Person.objects.count(), AuditEntry.objects.count()) == (people, audit_rows)
    imported.refresh_from_db()
    assert imported.status == ImportStatus.READY
    assert imported.saved_count == 0
    assert imports.import_confirm(actor=ovl_world.admin, import_id=imported.pk).saved_count == 40


# --- through HTTP -------------------------------------------------------------------------------------------


def _post_file(api_client, url, data: bytes, name="danh-sach.xlsx", **form):
    return api_client.client.post(
        url,
        data={**form, "file": SimpleUploadedFile(name, data)},
        headers=api_client._headers(None),
    )


def test_the_api_upload_progress_errors_and_confirmation(ovl_world, api_client, imports_api, run_on_commit):
    api_client.as_user(ovl_world.admin)
    response = _post_file(
        api_client,
        f"{imports_api}/imports",
        workbook_bytes(worker_rows(4)),
        contract_id=ovl_world.contract.pk,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert body["rows_total"] == 4
    assert "errors" not in body
    detail = api_client.get(f"{imports_api}/imports/{body['id']}")
    assert detail.status_code == 200
    assert detail.json()["errors"] == []
    assert detail.json()["status_label"]
    listed = api_client.get(f"{imports_api}/imports?contract_id={ovl_world.contract.pk}")
    assert listed.status_code == 200
    assert [i["id"] for i in listed.json()["items"]] == [body["id"]]
    confirmed = api_client.post(f"{imports_api}/imports/{body['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["status"] == "saved"
    assert confirmed.json()["saved_count"] == 4
    again = api_client.post(f"{imports_api}/imports/{body['id']}/confirm")
    assert again.status_code == 409
    assert again.json()["code"] == "overseas.import_state"


def test_the_api_lists_the_errors_and_serves_the_report(ovl_world, api_client, imports_api, run_on_commit):
    api_client.as_user(ovl_world.admin)
    rows = [["bad", "C0000001", "Lê Văn Một", date(1995, 1, 1), "Nam", "", ""] for _ in range(60)]
    response = _post_file(
        api_client, f"{imports_api}/imports", workbook_bytes(rows), contract_id=ovl_world.contract.pk
    )
    import_id = response.json()["id"]
    detail = api_client.get(f"{imports_api}/imports/{import_id}").json()
    assert detail["status"] == "has_errors"
    assert detail["error_count"] == 60 + 59
    assert len(detail["errors"]) == 50
    assert detail["errors_listed"] == 119
    assert detail["errors"][0] == {
        "row": 2,
        "column": "Số định danh cá nhân",
        "field": "personal_id",
        "value": "bad",
        "message": VI_PERSONAL_ID,
    }
    report = api_client.get(f"{imports_api}/imports/{import_id}/errors.xlsx")
    assert report.status_code == 200
    assert report["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert "attachment" in report["Content-Disposition"]
    rows_out = list(
        openpyxl.load_workbook(io.BytesIO(report.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert len(rows_out) == 1 + 119
    refused = api_client.post(f"{imports_api}/imports/{import_id}/confirm")
    assert refused.status_code == 409
    template = api_client.get(f"{imports_api}/imports/template.xlsx")
    assert template.status_code == 200
    assert template.content[:2] == b"PK"


def test_the_api_refuses_a_bad_file_naming_the_field_in_vietnamese(ovl_world, api_client, imports_api):
    api_client.as_user(ovl_world.admin)
    url = f"{imports_api}/imports"
    response = _post_file(api_client, url, b"%PDF-1.4\n", contract_id=ovl_world.contract.pk)
    assert response.status_code == 422
    assert response.json()["code"] == "validation.invalid"
    assert VI_NOT_XLSX in response.json()["details"]["fields"]["file"][0]
    english = api_client.client.post(
        url,
        data={"contract_id": ovl_world.contract.pk, "file": SimpleUploadedFile("a.xlsx", b"%PDF")},
        headers={**api_client._headers("en")},
    )
    assert english.json()["details"]["fields"]["file"] == [
        "This is not an Excel workbook (.xlsx). Save the file as .xlsx and try again."
    ]
    no_file = api_client.client.post(
        url, data={"contract_id": ovl_world.contract.pk}, headers=api_client._headers(None)
    )
    assert no_file.status_code == 422
    assert "file" in no_file.json()["details"]["fields"]
    no_header = _post_file(
        api_client, url, workbook_bytes([], header=None), contract_id=ovl_world.contract.pk
    )
    assert no_header.json()["details"]["fields"]["file"] == ["Tệp rỗng."]


def test_the_api_fails_a_list_with_too_many_rows(
    ovl_world, api_client, imports_api, run_on_commit, monkeypatch
):
    monkeypatch.setattr(import_sheets, "MAX_ROWS", 3)
    api_client.as_user(ovl_world.admin)
    response = _post_file(
        api_client,
        f"{imports_api}/imports",
        workbook_bytes(worker_rows(4)),
        contract_id=ovl_world.contract.pk,
    )
    assert response.status_code == 201
    assert response.json()["status"] == "failed"
    detail = api_client.get(f"{imports_api}/imports/{response.json()['id']}").json()
    assert detail["errors"][0]["field"] == "file"
    assert "3" in detail["errors"][0]["message"]


def test_the_api_keeps_each_enterprise_to_its_own_lists(ovl_world, api_client, imports_api, run_on_commit):
    imported = upload(ovl_world)
    base = f"{imports_api}/imports/{imported.pk}"
    api_client.as_user(ovl_world.other_staff)
    for response in (
        api_client.get(base),
        api_client.get(f"{base}/errors.xlsx"),
        api_client.post(f"{base}/confirm"),
    ):
        assert response.status_code == 404
    assert api_client.get(f"{imports_api}/imports").json()["count"] == 0
    for user in (ovl_world.plain_branch_staff, ovl_world.citizen):
        api_client.as_user(user)
        assert api_client.get(base).status_code == 403
        assert api_client.post(f"{base}/confirm").status_code == 403
        refused = _post_file(
            api_client,
            f"{imports_api}/imports",
            workbook_bytes(worker_rows(1)),
            contract_id=ovl_world.contract.pk,
        )
        assert refused.status_code == 403
    api_client.as_user(ovl_world.branch_staff)  # a delegated branch sees only its own lists
    assert api_client.get(base).status_code == 404
    api_client.token = None
    assert api_client.get(base).status_code == 401
    assert Worker.objects.count() == 0
