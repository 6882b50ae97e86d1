"""Journey (a): pages are Vietnamese by default and the header button switches the language both ways."""

import pytest

from tests.e2e.support import html_lang, path_of

pytestmark = pytest.mark.e2e


def _switch(page, to: str) -> None:
    button = page.locator(f"header form[action='/i18n/setlang/'] button[name=language][value={to}]")
    assert button.count() == 1
    assert button.get_attribute("lang") == to  # the button names its language in that language
    with page.expect_navigation():
        button.click()


def test_home_is_vietnamese_by_default_and_switches_to_english_and_back(page):
    response = page.goto("/")
    assert response.status == 200
    # The browser asks for English (locale en-US); pages still default to Vietnamese.
    assert html_lang(page) == "vi"
    assert response.headers["content-language"] == "vi"
    assert page.get_by_role("heading", level=1).count() == 1

    _switch(page, "en")
    assert path_of(page) == "/"
    assert html_lang(page) == "en"
    # The choice sticks for the next page too.
    page.goto("/accounts/login/")
    assert html_lang(page) == "en"
    assert page.get_by_role("heading", level=1, name="Sign in").is_visible()

    _switch(page, "vi")
    assert path_of(page) == "/accounts/login/"  # the switch returns to the page it was made on
    assert html_lang(page) == "vi"
    page.goto("/")
    assert html_lang(page) == "vi"


def test_language_choice_is_kept_in_a_cookie_not_taken_from_the_browser(new_context):
    page = new_context(locale="vi-VN").new_page()
    page.goto("/")
    _switch(page, "en")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    assert cookies.get("django_language") == "en"
    fresh = new_context(locale="en-GB").new_page()
    fresh.goto("/")
    assert html_lang(fresh) == "vi"
