"""Issue 4's acceptance journey, two browsers at once: a worker abroad on a phone signs in with the passport
number (first password = passport), must change it and confirm the date of birth, holds SOS (letting go early
stops the countdown), then sends it; the operator's console, open in a second browser context, shows it live
within a second; the operator acknowledges and replies; the worker sees both on the phone."""

import time
from typing import Any

import pytest

from tests.e2e.support import axe_violations, explain_violations, path_of, sign_in_with_two_factor, submit

pytestmark = pytest.mark.e2e

PASSPORT = "B7654321"
PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True}
SEOUL = {"latitude": 37.2636, "longitude": 127.0286, "accuracy": 30}
OPERATOR = "e2e-sos-desk"


@pytest.fixture(scope="module")
def journey_world(server) -> None:
    import subprocess
    import sys
    from pathlib import Path

    if not server.env:
        pytest.skip("needs the e2e server's own database")
    code = f"""
from datetime import date
from django.utils import timezone
from ansinh.accounts import services
from ansinh.accounts.models import Role, TotpDevice, User
from ansinh.sos.services.workers import worker_provision
worker_provision(actor=None, passport_number={PASSPORT!r}, full_name="Phạm Văn Hùng",
    date_of_birth=date(1995, 3, 14), country="KR", programme="eps_korea",
    employer="Hanil Industrial Co., Ltd.", enterprise="Công ty Sao Mai", phone="+821055556666", source="demo")
colab = services.organisation_create(actor=None, code="E2E-COLAB-DESK", name="Trung tâm Lao động ngoài nước",
    kind="overseas_centre")
operator = User.objects.create_user({OPERATOR!r}, {server.password!r})
role = Role.objects.get(code="colab_operator")
services.membership_grant(actor=None, user=operator, organisation=colab, role=role)
TotpDevice.objects.create(user=operator, secret={server.totp_secret!r}, confirmed_at=timezone.now())
"""
    ansinh = str(Path(sys.executable).with_name("ansinh"))
    result = subprocess.run(
        [ansinh, "shell", "-v0", "-c", code], env=server.env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def _first_sign_in(page: Any) -> None:
    page.goto("/accounts/login/?next=/sos/")
    page.locator("#id_username").fill(PASSPORT.lower())  # as typed on a phone: case does not matter
    page.locator("#id_password").fill(PASSPORT)
    submit(page)
    assert path_of(page) == "/accounts/password/change/", page.url
    page.locator("#id_old_password").fill(PASSPORT)
    page.locator("#id_date_of_birth").fill("1990-01-01")  # wrong: refused, nothing changed
    page.locator("#id_new_password").fill("Hoa-sen-Seoul-2026")
    page.locator("#id_new_password_again").fill("Hoa-sen-Seoul-2026")
    submit(page)
    assert path_of(page) == "/accounts/password/change/"
    assert page.locator(".field--error #id_date_of_birth").count() == 1
    page.locator("#id_old_password").fill(PASSPORT)
    page.locator("#id_date_of_birth").fill("1995-03-14")
    page.locator("#id_new_password").fill("Hoa-sen-Seoul-2026")
    page.locator("#id_new_password_again").fill("Hoa-sen-Seoul-2026")
    submit(page)
    assert path_of(page) == "/sos/", page.url


def test_worker_sends_sos_the_console_shows_it_live_and_the_operator_answers(
    new_context, server, journey_world, axe_script
):
    desk_page = new_context().new_page()
    sign_in_with_two_factor(desk_page, OPERATOR, server.password, server.totp_secret)
    desk_page.goto("/staff/sos/")
    desk_page.locator("#desk-status.desk-status--live").wait_for(timeout=10_000)

    phone = new_context(**PHONE, permissions=["geolocation"], geolocation=SEOUL).new_page()
    _first_sign_in(phone)
    phone.goto("/sos/sos/")
    button = phone.locator("#sos-button:not([disabled])")
    button.wait_for()
    box = button.bounding_box()
    phone.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    # Letting go after about a second and a half: the countdown was shown, and it stops.
    phone.mouse.down()
    phone.wait_for_timeout(1500)
    assert phone.locator("#sos-count").inner_text().strip() in {"4", "3"}
    phone.mouse.up()
    assert phone.locator("#sos-sent").is_hidden()

    # Holding through the 5 seconds sends it.
    phone.mouse.down()
    phone.locator("#sos-sent").wait_for(state="visible", timeout=15_000)
    sent_at = time.monotonic()
    phone.mouse.up()
    reference = phone.locator("#sos-ref").inner_text()
    assert reference.startswith("SOS-")

    row = desk_page.locator("#desk-queue tr.desk-row--new", has_text=reference)
    row.wait_for(timeout=1000)  # live on the console within a second
    shown_after = time.monotonic() - sent_at
    assert shown_after < 1.0, shown_after
    assert "37.2636" in row.inner_text()

    # The operator opens it (the worker card knows the worker), acknowledges and replies.
    with desk_page.expect_navigation():
        row.locator("a").click()
    assert "Phạm Văn Hùng" in desk_page.locator("main").inner_text()
    assert "Asia/Seoul" in desk_page.locator("main").inner_text()
    submit(desk_page, "#acknowledge")
    desk_page.locator("#message-body").fill("Trung tâm đã nhận SOS. Anh có an toàn không?")
    submit(desk_page, "form[action$='/message/'] button[type=submit]")
    assert "Trung tâm đã nhận SOS" in desk_page.locator("#conversation").inner_text()
    violations = axe_violations(desk_page, axe_script)
    assert not violations, explain_violations(violations)
    desk_page.goto("/staff/sos/")
    violations = axe_violations(desk_page, axe_script)
    assert not violations, explain_violations(violations)

    # The worker sees both: the status moved on and the operator's message arrived.
    phone.goto("/sos/requests/")
    with phone.expect_navigation():
        phone.locator("main a", has_text=reference).first.click()
    phone.locator("#request-messages", has_text="Trung tâm đã nhận SOS").wait_for(timeout=10_000)
    status = phone.locator("#request-status").inner_text()
    assert status in {"Đang xử lý", "In progress"}, status

    # Signing out forgets the pages the phone kept for offline use (they show the worker's phone number).
    def kept() -> bool:
        return phone.evaluate("async () => !!(await caches.match('/sos/', {ignoreVary: true}))")

    phone.goto("/sos/")
    _until(kept)
    with phone.expect_navigation():
        phone.locator("form[action='/accounts/logout/'] button").first.click()
    _until(lambda: not kept())


def _until(condition: Any, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
