"""The unemployment-insurance statistics on a real database: a few claims in two provinces, figure by figure
(counted by hand below), the scope of each officer, the page, the Excel download read back with openpyxl,
and the API."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from openpyxl import load_workbook

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.accounts.models import OrganisationKind
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.dossiers.models import Dossier, DossierEvent
from ansinh.dossiers.services import transitions
from ansinh.unemployment import statistics as stats
from ansinh.unemployment.models import BenefitClaim, BenefitMonth, ClaimStatus, MonthStatus
from ansinh.unemployment.procedures import BENEFIT_CLAIM, BENEFIT_TRANSFER
from ansinh.unemployment.stats_views import amount_words, count_text, headline
from tests.api_client import ApiClient
from tests.factories import OrganisationFactory, PersonFactory, make_staff

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
UTC = ZoneInfo("UTC")
NOW = datetime(2026, 3, 15, 10, 0, tzinfo=VN)
PAGE = "/staff/unemployment/statistics/"
XLSX = "/staff/unemployment/statistics.xlsx"


# --- the records, by hand ---------------------------------------------------------------------------------


def vn(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=VN)


def claim_dossier(
    centre, submitted_at: datetime, *, state: str = "approved", procedure: str = BENEFIT_CLAIM
) -> Dossier:
    person = PersonFactory()
    dossier = Dossier.objects.create(
        receipt_code=f"{centre.code}-{Dossier.objects.count() + 1:06d}",
        procedure_code=procedure,
        procedure_version="2015",
        state=state,
        applicant_person=person,
        applicant_name=person.full_name,
        receiving_organisation=centre,
        org_path=centre.path,
        province_id=centre.province_id,
        created_at=submitted_at,
        submitted_at=submitted_at,
    )
    DossierEvent.objects.create(dossier=dossier, at=submitted_at, action="submit", to_state="submitted")
    return dossier


def benefit(centre, submitted_at: datetime, decided_on: date, monthly: int, months: int) -> BenefitClaim:
    dossier = claim_dossier(centre, submitted_at)
    dossier.decided_at = vn(decided_on, 15)
    dossier.save(update_fields=["decided_at"])
    DossierEvent.objects.create(dossier=dossier, at=dossier.decided_at, action="approve", to_state="approved")
    return BenefitClaim.objects.create(
        dossier=dossier,
        person=dossier.applicant_person,
        centre=centre,
        org_path=centre.path,
        province_id=centre.province_id,
        status=ClaimStatus.PAYING,
        decision_number=f"{dossier.receipt_code}/QĐ-TCTN",
        decided_on=decided_on,
        decided_month=decided_on.replace(day=1),
        rule_set="law-38-2013",
        termination_date=decided_on - timedelta(days=40),
        contribution_months=36,
        average_wage=monthly * 10 // 6,
        monthly_benefit=monthly,
        benefit_months=months,
        reserved_months=0,
        start_date=decided_on + timedelta(days=1),
        end_date=decided_on + timedelta(days=30 * months),
    )


def refusal(centre, submitted_at: datetime, refused_on: date, *, delivered: bool = False) -> Dossier:
    dossier = claim_dossier(centre, submitted_at, state="delivered" if delivered else "refused")
    dossier.decided_at = vn(refused_on, 15)
    dossier.save(update_fields=["decided_at"])
    DossierEvent.objects.create(dossier=dossier, at=dossier.decided_at, action="refuse", to_state="refused")
    return dossier


def month(claim: BenefitClaim, number: int, status: str, notified_at: datetime | None = None) -> BenefitMonth:
    start = claim.start_date + timedelta(days=30 * (number - 1))
    return BenefitMonth.objects.create(
        claim=claim,
        number=number,
        start=start,
        end=start + timedelta(days=29),
        notify_from=start,
        notify_until=start + timedelta(days=4),
        status=status,
        amount=claim.monthly_benefit if status == MonthStatus.NOTIFIED else 0,
        notified_at=notified_at,
    )


@pytest.fixture
def ministry_officer(db):
    ministry = OrganisationFactory(code="BNV", name="Bộ Nội vụ", kind=OrganisationKind.MINISTRY)
    return make_staff("ministry_officer", ministry)


@pytest.fixture
def second_centre(world):
    """A second employment centre in Nghệ An, under the same department: the centre officer of the first
    must not see its claims; the provincial officer sees both."""
    return OrganisationFactory(
        code="TTDVVL-NA-2",
        name="Chi nhánh Trung tâm Dịch vụ việc làm Nghệ An tại Vinh",
        kind=OrganisationKind.EMPLOYMENT_CENTRE,
        province=world.centre.province,
        parent=world.department,
    )


@pytest.fixture
def records(world, second_centre, reference_data):
    """2025, by hand (Vietnam time).

    Nghệ An, centre 1: A (received 01, decided 02), B (received 02, decided 02), C (received 1 January
    at 00:30 in Vietnam, still 31 December in UTC: January; decided 01), D (received 03, refused in 03,
    then delivered). Nghệ An, centre 2: E (received 03, decided 03). Hà Tĩnh: F (received 03, decided 03),
    G (received 04, refused in 05). Outside 2025 or not a claim: H (decided 12/2024), a transfer dossier,
    a claim submitted on 1 January 2026 at 00:30 in Vietnam (still 2025 in UTC)."""
    centre, other = world.centre, world.other_centre
    made = {
        "A": benefit(centre, vn(date(2025, 1, 20)), date(2025, 2, 10), 4_800_000, 3),
        "B": benefit(centre, vn(date(2025, 2, 3)), date(2025, 2, 25), 6_000_000, 5),
        "C": benefit(centre, vn(date(2025, 1, 1), 0, 30), date(2025, 1, 20), 3_500_000, 3),
        "D": refusal(centre, vn(date(2025, 3, 2)), date(2025, 3, 20), delivered=True),
        "E": benefit(second_centre, vn(date(2025, 3, 1)), date(2025, 3, 18), 2_000_000, 3),
        "F": benefit(other, vn(date(2025, 3, 5)), date(2025, 3, 28), 5_000_000, 4),
        "G": refusal(other, vn(date(2025, 4, 28)), date(2025, 5, 6)),
        "H": benefit(centre, vn(date(2024, 11, 20)), date(2024, 12, 15), 9_000_000, 6),
        "transfer": claim_dossier(centre, vn(date(2025, 6, 1)), procedure=BENEFIT_TRANSFER),
        "next_year": claim_dossier(centre, vn(date(2026, 1, 1), 0, 30), state="submitted"),
    }
    # Months: A's first two notified (02, 03), its third missed; F's first notified (03/04 at midnight in
    # Vietnam: April); H's last month notified in January 2025; E's first still waiting.
    month(made["A"], 1, MonthStatus.NOTIFIED, vn(date(2025, 2, 12)))
    month(made["A"], 2, MonthStatus.NOTIFIED, vn(date(2025, 3, 12)))
    month(made["A"], 3, MonthStatus.MISSED)
    month(made["F"], 1, MonthStatus.NOTIFIED, vn(date(2025, 4, 1), 0, 10))
    month(made["H"], 6, MonthStatus.NOTIFIED, vn(date(2025, 1, 14)))
    month(made["E"], 1, MonthStatus.WAITING)
    return made


@pytest.fixture(autouse=True)
def _no_count_kept():
    """The count of the whole country is kept in the cache (a process-wide one in tests): start each test
    without it."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(params=["kept", "live"])
def counting(request, settings):
    """Both ways of reading: a count of the whole country kept a few minutes (the default), or each
    request's own figures counted from the records (UNEMPLOYMENT_STATISTICS_CACHE_SECONDS = 0)."""
    settings.UNEMPLOYMENT_STATISTICS_CACHE_SECONDS = 300 if request.param == "kept" else 0
    return request.param


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW.astimezone(UTC))
    return NOW


def read(actor, year=2025, province=""):
    scope = stats.scope_for(actor)
    return stats.monthly_statistics(actor, stats.query_from(scope, year=year, province=province), scope)


def by_month(result: stats.Statistics) -> dict[int, stats.Figures]:
    return {m.month.month: m.figures for m in result.months if not m.figures.empty}


def by_province(result: stats.Statistics) -> dict[str, stats.Figures]:
    return {p.code: p.figures for p in result.provinces}


# --- the figures ------------------------------------------------------------------------------------------


def test_the_whole_country_month_by_month(
    counting, records, ministry_officer, frozen, django_assert_max_num_queries
):
    # Memberships, provinces, then a transaction (two SET LOCAL on PostgreSQL) with one query per figure.
    with django_assert_max_num_queries(10):
        result = read(ministry_officer)
    assert result.year == 2025
    assert [m.month for m in result.months] == [date(2025, n, 1) for n in range(1, 13)]
    assert by_month(result) == {
        1: stats.Figures(
            received=2, decided=1, amount_decided=10_500_000, months_notified=1, amount_notified=9_000_000
        ),
        2: stats.Figures(
            received=1, decided=2, amount_decided=44_400_000, months_notified=1, amount_notified=4_800_000
        ),
        3: stats.Figures(
            received=3,
            decided=2,
            refused=1,
            amount_decided=26_000_000,
            months_notified=1,
            amount_notified=4_800_000,
        ),
        4: stats.Figures(received=1, months_notified=1, amount_notified=5_000_000),
        5: stats.Figures(refused=1),
    }
    assert result.total == stats.Figures(
        # A, B, C, D, E, F, G: not H (2024), the transfer, nor the one filed in 2026 (Vietnam time)
        received=7,
        decided=5,
        refused=2,
        amount_decided=14_400_000 + 30_000_000 + 10_500_000 + 6_000_000 + 20_000_000,
        months_notified=4,
        amount_notified=9_000_000 + 4_800_000 * 2 + 5_000_000,
    )
    provinces = by_province(result)
    assert len(provinces) == 34  # every province, zeros included
    assert all(f.empty for code, f in provinces.items() if code not in ("40", "42"))
    assert provinces["40"] == stats.Figures(
        received=5,
        decided=4,
        refused=1,
        amount_decided=60_900_000,
        months_notified=3,
        amount_notified=18_600_000,
    )
    assert provinces["42"] == stats.Figures(
        received=2,
        decided=1,
        refused=1,
        amount_decided=20_000_000,
        months_notified=1,
        amount_notified=5_000_000,
    )
    # Each province has its twelve months, and they add up.
    nghe_an = next(p for p in result.provinces if p.code == "40")
    assert len(nghe_an.months) == 12
    assert stats._sum(nghe_an.months) == nghe_an.figures


def test_one_province_chosen(counting, records, ministry_officer, frozen):
    result = read(ministry_officer, province="42")
    assert [p.code for p in result.provinces] == ["42"]
    assert result.total == stats.Figures(
        received=2,
        decided=1,
        refused=1,
        amount_decided=20_000_000,
        months_notified=1,
        amount_notified=5_000_000,
    )
    assert by_month(result)[5] == stats.Figures(refused=1)


def test_another_year_and_the_default_year(counting, records, ministry_officer, frozen):
    last_year = read(ministry_officer, year=2024)
    assert last_year.total == stats.Figures(received=1, decided=1, amount_decided=54_000_000)
    this_year = read(ministry_officer, year=None)
    assert this_year.year == 2026
    assert this_year.total == stats.Figures(received=1)  # filed at 00:30 on 1 January 2026, Vietnam time
    assert stats.years_for() == [2026, 2025, 2024]


def test_what_is_asked_is_checked(records, ministry_officer, world, frozen):
    scope = stats.scope_for(ministry_officer)
    for year in ("abc", "2008", "2027"):
        with pytest.raises(ValidationFailed) as raised:
            stats.query_from(scope, year=year)
        assert "year" in raised.value.details["fields"]
    with pytest.raises(ValidationFailed) as raised:
        stats.query_from(scope, province="99")
    assert "province" in raised.value.details["fields"]
    # A centre's officer may not choose another province.
    with pytest.raises(ValidationFailed):
        stats.query_from(stats.scope_for(world.officer), province="42")
    outside = stats.Query(year=2025, province=scope.province("42"))
    with pytest.raises(PermissionDenied):
        stats.monthly_statistics(world.officer, outside)


def test_the_real_steps_are_counted(counting, world, frozen_today, run_on_commit):
    """A claim filed and approved through the services, and one refused, are counted like the rows above."""
    from tests.unemployment.test_claims import decided_claim, file_claim

    claim = decided_claim(world, frozen_today)  # filed 6 April 2026, decided 10 April 2026
    refused = file_claim(world)
    transitions.dossier_act(
        actor=world.decider, dossier_id=refused.pk, action="refuse", note="Chưa đủ điều kiện"
    )
    result = read(world.decider, year=2026)
    april = by_month(result)[4]
    assert (april.received, april.decided, april.refused) == (2, 1, 1)
    assert april.amount_decided == claim.monthly_benefit * claim.benefit_months == 14_400_000


def test_the_count_is_kept_and_made_again(records, world, ministry_officer, frozen, settings, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.UNEMPLOYMENT_STATISTICS_CACHE_SECONDS = 300
    assert read(ministry_officer).total.decided == 5
    with CaptureQueriesContext(connection) as queries:
        again = read(world.officer)  # another scope, the same count
    assert not [q for q in queries if "GROUP BY" in q["sql"]]
    assert again.total.decided == 3
    assert again.recounted_every == 300
    benefit(world.centre, vn(date(2025, 6, 2)), date(2025, 6, 20), 4_000_000, 3)
    assert read(ministry_officer).total.decided == 5  # until the count is made again
    stats.recount(2025)  # as the periodic task does
    assert read(ministry_officer).total.decided == 6
    benefit(world.centre, vn(date(2025, 6, 3)), date(2025, 6, 20), 4_000_000, 3)
    monkeypatch.setattr(timezone, "now", lambda: (NOW + timedelta(minutes=5)).astimezone(UTC))
    assert read(ministry_officer).total.decided == 7  # five minutes on, the next request counts again
    settings.UNEMPLOYMENT_STATISTICS_CACHE_SECONDS = 0
    live = read(ministry_officer)
    assert (live.total.decided, live.recounted_every) == (7, 0)


def test_while_one_process_counts_the_others_show_the_count_before(
    records, ministry_officer, frozen, settings, monkeypatch
):
    settings.UNEMPLOYMENT_STATISTICS_CACHE_SECONDS = 300
    assert read(ministry_officer).total.decided == 5
    benefit(records["A"].centre, vn(date(2025, 6, 2)), date(2025, 6, 20), 4_000_000, 3)
    monkeypatch.setattr(timezone, "now", lambda: (NOW + timedelta(minutes=6)).astimezone(UTC))
    cache.add(f"{stats._cache_key(2025)}:counting", True)  # another process is counting
    assert read(ministry_officer).total.decided == 5  # the count before, not a second count
    cache.delete(f"{stats._cache_key(2025)}:counting")
    assert read(ministry_officer).total.decided == 6
    # Nothing counted yet and another process counting: wait for its count, then count if none comes.
    cache.clear()
    cache.add(f"{stats._cache_key(2025)}:counting", True)
    monkeypatch.setattr(stats, "COUNTING_SECONDS", 0.3)
    assert read(ministry_officer).total.decided == 6


# --- who sees what ----------------------------------------------------------------------------------------


def test_a_centre_officer_sees_only_the_centre(counting, records, world, frozen):
    result = read(world.officer)
    assert result.scope.organisations == (world.centre.name,)
    assert [p.code for p in result.provinces] == ["40"]
    # A, B, C, D and H's last month; not E (the other centre of the same province) nor Hà Tĩnh's.
    assert result.total == stats.Figures(
        received=4,
        decided=3,
        refused=1,
        amount_decided=54_900_000,
        months_notified=3,
        amount_notified=18_600_000,
    )


def test_a_provincial_officer_sees_the_province(counting, records, world, frozen):
    result = read(world.decider)
    assert result.scope.province_ids == {world.centre.province_id}
    assert result.scope.org_paths == ()  # the department's own subtree lies in the province: nothing to add
    assert [p.code for p in result.provinces] == ["40"]
    assert result.total.decided == 4  # A, B, C and E
    assert result.total.received == 5


def test_the_other_province_sees_its_own(counting, records, world, frozen):
    result = read(world.outsider_officer)
    assert result.total == stats.Figures(
        received=2,
        decided=1,
        refused=1,
        amount_decided=20_000_000,
        months_notified=1,
        amount_notified=5_000_000,
    )


def test_outsiders_read_nothing(records, world, frozen):
    for outsider in (world.stranger, world.citizen, make_staff("enterprise_staff")):
        assert not stats.can_see_statistics(outsider)
        with pytest.raises(PermissionDenied):
            stats.scope_for(outsider)


# --- the words --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "2,238 people settled, 26.1 billion VND"),
        ("vi", ("2.238", "26,1")),  # the sentence itself is translated in the catalogue
    ],
)
def test_the_totals_in_words(language, expected):
    from django.utils import translation

    with translation.override(language):
        text = headline(stats.Figures(decided=2_238, amount_decided=26_100_003_600))
        if isinstance(expected, str):
            assert text == expected
        else:
            assert all(part in text for part in expected)
            assert count_text(1_234_567) == "1.234.567"
    with translation.override("en"):
        assert amount_words(480_000_000) == "480 million VND"
        assert amount_words(950_000) == "950,000 VND"
        assert amount_words(4_000_000_000) == "4 billion VND"
        assert (
            headline(stats.Figures(decided=1, amount_decided=14_400_000))
            == "1 person settled, 14.4 million VND"
        )


# --- the page, the workbook, the API ----------------------------------------------------------------------


def sign_in(client, user, language: str = "vi"):
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_page_for_the_ministry(client, records, ministry_officer, frozen, django_assert_max_num_queries):
    sign_in(client, ministry_officer)
    # Session, user, memberships, provinces; a transaction (two SET LOCAL on PostgreSQL) with one query per
    # figure; the first year with data; the session saved in its transaction.
    with django_assert_max_num_queries(16):
        page = client.get(PAGE, {"year": "2025"})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="vi">' in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 3  # decisions, amounts, provinces
    assert 'role="img"' in html
    assert "<script>" not in html
    assert 'style="' not in html
    assert "/static/web/dashboard.css" in html
    assert "Tỉnh Nghệ An" in html
    assert "Tỉnh Hà Tĩnh" in html
    assert "80.900.000" in html  # the amount decided, grouped the Vietnamese way
    assert "statistics.xlsx?year=2025" in html
    assert '<option value="2025" selected>' in html


def test_page_in_english_for_a_centre(client, records, world, frozen):
    page = sign_in(client, world.officer, "en").get(PAGE, {"year": "2025"})
    assert page.status_code == 200
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert "3 people settled, 54.9 million VND" in html
    assert "Ha Tinh" not in html
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2  # one province: no province chart
    assert world.centre.name in html  # whose figures these are


def test_page_shows_errors_in_the_form(client, records, world, frozen):
    page = sign_in(client, world.officer).get(PAGE, {"year": "1999", "province": "42"})
    assert page.status_code == 422
    assert page.content.count(b'aria-invalid="true"') == 2
    assert b"<svg" not in page.content


@pytest.mark.parametrize("url", [PAGE, XLSX])
def test_pages_refuse_anyone_without_the_permission(client, records, world, url):
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    for outsider in (world.citizen, make_staff("enterprise_staff")):
        response = sign_in(client, outsider).get(url)
        assert response.status_code == 403
        assert b"80.900.000" not in response.content


def rows_of(sheet) -> list[tuple]:
    """The sheet's lines without the empty cells a read-only sheet pads them with."""
    out = []
    for row in sheet.iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        out.append(tuple(values))
    return out


def test_excel_download(client, records, world, frozen):
    response = sign_in(client, world.decider, "en").get(XLSX, {"year": "2025"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"] == 'attachment; filename="thong-ke-bhtn-2025.xlsx"'
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["By month", "By province", "By province and month"]
    months = rows_of(book["By month"])
    assert months[0][0] == "Unemployment insurance statistics, 2025"
    assert "4 people settled, 60.9 million VND" in [row[0] for row in months if row]
    header = months.index(
        (
            "Month",
            "Claims received",
            "Benefits decided (people settled)",
            "Claims refused",
            "Amount decided (VND)",
            "Months notified for payment",
            "Amount notified for payment (VND)",
        )
    )
    rows = months[header + 1 :]
    assert len(rows) == 13
    assert rows[1] == (datetime(2025, 2, 1), 1, 2, 0, 44_400_000, 1, 4_800_000)
    assert rows[2] == (datetime(2025, 3, 1), 2, 1, 1, 6_000_000, 1, 4_800_000)  # D refused; E decided
    assert rows[12] == ("Total", 5, 4, 1, 60_900_000, 3, 18_600_000)
    provinces = rows_of(book["By province"])
    assert ("40", "Nghe An Province", 5, 4, 1, 60_900_000, 3, 18_600_000) in provinces
    detail = rows_of(book["By province and month"])
    assert len(detail) == 1 + 12
    assert detail[1][:3] == ("40", "Nghe An Province", datetime(2025, 1, 1))


def test_excel_of_one_province_has_its_name(client, records, ministry_officer, frozen):
    response = sign_in(client, ministry_officer, "en").get(XLSX, {"year": "2025", "province": "42"})
    assert response["Content-Disposition"] == 'attachment; filename="thong-ke-bhtn-2025-42.xlsx"'
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = rows_of(book["By province"])
    assert ("Province", "42", "Ha Tinh Province") in rows
    assert [r for r in rows if r[:1] == ("40",)] == []


def test_api_returns_the_figures(client, records, world, ministry_officer, frozen):
    data = ApiClient(client).as_user(ministry_officer).get("unemployment/statistics", year=2025).json()
    assert (data["year"], data["province"], data["timezone"]) == (2025, None, "Asia/Ho_Chi_Minh")
    assert (data["generated_at"], data["counted_every_seconds"]) == ("2026-03-15T03:00:00Z", 300)
    assert (data["scope"]["nation"], data["scope"]["organisations"]) == (True, [])
    assert len(data["scope"]["provinces"]) == 34
    assert data["total"] == {
        "received": 7,
        "decided": 5,
        "refused": 2,
        "amount_decided": 80_900_000,
        "months_notified": 4,
        "amount_notified": 23_600_000,
    }
    assert [m["month"] for m in data["months"]][:2] == ["2025-01", "2025-02"]
    assert data["months"][2]["decided"] == 2
    ha_tinh = next(p for p in data["provinces"] if p["code"] == "42")
    assert (ha_tinh["name_vi"], ha_tinh["decided"], ha_tinh["months"][4]["refused"]) == ("Tỉnh Hà Tĩnh", 1, 1)
    centre = ApiClient(client).as_user(world.officer).get("unemployment/statistics", year=2025).json()
    assert centre["total"]["decided"] == 3
    assert centre["scope"]["organisations"] == [world.centre.name]


def test_api_checks_and_refuses(client, records, world, frozen):
    assert ApiClient(client).get("unemployment/statistics").status_code == 401
    assert ApiClient(client).as_user(world.citizen).get("unemployment/statistics").status_code == 403
    api = ApiClient(client).as_user(world.officer)
    wrong = api.get("unemployment/statistics", year=2025, province="42")
    assert wrong.status_code == 422
    assert "province" in wrong.json()["details"]["fields"]
    assert api.get("unemployment/statistics", year=2008).status_code == 422
    assert api.get("unemployment/statistics").json()["year"] == 2026


def test_a_centre_report_comes_straight_from_the_data(client, world, frozen):
    """Seed 004: a centre "settled the unemployment benefit of 2,238 people ... nearly 26 billion đồng":
    the page says so from 2,238 benefit rows, nothing typed in."""
    people = PersonFactory._meta.model.objects.bulk_create(
        PersonFactory.build(personal_id=f"0060{n:08d}") for n in range(2_238)
    )
    submitted = vn(date(2025, 3, 2))
    dossiers = Dossier.objects.bulk_create(
        Dossier(
            receipt_code=f"TT-{n:06d}",
            procedure_code=BENEFIT_CLAIM,
            procedure_version="2015",
            state="approved",
            applicant_person=person,
            applicant_name=person.full_name,
            receiving_organisation=world.centre,
            org_path=world.centre.path,
            province_id=world.centre.province_id,
            submitted_at=submitted,
        )
        for n, person in enumerate(people)
    )
    decided = date(2025, 3, 20)
    BenefitClaim.objects.bulk_create(
        BenefitClaim(
            dossier=dossier,
            person_id=dossier.applicant_person_id,
            centre=world.centre,
            org_path=world.centre.path,
            province_id=world.centre.province_id,
            decision_number=f"{dossier.receipt_code}/QĐ",
            decided_on=decided,
            decided_month=decided.replace(day=1),
            rule_set="law-38-2013",
            termination_date=date(2025, 2, 1),
            contribution_months=36,
            average_wage=6_479_000,
            monthly_benefit=3_887_400,
            benefit_months=3,
            reserved_months=0,
            start_date=decided,
            end_date=decided + timedelta(days=90),
        )
        for dossier in dossiers
    )
    html = sign_in(client, world.officer).get(PAGE, {"year": "2025"}).content.decode()
    assert "2.238" in html
    assert "26,1" in html
    english = sign_in(client, world.officer, "en").get(PAGE, {"year": "2025"}).content.decode()
    assert "2,238 people settled, 26.1 billion VND" in english
