"""Personal ID numbers, passports and phone numbers."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansinh.core.identifiers import (
    is_vietnamese_passport_format,
    normalise_passport,
    normalise_phone,
    parse_personal_id,
)
from ansinh.core.legacy_provinces import LEGACY_PROVINCES

# --- personal ID -------------------------------------------------------------------------------------------


def test_documented_example_decodes():
    parsed = parse_personal_id("087084000999")
    assert parsed.valid
    assert parsed.province_code == "087"
    assert parsed.province_name == "Đồng Tháp"
    assert parsed.sex == "M"
    assert parsed.birth_year == 1984
    assert parsed.warnings == []


@pytest.mark.parametrize(
    ("digit", "sex", "century"),
    [("0", "M", 1900), ("1", "F", 1900), ("2", "M", 2000), ("3", "F", 2000), ("4", "M", 2100)],
)
def test_century_and_sex_digit(digit, sex, century):
    parsed = parse_personal_id(f"001{digit}05123456")
    assert (parsed.sex, parsed.birth_year) == (sex, century + 5)


def test_separators_are_dropped():
    assert parse_personal_id(" 087 084-000.999 ").number == "087084000999"


def test_full_width_digits_are_accepted():
    # Typed on a Japanese or Chinese keyboard by a worker abroad.
    assert parse_personal_id("０８７０８４０００９９９").number == "087084000999"


def test_unknown_province_code_is_a_warning_not_an_error():
    parsed = parse_personal_id("999084000999")
    assert parsed.valid
    assert parsed.province_name is None
    assert "unknown_province_code" in parsed.warnings


def test_future_century_is_flagged():
    assert "implausible_birth_year" in parse_personal_id("001605000001").warnings


@pytest.mark.parametrize(
    "raw", ["", "08708400099", "0870840009990", "08708400099a", "٠٨٧٠٨٤٠٠٠٩٩٩", "²" * 12]
)
def test_not_twelve_ascii_digits_is_rejected(raw):
    parsed = parse_personal_id(raw)
    assert not parsed.valid
    assert parsed.error


def test_there_are_63_legacy_province_codes():
    assert len(LEGACY_PROVINCES) == 63
    assert all(len(code) == 3 and code.isdigit() for code in LEGACY_PROVINCES)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_every_twelve_digit_string_is_valid_and_decoded(number):
    parsed = parse_personal_id(number)
    assert parsed.valid
    assert parsed.number == number
    assert parsed.sex == ("M" if int(number[3]) % 2 == 0 else "F")
    assert parsed.birth_year is not None
    assert parsed.birth_year % 100 == int(number[4:6])
    assert 1900 <= parsed.birth_year <= 2399


@given(st.text(alphabet="0123456789", max_size=20).filter(lambda s: len(s) != 12))
def test_other_lengths_are_rejected(number):
    assert not parse_personal_id(number).valid


@given(st.text(max_size=30))
def test_never_raises(raw):
    parse_personal_id(raw)


# --- passports ---------------------------------------------------------------------------------------------


def test_passport_normalised():
    assert normalise_passport(" c1234567 ") == "C1234567"
    assert normalise_passport("C-123 4567") == "C1234567"
    assert normalise_passport("Ｃ１２３４５６７") == "C1234567"


@pytest.mark.parametrize("raw", ["", "C12", "C1234567890123", "C123456!", "Đ1234567", "ß1234"])
def test_bad_passport_rejected(raw):
    with pytest.raises(ValueError):
        normalise_passport(raw)


def test_vietnamese_passport_format_is_a_hint():
    assert is_vietnamese_passport_format("C1234567")
    assert not is_vietnamese_passport_format("C12345678")
    assert not is_vietnamese_passport_format("M12345678X")


@given(st.text(alphabet="abcxyzABCXYZ0123456789 -", max_size=20))
def test_passport_normalisation_is_idempotent(raw):
    try:
        once = normalise_passport(raw)
    except ValueError:
        return
    assert normalise_passport(once) == once
    assert re.fullmatch(r"[A-Z0-9]{6,12}", once)


# --- phones ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "+84912345678"),
        ("0912 345 678", "+84912345678"),
        ("+84 912 345 678", "+84912345678"),
        ("0084912345678", "+84912345678"),
        ("(024) 3825 1234", "+842438251234"),
        ("+82 10-1234-5678", "+821012345678"),  # Korea
        ("+81 90-1234-5678", "+819012345678"),  # Japan
        ("+886 912 345 678", "+886912345678"),  # Taiwan
        ("+49 1512 3456789", "+4915123456789"),  # Germany
    ],
)
def test_phone_to_e164(raw, expected):
    assert normalise_phone(raw) == expected


def test_foreign_national_format_with_region():
    assert normalise_phone("010-1234-5678", default_region="KR") == "+821012345678"


@pytest.mark.parametrize("raw", ["", "hello", "12", "091234567890123", "010-1234-5678"])
def test_bad_phone_rejected(raw):
    with pytest.raises(ValueError):
        normalise_phone(raw)


@given(st.sampled_from(["86", "88", "90", "91", "94", "96", "97", "98", "32", "70", "77", "81"]))
def test_vietnamese_mobile_prefixes(prefix):
    assert normalise_phone(f"0{prefix}1234567") == f"+84{prefix}1234567"
