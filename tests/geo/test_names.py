"""Unit names: official, English and search forms (pure)."""

import pytest

from ansinh.geo.names import UNIT_TYPES, core_name, english_name, official_name, search_terms

WARD = UNIT_TYPES["phường"]
COMMUNE = UNIT_TYPES["xã"]
CITY = UNIT_TYPES["thành phố trung ương"]


def test_core_and_official_names():
    assert core_name("Phường Ba Đình", WARD) == "Ba Đình"
    assert core_name("xã  Bắc Sơn", COMMUNE) == "Bắc Sơn"  # lower-case type word, double space
    assert official_name(core_name("xã Bắc Sơn", COMMUNE), COMMUNE) == "Xã Bắc Sơn"
    assert core_name("Ba Đình", WARD) == "Ba Đình"  # no type word: unchanged


def test_english_names():
    assert english_name("Hồ Chí Minh", CITY) == "Ho Chi Minh City"
    assert english_name("Đắk Sắk", COMMUNE) == "Dak Sak Commune"
    assert english_name("Côn Đảo", UNIT_TYPES["đặc khu"]) == "Con Dao Special Zone"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Ba Đình", ("ba dinh", None)),
        ("Phường Ba Đình", ("phuong ba dinh", "ba dinh")),
        ("TP Hồ Chí Minh", ("tp ho chi minh", "ho chi minh")),
        ("thành phố Huế", ("thanh pho hue", "hue")),
        ("Tịnh Biên", ("tinh bien", "bien")),  # looked up at the start of names only, see search_terms
        ("phường", ("phuong", None)),  # a type word alone is the query itself
        ("", ("", None)),
    ],
)
def test_search_terms(query, expected):
    assert search_terms(query) == expected
