"""Search normalisation: the contract every name_search column and every search box relies on."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core.text import normalise_search, strip_diacritics

# Every letter of the Vietnamese alphabet with every tone, both cases, plus space and punctuation.
_VI_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
VIETNAMESE = st.text(alphabet=_VI_LOWER + _VI_LOWER.upper() + " -.,'0123456789\t", max_size=60)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Đắk Lắk", "dak lak"),
        ("  ĐẮK   LẮK ", "dak lak"),
        ("Thành phố Hồ Chí Minh", "thanh pho ho chi minh"),
        ("Nguyễn Thị Ánh\tNguyệt", "nguyen thi anh nguyet"),
        ("Thừa Thiên Huế", "thua thien hue"),
        ("Ðồng Tháp", "dong thap"),  # U+00D0 from a badly converted legacy encoding
        ("", ""),
    ],
)
def test_normalise_search_examples(raw, expected):
    assert normalise_search(raw) == expected


def test_precomposed_and_decomposed_input_match():
    precomposed = "Quảng Ngãi"
    decomposed = unicodedata.normalize("NFD", precomposed)
    assert precomposed != decomposed
    assert normalise_search(decomposed) == normalise_search(precomposed) == "quang ngai"


def test_strip_diacritics_keeps_case():
    assert strip_diacritics("Hồ Chí Minh, Đà Nẵng") == "Ho Chi Minh, Da Nang"


@given(st.text(max_size=80))
def test_idempotent_for_any_text(value):
    once = normalise_search(value)
    assert normalise_search(once) == once


@given(st.text(max_size=80))
def test_output_has_no_combining_marks_and_no_outer_or_double_spaces(value):
    result = normalise_search(value)
    assert not any(unicodedata.combining(ch) for ch in result)
    assert result == result.strip()
    assert "  " not in result


@given(VIETNAMESE)
def test_vietnamese_input_becomes_lower_case_ascii(value):
    result = normalise_search(value)
    assert result.isascii()
    assert result == result.lower()
