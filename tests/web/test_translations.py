"""The Vietnamese catalogue is complete: every string the code marks for translation has a Vietnamese text.

Extraction here is a regular-expression scan (GNU gettext is not needed to run the tests);
`make messages-extract` regenerates the catalogues with Django's makemessages when gettext is installed.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

SRC = Path(__file__).resolve().parents[2] / "src" / "ansinh"
VI_PO = SRC / "locale" / "vi" / "LC_MESSAGES" / "django.po"

_PY = re.compile(r"""\b_\(\s*(?P<q>["'])(?P<s>(?:\\.|(?!(?P=q)).)+)(?P=q)\s*[,)]""")
_TPL = re.compile(r"""\{%\s*translate\s+(?P<q>["'])(?P<s>.+?)(?P=q)""")


def _catalog():
    with VI_PO.open("rb") as handle:
        return read_po(handle, locale="vi")


def _marked_strings() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for match in _PY.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group("s").encode().decode("unicode_escape").encode("latin-1").decode("utf-8"))
    for path in SRC.rglob("*.html"):
        for match in _TPL.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group("s"))
    return found


def test_every_entry_is_translated_and_none_is_fuzzy():
    catalog = _catalog()
    untranslated = [
        m.id for m in catalog if m.id and not (m.string if isinstance(m.string, str) else all(m.string))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def test_every_marked_string_is_in_the_catalogue():
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog() if m.id}
    missing = sorted(s for s in _marked_strings() if s not in ids)
    assert missing == [], "run `make messages-extract` and translate the new strings"


@pytest.mark.django_db
def test_pages_speak_vietnamese(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập" in html
    assert ">Sign in<" not in html
