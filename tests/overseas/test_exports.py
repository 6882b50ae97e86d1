"""The worker-list export (issue 6: "export of lists to Excel, streamed"; every export of personal data logged
with its purpose, nobody copying beyond their scope): the workbook, the purpose, the filters, the audit entry,
the pages and the API, on the real database."""

import io
import json
import zipfile
from datetime import date
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.utils import translation

from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.core.models import AuditEntry
from ansinh.geo.models import Province
from ansinh.overseas import worker_exports
from ansinh.overseas.models import Worker, WorkerStatus
from ansinh.overseas.services import contracts, enterprises, signatures, workers
from ansinh.overseas.worker_exports import ExportFilters, workers_export
from tests.api_client import ApiClient
from tests.factories import make_staff
from tests.overseas.world import OverseasWorld, build_world, contract_terms, registered_contract

pytestmark = pytest.mark.django_db

ENTERPRISE_PAGE = "/overseas/enterprise/workers/export/"
STAFF_PAGE = "/staff/overseas/workers/export/"
API = "/api/v1/overseas/workers/export"
ACTION = "overseas.workers_export"
HEADINGS = [
    "Mã số người lao động",
    "Họ và tên",
    "Số định danh cá nhân",
    "Ngày sinh",
    "Giới tính",
    "Số hộ chiếu",
    "Số hợp đồng",
    "Chủ sử dụng lao động",
    "Quốc gia",
    "Ngành, nghề",
    "Ngày xuất cảnh",
    "Ngày về nước",
    "Trạng thái",
    "Tỉnh, thành phố quê quán",
]


def vi(msgid: str) -> str:
    """A message as the Vietnamese pages and files show it."""
    with translation.override("vi"):
        return translation.gettext(msgid)


def _person(personal_id: str, passport: str, name: str, born: date, sex: str) -> dict[str, Any]:
    return {
        "personal_id": personal_id,
        "passport_number": passport,
        "full_name": name,
        "date_of_birth": born,
        "sex": sex,
    }


class Exports:
    """The world, and the workers the exports are about: from Nghệ An (40) and Hà Tĩnh (42)."""

    def __init__(self, world: OverseasWorld):
        self.world = world
        self.contract_a = registered_contract(world)
        submitted = contracts.contract_submit(actor=world.admin_b, **contract_terms(number="HD-B-001"))
        signatures.contract_sign(actor=world.admin_b, contract_id=submitted.pk)
        self.contract_b = contracts.contract_decide(
            actor=world.dolab_officer, contract_id=submitted.pk, approve=True
        )
        self.a_nghe_an = workers.worker_register(
            actor=world.admin_a,
            contract_id=self.contract_a.pk,
            **_person("040095001234", "C1234567", "Lê Thị Hoa", date(1995, 3, 14), "F"),
        )
        self.a_ha_tinh = workers.worker_register(
            actor=world.admin_a,
            contract_id=self.contract_a.pk,
            **_person("042090005678", "C2345678", "Phan Văn Lực", date(1990, 5, 1), "M"),
        )
        self.by_branch = workers.worker_register(
            actor=world.branch_staff,
            contract_id=self.contract_a.pk,
            **_person("042092007777", "C3456789", "Nguyễn Văn Nam", date(1992, 7, 9), "M"),
        )
        self.b_nghe_an = workers.worker_register(
            actor=world.admin_b,
            contract_id=self.contract_b.pk,
            **_person("040093009999", "C4567890", "Trần Thị Mai", date(1993, 9, 20), "F"),
        )
        workers.worker_step(
            actor=world.admin_a, worker_id=self.a_nghe_an.pk, status="departed", on=date(2026, 11, 20)
        )
        self.a_nghe_an.refresh_from_db()


@pytest.fixture
def ex(db) -> Exports:
    return Exports(build_world())


def read_book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def body_of(response) -> bytes:
    """The streamed file (the test client closes the response, and the file, once it is read)."""
    return b"".join(response.streaming_content)


def exported(actor: Any, purpose: str = "contract_management", **filters: Any) -> tuple[list[str], Any]:
    export = workers_export(actor=actor, purpose=purpose, filters=ExportFilters(**filters))
    with export.file:
        data = export.file.read()
    book = read_book(data)
    sheet = book.worksheets[0]
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    return codes, book


def codes(*found: Worker) -> set[str]:
    return {w.worker_code for w in found}


def export_entries() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=ACTION).order_by("seq"))


# --- who sees which workers --------------------------------------------------------------------------------


def test_the_enterprise_exports_its_own_and_its_branches_workers_never_another_enterprises(ex):
    listed, _book = exported(ex.world.admin_a)
    assert set(listed) == codes(ex.a_nghe_an, ex.a_ha_tinh, ex.by_branch)
    listed, _book = exported(ex.world.admin_b)
    assert set(listed) == codes(ex.b_nghe_an)


def test_a_branch_exports_only_what_it_registered(ex):
    listed, _book = exported(ex.world.branch_staff)
    assert listed == [ex.by_branch.worker_code]


def test_a_branch_without_the_delegated_reading_is_refused_and_nothing_is_logged(ex):
    branch = enterprises.branch_create(
        actor=ex.world.admin_a, name="Chi nhánh Nghệ An", province="40", functions=["worker_registration"]
    )
    with pytest.raises(PermissionDenied):
        workers_export(actor=make_staff("branch_staff", branch), purpose="inspection")
    assert export_entries() == []


def test_a_province_exports_the_workers_from_the_province_whoever_sent_them(ex):
    listed, _book = exported(ex.world.provincial_officer)  # Nghệ An
    assert set(listed) == codes(ex.a_nghe_an, ex.b_nghe_an)
    listed, _book = exported(ex.world.other_provincial_officer)  # Hà Tĩnh
    assert set(listed) == codes(ex.a_ha_tinh, ex.by_branch)


def test_the_department_exports_the_whole_country(ex):
    listed, _book = exported(ex.world.dolab_officer, purpose="authority_report")
    assert set(listed) == codes(ex.a_nghe_an, ex.a_ha_tinh, ex.by_branch, ex.b_nghe_an)


def test_a_citizen_is_refused(ex):
    with pytest.raises(PermissionDenied):
        workers_export(actor=ex.world.citizen, purpose="inspection")
    assert export_entries() == []


# --- the workbook ------------------------------------------------------------------------------------------


def test_the_workbook_has_vietnamese_headings_text_identity_numbers_and_date_cells(ex):
    _listed, book = exported(ex.world.admin_a, status="departed")
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADINGS
    assert len(rows) == 2
    row = rows[1]
    assert row[:3] == (ex.a_nghe_an.worker_code, "Lê Thị Hoa", "040095001234")
    assert row[3].date() == date(1995, 3, 14)  # a date cell, shown DD/MM/YYYY
    assert sheet.cell(row=2, column=4).number_format == "DD/MM/YYYY"
    assert row[4] == "Nữ"
    assert row[5:8] == ("C1234567", "HD-2026-001", "Daehan Industrial Co.")
    assert row[8] == "Hàn Quốc"
    assert row[10].date() == date(2026, 11, 20)
    assert row[11] is None
    assert row[12] == "Đã xuất cảnh"
    assert row[13] == str(Province.objects.get(code="40"))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N2"


def test_the_about_sheet_says_who_why_what_and_how_many(ex):
    export = workers_export(
        actor=ex.world.dolab_officer,
        purpose="other",
        purpose_detail="Trả lời công văn số 12/TTr",
        filters=ExportFilters(province="40", status="departed"),
    )
    with export.file:
        book = read_book(export.file.read())
    assert export.rows == 1
    about = {row[0]: row[1] for row in book.worksheets[1].iter_rows(values_only=True) if row and row[0]}
    assert about[vi("Exported by")] == ex.world.dolab_officer.username
    assert about[vi("Purpose")] == f"{vi('Another purpose (state it)')}: Trả lời công văn số 12/TTr"
    assert str(Province.objects.get(code="40")) in about[vi("Filters")]
    assert vi("Departed") in about[vi("Filters")]
    assert about[vi("Workers")] == "1"
    assert vi("Personal data") in about


def test_a_value_excel_could_evaluate_is_written_as_quoted_text(ex):
    Worker.objects.filter(pk=ex.a_nghe_an.pk).update(employer_name='=HYPERLINK("http://evil.example","x")')
    Worker.objects.filter(pk=ex.a_ha_tinh.pk).update(employer_name="+84 Co.", passport_number="-C999")
    Worker.objects.filter(pk=ex.by_branch.pk).update(employer_name="@SUM(A1)\x07")
    export = workers_export(actor=ex.world.admin_a, purpose="inspection")
    with export.file:
        data = export.file.read()
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # no formula anywhere
    book = read_book(data)
    cells = {
        cell.value: cell for row in book.worksheets[0].iter_rows(min_row=2) for cell in row if cell.value
    }
    for text in ('=HYPERLINK("http://evil.example","x")', "+84 Co.", "-C999", "@SUM(A1)"):
        assert cells[text].data_type == "s", text
        assert cells[text].quotePrefix, text  # still text when edited in Excel


def test_a_long_list_goes_on_in_another_sheet(ex, monkeypatch):
    monkeypatch.setattr(worker_exports, "ROWS_PER_SHEET", 3)
    export = workers_export(actor=ex.world.dolab_officer, purpose="inspection")
    with export.file:
        book = read_book(export.file.read())
    first, second, about = book.worksheets
    assert [first.max_row, second.max_row] == [4, 2]  # headings + 3, headings + 1
    assert second.title == "Người lao động ở nước ngoài (2)"
    assert about.title == vi("About this export")


def test_nobody_matching_gives_the_headings_alone(ex):
    listed, book = exported(ex.world.admin_a, status="deceased")
    assert listed == []
    assert [c.value for c in book.worksheets[0][1]] == HEADINGS


def test_the_rows_are_read_in_one_query_whatever_their_number(ex, django_assert_max_num_queries):
    for n in range(30):
        workers.worker_register(
            actor=ex.world.admin_a,
            contract_id=ex.contract_a.pk,
            **_person(f"040090{n:06d}", f"D{n:07d}", f"Người Thứ {n}", date(1990, 1, 1), "M"),
        )
    with django_assert_max_num_queries(16):
        export = workers_export(actor=ex.world.admin_a, purpose="inspection")
    export.file.close()
    assert export.rows == 33


# --- the purpose -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("purpose", "detail", "field"),
    [
        ("", "", "purpose"),
        ("  ", "", "purpose"),
        ("curiosity", "", "purpose"),
        ("other", "", "purpose_detail"),
        ("inspection", "x" * 501, "purpose_detail"),
    ],
)
def test_an_export_without_a_valid_purpose_is_refused_naming_the_field(ex, purpose, detail, field):
    with pytest.raises(ValidationFailed) as refused:
        workers_export(actor=ex.world.admin_a, purpose=purpose, purpose_detail=detail)
    assert list(refused.value.details["fields"]) == [field]
    assert export_entries() == []


def test_every_export_is_logged_with_its_purpose_filters_and_rows(ex):
    export = workers_export(
        actor=ex.world.admin_a,
        purpose="worker_support",
        purpose_detail="Hỗ trợ người lao động gặp rủi ro",
        filters=ExportFilters(
            contract_id=ex.contract_a.pk,
            country="kr",
            departed_from=date(2026, 11, 1),
            departed_to=date(2026, 11, 30),
        ),
    )
    export.file.close()
    (entry,) = export_entries()
    assert entry.actor_id == ex.world.admin_a.pk
    assert entry.object_type == "overseas.worker"
    assert entry.changes["purpose"] == "worker_support"
    assert entry.changes["purpose_detail"] == "Hỗ trợ người lao động gặp rủi ro"
    assert entry.changes["filters"] == {
        "contract_id": ex.contract_a.pk,
        "country": "kr",
        "departed_from": "2026-11-01",
        "departed_to": "2026-11-30",
    }
    assert entry.changes["rows"] == export.rows == 1
    assert len(entry.changes["sha256"]) == 64


# --- the filters -------------------------------------------------------------------------------------------


def test_the_filters_narrow_inside_the_scope(ex):
    admin = ex.world.admin_a
    assert exported(admin, status=WorkerStatus.DEPARTED)[0] == [ex.a_nghe_an.worker_code]
    assert set(exported(admin, province="42")[0]) == codes(ex.a_ha_tinh, ex.by_branch)
    assert exported(admin, country="JP")[0] == []
    assert set(exported(admin, country="KR")[0]) == codes(ex.a_nghe_an, ex.a_ha_tinh, ex.by_branch)
    assert exported(admin, departed_from=date(2026, 11, 20), departed_to=date(2026, 11, 20))[0] == [
        ex.a_nghe_an.worker_code
    ]
    assert exported(admin, departed_to=date(2026, 11, 19))[0] == []
    assert len(exported(admin, contract_id=ex.contract_a.pk)[0]) == 3
    # A province's officials choosing another province find nobody: never beyond the scope.
    assert exported(ex.world.provincial_officer, province="42")[0] == []
    # The department types a contract's number.
    assert exported(ex.world.dolab_officer, contract_number="HD-B-001")[0] == [ex.b_nghe_an.worker_code]


def test_another_enterprises_contract_reads_as_unknown(ex):
    with pytest.raises(ValidationFailed) as refused:
        workers_export(
            actor=ex.world.admin_a, purpose="inspection", filters=ExportFilters(contract_id=ex.contract_b.pk)
        )
    assert refused.value.details["fields"] == {"contract_id": [vi("Choose a contract from the list.")]}
    assert export_entries() == []


def test_filters_that_are_not_valid_are_named_all_at_once(ex):
    with pytest.raises(ValidationFailed) as refused:
        workers_export(
            actor=ex.world.dolab_officer,
            purpose="",
            filters=ExportFilters(
                country="XX",
                province="99",
                status="lost",
                departed_from=date(2026, 2, 1),
                departed_to=date(2026, 1, 1),
            ),
        )
    assert set(refused.value.details["fields"]) == {"purpose", "country", "province", "status", "departed_to"}


# --- the pages ---------------------------------------------------------------------------------------------


def sign_in(client: Client, user: Any) -> None:
    from ansinh.accounts.middleware import SESSION_2FA_KEY

    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()


def test_the_enterprise_page_shows_the_filters_and_the_purpose(ex, client):
    sign_in(client, ex.world.staff_a)
    response = client.get(ENTERPRISE_PAGE, {"status": "departed", "contract": ex.contract_a.pk})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'name="purpose"' in text
    assert 'type="radio"' in text
    assert 'name="contract_id"' in text
    assert "HD-2026-001" in text
    assert "HD-B-001" not in text  # B's contract is not offered
    assert '<option value="departed" selected>' in text  # prefilled from the worker list's link
    assert f'<option value="{ex.contract_a.pk}" selected>' in text


def test_the_page_refuses_an_export_without_purpose_beside_the_field(ex, client):
    sign_in(client, ex.world.staff_a)
    response = client.post(ENTERPRISE_PAGE, {"status": "registered"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    text = response.content.decode()
    assert vi("State the purpose of the export: it is logged with the export.") in text
    assert export_entries() == []


def test_the_page_names_the_purpose_too_when_a_filter_is_typed_wrong(ex, client):
    sign_in(client, ex.world.staff_a)
    response = client.post(ENTERPRISE_PAGE, {"departed_from": "32/13/2026", "purpose": "other"})
    text = response.content.decode()
    assert vi("Describe the purpose of the export.") in text
    assert export_entries() == []


def test_the_page_returns_the_file_and_logs_it(ex, client):
    sign_in(client, ex.world.branch_staff)
    response = client.post(ENTERPRISE_PAGE, {"purpose": "contract_management"})
    assert response.status_code == 200
    assert response["Content-Type"] == worker_exports.XLSX
    assert response["Content-Disposition"].startswith('attachment; filename="danh-sach-nguoi-lao-dong-')
    assert "no-store" in response["Cache-Control"]
    book = read_book(body_of(response))
    assert [r[0] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == [
        ex.by_branch.worker_code
    ]
    assert len(export_entries()) == 1


def test_the_staff_page_exports_the_province(ex, client):
    sign_in(client, ex.world.provincial_officer)
    assert client.get(STAFF_PAGE).status_code == 200
    response = client.post(
        STAFF_PAGE, {"purpose": "authority_report", "departed_from": "20/11/2026", "country": "KR"}
    )
    book = read_book(body_of(response))
    assert [r[0] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)] == [
        ex.a_nghe_an.worker_code
    ]
    (entry,) = export_entries()
    assert entry.changes["filters"] == {"departed_from": "2026-11-20", "country": "KR"}


def test_the_post_needs_the_csrf_token(ex):
    client = Client(enforce_csrf_checks=True)
    sign_in(client, ex.world.staff_a)
    response = client.post(ENTERPRISE_PAGE, {"purpose": "inspection"})
    assert response.status_code == 403
    assert export_entries() == []


def test_an_official_is_not_shown_the_enterprise_page(ex, client):
    sign_in(client, ex.world.dolab_officer)
    assert client.get(ENTERPRISE_PAGE).status_code == 403


# --- the API -----------------------------------------------------------------------------------------------


class _ExportsFirstUrls:
    """The project's URLs with the export router mounted ahead of the others, for as long as
    `GET /overseas/workers/{worker_id}` (ansinh.overseas.api) also takes the path `/workers/export`."""

    urlpatterns: list[Any] = []


def exports_first_urls() -> type[_ExportsFirstUrls]:
    if not _ExportsFirstUrls.urlpatterns:
        from django.urls import path
        from ninja import NinjaAPI

        from ansinh.api import errors
        from ansinh.api.auth import bearer
        from ansinh.config import urls as real_urls
        from ansinh.overseas.exports_api import router

        api = NinjaAPI(urls_namespace="overseas-exports-test", auth=bearer, docs_url=None, openapi_url=None)
        errors.install(api)
        api.add_router("/overseas", router)
        _ExportsFirstUrls.urlpatterns = [path("api/v1/", api.urls), *real_urls.urlpatterns]
    return _ExportsFirstUrls


def use_exports_api(settings: Any) -> None:
    """The real mount when it reaches the export, the test mount otherwise."""
    from django.urls import resolve

    if resolve(API).url_name != "workers_export":
        settings.ROOT_URLCONF = exports_first_urls()


@pytest.fixture
def exports_api(settings) -> str:
    use_exports_api(settings)
    return API


def test_the_api_returns_the_file_for_a_stated_purpose(ex, client, exports_api):
    api = ApiClient(client).as_user(ex.world.other_provincial_officer)
    response = api.post(API, {"purpose": "inspection", "province": "42", "contract_number": "HD-2026-001"})
    assert response.status_code == 200, response
    assert response["Content-Type"] == worker_exports.XLSX
    book = read_book(body_of(response))
    listed = {r[0] for r in book.worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert listed == codes(ex.a_ha_tinh, ex.by_branch)
    (entry,) = export_entries()
    assert entry.changes["filters"] == {"province": "42", "contract_number": "HD-2026-001"}


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "purpose"), ({"purpose": ""}, "purpose"), ({"purpose": "other"}, "purpose_detail")],
)
def test_the_api_refuses_an_export_without_purpose_naming_the_field(ex, client, body, field, exports_api):
    api = ApiClient(client).as_user(ex.world.staff_a)
    response = api.post(API, body)
    assert response.status_code == 422
    answer = json.loads(response.content)
    assert answer["code"] == "validation.invalid"
    assert list(answer["details"]["fields"]) == [field]
    assert export_entries() == []


def test_the_api_is_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/overseas/workers/export"]["post"]
    assert worker_exports.XLSX in operation["responses"]["200"]["content"]
