"""Helpers shared by the browser journeys."""

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


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
