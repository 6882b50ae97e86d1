"""Names of administrative units: the unit-type words and how names are searched and sorted (pure).

A unit's official name starts with its type ("Thành phố Hà Nội", "Phường Ba Đình", "Xã Tân Hòa"). We keep
that full name for documents and addresses, but search and sort on the rest ("ha noi", "ba dinh"): people
type "Ba Đình", and lists sorted on "phuong ..."/"xa ..." would split a province's units by type.
"""

import re
from dataclasses import dataclass

from ansinh.core.text import normalise_search, strip_diacritics


@dataclass(frozen=True)
class UnitType:
    slug: str
    prefix_vi: str
    suffix_en: str


# Keyed by the `vietnam_provinces.VietNamDivisionType` values; slugs are what we store in unit_type.
UNIT_TYPES: dict[str, UnitType] = {
    "thành phố trung ương": UnitType("city", "Thành phố", "City"),
    "tỉnh": UnitType("province", "Tỉnh", "Province"),
    "phường": UnitType("ward", "Phường", "Ward"),
    "xã": UnitType("commune", "Xã", "Commune"),
    "đặc khu": UnitType("special_zone", "Đặc khu", "Special Zone"),
}

# Type words people put in front of a search ("tp hcm", "phuong ba dinh"), normalised.
_LEADING_TYPE_WORD = re.compile(r"^(?:thanh pho|tp\.?|tinh|phuong|xa|dac khu|thi tran)\s+(?=\S)")


def core_name(name: str, unit: UnitType) -> str:
    """ "Phường Ba Đình" -> "Ba Đình". Case-insensitive: the package has at least one "xã ..." entry."""
    name = " ".join(name.split())
    if name.lower().startswith(unit.prefix_vi.lower() + " "):
        return name[len(unit.prefix_vi) + 1 :]
    return name


def official_name(core: str, unit: UnitType) -> str:
    return f"{unit.prefix_vi} {core}"


def english_name(core: str, unit: UnitType) -> str:
    """The form Vietnamese authorities use in English: "Ha Noi City", "Ba Dinh Ward"."""
    return f"{strip_diacritics(core)} {unit.suffix_en}"


def search_terms(query: str) -> tuple[str, str | None]:
    """(needle, name_start) for a search: the normalised query, to be found anywhere in `name_search`,
    and, when the query opens with a unit-type word, the rest, to be found at the start of a name.

    "phuong ba dinh" -> ("phuong ba dinh", "ba dinh"). Matching the rest only at the start keeps
    "Tịnh Biên" searches ("tinh bien") from returning every unit that merely contains "bien".
    """
    needle = normalise_search(query)
    rest = _LEADING_TYPE_WORD.sub("", needle)
    return needle, (rest if rest != needle else None)
