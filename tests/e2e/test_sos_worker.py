"""The worker's app on a phone (issue 4, items 3 to 5): holding SOS counts down 5..1 and letting go early
sends nothing; a full hold sends it with the phone's position, and it can be cancelled within 60 seconds;
with no network the SOS waits on the phone (IndexedDB + service worker) and arrives exactly once when the
network returns, even across a reload; the request page follows the desk's work live.

The workers are made in the e2e server's own database with `ansinh shell -c` (the server fixture does not
expose its environment, so it is rebuilt here from the fixture's temporary folder)."""

import os
import time
from datetime import datetime
from typing import Any

import pytest

from tests.e2e.support import ansinh_shell, axe_violations, explain_violations, path_of, sign_in

pytestmark = pytest.mark.e2e

PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": False}
SEOUL = {"latitude": 37.5665, "longitude": 126.978, "accuracy": 20}
WORKERS = {
    "e2e-sos-hold": "040095007001",
    "e2e-sos-offline": "040095007002",
    "e2e-sos-live": "040095007003",
    "e2e-sos-nogeo": "040095007004",
}
MARKER = "E2E-SOS:"


def _shell(env: dict[str, str], code: str) -> Any:
    return ansinh_shell(env, code, MARKER)


@pytest.fixture(scope="module")
def desk(server) -> Any:
    """Makes the workers (person, account, worker record in Korea) and a desk operator; returns a function
    that runs code in the server's database."""
    if os.environ.get("E2E_BASE_URL"):
        pytest.skip("needs the e2e server's own database to create the worker accounts")
    env = server.env
    _shell(
        env,
        f"""
from ansinh.accounts import services
from ansinh.accounts.models import Role, User
from ansinh.sos.models import WorkerProfile
for n, (username, personal_id) in enumerate({WORKERS!r}.items()):
    passport = f"E2E{{n:05d}}"
    person = services.person_create(
        actor=None, full_name="Trần Thị Lan", personal_id=personal_id, passport_number=passport,
        phone="+821012345678",
    )
    User.objects.create_user(username, {server.password!r}, person=person)
    WorkerProfile.objects.create(
        person=person, passport_number=passport, country="KR", programme="eps_korea", source="demo"
    )
colab = services.organisation_create(
    actor=None, code="E2E-COLAB", name="Trung tâm Lao động ngoài nước", kind="department"
)
operator = User.objects.create_user("e2e-sos-operator", {server.password!r})
services.membership_grant(
    actor=None, user=operator, organisation=colab, role=Role.objects.get(code="colab_operator")
)
""",
    )
    return lambda code: _shell(env, code)


def _phone(new_context, server, *, geolocation: bool) -> Any:
    options: dict[str, Any] = dict(PHONE)
    if geolocation:
        options.update(permissions=["geolocation"], geolocation=SEOUL)
    context = new_context(**options)
    if not geolocation:
        context.clear_permissions()
    return context


def _open_sos(page, server, username: str) -> None:
    sign_in(page, username, server.password)
    assert path_of(page) == "/my-services/", page.url  # a citizen's page after signing in
    page.goto("/sos/sos/")
    page.locator("#sos-button:not([disabled])").wait_for()


def _watch_countdown(page) -> None:
    page.evaluate(
        """() => {
          window.__seen = [];
          const count = document.getElementById("sos-count");
          new MutationObserver(() => {
            const text = count.textContent.trim();
            if (text && window.__seen[window.__seen.length - 1] !== text) window.__seen.push(text);
          }).observe(count, {childList: true, characterData: true, subtree: true});
        }"""
    )


def _press(page) -> None:
    box = page.locator("#sos-button").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()


def _msg(page, name: str) -> str:
    return page.locator("#sos").get_attribute(f"data-msg-{name}")


def _my_requests(page) -> list[dict]:
    response = page.context.request.get("/sos/app/requests")
    assert response.status == 200, response.text()
    return response.json()["items"]


def _outbox_size(page) -> int:
    return page.evaluate("() => ansinhQueue.all().then(entries => entries.length)")


def _wait_until(condition: Any, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def _detail(page, item: dict) -> dict:
    return page.context.request.get(f"/sos/app/requests/{item['id']}.json").json()


def test_holding_sos_counts_down_letting_go_cancels_and_a_full_hold_sends(new_context, server, desk):
    context = _phone(new_context, server, geolocation=True)
    page = context.new_page()
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    _open_sos(page, server, "e2e-sos-hold")
    live = page.locator("#sos-live")

    # Let go at about 2 seconds: the countdown stops and nothing is sent.
    _watch_countdown(page)
    _press(page)
    page.wait_for_timeout(2200)
    page.mouse.up()
    assert live.inner_text() == _msg(page, "cancelled")
    assert page.evaluate("window.__seen") == ["5", "4", "3"]
    page.wait_for_timeout(1000)
    assert _my_requests(page) == []

    # The keyboard: holding Space works the same way, and letting go early stops it too.
    page.locator("#sos-button").focus()
    page.keyboard.down(" ")
    page.wait_for_timeout(1200)
    page.keyboard.up(" ")
    assert live.inner_text() == _msg(page, "cancelled")
    assert _my_requests(page) == []

    # The full 5 seconds: 5-4-3-2-1, then the SOS is sent with the phone's position.
    _watch_countdown(page)
    _press(page)
    page.locator("#sos-sent").wait_for(state="visible", timeout=15_000)
    page.mouse.up()
    assert page.evaluate("window.__seen") == ["5", "4", "3", "2", "1"]
    reference = page.locator("#sos-ref").inner_text()
    assert reference.startswith("SOS-")
    items = _my_requests(page)
    assert [item["reference"] for item in items] == [reference]
    sent = _detail(page, items[0])
    assert sent["kind"] == "sos"
    assert abs(sent["latitude"] - SEOUL["latitude"]) < 1e-4
    assert abs(sent["longitude"] - SEOUL["longitude"]) < 1e-4
    assert sent["accuracy_m"] == 20
    assert sent["phone"] == "+821012345678"

    # "Sent by mistake": cancelled within the 60 seconds.
    cancel = page.locator("#sos-cancel")
    assert cancel.is_visible()
    assert 50 <= int(page.locator("#sos-cancel-left").inner_text()) <= 60
    cancel.click()
    page.wait_for_function("() => document.getElementById('sos-cancel').hidden")
    assert _detail(page, items[0])["status"] == "cancelled"
    assert len(_my_requests(page)) == 1
    assert not csp_errors, csp_errors


def test_with_no_network_the_sos_waits_on_the_phone_and_arrives_exactly_once(new_context, server, desk):
    context = _phone(new_context, server, geolocation=False)
    page = context.new_page()
    _open_sos(page, server, "e2e-sos-offline")
    # The service worker takes control, so the SOS page also opens with no network.
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.locator("#sos-button:not([disabled])").wait_for()
    page.locator("#sos-place").fill("Nhà máy ABC, Gimhae")
    shell = ["/sos/", "/sos/sos/", "/static/sos/sos.js"]
    kept = page.evaluate("urls => Promise.all(urls.map(u => caches.match(u).then(Boolean)))", shell)
    assert kept == [True, True, True], "the app shell is kept on the phone"

    context.set_offline(True)
    pressed_before = time.time()
    _press(page)
    saved = (
        "() => document.getElementById('sos-live').textContent"
        " === document.getElementById('sos').dataset.msgSaved"
    )
    page.wait_for_function(saved, timeout=20_000)
    page.mouse.up()
    assert page.locator("#outbox").is_visible()
    assert _outbox_size(page) == 1

    # Reloaded with no network: the page comes from the phone, and the SOS is still waiting there.
    page.reload()
    page.locator("#sos-button").wait_for()
    assert _outbox_size(page) == 1
    page.wait_for_timeout(500)
    assert page.locator("#sos-live").inner_text() == _msg(page, "saved")

    context.set_offline(False)
    page.locator("#sos-sent").wait_for(state="visible", timeout=30_000)
    assert page.locator("#sos-ref").inner_text().startswith("SOS-")
    _wait_until(lambda: _outbox_size(page) == 0)
    page.wait_for_timeout(2000)  # time for any second sender (the service worker's sync) to try too
    items = _my_requests(page)
    assert len(items) == 1
    sent = _detail(page, items[0])
    assert sent["latitude"] is None
    assert sent["location_text"] == "Nhà máy ABC, Gimhae"
    # The time the button was held, not the time the network came back.
    pressed = sent["client_created_at"]
    assert pressed is not None
    assert abs(datetime.fromisoformat(pressed).timestamp() - (pressed_before + 5)) < 10
    assert datetime.fromisoformat(pressed) < datetime.fromisoformat(sent["created_at"])


def test_refused_location_uses_the_typed_place_and_the_request_page_follows_the_desk(
    new_context, server, desk
):
    context = _phone(new_context, server, geolocation=False)
    page = context.new_page()
    _open_sos(page, server, "e2e-sos-live")
    page.locator("#sos-place").fill("Ký túc xá, Ansan")
    page.locator("#sos-message").fill("Tôi bị ngã ở xưởng")
    _press(page)
    page.locator("#sos-sent").wait_for(state="visible", timeout=20_000)
    page.mouse.up()
    item = _my_requests(page)[0]
    sent = _detail(page, item)
    assert sent["latitude"] is None
    assert sent["location_text"] == "Ký túc xá, Ansan"
    assert sent["message"] == "Tôi bị ngã ở xưởng"

    page.locator("#sos-open").click()
    page.wait_for_url(f"**/sos/requests/{item['id']}/")
    assert page.locator("#request-status").inner_text() == sent["status_label"]
    desk(
        f"""
from ansinh.accounts.models import User
from ansinh.sos.services import desk, help_requests
operator = User.objects.get(username="e2e-sos-operator")
desk.request_acknowledge(actor=operator, request_id={item["id"]})
help_requests.request_message(actor=operator, request_id={item["id"]}, body="Chúng tôi đang gọi cho bạn.")
"""
    )
    notice = page.locator("#request-notice")
    notice.wait_for(state="visible", timeout=15_000)
    page.locator("#request-messages .chat__msg--operator").wait_for(timeout=15_000)
    assert "Chúng tôi đang gọi cho bạn." in page.locator("#request-messages").inner_text()
    assert page.locator("#request-status").inner_text() == _detail(page, item)["status_label"]
    assert _detail(page, item)["status"] == "in_progress"
    assert page.locator("#request-timeline [aria-current=step]").count() == 1

    # The worker answers from the same page.
    page.locator("#id_body").fill("Tôi ở cổng số 2.")
    page.locator("#request-reply button[type=submit]").click()
    page.locator("#request-messages .chat__msg--me").wait_for()
    assert [m["body"] for m in _detail(page, item)["messages"]] == [
        "Chúng tôi đang gọi cho bạn.",
        "Tôi ở cổng số 2.",
    ]


def test_support_request_with_typed_address_fits_a_small_phone(new_context, server, desk):
    context = _phone(new_context, server, geolocation=False)
    page = context.new_page()
    sign_in(page, "e2e-sos-nogeo", server.password)
    page.goto("/sos/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("a[href='/sos/support/']").click()
    page.wait_for_url("**/sos/support/")
    assert page.locator("#id_phone").input_value() == "+821012345678"
    # Without a message the request is refused next to the field, and nothing is stored.
    page.locator("#id_location_text").fill("Gimhae, Gyeongsangnam-do")
    page.locator("#support button[type=submit]").click()
    page.locator("#id_message[aria-invalid=true]").wait_for()
    assert _my_requests(page) == []
    page.locator("#id_category").select_option("wages")
    page.locator("#id_message").fill("Công ty nợ lương hai tháng.")
    page.locator("#support button[type=submit]").click()
    page.wait_for_url("**/sos/requests/*/")
    items = _my_requests(page)
    assert len(items) == 1
    assert items[0]["kind"] == "support"
    assert _detail(page, items[0])["category"] == "wages"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.mark.parametrize("language", ["vi", "en"])
def test_app_pages_have_no_serious_accessibility_violation(new_context, server, desk, axe_script, language):
    context = _phone(new_context, server, geolocation=False)
    context.add_cookies([{"name": "django_language", "value": language, "url": server.url}])
    page = context.new_page()
    page.goto("/sos/")
    violations = axe_violations(page, axe_script)
    assert not violations, f"/sos/ (signed out):\n{explain_violations(violations)}"
    sign_in(page, "e2e-sos-nogeo", server.password)
    paths = ["/sos/", "/sos/sos/", "/sos/support/", "/sos/requests/"]
    paths += [item["url"] for item in _my_requests(page)[:1]]  # a request page, when the worker has one
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        violations = axe_violations(page, axe_script)
        assert not violations, f"{path}:\n{explain_violations(violations)}"
