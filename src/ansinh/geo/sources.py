"""Where reference rows come from (no database): the `vietnam-provinces` package, `pycountry` with CLDR
names from Babel, and the data files in `geo/data/`. Each function returns plain dicts keyed by model
field, ready for `ansinh.geo.services` to compare with the database.
"""

import csv
import gettext
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import vietnam_provinces
from babel import Locale

from ansinh.core.legacy_provinces import LEGACY_PROVINCES
from ansinh.core.text import normalise_search
from ansinh.geo.names import UNIT_TYPES, core_name, english_name, official_name

DATA_DIR = Path(__file__).resolve().parent / "data"

Row = dict[str, Any]


def province_code(number: int) -> str:
    """The two-digit GSO code ("01" Hà Nội); ward codes have five digits ("00004")."""
    return f"{number:02d}"


def ward_code(number: int) -> str:
    return f"{number:05d}"


def _unit_fields(name: str, division_type: str) -> Row:
    unit = UNIT_TYPES[str(division_type)]  # KeyError on a new unit type: better than guessing.
    core = core_name(name, unit)
    return {
        "name": official_name(core, unit),
        "name_en": english_name(core, unit),
        "unit_type": unit.slug,
        "name_search": normalise_search(core),
    }


def province_rows() -> list[Row]:
    """The 34 provincial units from 1 July 2025 (Resolution 202/2025/QH15)."""
    return [
        {"code": province_code(p.code.value), **_unit_fields(p.name, p.division_type)}
        for p in vietnam_provinces.Province.iter_all()
    ]


def ward_rows() -> list[Row]:
    """Every xã, phường and đặc khu; `province_code` stands in for the foreign key."""
    return [
        {
            "code": ward_code(w.code.value),
            "province_code": province_code(w.province_code.value),
            **_unit_fields(w.name, w.division_type),
        }
        for w in vietnam_provinces.Ward.iter_all()
    ]


def legacy_successors() -> dict[str, str]:
    """Pre-2025 province code ("087") -> code of the 2025 province it merged into ("82").

    From the package's conversion table. Where a few communes of an old province went to a neighbour
    (Tiền Giang: mostly Đồng Tháp, some to Tây Ninh), the successor is the new province that kept the old
    province's code; any other ambiguity stops the load rather than guess.
    """
    candidates: dict[int, set[int]] = {}
    for new in vietnam_provinces.Province.iter_all():
        for old in new.get_legacy_sources():
            candidates.setdefault(old.code.value, set()).add(new.code.value)
    successors: dict[str, str] = {}
    for old_code, new_codes in candidates.items():
        if len(new_codes) == 1:
            (chosen,) = new_codes
        elif old_code in new_codes:
            chosen = old_code
        else:
            raise ValueError(f"Old province {old_code} maps to {sorted(new_codes)}: decide its successor.")
        successors[f"{old_code:03d}"] = province_code(chosen)
    return successors


def legacy_province_rows() -> list[Row]:
    successors = legacy_successors()
    missing = set(LEGACY_PROVINCES) - set(successors)
    if missing:
        raise ValueError(f"No 2025 successor in vietnam-provinces for {sorted(missing)}.")
    return [
        {"code": code, "name": name, "successor_code": successors[code]}
        for code, name in LEGACY_PROVINCES.items()
    ]


def _read_csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _both_names(name_vi: str, name_en: str) -> str:
    """One search string for both languages ("han quoc south korea"); a name given twice counts once."""
    vi, en = normalise_search(name_vi), normalise_search(name_en)
    return vi if vi == en else f"{vi} {en}"


@cache
def _cldr_territories(language: str) -> dict[str, str]:
    return dict(Locale(language).territories)


def country_rows() -> list[Row]:
    """ISO 3166-1 countries. Names: our overrides, then CLDR (Babel), then pycountry's catalogue.

    CLDR comes first because pycountry's Vietnamese catalogue is decades out of date ("Cộng hoà Nam Hàn",
    "Nam Dương", "Ao" for Austria) while CLDR has the names Vietnamese readers know ("Hàn Quốc",
    "Indonesia", "Áo"); pycountry stays the source of the list and the codes.
    """
    vi_catalogue = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["vi"], fallback=True)
    cldr_vi, cldr_en = _cldr_territories("vi"), _cldr_territories("en")
    overrides = {row["iso2"]: row for row in _read_csv(DATA_DIR / "country_names.csv")}
    rows = []
    for country in pycountry.countries:
        iso2 = country.alpha_2
        override = overrides.get(iso2, {})
        name_vi = override.get("name_vi") or cldr_vi.get(iso2) or vi_catalogue.gettext(country.name)
        name_en = (
            override.get("name_en")
            or cldr_en.get(iso2)
            or getattr(country, "common_name", None)
            or country.name
        )
        rows.append(
            {
                "iso2": iso2,
                "iso3": country.alpha_3,
                "numeric": country.numeric,
                "name_vi": name_vi,
                "name_en": name_en,
                "name_search": _both_names(name_vi, name_en)[:120],
            }
        )
    return rows


def occupation_rows() -> list[Row]:
    """ISCO-08 groups from `data/isco08.csv`; the parent of "532" is "53", of "53" is "5"."""
    rows = []
    for record in _read_csv(DATA_DIR / "isco08.csv"):
        code = record["code"].strip()
        rows.append(
            {
                "code": code,
                "level": len(code),
                "parent_code": code[:-1] or None,
                "name_en": record["name_en"].strip(),
                "name_vi": record["name_vi"].strip(),
                "name_search": _both_names(record["name_vi"], record["name_en"]),
            }
        )
    return rows
