"""The annual report's pages (the enterprise's and the staff's) through Django's test client, and its API
through HTTP with a bearer token."""

import io
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.accounts.models import User
from ansinh.core import signing
from ansinh.overseas.models import AnnualReport
from tests.api_client import ApiClient
from tests.overseas.test_annual_report import ReportWorld, build_report_world

pytestmark = pytest.mark.django_db
PAGE = "/overseas/enterprise/reports/"
STAFF = "/staff/overseas/reports/"
API = "/api/v1/overseas/reports"
NAME = "Công ty CP Nhân lực Quốc tế An Phát"


@pytest.fixture
def rw(db) -> ReportWorld:
    built = build_report_world()
    # The administrator the registration issued has changed the one-time password already.
    User.objects.filter(pk=built.world.admin_a.pk).update(must_change_password=False)
    built.world.admin_a.refresh_from_db()
    return built


@pytest.fixture
def on_day(monkeypatch):
    """Pin the platform's "now" (the world is built first, on the real day)."""

    def pin(day: date) -> None:
        from django.utils import timezone

        moment = datetime.combine(day, time(9, 0), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return pin


def _sign_in(client, user):
    client.force_login(user, backend="ansinh.accounts.backends.LockoutAwareBackend")
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    return client


def test_the_enterprise_sees_the_figures_of_the_year_and_downloads_them(rw, client):
    _sign_in(client, rw.world.admin_a)
    page = client.get(PAGE, {"year": "2026"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="table-country"' in html
    assert 'id="table-deposit"' in html
    assert "2.000.000.000" in html or "2,000,000,000" in html
    # The period of 2026 runs to 14 December: no submission yet.
    assert 'id="submit-form"' not in html
    xlsx = client.get(f"{PAGE}2026.xlsx")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row if c.value is not None]
    assert NAME in values
    assert 150_000_000 in values
    pdf = client.get(f"{PAGE}2026.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert NAME in text


def test_a_year_outside_the_range_is_a_clear_error_on_the_year_field(rw, client):
    _sign_in(client, rw.world.admin_a)
    for year in ("2019", "2030", "abc"):
        page = client.get(PAGE, {"year": year})
        assert page.status_code == 422
        assert 'id="r-year-error"' in page.content.decode()
    assert client.get(f"{PAGE}2030.xlsx").status_code == 422


def test_the_enterprise_submits_the_report_signed_through_the_page(rw, client, on_day):
    on_day(date(2026, 12, 16))
    _sign_in(client, rw.world.admin_a)
    html = client.get(PAGE, {"year": "2026"}).content.decode()
    assert 'id="submit-form"' in html
    answer = client.post(f"{PAGE}2026/submit/")
    assert answer.status_code == 302
    assert answer["Location"].endswith("?year=2026")
    report = AnnualReport.objects.get()
    assert report.submitted_by == rw.world.admin_a
    html = client.get(PAGE, {"year": "2026"}).content.decode()
    assert 'data-submitted="yes"' in html
    assert report.signed_by in html
    signed = client.get(f"{PAGE}submitted/{report.pk}.pdf")
    assert signed.status_code == 200
    assert signing.verify_pdf(b"".join(signed.streaming_content)).valid
    # Still before the due date: a correction is offered.
    assert "submit-form" in html


def test_the_submission_needs_csrf(rw, on_day):
    from django.test import Client

    on_day(date(2026, 12, 16))
    client = _sign_in(Client(enforce_csrf_checks=True), rw.world.admin_a)
    assert client.post(f"{PAGE}2026/submit/").status_code == 403
    assert not AnnualReport.objects.exists()


def test_after_the_due_date_a_submitted_report_is_kept_and_the_page_says_why(rw, client):
    _sign_in(client, rw.world.admin_a)
    assert client.post(f"{PAGE}2025/submit/").status_code == 302  # late, accepted
    first = AnnualReport.objects.get()
    answer = client.post(f"{PAGE}2025/submit/", follow=True)
    assert answer.status_code == 200
    assert AnnualReport.objects.get().signature_sha256 == first.signature_sha256
    html = answer.content.decode()
    assert 'id="submit-form"' not in html
    assert 'data-submitted="yes"' in html


def test_a_branch_with_the_reports_function_sees_its_own_report_and_cannot_submit(rw, client, on_day):
    on_day(date(2026, 12, 16))
    _sign_in(client, rw.reports_branch_staff)
    html = client.get(PAGE, {"year": "2026"}).content.decode()
    assert 'id="branch-note"' in html
    assert 'id="submit-form"' not in html
    assert 'id="table-deposit"' not in html
    assert client.get(f"{PAGE}2026.pdf").status_code == 200
    assert client.post(f"{PAGE}2026/submit/").status_code == 403
    assert not AnnualReport.objects.exists()


def test_the_staff_page_lists_submitted_and_missing_reports_in_scope(rw, client, on_day):
    on_day(date(2026, 12, 22))
    world = rw.world
    _sign_in(client, world.admin_a)
    from ansinh.overseas.services import reports

    report = reports.annual_report_submit(actor=world.admin_a, year=2026, today=date(2026, 12, 16))
    client.logout()
    _sign_in(client, world.dolab_officer)
    html = client.get(STAFF, {"year": "2026"}).content.decode()
    assert f'data-report="{report.pk}"' in html
    assert f'data-missing="{world.enterprise_b.pk}"' in html
    assert f'data-missing="{world.enterprise_a.pk}"' not in html
    download = client.get(f"{STAFF}{report.pk}.pdf")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    client.logout()
    _sign_in(client, world.other_provincial_officer)
    html = client.get(STAFF).content.decode()  # the default year: the last period that has ended, 2026
    assert f'data-report="{report.pk}"' not in html
    assert f'data-missing="{world.enterprise_b.pk}"' in html
    assert client.get(f"{STAFF}{report.pk}.pdf").status_code == 404


# --- the API -----------------------------------------------------------------------------------------------


def test_the_api_gives_the_figures_the_files_and_takes_the_signed_submission(rw, client, on_day):
    on_day(date(2026, 12, 16))
    api = ApiClient(client).as_user(rw.world.admin_a)
    figures = api.get(f"{API}/2026")
    assert figures.status_code == 200, figures.content
    body = figures.json()
    assert body["complete"] is True
    assert body["due"] == "2026-12-19"
    assert body["submission"] is None
    assert body["figures"]["deployed"] == 4
    assert body["figures"]["fees"]["service_fee"] == 150_000_000
    xlsx = api.get(f"{API}/2026.xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    pdf = api.get(f"{API}/2026.pdf")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    submitted = api.post(f"{API}/2026/submit")
    assert submitted.status_code == 201, submitted.content
    out = submitted.json()
    assert out["version"] == 1
    assert out["days_late"] == 0
    assert out["signed_by"]
    again = api.post(f"{API}/2026/submit")
    assert again.status_code == 201
    assert again.json()["version"] == 2
    assert api.get(f"{API}/2026").json()["submission"]["version"] == 2
    signed = api.get(out["signed_pdf_url"])
    assert signed.status_code == 200
    assert signing.verify_pdf(b"".join(signed.streaming_content)).valid


def test_the_api_names_the_year_field_when_the_year_is_out_of_range(rw, client):
    api = ApiClient(client).as_user(rw.world.admin_a)
    for year in (2019, 2031):
        answer = api.get(f"{API}/{year}")
        assert answer.status_code == 422
        assert answer.json()["code"] == "validation.invalid"
        assert list(answer.json()["details"]["fields"]) == ["year"]
    early = api.post(f"{API}/2026/submit")  # the period runs to 14 December
    assert early.status_code == 422
    assert list(early.json()["details"]["fields"]) == ["year"]
    assert not AnnualReport.objects.exists()


def test_the_api_lists_submitted_reports_in_scope_page_by_page(rw, client):
    from ansinh.overseas.services import reports

    world = rw.world
    report = reports.annual_report_submit(actor=world.admin_a, year=2025, today=date(2026, 11, 26))
    api = ApiClient(client).as_user(world.dolab_officer)
    listed = api.get(f"{API}/submitted", year=2025)
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 1
    assert [i["id"] for i in body["items"]] == [report.pk]
    assert body["items"][0]["days_late"] > 0
    other = ApiClient(client).as_user(world.other_provincial_officer).get(f"{API}/submitted")
    assert other.json()["count"] == 0
