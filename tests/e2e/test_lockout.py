"""Journey (c): five wrong passwords lock the account and the page says how many minutes are left."""

import re

import pytest

from tests.e2e.support import html_lang, path_of, sign_in

pytestmark = pytest.mark.e2e

LOCKOUT_MINUTES = 15  # the server fixture sets LOCKOUT_MINUTES=15 and LOCKOUT_FAILURE_LIMIT=5


def _alert(page) -> str:
    alert = page.locator("main form .alert[role=alert]")
    assert alert.count() == 1
    return alert.inner_text()


def test_five_wrong_passwords_show_the_lockout_with_minutes_left(page, server):
    messages = []
    for _attempt in range(5):
        sign_in(page, "e2e-lockout", "not-the-password")
        assert path_of(page) == "/accounts/login/"
        messages.append(_alert(page))
    assert html_lang(page) == "vi"
    # The first four say the password is wrong; the fifth says the account is locked, for how long.
    assert len(set(messages[:4])) == 1
    assert messages[4] != messages[0]
    assert re.search(rf"\b{LOCKOUT_MINUTES}\b", messages[4]), messages[4]
    assert not re.search(r"\d", messages[0])

    # Locked means locked: the right password is refused too, with the same message.
    sign_in(page, "e2e-lockout", server.password)
    assert path_of(page) == "/accounts/login/"
    assert re.search(rf"\b({LOCKOUT_MINUTES}|{LOCKOUT_MINUTES - 1})\b", _alert(page))

    # The same page in English says it in words.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": server.url}])
    sign_in(page, "e2e-lockout", server.password)
    assert html_lang(page) == "en"
    assert re.search(rf"Try again in ({LOCKOUT_MINUTES}|{LOCKOUT_MINUTES - 1}) minutes", _alert(page))
