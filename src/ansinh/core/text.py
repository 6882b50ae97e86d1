"""Vietnamese text for search: lower case, no diacritics, đ -> d, whitespace folded."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def strip_diacritics(value: str) -> str:
    # đ/Đ is a letter of its own, not d plus a mark, so NFD leaves it: map it first.
    value = value.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", value)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))


def normalise_search(value: str) -> str:
    """`"  Đắk   Lắk "` -> `"dak lak"`. Idempotent."""
    return _SPACES.sub(" ", strip_diacritics(value).lower()).strip()
