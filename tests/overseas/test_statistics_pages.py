"""The national statistics page of workers abroad and its Excel download (staff with ovl_statistics.read)."""

import io
from datetime import date

import pytest
from django.conf import settings
from django.urls import NoReverseMatch, include, path, reverse
from openpyxl import load_workbook

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.config import urls as project_urls
from ansinh.overseas.services import workers
from tests.overseas.world import build_world, registered_contract


def _mounted() -> bool:
    try:
        reverse("overseas_stats:statistics")
    except NoReverseMatch:
        return False
    return True


# The project's URLs, plus the statistics pages for as long as config/urls.py does not include them.
urlpatterns = [
    *([] if _mounted() else [path("", include("ansinh.overseas.stats_urls"))]),
    *project_urls.urlpatterns,
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]
PAGE = "/staff/overseas/statistics/"
XLSX = "/staff/overseas/statistics.xlsx"

# personal ID (040 Nghệ An, 042 Hà Tĩnh), passport, name, born, sex; the contract; the steps
PEOPLE = [
    ("040095001234", "C1234567", "Lê Thị Hoa", date(1995, 3, 14), "F", "KR"),
    ("040090002345", "C2345678", "Trần Văn Nam", date(1990, 5, 2), "M", "KR"),
    ("042092003456", "C3456789", "Phạm Văn Hải", date(1992, 7, 9), "M", "KR"),
    ("042093004567", "C4567890", "Nguyễn Thị Lan", date(1993, 8, 1), "F", "JP"),
]
STEPS = [
    [("departed", date(2026, 3, 10)), ("working", date(2026, 3, 20))],
    [("departed", date(2026, 3, 15)), ("returned_early", date(2026, 9, 1))],
    [("departed", date(2025, 12, 20))],
    [("departed", date(2026, 5, 4))],
]


@pytest.fixture
def world(db):
    built = build_world()
    contracts = {
        "KR": registered_contract(built),
        "JP": registered_contract(built, number="HD-2026-002", country="JP"),
    }
    for (personal_id, passport, name, born, sex, country), steps in zip(PEOPLE, STEPS, strict=True):
        worker = workers.worker_register(
            actor=built.staff_a,
            contract_id=contracts[country].pk,
            personal_id=personal_id,
            passport_number=passport,
            full_name=name,
            date_of_birth=born,
            sex=sex,
        )
        for status, on in steps:
            workers.worker_step(actor=built.staff_a, worker_id=worker.pk, status=status, on=on)
    return built


def sign_in(client, user, language: str = "en"):
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def table(html: str, key: str) -> str:
    start = html.index(f'id="table-{key}"')
    return html[start : html.index("</table>", start)]


def test_the_department_sees_the_whole_country(client, world, django_assert_max_num_queries):
    sign_in(client, world.dolab_officer)
    with django_assert_max_num_queries(30):
        page = client.get(PAGE, {"year": "2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en">' in html
    # Charts for month, country, province, sex; each beside its table; no script, no inline style.
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4
    assert "<script>" not in html
    assert 'style="' not in html
    assert "/static/web/dashboard.css" in html
    months = table(html, "months")
    assert '<th scope="row">03/2026</th><td class="num">2</td>' in months
    assert '<th scope="row">05/2026</th><td class="num">1</td>' in months
    assert "<strong>3</strong>" in months  # deployed in 2026
    countries = table(html, "countries")
    assert "Korea" in countries
    assert "Japan" in countries
    provinces = table(html, "provinces")
    assert "Nghe An" in provinces
    assert "Ha Tinh" in provinces
    sexes = table(html, "sex")
    assert '<th scope="row">Women</th><td class="num">2</td>' in sexes
    assert '<th scope="row">Men</th><td class="num">1</td>' in sexes
    # Abroad now: the one working in Korea, the one who left in December 2025, the one in Japan.
    assert "<strong>3</strong>" in table(html, "abroad")
    assert "<strong>1</strong>" in table(html, "early")
    assert "Công ty CP Nhân lực Quốc tế An Phát" in table(html, "enterprises")
    assert "statistics.xlsx?year=2026" in html
    assert '<option value="2026" selected>' in html


def test_a_province_sees_the_workers_from_its_province(client, world):
    html = sign_in(client, world.provincial_officer, "vi").get(PAGE, {"year": "2026"}).content.decode()
    assert '<html lang="vi">' in html
    provinces = table(html, "provinces")
    assert "Nghệ An" in provinces
    assert "Hà Tĩnh" not in provinces
    assert "<strong>2</strong>" in table(html, "months")
    assert "Nhật Bản" not in table(html, "countries")


def test_filters_narrow_the_figures(client, world):
    sign_in(client, world.dolab_officer)
    japan = client.get(PAGE, {"year": "2026", "country": "JP"}).content.decode()
    assert "<strong>1</strong>" in table(japan, "months")
    assert "Korea" not in table(japan, "countries")
    assert '<option value="JP" selected>' in japan
    assert "statistics.xlsx?year=2026&amp;country=JP" in japan
    ha_tinh = client.get(PAGE, {"year": "2025", "province": "42"}).content.decode()
    assert "<strong>1</strong>" in table(ha_tinh, "months")
    assert "Nghe An" not in table(ha_tinh, "provinces")
    wrong = client.get(PAGE, {"year": "1990", "country": "XX"})
    assert wrong.status_code == 422
    assert b"<svg" not in wrong.content
    assert wrong.content.count(b'aria-invalid="true"') == 1  # the year is checked first
    wrong_country = client.get(PAGE, {"year": "2026", "country": "XX", "province": "99"})
    assert wrong_country.status_code == 422
    assert wrong_country.content.count(b'aria-invalid="true"') == 2


@pytest.mark.parametrize("url", [PAGE, XLSX])
def test_only_readers_of_the_statistics(client, world, url):
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for outsider in (world.staff_a, world.citizen):
        response = sign_in(client, outsider).get(url, {"year": "2026"})
        assert response.status_code == 403
        assert b"table-months" not in response.content


def rows_of(sheet) -> list[tuple]:
    out = []
    for row in sheet.iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        out.append(tuple(values))
    return out


def test_excel_holds_the_figures(client, world):
    response = sign_in(client, world.dolab_officer).get(XLSX, {"year": "2026"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="thong-ke-lao-dong-ngoai-nuoc-2026.xlsx"'
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert len(book.sheetnames) == 8
    months = rows_of(book[book.sheetnames[0]])
    assert months[0] == ("Workers abroad under contract, 2026",)
    assert (None, "03/2026", 2) in months
    assert (None, "Total", 3) in months
    countries = rows_of(book[book.sheetnames[1]])
    assert ("KR", "South Korea", 2) in countries
    assert next(row for row in countries if row[:1] == ("JP",))[2] == 1
    sexes = rows_of(book[book.sheetnames[3]])
    assert ("F", "Women", 2) in sexes
    early = rows_of(book[book.sheetnames[6]])
    assert next(row for row in early if row[:1] == ("KR",))[2] == 1


def test_excel_with_filters(client, world):
    response = sign_in(client, world.dolab_officer).get(
        XLSX, {"year": "2026", "country": "KR", "province": "40"}
    )
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="thong-ke-lao-dong-ngoai-nuoc-2026-KR-40.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    months = rows_of(book[book.sheetnames[0]])
    assert any(row and str(row[0]).startswith("Filters: country:") for row in months)
    assert (None, "Total", 2) in months
    assert sign_in(client, world.provincial_officer).get(XLSX, {"year": "2026"}).status_code == 200
