"""Vietnamese text for search: lower case, no diacritics, đ -> d, whitespace folded.

Every `name_search` column holds `normalise_search(name)`, and every search box normalises the query the
same way, so "Đắk Lắk", "dak lak" and "ĐẮK  LẮK" find the same rows on SQLite and PostgreSQL alike.
"""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ is a letter of its own, not d plus a mark, so decomposition leaves it. Ð/ð (U+00D0/U+00F0, Icelandic
# eth) look the same and come out of badly converted legacy Vietnamese encodings (TCVN3, VNI), so they
# fold to d as well.
_LETTERS = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


def _is_mark(ch: str) -> bool:
    return bool(unicodedata.combining(ch)) or unicodedata.category(ch) in ("Mn", "Me")


def strip_diacritics(value: str) -> str:
    """ "Hồ Chí Minh" -> "Ho Chi Minh": case kept, marks removed, đ -> d."""
    decomposed = unicodedata.normalize("NFD", value.translate(_LETTERS))
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not _is_mark(ch)))


def normalise_search(value: str) -> str:
    """`"  Đắk   Lắk "` -> `"dak lak"`. Idempotent.

    Lower-casing comes first: some capitals lower-case to a letter plus a combining mark ("İ" -> "i̇"), and
    stripping afterwards removes it, so the result never contains a mark and a second pass changes nothing.
    """
    return _SPACES.sub(" ", strip_diacritics(value.lower())).strip()
