"""GET /api/v1/jobs/vacancies through HTTP: public, filters, validation, the page's shape."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.geo.models import Province
from ansinh.jobs import search
from ansinh.jobs.models import ContractType, VacancyStatus
from tests.jobs.world import make_vacancy

pytestmark = pytest.mark.django_db
URL = "/api/v1/jobs/vacancies"


def test_anyone_finds_a_vacancy_without_diacritics(client, world):
    answer = client.get(URL, {"q": "ke toan"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert [item["title"] for item in body["items"]] == ["Kế toán tổng hợp"]
    item = body["items"][0]
    assert item["employer"] == "Công ty TNHH Kế toán Sài Gòn"
    assert item["occupation"]["code"] == "241"
    assert item["province"] == {"code": "79", "name": "Thành phố Hồ Chí Minh"}
    assert item["country"] is None
    assert (item["salary_min"], item["salary_max"], item["contract_type"]) == (
        8_000_000,
        12_000_000,
        "indefinite",
    )
    assert {k: body[k] for k in ("count", "page", "page_size", "pages", "has_next", "partial", "words")} == {
        "count": 1,
        "page": 1,
        "page_size": 20,
        "pages": 1,
        "has_next": False,
        "partial": False,
        "words": ["ke", "toan"],
    }


def test_dak_lak_and_filters(client, world):
    dak_lak = Province.objects.get(code="66")
    coffee = make_vacancy(
        world.employer_a,
        title="Công nhân chăm sóc cà phê",
        occupation_code="611",
        province=dak_lak,
        contract_type=ContractType.SEASONAL,
        salary=(6_000_000, 8_000_000),
    )
    found = client.get(URL, {"q": "dak lak"}).json()
    assert [item["id"] for item in found["items"]] == [coffee.pk]
    for params, expected in [
        ({"province": "66"}, [coffee.pk]),
        ({"province": "01"}, [world.vacancy_b.pk]),
        ({"occupation": "6"}, [coffee.pk]),
        ({"contract_type": "seasonal"}, [coffee.pk]),
        ({"salary_min": 13_000_000}, [world.vacancy_b.pk]),
        ({"abroad": "true"}, []),
        ({"abroad": "false", "occupation": "72"}, [world.vacancy_b.pk]),
    ]:
        body = client.get(URL, params).json()
        assert [item["id"] for item in body["items"]] == expected, params


def test_only_open_vacancies_of_verified_employers(client, world):
    make_vacancy(world.employer_pending, title="Kế toán nội bộ", occupation_code="241")
    make_vacancy(world.employer_a, title="Kế toán kho", occupation_code="241", status=VacancyStatus.CLOSED)
    make_vacancy(
        world.employer_a,
        title="Kế toán thuế",
        occupation_code="241",
        deadline=timezone.localdate() - timedelta(days=1),
    )
    body = client.get(URL, {"q": "kế toán"}).json()
    assert [item["title"] for item in body["items"]] == ["Kế toán tổng hợp"]


def test_pages(client, world):
    for n in range(3):
        make_vacancy(world.employer_a, title=f"Kế toán {n}", occupation_code="241")
    first = client.get(URL, {"q": "ke toan", "page_size": 3}).json()
    second = client.get(URL, {"q": "ke toan", "page_size": 3, "page": 2}).json()
    assert (len(first["items"]), first["has_next"], first["count"], first["pages"]) == (3, True, 4, 2)
    assert (len(second["items"]), second["has_next"]) == (1, False)
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}


def test_count_above_the_cap_is_null(client, world, monkeypatch):
    monkeypatch.setattr(search, "TOTAL_CAP", 1)
    body = client.get(URL).json()
    assert (body["count"], body["pages"], len(body["items"])) == (None, None, 2)


@pytest.mark.parametrize(
    "params",
    [
        {"contract_type": "slavery"},
        {"page": 0},
        {"page": search.MAX_PAGES + 1},
        {"page_size": search.MAX_PAGE_SIZE + 1},
        {"salary_min": -1},
        {"occupation": "abc"},
        {"q": "x" * 201},
    ],
)
def test_bad_parameters_are_refused(client, world, params):
    answer = client.get(URL, params)
    assert answer.status_code == 422, (params, answer.content)


def test_query_count_is_bounded(client, world, django_assert_max_num_queries):
    for n in range(10):
        make_vacancy(world.employer_b, title=f"Thợ hàn {n}", occupation_code="721")
    # The province code, the count, the tiers (or the window of newest vacancies, its savepoint and SET
    # LOCAL on PostgreSQL), the rows with their relations: a bound that does not grow with the rows.
    with django_assert_max_num_queries(9):
        body = client.get(URL, {"q": "tho han", "province": "01"}).json()
    assert len(body["items"]) == 11
