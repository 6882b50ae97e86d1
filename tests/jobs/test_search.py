"""Vacancy search (`ansinh.jobs.search`): the same answers on SQLite (FTS5) and PostgreSQL (full text +
trigram). Run on both: plain `pytest`, and with DATABASE_URL pointing at PostgreSQL."""

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from ansinh.geo.models import Country, Occupation, Province
from ansinh.jobs import search
from ansinh.jobs.models import ContractType, Vacancy, VacancyStatus
from ansinh.jobs.search import query_words, vacancy_search
from ansinh.jobs.texts import vacancy_search_text
from tests.jobs.world import make_vacancy

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[None, 1, 2, 3], ids=["no-window", "window-1", "window-2", "window-3"])
def window(request, monkeypatch):
    """On PostgreSQL the search reads the newest WINDOW open vacancies first: the same answers whatever
    the window's size (None: bigger than the test's vacancies, so the plain path)."""
    if request.param is not None:
        monkeypatch.setattr(search, "WINDOW", request.param)
    monkeypatch.setattr(search, "_window_start", None)
    return request.param


def titles(page: search.SearchPage) -> list[str]:
    return [vacancy.title for vacancy in page.results]


def ids(page: search.SearchPage) -> list[int]:
    return [vacancy.pk for vacancy in page.results]


def aged(vacancy: Vacancy, days: int) -> Vacancy:
    vacancy.published_at = timezone.now() - timedelta(days=days)
    vacancy.save(update_fields=["published_at"])
    return vacancy


def retext(vacancy: Vacancy, **changes: str) -> None:
    """Changes a vacancy's title or description and rebuilds its search text, as the service does."""
    for name, value in changes.items():
        setattr(vacancy, name, value)
    vacancy.search_text = vacancy_search_text(
        title=vacancy.title,
        occupation=f"{vacancy.occupation.name_vi} {vacancy.occupation.name_en}",
        employer=vacancy.employer.organisation.name,
        places=[vacancy.province.name] if vacancy.province else [],
        skills=vacancy.requirements,
        description=vacancy.description,
    )
    vacancy.save()


# --- the words ---------------------------------------------------------------------------------------------


def test_query_words_are_normalised():
    assert query_words("  Kế-toán  TỔNG hợp! ") == ["ke", "toan", "tong", "hop"]
    assert query_words("Đắk Lắk") == query_words("dak lak") == ["dak", "lak"]
    assert query_words("") == []
    assert query_words("* & | ! ' \" :") == []  # nothing an FTS or tsquery parser could choke on
    assert len(query_words("a " * 50)) == search.MAX_WORDS


def test_backend_queries():
    assert search.pg_tsquery(["ke", "toan"]) == "ke & toan:*"
    assert search.pg_tsquery(["lai", "xe"]) == "lai & xe"  # a two-letter word is not a prefix
    assert search.fts_query("title", ["ke", "toan"]) == 'title : ("ke" "toan"*)'


# --- diacritics-insensitive, both ways ---------------------------------------------------------------------


@pytest.mark.parametrize("query", ["ke toan", "Kế toán", "KẾ  TOÁN", "kế toan", "ke toa"])
def test_found_with_and_without_diacritics(world, query, window):
    assert titles(vacancy_search(query=query)) == ["Kế toán tổng hợp"]


def test_text_typed_without_diacritics_is_found_with_them(world):
    make_vacancy(world.employer_b, title="Nhan vien ke toan kho", occupation_code="431")
    assert "Nhan vien ke toan kho" in titles(vacancy_search(query="nhân viên kế toán"))


def test_dak_lak_finds_dak_lak(world):
    dak_lak = Province.objects.get(code="66")
    vacancy = make_vacancy(
        world.employer_a, title="Công nhân chăm sóc cà phê", occupation_code="611", province=dak_lak
    )
    assert ids(vacancy_search(query="dak lak")) == [vacancy.pk]
    assert ids(vacancy_search(query="Đắk Lắk")) == [vacancy.pk]
    assert ids(vacancy_search(query="ĐẮK LẮK", province="66")) == [vacancy.pk]


def test_every_word_must_match(world):
    assert vacancy_search(query="ke toan oto").results == []
    assert titles(vacancy_search(query="tho han dien")) == ["Thợ hàn điện"]


def test_no_match_at_all(world):
    found = vacancy_search(query="phi hành gia")
    assert (found.results, found.total, found.has_next, found.partial) == ([], 0, False, False)


# --- filters -----------------------------------------------------------------------------------------------


@pytest.fixture
def spread(world):
    """Vacancies that differ in one filter each, all with "nhân viên" in the title."""
    dak_lak = Province.objects.get(code="66")
    return {
        "hcm": make_vacancy(
            world.employer_a, title="Nhân viên bán hàng", occupation_code="522", salary=(6_000_000, 8_000_000)
        ),
        "hanoi_part_time": make_vacancy(
            world.employer_b,
            title="Nhân viên phục vụ",
            occupation_code="513",
            contract_type=ContractType.PART_TIME,
            salary=(5_000_000, None),
        ),
        "dak_lak": make_vacancy(
            world.employer_a,
            title="Nhân viên kỹ thuật nông nghiệp",
            occupation_code="611",
            province=dak_lak,
            salary=(None, None),
        ),
        "well_paid": make_vacancy(
            world.employer_b,
            title="Nhân viên lập trình",
            occupation_code="251",
            salary=(20_000_000, 35_000_000),
        ),
        "remote": make_vacancy(
            world.employer_b,
            title="Nhân viên chăm sóc khách hàng từ xa",
            occupation_code="422",
            is_remote=True,
            salary=(9_000_000, 9_000_000),
        ),
    }


def test_filter_by_province(spread, window):
    assert ids(vacancy_search(query="nhan vien", province="66")) == [spread["dak_lak"].pk]
    assert set(ids(vacancy_search(query="nhan vien", province="79"))) == {spread["hcm"].pk}
    assert vacancy_search(query="nhan vien", province="zz").results == []


def test_filter_by_occupation_group(spread):
    assert ids(vacancy_search(query="nhan vien", occupation="522")) == [spread["hcm"].pk]
    # "5" is the major group: 522 and 513 are under it.
    assert set(ids(vacancy_search(query="nhan vien", occupation="5"))) == {
        spread["hcm"].pk,
        spread["hanoi_part_time"].pk,
    }
    assert set(ids(vacancy_search(occupation="2"))) >= {spread["well_paid"].pk}
    assert vacancy_search(occupation="9999").results == []


def test_filter_by_salary(spread):
    found = set(ids(vacancy_search(query="nhan vien", salary_min=9_000_000)))
    # Up to 35M and exactly 9M may pay 9M; 6-8M may not; "from 5M" with no upper bound is not known to;
    # a vacancy without a salary is left out.
    assert found == {spread["well_paid"].pk, spread["remote"].pk}
    assert spread["hanoi_part_time"].pk in ids(vacancy_search(query="nhan vien", salary_min=5_000_000))


def test_filter_by_contract_type(spread):
    assert ids(vacancy_search(query="nhan vien", contract_type=ContractType.PART_TIME)) == [
        spread["hanoi_part_time"].pk
    ]


def test_filter_abroad(world, spread, overseas_vacancy):
    assert ids(vacancy_search(query="tho han", abroad=True)) == [overseas_vacancy.pk]
    domestic = ids(vacancy_search(query="tho han", abroad=False))
    assert overseas_vacancy.pk not in domestic
    assert world.vacancy_b.pk in domestic
    assert set(ids(vacancy_search(query="tho han"))) == {overseas_vacancy.pk, world.vacancy_b.pk}


@pytest.fixture
def overseas_vacancy(world):
    """A welder's vacancy in Korea under a registered supply contract of a licensed enterprise."""
    from ansinh.accounts.models import OrganisationKind
    from ansinh.jobs.models import Employer, EmployerStatus
    from ansinh.overseas.models import (
        Contract,
        ContractKind,
        ContractStatus,
        Enterprise,
        EnterpriseStatus,
        ForeignParty,
        ForeignPartyKind,
    )
    from tests.factories import OrganisationFactory

    company = OrganisationFactory(
        name="Công ty Xuất khẩu lao động Hà Nội", kind=OrganisationKind.ENTERPRISE, province=world.hanoi
    )
    enterprise = Enterprise.objects.create(
        organisation=company,
        tax_code="0100000001",
        head_office="Hà Nội",
        province=world.hanoi,
        charter_capital=10_000_000_000,
        legal_representative="Trần Văn Bình",
        status=EnterpriseStatus.LICENSED,
        org_path=company.path,
    )
    korea = Country.objects.get(iso2="KR")
    today = timezone.localdate()
    contract = Contract.objects.create(
        enterprise=enterprise,
        kind=ContractKind.SUPPLY,
        number="HĐCU-1",
        foreign_party=ForeignParty.objects.create(
            kind=ForeignPartyKind.EMPLOYER, country=korea, registration_number="134-81", name="Hanil"
        ),
        country=korea,
        occupation=Occupation.objects.get(code="721"),
        workers_planned=10,
        monthly_salary=40_000_000,
        contract_months=36,
        signed_on=today,
        status=ContractStatus.REGISTERED,
        registrar=world.dept_hanoi,
        reply_due=today,
        org_path=company.path,
        province=world.hanoi,
    )
    employer = Employer.objects.create(
        organisation=company,
        tax_code="0100000001",
        province=world.hanoi,
        address="Hà Nội",
        contact_name="Trần Văn Bình",
        status=EmployerStatus.VERIFIED,
        org_path=company.path,
    )
    return make_vacancy(
        employer,
        title="Thợ hàn đi Hàn Quốc",
        occupation_code="721",
        is_abroad=True,
        country=korea,
        supply_contract=contract,
        salary=(40_000_000, 40_000_000),
    )


# --- only what a seeker may apply for --------------------------------------------------------------------


def test_closed_expired_past_deadline_and_unverified_are_left_out(world, window):
    today = timezone.localdate()
    shown = make_vacancy(world.employer_a, title="Kế toán thuế", occupation_code="241", deadline=today)
    make_vacancy(
        world.employer_a, title="Kế toán công nợ", occupation_code="241", status=VacancyStatus.CLOSED
    )
    make_vacancy(world.employer_a, title="Kế toán kho", occupation_code="241", status=VacancyStatus.EXPIRED)
    make_vacancy(
        world.employer_a, title="Kế toán bán hàng", occupation_code="241", status=VacancyStatus.WITHDRAWN
    )
    make_vacancy(
        world.employer_a, title="Kế toán trưởng", occupation_code="241", deadline=today - timedelta(days=1)
    )
    make_vacancy(world.employer_pending, title="Kế toán nội bộ", occupation_code="241")
    found = vacancy_search(query="ke toan")
    assert set(ids(found)) == {shown.pk, world.vacancy_a.pk}
    assert found.total == 2
    assert set(ids(vacancy_search())) == {shown.pk, world.vacancy_a.pk, world.vacancy_b.pk}


# --- relevance, then newest --------------------------------------------------------------------------------


def test_title_match_ranks_above_description_match_then_newest(world, window):
    old_title = aged(make_vacancy(world.employer_b, title="Thợ hàn kết cấu", occupation_code="721"), 20)
    new_title = aged(make_vacancy(world.employer_b, title="Thợ hàn MIG", occupation_code="721"), 1)
    in_description = make_vacancy(
        world.employer_b,
        title="Công nhân cơ khí",
        occupation_code="722",
        description="Làm việc cùng tổ thợ hàn của xưởng.",
    )
    world.vacancy_b.delete()
    found = vacancy_search(query="thợ hàn")
    # Both title matches first (newest first), the newer description-only match after them.
    assert ids(found) == [new_title.pk, old_title.pk, in_description.pk]
    assert found.total == 3


def test_pages_run_across_the_tiers(world, window):
    world.vacancy_a.delete()
    world.vacancy_b.delete()
    in_title = [
        aged(make_vacancy(world.employer_a, title=f"Lái xe tải {n}", occupation_code="832"), n)
        for n in range(3)
    ]
    elsewhere = [
        aged(
            make_vacancy(
                world.employer_a,
                title=f"Giao nhận {n}",
                occupation_code="832",
                description="Cần biết lái xe máy.",
            ),
            n,
        )
        for n in range(2)
    ]
    expected = [v.pk for v in in_title + elsewhere]
    pages = [vacancy_search(query="lai xe", page=n, page_size=2) for n in (1, 2, 3, 4)]
    assert [ids(p) for p in pages] == [expected[0:2], expected[2:4], expected[4:5], []]
    assert [p.has_next for p in pages] == [True, True, False, False]
    assert {p.total for p in pages} == {5}


def test_no_words_lists_newest_first(world):
    newer = make_vacancy(world.employer_a, title="Bảo vệ", occupation_code="962")
    aged(world.vacancy_a, 3)
    aged(world.vacancy_b, 5)
    assert ids(vacancy_search()) == [newer.pk, world.vacancy_a.pk, world.vacancy_b.pk]


def test_partial_words_when_nothing_else_matches(world):
    telemarketing = make_vacancy(world.employer_a, title="Nhân viên Telemarketing", occupation_code="524")
    found = vacancy_search(query="marketing")
    assert (ids(found), found.partial) == ([telemarketing.pk], True)
    assert vacancy_search(query="telemarketing").partial is False


def test_pages_beyond_the_last_are_empty(world):
    found = vacancy_search(page=search.MAX_PAGES + 1)
    assert (found.results, found.has_next) == ([], False)


def test_total_is_capped(world, monkeypatch):
    monkeypatch.setattr(search, "TOTAL_CAP", 1)
    assert vacancy_search().total is None
    assert vacancy_search(query="ke toan").total == 1


def test_results_come_with_their_relations_in_few_queries(world, django_assert_max_num_queries):
    for n in range(5):
        make_vacancy(world.employer_a, title=f"Kế toán {n}", occupation_code="241")
    # The codes, the window or the tiers, the count, the rows with their relations (PostgreSQL: plus a
    # savepoint and its SET LOCAL).
    with django_assert_max_num_queries(8):
        found = vacancy_search(query="ke toan")
        names = [
            (v.employer.organisation.name, v.occupation.code, v.province and v.province.code, v.country)
            for v in found.results
        ]
    assert len(names) == 6


# --- the text index keeps in step with the rows ----------------------------------------------------------


def test_index_follows_updates_and_deletes(world):
    vacancy = world.vacancy_a
    assert ids(vacancy_search(query="tong hop")) == [vacancy.pk]
    retext(vacancy, title="Thủ kho", description="Quản lý kho hàng.", requirements="")
    assert vacancy_search(query="tong hop").results == []
    assert ids(vacancy_search(query="thu kho")) == [vacancy.pk]
    Vacancy.objects.filter(pk=vacancy.pk).update(status=VacancyStatus.CLOSED)
    assert vacancy_search(query="thu kho").results == []
    world.vacancy_b.delete()
    assert vacancy_search(query="tho han").results == []
    again = make_vacancy(world.employer_b, title="Thợ hàn điện", occupation_code="721")
    assert ids(vacancy_search(query="tho han")) == [again.pk]


def test_bulk_written_rows_are_found(world):
    from ansinh.web.demo.jobs_vacancies import create_vacancies

    assert create_vacancies(60, seed=3, employers=[world.employer_a, world.employer_b]) == 60
    found = vacancy_search(query="nhan vien")
    assert found.results
    assert all({"nhan", "vien"} <= set(v.search_text.split()) for v in found.results)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table and its triggers are SQLite's")
def test_sqlite_fts_table_and_triggers_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'jobs_vacancy'")
        triggers = {row[0] for row in cursor.fetchall()}
    # A later migration that remakes jobs_vacancy drops these: it must run 0003's sqlite_forward again.
    assert triggers == {"jobs_vacancy_fts_insert", "jobs_vacancy_fts_update", "jobs_vacancy_fts_delete"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_postgresql_indexes_and_extensions_exist():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'jobs_vacancy'")
        indexes = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT extname FROM pg_extension")
        extensions = {row[0] for row in cursor.fetchall()}
    assert {"jobs_vacancy_text_fts", "jobs_vacancy_title_fts", "jobs_vacancy_text_trgm"} <= indexes
    assert {"unaccent", "pg_trgm"} <= extensions


def test_migration_runs_backwards_and_forwards_again(world):
    migration = importlib.import_module("ansinh.jobs.migrations.0003_search_indexes")

    class Editor:  # what the migration uses of a schema editor (SQLite's refuses to open inside a test)
        def __init__(self) -> None:
            self.connection = connection

        def execute(self, sql: str, params=None) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

    if connection.vendor == "postgresql":  # deferred foreign-key checks of this test's rows block DDL
        Editor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    migration.reverse(None, Editor())
    migration.forward(None, Editor())
    # Filled again from the rows there are.
    assert ids(vacancy_search(query="ke toan")) == [world.vacancy_a.pk]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the window of newest vacancies is PostgreSQL's"
)
def test_total_is_not_counted_when_the_newest_vacancies_hold_many_matches(world, monkeypatch):
    monkeypatch.setattr(search, "WINDOW", 1)
    monkeypatch.setattr(search, "COUNT_SKIP", 1)
    monkeypatch.setattr(search, "_window_start", None)
    newest = make_vacancy(world.employer_a, title="Kế toán kho", occupation_code="241")
    found = vacancy_search(query="ke toan", page_size=1)
    assert (ids(found), found.has_next, found.total) == ([newest.pk], True, None)
    # On the last page every match has been seen: the total is known without counting.
    last = vacancy_search(query="ke toan", page=2, page_size=1)
    assert (ids(last), last.has_next, last.total) == ([world.vacancy_a.pk], False, 2)
