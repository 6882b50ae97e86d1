"""The service point's scan page checks the card's signature in the browser (issue 8: a card "verifiable
offline from the signature"): a cashier whose connection drops still learns at once whether a card is
genuine, with no request at all, and the scanner's Enter does not lose that answer to the browser's error
page; online, Enter sends the card to the server as before (validity and benefits due are its answer).

The set-up (a service point of Hà Tĩnh with its cashier, a citizen with a card) runs in the server's database
with `ansinh shell -c`, through the services; the rest is done in Chromium."""

import os
from typing import Any

import pytest

from tests.e2e.support import (
    ansinh_shell,
    axe_violations,
    explain_violations,
    path_of,
    sign_in_with_two_factor,
)

pytestmark = pytest.mark.e2e

MARKER = "E2E-CARD-OFFLINE:"
CASHIER = "e2e-offline-cashier"
CITIZEN, CITIZEN_ID = "e2e-offline-citizen", "042058009003"
KEYS_CACHE = "ansinh.welfare.cardKeys.v1"
STATUS = "#card-offline-check"
GENUINE = (
    "Genuine card signature (checked on this device). Validity and benefits due are checked with the server."
)
FORGED = "This QR code is not a genuine social-security card."
NO_KEYS = "Cannot check here: the keys are not loaded yet."
HELD = "No connection: the card was not sent to the server."


@pytest.fixture(scope="module")
def world(server) -> dict[str, Any]:
    """A cashier of a service point in Hà Tĩnh (second factor set up) and a citizen of Nghệ An with a card;
    returns the card's QR text and number."""
    if os.environ.get("E2E_BASE_URL"):
        pytest.skip("needs the e2e server's own database")
    return ansinh_shell(
        server.env,
        f"""
import json
from datetime import date
from django.utils import timezone
from ansinh.accounts import services
from ansinh.accounts.models import Role, TotpDevice, User
from ansinh.geo.models import Province
from ansinh.welfare.card_selectors import qr_text
from ansinh.welfare.services.cards import card_issue

nghe_an, ha_tinh = Province.objects.get(code="40"), Province.objects.get(code="42")
point = services.organisation_create(
    actor=None, code="E2E-OFFLINE-BD-KA", name="Bưu điện Kỳ Anh – điểm chi trả", kind="service_point",
    province=ha_tinh,
)
cashier = User.objects.create_user({CASHIER!r}, {server.password!r})
services.membership_grant(
    actor=None, user=cashier, organisation=point, role=Role.objects.get(code="service_point_cashier")
)
TotpDevice.objects.create(user=cashier, secret={server.totp_secret!r}, confirmed_at=timezone.now())
person = services.person_create(
    actor=None, full_name="Trần Văn Bình", personal_id={CITIZEN_ID!r}, sex="M",
    date_of_birth=date(1958, 7, 1), province=nghe_an,
)
citizen = User.objects.create_user({CITIZEN!r}, {server.password!r}, person=person)
card, _ = card_issue(actor=citizen)
print({MARKER!r} + json.dumps({{"payload": qr_text(card), "number": card.number}}))
""",
        MARKER,
    )


def _forged(payload: str) -> str:
    """One character of the signature changed, still in the QR alphabet (the format stays valid)."""
    index = len(payload) - 5
    return payload[:index] + ("A" if payload[index] != "A" else "B") + payload[index + 1 :]


def _cashier_page(new_context, server) -> tuple[Any, Any]:
    context = new_context()
    page = context.new_page()
    sign_in_with_two_factor(page, CASHIER, server.password, server.totp_secret)
    # After signing in: the sign-in sets the account's own language (Vietnamese by default).
    context.add_cookies([{"name": "django_language", "value": "en", "url": server.url}])
    return context, page


def _open_scan(page) -> None:
    page.goto("/social/card/scan/")
    status = page.locator(STATUS)
    assert status.get_attribute("role") == "status"
    assert status.get_attribute("aria-live") == "polite"


def _expect_status(page, state: str, words: str) -> str:
    page.wait_for_function(
        "([selector, state]) => document.querySelector(selector).dataset.state === state",
        arg=[STATUS, state],
    )
    text = page.locator(STATUS).inner_text()
    assert words in text, text
    return text


def _scanner_types(page, payload: str, *, enter: bool) -> None:
    """A USB scanner: one keystroke per character, then (usually) Enter."""
    field = page.locator("#id_qr")
    field.fill("")
    page.evaluate(f"document.querySelector({STATUS!r}).dataset.state = 'cleared'")
    field.press_sequentially(payload)
    if enter:
        field.press("Enter")


def test_genuine_and_forged_cards_are_told_apart_offline(new_context, server, world, axe_script):
    context, page = _cashier_page(new_context, server)
    _open_scan(page)
    # The page fetched the trusted keys and kept them on the device with the time it fetched them.
    page.wait_for_function(f"() => window.localStorage.getItem({KEYS_CACHE!r}) !== null")
    cached = page.evaluate(f"() => JSON.parse(window.localStorage.getItem({KEYS_CACHE!r}))")
    assert cached["fetchedAt"], cached
    assert cached["jwks"]["keys"], cached

    # Online, a genuine QR is recognised while it is typed, before the form is sent.
    page.locator("#id_qr").fill(world["payload"])
    text = _expect_status(page, "success", GENUINE)
    number = world["number"]
    assert f"{number[:4]} {number[4:8]} {number[8:]}" in text, text
    assert "issue 1 · Initials: TVB" in text, text
    assert path_of(page) == "/social/card/scan/"
    violations = axe_violations(page, axe_script)
    assert not violations, explain_violations(violations)

    # The connection drops: a forged QR (one signature character changed) is refused on the device, the
    # scanner's Enter sends nothing, and the page stays.
    requests: list[str] = []
    page.on("request", lambda request: requests.append(f"{request.method} {request.url}"))
    context.set_offline(True)
    assert page.evaluate("() => navigator.onLine") is False
    _scanner_types(page, _forged(world["payload"]), enter=True)
    text = _expect_status(page, "error", FORGED)
    assert HELD in text, text
    assert GENUINE not in text
    violations = axe_violations(page, axe_script)
    assert not violations, explain_violations(violations)

    # A genuine one, still offline (with a scanner's noise: lower case, a line end) is genuine.
    _scanner_types(page, world["payload"].lower() + "\n", enter=True)
    text = _expect_status(page, "success", GENUINE)
    assert HELD in text, text
    assert path_of(page) == "/social/card/scan/"
    assert requests == [], requests
    # Not a card at all: refused too.
    _scanner_types(page, "https://example.com/not-a-card", enter=True)
    _expect_status(page, "error", FORGED)
    assert requests == [], requests

    # Back online, Enter sends the card to the server as before: the holder and the benefits due.
    context.set_offline(False)
    page.locator("#id_qr").fill(world["payload"])
    with page.expect_navigation():
        page.locator("#id_qr").press("Enter")
    assert page.locator("#h-holder").count() == 1, page.locator("main").inner_text()
    assert "Trần Văn Bình" in page.locator("main").inner_text()


def test_the_keys_come_from_the_device_when_the_server_cannot_give_them(new_context, server, world):
    context, page = _cashier_page(new_context, server)
    _open_scan(page)
    page.wait_for_function(f"() => window.localStorage.getItem({KEYS_CACHE!r}) !== null")

    # The keys address does not answer: the keys kept on the device still check the card.
    context.route("**/social/card/keys.json", lambda route: route.abort())
    _open_scan(page)
    page.locator("#id_qr").fill(world["payload"])
    _expect_status(page, "success", GENUINE)
    page.locator("#id_qr").fill(_forged(world["payload"]))
    _expect_status(page, "error", FORGED)

    # Nothing kept and nothing fetched: the page says it cannot check, it never guesses.
    page.evaluate("() => window.localStorage.clear()")
    _open_scan(page)
    page.locator("#id_qr").fill(world["payload"])
    _expect_status(page, "info", NO_KEYS)
