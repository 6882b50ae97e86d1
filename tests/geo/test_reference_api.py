"""The public reference API at /api/v1/reference (no login needed)."""

import math

import pytest

from ansinh.geo.models import Ward

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]

BASE = "/api/v1/reference"


def test_provinces_lists_all_34_in_name_order(client):
    response = client.get(f"{BASE}/provinces")
    assert response.status_code == 200
    provinces = response.json()
    assert len(provinces) == 34
    assert provinces[0] == {
        "code": "91",
        "name": "Tỉnh An Giang",
        "name_en": "An Giang Province",
        "unit_type": "province",
    }
    assert {
        "code": "79",
        "name": "Thành phố Hồ Chí Minh",
        "name_en": "Ho Chi Minh City",
        "unit_type": "city",
    } in provinces


def test_wards_of_a_province_are_paginated(client, django_assert_max_num_queries):
    total = Ward.objects.filter(province__code="01").count()
    with django_assert_max_num_queries(3):
        response = client.get(f"{BASE}/provinces/01/wards", {"page": 2, "page_size": 20})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count", "page", "page_size", "pages"}
    assert (body["count"], body["page"], body["page_size"]) == (total, 2, 20)
    assert body["pages"] == math.ceil(total / 20)
    assert len(body["items"]) == 20
    assert all(item["province_code"] == "01" for item in body["items"])
    assert set(body["items"][0]) == {"code", "name", "unit_type", "province_code"}


def test_ward_search_ignores_accents_and_the_type_word(client):
    for query in ("Ba Đình", "ba dinh", "phường ba đình", "BA DINH"):
        body = client.get(f"{BASE}/provinces/01/wards", {"q": query}).json()
        assert "Phường Ba Đình" in [item["name"] for item in body["items"]], query
    assert client.get(f"{BASE}/provinces/01/wards", {"q": "khong co ten nay"}).json()["count"] == 0


def test_unknown_province_is_404_with_the_error_contract(client):
    response = client.get(f"{BASE}/provinces/99/wards")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert set(body) == {"code", "message", "details"}


def test_page_size_is_capped(client):
    response = client.get(f"{BASE}/provinces/01/wards", {"page_size": 201})
    assert response.status_code == 422


def test_countries(client):
    countries = client.get(f"{BASE}/countries").json()
    by_code = {c["iso2"]: c for c in countries}
    assert by_code["VN"] == {"iso2": "VN", "iso3": "VNM", "name_vi": "Việt Nam", "name_en": "Viet Nam"}
    assert {"KR", "JP", "TW", "DE"} <= set(by_code)


@pytest.mark.parametrize(
    ("query", "expected_code"),
    [("53", "532"), ("chăm sóc", "532"), ("care workers", "532"), ("tho han", "721"), ("welders", "721")],
)
def test_occupation_search(client, query, expected_code):
    body = client.get(f"{BASE}/occupations", {"q": query, "page_size": 200}).json()
    assert expected_code in [item["code"] for item in body["items"]]


def test_occupation_code_search_is_a_prefix(client):
    body = client.get(f"{BASE}/occupations", {"q": "53"}).json()
    assert [item["code"] for item in body["items"]] == ["53", "531", "532"]


def test_occupations_by_level(client):
    body = client.get(f"{BASE}/occupations", {"level": 1}).json()
    assert [item["code"] for item in body["items"]] == [str(d) for d in range(10)]
    assert body["items"][5] == {
        "code": "5",
        "level": 1,
        "name_vi": "Nhân viên dịch vụ và bán hàng",
        "name_en": "Service and sales workers",
    }
    assert client.get(f"{BASE}/occupations", {"level": 5}).status_code == 422


def test_places_are_named_in_the_page_language(reference_data):
    from django.utils import translation

    from ansinh.geo.models import Country, Province

    province = Province.objects.filter(name_en__gt="").first()
    korea = Country.objects.get(iso2="KR")
    with translation.override("vi"):
        assert str(province) == province.name
        assert str(korea) == korea.name_vi
    with translation.override("en"):
        assert str(province) == province.name_en
        assert str(korea) == korea.name_en
