"""Journey (b): an account issued by the agency signs in, is held on the password-change page until it
chooses its own password, then reaches the site. A role that reads personal data then also enrols TOTP."""

import re

import pyotp
import pytest

from tests.e2e.support import html_lang, path_of, sign_in, submit

pytestmark = pytest.mark.e2e

CHANGE = "/accounts/password/change/"
NEW_PASSWORD = "Ruong-lua-chin-vang-2026"


def _change_password(page, old: str, new: str) -> None:
    page.locator("#id_old_password").fill(old)
    page.locator("#id_new_password").fill(new)
    page.locator("#id_new_password_again").fill(new)
    submit(page)


def test_issued_account_must_change_password_before_anything_else(page, server):
    one_time = server.issued["e2e-issued"]
    sign_in(page, "e2e-issued", one_time)
    assert path_of(page) == CHANGE
    assert html_lang(page) == "vi"
    assert page.locator("main [role=status]").count() == 1  # the "issued password" notice

    for other in ("/", "/staff/", "/accounts/password/reset/", "/accounts/login/?next=/staff/"):
        page.goto(other)
        assert path_of(page) == CHANGE, other

    # A password that breaks the rules is refused on the same page, with the error announced.
    _change_password(page, one_time, "1234567890")
    assert path_of(page) == CHANGE
    assert page.locator("main .field--error [role=alert]").count() >= 1

    _change_password(page, one_time, NEW_PASSWORD)
    assert path_of(page) == "/"
    assert html_lang(page) == "vi"
    assert page.locator("main .messages .msg--success").count() == 1

    response = page.goto("/staff/")
    assert response.status == 200
    assert path_of(page) == "/staff/"

    # Sign out, then the new password works and the one-time password no longer does.
    submit(page, "header form[action='/accounts/logout/'] button")
    sign_in(page, "e2e-issued", one_time)
    assert path_of(page) == "/accounts/login/"
    assert page.locator("main [role=alert]").count() >= 1
    sign_in(page, "e2e-issued", NEW_PASSWORD)
    assert path_of(page) == "/"


def test_official_who_reads_personal_data_changes_password_then_enrols_two_factor(page, server):
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    one_time = server.issued["e2e-auditor"]
    sign_in(page, "e2e-auditor", one_time)
    assert path_of(page) == CHANGE
    _change_password(page, one_time, NEW_PASSWORD)
    # The auditor role reads personal data: two-factor sign-in is mandatory before anything else.
    assert path_of(page) == "/accounts/2fa/"
    page.goto("/staff/")
    assert path_of(page) == "/accounts/2fa/"

    secret = page.locator("main code.secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret)
    assert page.locator("main .qr[role=img] svg").count() == 1
    page.locator("#id_code").fill("000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    submit(page)
    assert path_of(page) == "/accounts/2fa/"
    assert page.locator("main .field--error [role=alert]").count() == 1

    page.locator("#id_code").fill(pyotp.TOTP(secret).now())
    submit(page)
    assert path_of(page) == "/"
    response = page.goto("/staff/")
    assert response.status == 200
    assert path_of(page) == "/staff/"
    assert not csp_errors, csp_errors  # the QR code and the forms work under the page's CSP
