"""Notices to workers abroad: publishing is one row whatever the audience, reading needs no login, and
only the centre publishes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.geo.models import Country
from ansinh.sos.models import Notice, NoticeRead
from ansinh.sos.services import notices as services
from tests.api_client import ApiClient
from tests.factories import UserFactory, make_staff

pytestmark = pytest.mark.django_db


COUNTRIES = [("KR", "KOR", "410", "Hàn Quốc", "Korea"), ("JP", "JPN", "392", "Nhật Bản", "Japan")]


@pytest.fixture
def countries(db):
    for iso2, iso3, numeric, name_vi, name_en in COUNTRIES:
        Country.objects.get_or_create(
            iso2=iso2,
            defaults={"iso3": iso3, "numeric": numeric, "name_vi": name_vi, "name_en": name_en},
        )


@pytest.fixture
def operator(db):
    return make_staff("colab_operator")


def test_publishing_to_any_audience_is_one_row(operator, countries):
    with CaptureQueriesContext(connection) as ctx:
        notice = services.notice_publish(
            actor=operator,
            title="Lịch nghỉ Tết Trung thu",
            body="Người lao động tại Hàn Quốc lưu ý lịch nghỉ Chuseok.",
            audience="country",
            country="kr",
        )
    inserts = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("INSERT")]
    assert len([sql for sql in inserts if "sos_notice" in sql]) == 1
    assert not any("sos_noticeread" in sql for sql in inserts)
    assert notice.country == "KR"


def test_bad_notices_name_the_field_and_store_nothing(operator, countries):
    with pytest.raises(ValidationFailed) as exc:
        services.notice_publish(actor=operator, title=" ", body="x", audience="country", country="ZZ")
    assert set(exc.value.details["fields"]) == {"title", "country"}
    with pytest.raises(ValidationFailed) as exc:
        services.notice_publish(actor=operator, title="a", body="b", audience="programme", programme="nope")
    assert set(exc.value.details["fields"]) == {"programme"}
    assert not Notice.objects.exists()


def test_only_the_centre_publishes(countries):
    for role in ("enterprise_staff", "provincial_officer"):
        with pytest.raises(PermissionDenied):
            services.notice_publish(actor=make_staff(role), title="a", body="b")
    with pytest.raises(PermissionDenied):
        services.notice_publish(actor=UserFactory(), title="a", body="b")


def test_feed_without_login_by_country(client, operator, countries):
    services.notice_publish(actor=operator, title="Cho mọi người", body="...")
    services.notice_publish(
        actor=operator, title="Tin cho lao động tại Seoul", body="...", audience="country", country="KR"
    )
    services.notice_publish(
        actor=operator, title="Tin cho lao động tại Osaka", body="...", audience="country", country="JP"
    )
    pinned = services.notice_publish(actor=operator, title="Ghim", body="...", pinned=True, urgent=True)
    withdrawn = services.notice_publish(actor=operator, title="Đã rút", body="...")
    services.notice_withdraw(actor=operator, notice_id=withdrawn.pk)

    response = client.get("/api/v1/notices", {"country": "KR"})
    assert response.status_code == 200
    body = response.json()
    titles = [item["title"] for item in body["items"]]
    assert titles == ["Ghim", "Tin cho lao động tại Seoul", "Cho mọi người"]
    assert set(body["items"][0]) >= {"id", "title", "body", "published_at", "urgent"}
    assert body["items"][0]["urgent"] is True
    assert body["count"] == 3
    assert client.get(f"/api/v1/notices/{withdrawn.pk}").status_code == 404
    assert client.get(f"/api/v1/notices/{pinned.pk}").status_code == 200
    page = client.get("/notices/", {"country": "KR"}).content.decode()
    assert "tại Seoul" in page
    assert "tại Osaka" not in page
    assert 'lang="vi"' in page


def test_publish_and_read_marks_through_the_api(client, operator, countries):
    staff = ApiClient(client).as_user(operator)
    created = staff.post("notices", {"title": "Khẩn: bão số 5", "body": "Tránh ra ngoài.", "urgent": True})
    assert created.status_code == 201
    notice_id = created.json()["id"]
    worker = UserFactory()
    reader = ApiClient(client).as_user(worker)
    assert reader.post("notices", {"title": "x", "body": "y"}).status_code == 403
    assert reader.post(f"notices/{notice_id}/read").status_code == 204
    assert reader.post(f"notices/{notice_id}/read").status_code == 204  # once, however often
    assert NoticeRead.objects.filter(user=worker).count() == 1
    assert ApiClient(client).post(f"notices/{notice_id}/read").status_code == 401
    bad = staff.post("notices", {"title": "x", "body": "y", "audience": "employer"})
    assert bad.status_code == 422
    assert "employer" in bad.json()["details"]["fields"]
