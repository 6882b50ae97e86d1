"""Helpers shared by the browser journeys."""

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pyotp

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_BLOCKING = {"serious", "critical"}


def path_of(page: Any) -> str:
    return urlsplit(page.url).path


def html_lang(page: Any) -> str:
    return page.locator("html").get_attribute("lang")


def submit(page: Any, selector: str = "main form button[type=submit]") -> None:
    """Clicks a form's submit button and waits for the page the POST leads to."""
    with page.expect_navigation():
        page.locator(selector).first.click()


def sign_in(page: Any, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    submit(page)


# The server refuses a TOTP code whose time step is not newer than the last one it accepted for the account
# (no replay), and accepts the step after the current one (clock drift): the last step used per account.
_last_totp_step: dict[str, int] = {}


def totp_code(secret: str, account: str) -> str:
    """A code the server accepts now for the account, never one of a step it already used in this run."""
    totp = pyotp.TOTP(secret)
    while True:
        now_step = int(time.time() // totp.interval)
        step = max(now_step, _last_totp_step.get(account, 0) + 1)
        if step <= now_step + 1:
            _last_totp_step[account] = step
            return totp.at(step * totp.interval)
        time.sleep(1)


def sign_in_with_two_factor(page: Any, username: str, password: str, secret: str) -> None:
    """Password, then the 6-digit code of an authenticator already set up (the /accounts/2fa/ page)."""
    sign_in(page, username, password)
    assert path_of(page) == "/accounts/2fa/", page.url
    page.locator("#id_code").fill(totp_code(secret, username))
    submit(page)
    assert path_of(page) != "/accounts/2fa/", page.locator("main").inner_text()


def axe_violations(page: Any, axe_script: str) -> list[dict]:
    """The serious and critical axe-core violations of the page as it is now."""
    if page.evaluate("typeof axe") == "undefined":
        page.evaluate(axe_script + "\n;0")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in AXE_BLOCKING]


def explain_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(node["target"]) for node in v["nodes"][:5]]
        lines.append(f"{v['impact']} {v['id']}: {v['help']} -> {targets}")
    return "\n".join(lines)


def ansinh_shell(env: dict[str, str], code: str, marker: str) -> Any:
    """Runs `code` with `ansinh shell -c` in the e2e server's database (`server.env`); returns the JSON the
    code printed after `marker` on a line of its own (None when it printed none)."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("ansinh")), "shell", "-v0", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    line = next((x for x in result.stdout.splitlines() if x.startswith(marker)), marker + "null")
    return json.loads(line.removeprefix(marker))
