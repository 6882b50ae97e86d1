"""The centres' pages: the staff home, counselling, career talks, the counter desk and the waiting-room
screen, placements, surveys, targets and the dashboard (with its Excel download)."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.jobs.models import (
    AppointmentStatus,
    CareerTalk,
    CentreTarget,
    CounsellingAppointment,
    CounterTicket,
    Placement,
    PlacementStatus,
    ServiceRecord,
    TicketStatus,
)
from ansinh.jobs.services import placements
from tests.jobs.test_centre_services import PID, held_appointment

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    client.force_login(user, backend="ansinh.accounts.backends.LockoutAwareBackend")
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    return client


def test_the_staff_home_links_every_page(world, client):
    text = sign_in(client, world.centre_head).get("/staff/jobs/").content.decode()
    for url in (
        "counselling",
        "talks",
        "counter",
        "placements",
        "dashboard",
        "surveys",
        "bulletin",
        "targets",
    ):
        assert f"/staff/jobs/{url}/" in text
    ministry = sign_in(client, world.ministry_officer).get("/staff/jobs/").content.decode()
    assert "/staff/jobs/dashboard/" in ministry
    assert "/staff/jobs/counter/" not in ministry


def test_counselling_pages(world, client, django_assert_max_num_queries):
    sign_in(client, world.centre_officer)
    bad = client.post(
        "/staff/jobs/counselling/", {"personal_id": PID, "channel": "phone", "topic": "Việc làm"}
    )
    assert bad.status_code == 422
    assert "field--error" in bad.content.decode()
    assert not CounsellingAppointment.objects.exists()
    booked = client.post(
        "/staff/jobs/counselling/",
        {"personal_id": PID, "full_name": "Ngô Văn Tư", "channel": "phone", "topic": "Việc"},
    )
    appointment = CounsellingAppointment.objects.get()
    assert booked.status_code == 302
    assert booked["Location"] == f"/staff/jobs/counselling/{appointment.pk}/"
    done = client.post(booked["Location"], {"status": "done", "advice": "Đăng ký học nghề hàn."})
    assert done.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.DONE
    detail = client.get(booked["Location"]).content.decode()
    assert "Đăng ký học nghề hàn." in detail
    for i in range(5):
        held_appointment(world, personal_id=f"07909500{i:04d}")
    with django_assert_max_num_queries(14):
        listing = client.get("/staff/jobs/counselling/")
    assert listing.status_code == 200
    assert listing.content.decode().count("/staff/jobs/counselling/") >= 6


def test_a_person_books_and_cancels_counselling(world, client):
    sign_in(client, world.seeker_anonymous.person.user)
    page = client.get("/jobs/counselling/")
    assert page.status_code == 200
    assert re.search(rf'<option value="{world.centre_hcm.pk}" selected', page.content.decode())
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT10:00")
    booked = client.post(
        "/jobs/counselling/",
        {"centre_id": world.centre_hcm.pk, "starts_at": when, "channel": "video", "topic": "Học nghề"},
    )
    assert booked.status_code == 302
    appointment = CounsellingAppointment.objects.get()
    assert appointment.person == world.seeker_anonymous.person
    assert client.post(f"/jobs/counselling/{appointment.pk}/cancel/").status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_career_talk_page(world, client):
    sign_in(client, world.centre_officer)
    answer = client.post(
        "/staff/jobs/talks/",
        {"school": "THPT Gia Định", "held_on": timezone.localdate().isoformat(), "attendees": "250"},
    )
    assert answer.status_code == 302
    assert CareerTalk.objects.get().attendees == 250
    page = client.get("/staff/jobs/talks/").content.decode()
    assert "THPT Gia Định" in page
    assert "250" in page


def test_the_counter_desk_and_the_screen(world, client):
    sign_in(client, world.centre_officer)
    assert client.post("/staff/jobs/counter/", {"action": "issue", "purpose": "Tìm việc"}).status_code == 302
    client.post(
        "/staff/jobs/counter/", {"action": "issue", "purpose": "BHTN", "personal_id": PID, "full_name": "Mai"}
    )
    call = client.post("/staff/jobs/counter/", {"action": "call", "desk": "2"})
    assert call.status_code == 302
    first, second = CounterTicket.objects.order_by("number")
    assert first.status == TicketStatus.CALLED
    assert first.desk == "2"
    screen = client.get(f"/jobs/queue/{world.centre_hcm.pk}/")
    text = screen.content.decode()
    assert screen.status_code == 200
    assert 'http-equiv="refresh"' in text
    assert ">001<" in text
    assert "Mai" not in text, "the screen shows numbers, never names"
    client.post("/staff/jobs/counter/", {"action": "serve", "ticket": first.pk})
    client.post("/staff/jobs/counter/", {"action": "call", "desk": "2"})
    client.post("/staff/jobs/counter/", {"action": "serve", "ticket": second.pk})
    assert ServiceRecord.objects.get().source_id == second.pk
    empty = client.post("/staff/jobs/counter/", {"action": "call", "desk": "2"})
    assert empty.status_code == 302
    assert client.get("/staff/jobs/counter/").status_code == 200
    assert client.get(f"/jobs/queue/{world.dept_hcm.pk}/").status_code == 404


def test_placement_pages_need_a_second_officer(world, client):
    sign_in(client, world.centre_officer)
    reported = client.post(
        "/staff/jobs/placements/",
        {"personal_id": PID, "full_name": "Hồ Nam", "employer_name": "Công ty X", "job_title": "Thợ hàn"},
    )
    placement = Placement.objects.get()
    assert reported["Location"] == f"/staff/jobs/placements/{placement.pk}/"
    own = client.get(reported["Location"]).content.decode()
    assert 'value="verify"' not in own
    client.post(reported["Location"], {"action": "verify"})
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.REPORTED
    sign_in(client, world.centre_head)
    assert 'value="verify"' in client.get(reported["Location"]).content.decode()
    client.post(reported["Location"], {"action": "verify"})
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.VERIFIED
    assert "/staff/jobs/placements/" in client.get("/staff/jobs/placements/?status=verified").content.decode()


def test_surveys_targets_and_dashboard_pages(world, client):
    placement = placements.placement_report(
        actor=world.centre_officer, personal_id=PID, full_name="Hồ Nam", employer_name="X", job_title="Y"
    )
    placements.placement_verify(actor=world.centre_head, placement_id=placement.pk)
    sign_in(client, world.centre_head)
    year = timezone.localdate().year
    saved = client.post(
        "/staff/jobs/targets/", {"year": year, "placements": "500", "satisfied_percent": "95", "fairs": ""}
    )
    assert saved.status_code == 302
    assert CentreTarget.objects.count() == 2
    bad = client.post("/staff/jobs/targets/", {"year": year, "satisfied_percent": "101"})
    assert bad.status_code == 422
    page = client.get(f"/staff/jobs/dashboard/?centre={world.centre_hcm.pk}")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-indicator="placements"' in text
    assert "<svg" in text
    row = re.search(r'data-indicator="placements">(.*?)</tr>', text, re.S).group(1)
    assert "500" in row
    assert 'data-actual="1"' in row
    xlsx = client.get(f"/staff/jobs/dashboard.xlsx?centre={world.centre_hcm.pk}&year={year}")
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True).worksheets[0]
    lines = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == world.centre_hcm.name]
    assert any(r[2] == 500 and r[3] == 1 for r in lines)
    surveys = client.get("/staff/jobs/surveys/")
    assert surveys.status_code == 200
    assert 'id="survey-figures"' in surveys.content.decode()
    province = sign_in(client, world.provincial_officer).get("/staff/jobs/dashboard/")
    assert world.centre_hcm.name in province.content.decode()
    assert world.centre_hanoi.name not in province.content.decode()
