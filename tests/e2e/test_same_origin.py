"""Journey (d): pages load nothing from another host, and answer with a CSP and nosniff. A page that broke
its own CSP (an inline script or style) would show up as a console error, so that is checked too."""

from urllib.parse import urlsplit

import pytest

from tests.e2e.support import sign_in

pytestmark = pytest.mark.e2e

ANONYMOUS_PAGES = ["/", "/accounts/login/", "/accounts/password/reset/", "/accounts/password/reset/confirm/"]
SIGNED_IN_PAGES = ["/", "/accounts/password/change/"]


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _watch(page) -> tuple[list[str], list[str]]:
    requests: list[str] = []
    csp_errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return requests, csp_errors


def _visit(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, path
    page.wait_for_load_state("networkidle")
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp, (path, csp)
    assert "frame-ancestors 'none'" in csp, (path, csp)
    assert "unsafe-inline" not in csp, (path, csp)
    assert "unsafe-eval" not in csp, (path, csp)
    assert headers.get("x-content-type-options") == "nosniff", path
    assert headers.get("referrer-policy") == "same-origin", path


def _assert_same_origin(requests: list[str], base_url: str) -> None:
    assert requests, "no request was recorded"
    served = _origin(base_url)
    foreign = [
        url for url in requests if urlsplit(url).scheme not in ("data", "blob") and _origin(url) != served
    ]
    assert not foreign, f"requests to other hosts: {foreign}"


def test_anonymous_pages_stay_on_the_served_origin(page, server):
    requests, csp_errors = _watch(page)
    for path in ANONYMOUS_PAGES:
        _visit(page, path)
    _assert_same_origin(requests, server.url)
    assert any(url.endswith(".css") for url in requests)  # the assets were loaded, from here
    assert not csp_errors, csp_errors


def test_signed_in_pages_stay_on_the_served_origin(page, server):
    requests, csp_errors = _watch(page)
    sign_in(page, "e2e-headers", server.password)
    for path in SIGNED_IN_PAGES:
        _visit(page, path)
    _assert_same_origin(requests, server.url)
    assert not csp_errors, csp_errors
