"""Personal ID numbers, passport numbers and phone numbers: parse, normalise, validate.

Personal ID (CCCD, 12 digits): 3-digit province of birth registration + 1 century/sex digit + 2 year digits
+ 6 random digits (Circular 59/2021/TT-BCA). The Law on Identification 2023 guarantees only "12 digits",
so a structure mismatch is a warning, never a rejection (domain/README.md section 6).
"""

import re
from dataclasses import dataclass, field

import phonenumbers
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ansinh.core.legacy_provinces import LEGACY_PROVINCES

# Century/sex digit -> (century start year, sex). Even = male, odd = female.
_CENTURY_SEX = {
    0: (1900, "M"),
    1: (1900, "F"),
    2: (2000, "M"),
    3: (2000, "F"),
    4: (2100, "M"),
    5: (2100, "F"),
    6: (2200, "M"),
    7: (2200, "F"),
    8: (2300, "M"),
    9: (2300, "F"),
}
# Full-width forms (U+FF01-FF5E) and the ideographic space, as typed on Japanese, Chinese and Korean
# keyboards by workers abroad, map to ASCII. Nothing else is converted: "²" or "٣" stay refused.
_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}
_SEPARATORS = re.compile(r"[\s.\-]")
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")
# Births registered from 2100 on (century digit 4-9) cannot exist yet: decoded, but flagged.
_LATEST_PLAUSIBLE_CENTURY = 2000


@dataclass(frozen=True)
class PersonalId:
    number: str
    valid: bool
    error: str | Promise | None = None
    province_code: str | None = None
    province_name: str | None = None
    sex: str | None = None
    birth_year: int | None = None
    warnings: list[str] = field(default_factory=list)


def parse_personal_id(raw: str) -> PersonalId:
    """Validates the 12 digits (hard) and decodes the structure (soft: mismatches become warnings).

    Spaces, dots and hyphens people type between digit groups are dropped; full-width digits become
    ASCII. Other characters, including non-Latin digits, are refused.
    Warnings: "unknown_province_code" (not one of the 63 codes, e.g. a birth registered abroad),
    "implausible_birth_year" (century digit for 2100 or later).
    """
    number = _SEPARATORS.sub("", (raw or "").translate(_FULL_WIDTH))
    if not _TWELVE_DIGITS.fullmatch(number):
        return PersonalId(number, False, _("A personal ID number has exactly 12 digits."))
    code = number[:3]
    warnings: list[str] = []
    province = LEGACY_PROVINCES.get(code)
    if province is None:
        warnings.append("unknown_province_code")
    century, sex = _CENTURY_SEX[int(number[3])]
    if century > _LATEST_PLAUSIBLE_CENTURY:
        warnings.append("implausible_birth_year")
    birth_year = century + int(number[4:6])
    return PersonalId(
        number=number,
        valid=True,
        province_code=code,
        province_name=province,
        sex=sex,
        birth_year=birth_year,
        warnings=warnings,
    )


# Vietnamese passports: one letter and seven digits (format unconfirmed, domain README [U]). Foreign and
# older documents differ, so the hard rule is only 6-12 letters and digits.
_PASSPORT = re.compile(r"[A-Z0-9]{6,12}")
VN_PASSPORT = re.compile(r"\A[A-Z][0-9]{7}\Z")


def normalise_passport(raw: str) -> str:
    """Upper case without spaces or hyphens; raises ValueError unless 6-12 ASCII letters and digits."""
    value = re.sub(r"[\s\-]", "", (raw or "").translate(_FULL_WIDTH))
    # ASCII check before upper(): "ß".upper() is "SS", which would turn a typo into a valid-looking number.
    value = value.upper() if value.isascii() else value
    if not _PASSPORT.fullmatch(value):
        raise ValueError(str(_("A passport number has 6 to 12 letters and digits.")))
    return value


def is_vietnamese_passport_format(value: str) -> bool:
    """True for the usual Vietnamese form (one letter, seven digits); a hint for the UI, never a rule."""
    return bool(VN_PASSPORT.fullmatch(value))


def normalise_phone(raw: str, default_region: str = "VN") -> str:
    """Any Vietnamese or foreign number to E.164. A number without +country is read as Vietnamese."""
    text = (raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(str(_("This is not a phone number."))) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(
            str(_("This phone number is not valid. Foreign numbers start with + and the country code."))
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
