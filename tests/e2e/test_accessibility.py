"""Journey (e): axe-core finds no serious or critical WCAG problem on the main pages, in both languages.

axe-core comes from the npm registry, pinned in package.json / package-lock.json at the repository root;
`make e2e` runs `npm ci` when npm exists. The test evaluates it through the DevTools protocol, which the
page's Content-Security-Policy does not block, so each page is checked exactly as it is served."""

import pytest

from tests.e2e.support import axe_violations, explain_violations, path_of, sign_in, submit

pytestmark = pytest.mark.e2e

PAGES = ["/", "/accounts/login/", "/accounts/password/reset/", "/notices/", "/social/allowance/"]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_serious_accessibility_violation(new_context, server, axe_script, path, language):
    context = new_context()
    context.add_cookies([{"name": "django_language", "value": language, "url": server.url}])
    page = context.new_page()
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    violations = axe_violations(page, axe_script)
    assert not violations, explain_violations(violations)


def test_signed_in_pages_have_no_serious_accessibility_violation(new_context, server, axe_script):
    page = new_context().new_page()
    sign_in(page, "e2e-citizen", server.password)
    for path in [
        "/",
        "/accounts/password/change/",
        "/my-services/",
        "/social/allowance/",
        "/social/pension/",
        "/social/medicine/",
        "/social/card/",
    ]:
        page.goto(path)
        violations = axe_violations(page, axe_script)
        assert not violations, f"{path}:\n{explain_violations(violations)}"


def test_form_errors_are_accessible(new_context, server, axe_script):
    page = new_context().new_page()
    sign_in(page, "e2e-citizen", "wrong password")
    assert page.locator("main [role=alert]").count() >= 1
    violations = axe_violations(page, axe_script)
    assert not violations, explain_violations(violations)


def test_forced_password_change_and_two_factor_pages_are_accessible(page, server, axe_script):
    one_time = server.issued["e2e-officer"]
    sign_in(page, "e2e-officer", one_time)
    assert path_of(page) == "/accounts/password/change/"
    violations = axe_violations(page, axe_script)
    assert not violations, explain_violations(violations)
    page.locator("#id_old_password").fill(one_time)
    page.locator("#id_new_password").fill("Cay-tre-xanh-ven-lang-2026")
    page.locator("#id_new_password_again").fill("Cay-tre-xanh-ven-lang-2026")
    submit(page)
    assert path_of(page) == "/accounts/2fa/"
    page.reload()  # without the one-off "password changed" message (see the next test)
    violations = axe_violations(page, axe_script)
    assert not violations, explain_violations(violations)


def test_page_with_a_message_is_accessible(page, server, axe_script):
    sign_in(page, "e2e-citizen", server.password)
    submit(page, "header form[action='/accounts/logout/'] button")
    assert page.locator("main .messages .msg").count() == 1  # "You have signed out."
    violations = axe_violations(page, axe_script)
    assert not violations, explain_violations(violations)
