"""The desk's dashboard, response-time report and stats API, checked figure by figure against requests with
known times (computed by hand below), on SQLite and, with DATABASE_URL, on PostgreSQL."""

import csv
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from openpyxl import load_workbook

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.sos import stats
from ansinh.sos.models import HelpRequest
from tests.api_client import ApiClient
from tests.factories import PersonFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 3, 15, 12, 0, tzinfo=VN)
PERIOD = {"date_from": "2026-03-10", "date_to": "2026-03-14"}
WORKER_NAME = "Nguyễn Thị Lan"
PHONE = "+821012345678"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of March 2026 in Vietnam time."""
    return datetime(2026, 3, day, hour, minute, tzinfo=VN)


# The requests, by hand. SOS limit 300 s, support limit 86,400 s; now is 15/03/2026 12:00 (Vietnam).
# name: kind, created, seconds to acknowledge, seconds to resolve, status, outcome, category, country, flagged
REQUESTS = {
    "A": ("sos", at(10, 8), 60, 3600, "resolved", "safe", "other", "KR", False),
    "B": ("sos", at(10, 9), 120, 7200, "resolved", "helped", "other", "KR", False),
    "C": ("sos", at(10, 10), 300, None, "in_progress", "", "other", "JP", False),  # exactly at the limit
    "D": ("sos", at(10, 11), 600, 1800, "resolved", "safe", "accident", "JP", False),  # late
    "E": ("support", at(10, 12), 3600, 172800, "resolved", "referred", "wages", "KR", False),
    # 00:30 in Vietnam is still the 11th in UTC: it belongs to the 12th.
    "F": ("sos", at(12, 0, 30), 1800, None, "in_progress", "", "other", "TW", False),  # late
    "G": ("support", at(12, 8), 90000, None, "in_progress", "", "contract", "TW", True),  # late
    "H": ("support", at(12, 9), None, None, "received", "", "wages", "", False),  # waiting 3 days: late
    "I": ("support", at(12, 10), None, None, "cancelled", "", "wages", "KR", False),  # not counted
    "K": ("support", at(14, 20), None, None, "received", "", "documents", "KR", False),  # 16 h: pending
    "L": ("sos", at(14, 21), None, None, "received", "", "other", "KR", False),  # waiting 15 h: late
    # Outside the period: the day before and the day after.
    "M": ("sos", at(9, 23, 59), 30, 60, "resolved", "false_alarm", "other", "KR", False),
    "N": ("sos", at(15, 0), None, None, "received", "", "other", "KR", False),  # open now
}


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(ZoneInfo("UTC")))
    return NOW


@pytest.fixture
def limits(settings):
    settings.SOS_ACK_LIMIT_SECONDS = 300
    settings.SUPPORT_ACK_LIMIT_SECONDS = 86400


@pytest.fixture
def worker(db):
    return UserFactory(person=PersonFactory(full_name=WORKER_NAME, personal_id="040095001111"))


@pytest.fixture
def desk(worker, frozen, limits, reference_data):
    made = {}
    for n, (name, spec) in enumerate(REQUESTS.items(), start=1):
        kind, created, ack, resolve, status, outcome, category, country, flagged = spec
        made[name] = HelpRequest.objects.create(
            reference=f"{'SOS' if kind == 'sos' else 'HT'}-{created:%y%m%d}-{n:06d}",
            kind=kind,
            worker=worker,
            idempotency_key=f"key-{name}-0000",
            phone=PHONE,
            location_text="Ký túc xá công ty, Suwon",
            message="Công ty nợ lương, giữ hộ chiếu.",
            created_at=created,
            acknowledged_at=created + timedelta(seconds=ack) if ack is not None else None,
            resolved_at=created + timedelta(seconds=resolve) if resolve is not None else None,
            status=status,
            outcome_category=outcome,
            category=category,
            country=country,
            flagged=flagged,
        )
    return made


@pytest.fixture
def operator():
    return make_staff("colab_operator")


@pytest.fixture
def supervisor():
    return make_staff("colab_supervisor")


def sign_in(client, user, language: str = "vi"):
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def period(**kw):
    return stats.period_from(**{**PERIOD, **kw})


# --- percentiles: one rule, two backends ------------------------------------------------------------------


def test_percentile_cont_interpolates_like_postgresql():
    values = [timedelta(seconds=s) for s in (60, 120, 300, 600, 1800)]
    assert stats.percentile_cont(values, 0.5) == timedelta(seconds=300)
    assert stats.percentile_cont(values, 0.9) == timedelta(seconds=1320)  # 600 + 0.6 x 1200
    assert stats.percentile_cont(values, 0.99) == timedelta(seconds=1752)  # 600 + 0.96 x 1200
    assert stats.percentile_cont(values, 1.0) == timedelta(seconds=1800)
    assert stats.percentile_cont(values[:1], 0.9) == timedelta(seconds=60)
    assert stats.percentile_cont([], 0.5) is None


def test_grouped_figures_give_the_hand_computed_percentiles_on_this_database(desk):
    """The same function on SQLite (Python) and PostgreSQL (percentile_cont in the database)."""
    start, end = period().bounds()
    qs = HelpRequest.objects.filter(created_at__gte=start, created_at__lt=end)
    figures = stats.grouped_figures(
        qs,
        group=["kind"],
        counts={"n": Count("id")},
        percentiles={"ack": (stats.ACK, (0.5, 0.9, 0.99)), "resolve": (stats.RESOLVE, (0.5, 0.9))},
    )
    seconds = {
        key: {k: [v.total_seconds() for v in f[k]] for k in ("ack", "resolve")} for key, f in figures.items()
    }
    assert seconds[("sos",)] == {"ack": [300, 1320, 1752], "resolve": [3600, 6480]}
    # Support: 3600 and 90000 -> 3600 + f x 86400.
    assert seconds[("support",)] == {"ack": [46800, 81360, 89136], "resolve": [172800, 172800]}
    assert figures[("sos",)]["n"] == 6
    assert figures[("support",)]["n"] == 5


def test_fractions_of_a_second_are_kept(desk, worker):
    base = at(13, 9)
    for n, ms in enumerate((1500, 2250, 7125, 10000)):
        HelpRequest.objects.create(
            kind="sos",
            worker=worker,
            idempotency_key=f"fraction-{n}-000",
            phone=PHONE,
            created_at=base,
            acknowledged_at=base + timedelta(milliseconds=ms),
        )
    qs = HelpRequest.objects.filter(created_at=base)
    figures = stats.grouped_figures(
        qs, group=["kind"], counts={}, percentiles={"ack": (stats.ACK, (0.5, 0.9))}
    )
    p50, p90 = figures[("sos",)]["ack"]
    assert p50 == timedelta(milliseconds=4687, microseconds=500)  # 2.25 + 0.5 x (7.125 - 2.25)
    assert p90 == timedelta(milliseconds=9137, microseconds=500)  # 7.125 + 0.7 x 2.875


# --- the figures ------------------------------------------------------------------------------------------


def test_period_defaults_to_the_last_30_days_in_vietnam_and_is_checked(frozen):
    default = stats.period_from()
    assert (default.date_from, default.date_to) == (date(2026, 2, 14), date(2026, 3, 15))
    assert len(default.days) == 30
    assert stats.period_from(date_from="2025-03-15", date_to="2026-03-15").days[0] == date(2025, 3, 15)
    # Only a start: 30 days from it, but not past today.
    assert stats.period_from(date_from="2026-01-01").date_to == date(2026, 1, 30)
    assert stats.period_from(date_from="2026-03-01").date_to == date(2026, 3, 15)
    with pytest.raises(ValidationFailed) as too_long:
        stats.period_from(date_from="2025-03-14", date_to="2026-03-15")
    assert "date_from" in too_long.value.details["fields"]
    with pytest.raises(ValidationFailed) as reversed_period:
        stats.period_from(date_from="2026-03-15", date_to="2026-03-14")
    assert "date_to" in reversed_period.value.details["fields"]
    with pytest.raises(ValidationFailed) as out_of_range:
        stats.period_from(date_from="0001-01-01", date_to="9999-12-31")
    assert set(out_of_range.value.details["fields"]) == {"date_from", "date_to"}
    with pytest.raises(ValidationFailed) as bad:
        stats.period_from(date_from="15/03/2026", kind="panic", country="Korea")
    assert set(bad.value.details["fields"]) == {"date_from", "kind", "country"}
    assert stats.period_from(kind="SOS", country="kr") == stats.Period(
        date(2026, 2, 14), date(2026, 3, 15), "sos", "KR"
    )
    # The local day starts at 00:00 in Vietnam, 17:00 UTC the day before.
    start, end = period().bounds()
    assert start.astimezone(ZoneInfo("UTC")) == datetime(2026, 3, 9, 17, 0, tzinfo=ZoneInfo("UTC"))
    assert end - start == timedelta(days=5)


def test_every_dashboard_figure(desk, operator):
    figures = stats.dashboard_stats(operator, period())
    assert figures.total == 11
    assert figures.flagged == 1
    assert [(d.day.day, d.sos, d.support) for d in figures.days] == [
        (10, 4, 1),
        (11, 0, 0),  # zeros on empty days
        (12, 1, 3),  # F at 00:30 Vietnam time is on the 12th
        (13, 0, 0),
        (14, 1, 1),
    ]
    countries = {c.code: (c.count, c.by_kind) for c in figures.by_country}
    assert countries == {
        "KR": (6, {"sos": 3, "support": 3}),
        "JP": (2, {"sos": 2}),
        "TW": (2, {"sos": 1, "support": 1}),
        "": (1, {"support": 1}),
    }
    assert figures.by_country[0].code == "KR"
    assert figures.by_country[0].name_vi == "Hàn Quốc"
    assert figures.by_country[-1].code == ""  # not known comes last among equals
    assert {s.code: s.count for s in figures.by_category} == {
        "other": 5,
        "wages": 3,
        "accident": 1,
        "contract": 1,
        "documents": 1,
    }
    assert figures.by_category[0].code == "other"
    assert {s.code: s.count for s in figures.by_outcome} == {"safe": 2, "helped": 1, "referred": 1}
    assert {s.code: s.count for s in figures.by_status} == {
        "received": 3,
        "assigned": 0,
        "in_progress": 3,
        "resolved": 4,
        "cancelled": 1,
    }
    sos, support = figures.kinds
    assert figures.open_now == 7  # C F L N (SOS), G H K (support), whatever their date
    assert (sos.open_now, support.open_now) == (4, 3)
    assert sos.oldest_open_at == at(10, 10)

    assert sos.kind == "sos"
    assert sos.limit_seconds == 300
    assert sos.requests == 6
    assert sos.timeliness == stats.Timeliness(
        counted=6, acknowledged=5, within_limit=3, late_acknowledged=2, late_waiting=1
    )
    assert (sos.timeliness.late, sos.timeliness.pending, sos.timeliness.share_within_limit) == (3, 0, 0.5)
    assert sos.response == stats.Durations(p50=300, p90=1320, p99=1752, max=1800)
    assert sos.resolved == 3
    assert sos.resolve == stats.Durations(p50=3600, p90=6480)

    assert support.limit_seconds == 86400
    assert support.requests == 5
    # I was cancelled: not counted. H waits past 24 h: late. K is still inside its 24 h: pending.
    assert support.timeliness == stats.Timeliness(
        counted=4, acknowledged=2, within_limit=1, late_acknowledged=1, late_waiting=1
    )
    assert (support.timeliness.late, support.timeliness.pending) == (2, 1)
    assert support.timeliness.share_within_limit == pytest.approx(1 / 3, abs=1e-4)
    assert support.response == stats.Durations(p50=46800, p90=81360, p99=89136, max=90000)
    assert support.resolve == stats.Durations(p50=172800, p90=172800)


def test_late_counting_follows_the_clock(desk, operator):
    """K (support, received 14/03 20:00) becomes late once it has waited more than 24 hours."""
    later = at(15, 20, 1)
    figures = stats.dashboard_stats(operator, period(), now=later)
    support = figures.kind("support")
    assert (support.timeliness.late_waiting, support.timeliness.pending) == (2, 0)


def test_kind_and_country_filters(desk, operator):
    only_sos = stats.dashboard_stats(operator, period(kind="sos"))
    assert [k.kind for k in only_sos.kinds] == ["sos"]
    assert only_sos.total == 6
    assert next(d.counts for d in only_sos.days) == {"sos": 4}
    korea = stats.dashboard_stats(operator, period(country="KR"))
    assert korea.total == 6
    assert [c.code for c in korea.by_country] == ["KR"]
    assert korea.open_now == 3  # K, L and N
    assert korea.kind("sos").response == stats.Durations(p50=90, p90=114, p99=119.4, max=120)


def test_an_empty_period_is_all_zeros(desk, operator):
    figures = stats.dashboard_stats(operator, period(date_from="2026-01-01", date_to="2026-01-03"))
    assert figures.total == 0
    assert [d.total for d in figures.days] == [0, 0, 0]
    assert figures.by_country == figures.by_category == figures.by_outcome == []
    assert all(s.count == 0 for s in figures.by_status)
    assert figures.kind("sos").response == stats.Durations()
    assert figures.kind("sos").timeliness.share_within_limit is None


def test_the_dashboard_is_a_handful_of_queries(desk, operator, django_assert_max_num_queries):
    operator = type(operator).objects.get(pk=operator.pk)  # no cached memberships
    # Six for the figures (seven on SQLite, which reads the durations once more), one for the permission.
    with django_assert_max_num_queries(7 if connection.vendor == "postgresql" else 8):
        stats.dashboard_stats(operator, period())


def test_report_rows_per_day_and_kind(desk, operator):
    report = stats.response_report(operator, period())
    assert report.limits == {"sos": 300, "support": 86400}
    rows = {(r.day.day, r.kind): r for r in report.rows}
    assert len(report.rows) == 10  # 5 days x 2 kinds, empty ones included
    first = rows[(10, "sos")]
    assert (first.requests, first.timeliness.within_limit, first.timeliness.late) == (4, 3, 1)
    assert (first.p50, first.p90) == (210, 510)  # 60 120 300 600: 120 + 0.5 x 180 ; 300 + 0.7 x 300
    assert [r.reference for r in first.late_requests] == [desk["D"].reference]
    assert first.late_requests[0].waited_seconds == 600
    assert (rows[(10, "support")].p50, rows[(10, "support")].timeliness.within_limit) == (3600, 1)
    assert rows[(11, "sos")].requests == 0
    assert rows[(11, "sos")].p50 is None
    support_12 = rows[(12, "support")]
    assert (support_12.requests, support_12.timeliness.counted, support_12.timeliness.late) == (3, 2, 2)
    assert [r.reference for r in support_12.late_requests] == [desk["G"].reference, desk["H"].reference]
    assert support_12.late_requests[1].acknowledged_at is None
    assert support_12.late_requests[1].waited_seconds == (NOW - at(12, 9)).total_seconds()
    assert [r.reference for r in rows[(12, "sos")].late_requests] == [desk["F"].reference]
    assert [r.reference for r in rows[(14, "sos")].late_requests] == [desk["L"].reference]
    assert rows[(14, "support")].late_requests == []
    assert rows[(14, "support")].timeliness.pending == 1


def test_report_lists_at_most_n_late_per_row_and_says_how_many_more(desk, operator):
    report = stats.response_report(operator, period(), late_per_row=1)
    row = next(r for r in report.rows if (r.day.day, r.kind) == (12, "support"))
    assert [r.reference for r in row.late_requests] == [desk["G"].reference]
    assert row.late_not_listed == 1


# --- who may see it ---------------------------------------------------------------------------------------


def test_only_the_desk_reads_the_figures(desk, operator, supervisor, worker):
    assert stats.dashboard_stats(supervisor, period()).total == 11
    for outsider in (worker, make_staff("enterprise_staff"), make_staff("enterprise_admin")):
        with pytest.raises(PermissionDenied):
            stats.dashboard_stats(outsider, period())
        with pytest.raises(PermissionDenied):
            stats.response_report(outsider, period())


@pytest.mark.parametrize(
    "path", ["/staff/sos/dashboard/", "/staff/sos/report/", "/staff/sos/report/?format=csv"]
)
def test_pages_refuse_anyone_but_the_desk(client, desk, worker, path):
    anonymous = client.get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for outsider in (worker, make_staff("enterprise_staff")):
        response = sign_in(client, outsider).get(path)
        assert response.status_code == 403
        assert desk["A"].reference.encode() not in response.content


def test_api_refuses_anyone_but_the_desk(client, desk, worker, operator, supervisor):
    assert ApiClient(client).get("sos/stats").status_code == 401
    assert ApiClient(client).as_user(worker).get("sos/stats").status_code == 403
    assert ApiClient(client).as_user(make_staff("enterprise_staff")).get("sos/stats").status_code == 403
    assert ApiClient(client).as_user(operator).get("sos/stats").status_code == 200
    assert ApiClient(client).as_user(supervisor).get("sos/stats").status_code == 200


# --- the API ----------------------------------------------------------------------------------------------


def test_api_returns_the_figures(client, desk, operator):
    data = ApiClient(client).as_user(operator).get("sos/stats", **PERIOD).json()
    assert (data["date_from"], data["date_to"], data["timezone"]) == (
        "2026-03-10",
        "2026-03-14",
        "Asia/Ho_Chi_Minh",
    )
    assert (data["total"], data["flagged"], data["open_now"]) == (11, 1, 7)
    assert [(d["date"], d["sos"], d["support"], d["total"]) for d in data["days"]] == [
        ("2026-03-10", 4, 1, 5),
        ("2026-03-11", 0, 0, 0),
        ("2026-03-12", 1, 3, 4),
        ("2026-03-13", 0, 0, 0),
        ("2026-03-14", 1, 1, 2),
    ]
    korea = data["by_country"][0]
    assert (korea["code"], korea["name_vi"], korea["count"]) == ("KR", "Hàn Quốc", 6)
    assert {s["code"]: s["count"] for s in data["by_outcome"]} == {"safe": 2, "helped": 1, "referred": 1}
    assert data["by_category"][0] | {"label": ""} == {
        "code": "other",
        "label": "",
        "count": 5,
        "by_kind": {"sos": 5},
    }
    sos, support = data["kinds"]
    assert sos["response_seconds"] == {"p50": 300.0, "p90": 1320.0, "p99": 1752.0, "max": 1800.0}
    assert sos["resolve_seconds"] == {"p50": 3600.0, "p90": 6480.0, "p99": None, "max": None}
    assert (sos["within_limit"], sos["late"], sos["late_not_acknowledged"], sos["share_within_limit"]) == (
        3,
        3,
        1,
        0.5,
    )
    assert (support["counted"], support["late"], support["pending"], support["requests"]) == (4, 2, 1, 5)
    assert support["response_seconds"]["p90"] == 81360.0
    assert "phone" not in str(data)
    assert PHONE not in str(data)
    assert WORKER_NAME not in str(data)


def test_api_filters_and_errors(client, desk, operator):
    api = ApiClient(client).as_user(operator)
    sos_only = api.get("sos/stats", kind="sos", country="JP", **PERIOD).json()
    assert (sos_only["total"], [k["kind"] for k in sos_only["kinds"]]) == (2, ["sos"])
    assert sos_only["kinds"][0]["response_seconds"]["p50"] == 450.0  # C 300 and D 600
    too_long = api.get("sos/stats", date_from="2025-01-01", date_to="2026-03-14")
    assert too_long.status_code == 422
    assert "date_from" in too_long.json()["details"]["fields"]
    assert api.get("sos/stats", kind="panic").status_code == 422
    assert api.get("sos/stats", date_from="yesterday").status_code == 422
    default = api.get("sos/stats").json()
    assert (default["date_from"], default["date_to"]) == ("2026-02-14", "2026-03-15")


# --- the pages --------------------------------------------------------------------------------------------


def test_dashboard_page_in_vietnamese(client, desk, operator, django_assert_max_num_queries):
    sign_in(client, operator)
    # Session, user, memberships; six for the figures (seven on SQLite); the country list; the session save.
    with django_assert_max_num_queries(14):
        page = client.get("/staff/sos/dashboard/", PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="vi">' in html
    assert "Hàn Quốc" in html  # countries by their Vietnamese names
    assert "Tiền lương" in html  # a category, translated
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 4  # days, countries, categories, outcomes
    assert 'role="img"' in html
    assert html.count("<details") == 4  # every chart has its data table
    assert "<script>" not in html
    assert 'style="' not in html
    assert "/static/web/dashboard.css" in html
    assert PHONE not in html
    assert WORKER_NAME not in html


def test_dashboard_page_in_english(client, desk, supervisor, reference_data):
    page = sign_in(client, supervisor, "en").get("/staff/sos/dashboard/", PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert "Requests per day" in html
    assert reference_data.country("KR").name_en in html
    assert "Wages" in html
    assert "5 min 00 s" in html  # the SOS limit in the percentile table
    assert "22 min 00 s" in html  # SOS p90: 1320 s
    assert "13 h 00 min" in html  # support p50: 46,800 s
    assert "50.0 %" in html  # SOS acknowledged within the limit: 3 of 6
    assert "SOS (emergency): acknowledged within 5 min 00 s" in html
    assert "Period: 10/03/2026 – 14/03/2026" in html
    assert "Counted from the requests themselves at 12:00 15/03/2026." in html
    korea = client.get("/staff/sos/dashboard/", {**PERIOD, "country": "KR"}).content.decode()
    assert 'value="KR" selected' in korea
    assert "1 min 54 s" in korea  # SOS p90 in Korea: 60 and 120 s


def test_dashboard_page_shows_errors_in_the_form(client, desk, operator):
    page = sign_in(client, operator).get(
        "/staff/sos/dashboard/", {"date_from": "2026-03-14", "date_to": "2026-03-01"}
    )
    assert page.status_code == 422
    assert b'aria-invalid="true"' in page.content
    assert b"<svg" not in page.content


def test_report_page_links_the_late_ones_to_the_console(client, desk, operator):
    page = sign_in(client, operator, "en").get("/staff/sos/report/", PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("D", "F", "G", "H", "L"):
        assert f'<a href="/staff/sos/requests/{desk[name].pk}/">{desk[name].reference}</a>' in html
    for name in ("A", "B", "C", "E", "I", "K"):
        assert desk[name].reference not in html
    assert "format=xlsx" in html
    assert "format=csv" in html
    assert "3 min 30 s" in html  # p50 of 10/03 SOS: 210 s
    assert "still waiting: 3 d 3 h" in html  # H, received 12/03 09:00, not acknowledged at 15/03 12:00
    assert "SOS (emergency): acknowledge within 5 min 00 s." in html
    assert PHONE not in html
    assert WORKER_NAME not in html


def test_report_page_in_vietnamese(client, desk, operator):
    page = sign_in(client, operator).get("/staff/sos/report/", PERIOD)
    assert page.status_code == 200
    assert '<html lang="vi">' in page.content.decode()
    assert "SOS (khẩn cấp)" in page.content.decode()


def test_csv_download(client, desk, operator):
    response = sign_in(client, operator, "en").get("/staff/sos/report/", {**PERIOD, "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "sos-response-times-20260310-20260314.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Date", "Kind", "Requests"]
    assert len(rows) == 1 + 10
    by_key = {(r[0], r[1]): r for r in rows[1:]}
    sos_10 = by_key[("2026-03-10", "SOS (emergency)")]
    assert sos_10[2:11] == ["4", "4", "4", "3", "1", "0", "0.75", "210.0", "510.0"]
    assert sos_10[11] == desk["D"].reference
    support_12 = by_key[("2026-03-12", "Support request")]
    assert support_12[11].split() == [desk["G"].reference, desk["H"].reference]
    assert by_key[("2026-03-11", "SOS (emergency)")][2:] == ["0", "0", "0", "0", "0", "0", "", "", "", ""]
    assert PHONE not in text
    assert WORKER_NAME not in text
    assert "Suwon" not in text


def test_xlsx_download(client, desk, operator):
    response = sign_in(client, operator, "en").get("/staff/sos/report/", {**PERIOD, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    figures, late = book.worksheets
    cells = [list(row) for row in figures.iter_rows(values_only=True)]
    header_at = next(i for i, row in enumerate(cells) if row and row[0] == "Date")
    rows = [r for r in cells[header_at + 1 :] if r and r[0]]
    assert len(rows) == 10
    first = rows[0]
    assert first[0].date() == date(2026, 3, 10)
    assert first[2:11] == [4, 4, 4, 3, 1, 0, 0.75, 210, 510]
    late_rows = list(late.iter_rows(values_only=True))[1:]
    assert [r[0] for r in late_rows] == [desk[n].reference for n in ("D", "F", "G", "H", "L")]
    assert late_rows[0][2] == datetime(2026, 3, 10, 11, 0)  # Vietnam time, as the page shows it
    assert late_rows[0][4] == 600
    assert late_rows[0][5].endswith(f"/staff/sos/requests/{desk['D'].pk}/")
    dump = " ".join(str(c) for row in cells + late_rows for c in row if c is not None)
    assert PHONE not in dump
    assert WORKER_NAME not in dump
    assert "Suwon" not in dump


def test_report_page_says_how_many_late_ones_are_not_listed(client, desk, operator, monkeypatch):
    from ansinh.sos import dashboard_views

    monkeypatch.setattr(dashboard_views, "LATE_PER_ROW", 1)
    html = sign_in(client, operator, "en").get("/staff/sos/report/", PERIOD).content.decode()
    assert desk["G"].reference in html
    assert desk["H"].reference not in html
    assert "and 1 more (in the downloads)" in html


def test_xlsx_late_sheet_is_capped_and_long_cells_cut(client, desk, operator, monkeypatch):
    from ansinh.sos import report_exports

    monkeypatch.setattr(report_exports, "LATE_SHEET_MAX", 2)
    response = sign_in(client, operator, "en").get("/staff/sos/report/", {**PERIOD, "format": "xlsx"})
    late = list(
        load_workbook(io.BytesIO(response.content), read_only=True).worksheets[1].iter_rows(values_only=True)
    )
    assert [r[0] for r in late[1:3]] == [desk["D"].reference, desk["F"].reference]
    assert late[3][0].startswith("and 3 more")
    references = " ".join(f"SOS-260310-{n:06d}" for n in range(3000))
    cut = report_exports._fit_cell(references)
    assert len(cut) <= report_exports.XLSX_CELL_MAX
    assert cut.endswith(f"(+{3000 - cut.count('SOS-')})")
    assert report_exports._fit_cell("HT-260312-000008") == "HT-260312-000008"
