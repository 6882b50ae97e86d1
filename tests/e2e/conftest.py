"""Browser tests: the real ASGI server (`ansinh serve`, uvicorn) in a subprocess with DEBUG off and its own
SQLite database, driven by Debian's Chromium through Playwright (sync API).

Every test under tests/e2e is marked `e2e` (also by the hook below), so `make unit` (-m "not e2e") never
starts a browser; `make e2e` runs them in their own pytest process, because Playwright's event loop would
break later async tests in the same process.

Set E2E_BASE_URL to drive an already running server instead: it must hold the same seeded accounts (and
organisations, personal record and authenticator keys, see SEED), and E2E_ISSUED gives the one-time
passwords of the issued ones as JSON ({"e2e-issued": "...", ...}).
Screenshots of failed tests go to test-results/ (ignored by git).
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.support import AXE
from tests.processes import stop

ROOT = Path(__file__).resolve().parents[2]
ANSINH = str(Path(sys.executable).with_name("ansinh"))
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RESULTS_DIR = ROOT / "test-results"
E2E_DIR = Path(__file__).resolve().parent
SEED_MARKER = "E2E-SEED:"

# Known password of the accounts the seed creates with a password of its own (not issued ones).
PASSWORD = "Mat-khau-trinh-duyet-2026"
# Authenticator key of the seeded officials who read personal data (two-factor sign-in is already set up).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# The applicant of the dossier journeys: a citizen whose account is linked to a personal record.
APPLICANT_ID = "040090001234"

# Runs inside `ansinh shell -c`: the same services an administrator uses, with no actor (a bootstrap).
SEED = f"""
import json
from django.utils import timezone
from ansinh.accounts import services
from ansinh.accounts.models import Role, TotpDevice, User
from ansinh.geo.models import Province

# An account whose role reads no personal data (enterprise staff read their workers' records now, so they
# enrol a second factor like officials): the partner agency's staff.
agency = services.organisation_create(
    actor=None, code="E2E-BHXH", name="Bảo hiểm xã hội tỉnh Thử nghiệm", kind="social_insurance"
)
ministry = services.organisation_create(
    actor=None, code="E2E-MIN", name="Cục Quản lý Lao động ngoài nước", kind="department"
)
issued, issued_password = services.account_issue(
    actor=None,
    username="e2e-issued",
    organisation=agency,
    role=Role.objects.get(code="social_insurance_partner"),
)
auditor, auditor_password = services.account_issue(
    actor=None, username="e2e-auditor", organisation=ministry, role=Role.objects.get(code="auditor")
)
for username in ("e2e-citizen", "e2e-lockout", "e2e-headers"):
    User.objects.create_user(username, {PASSWORD!r})
officer, officer_password = services.account_issue(
    actor=None, username="e2e-officer", organisation=ministry, role=Role.objects.get(code="ministry_officer")
)
# Dossiers (tests/e2e/test_dossier_journeys.py): an employment centre receives, the department decides.
nghe_an = Province.objects.get(code="40")
department = services.organisation_create(
    actor=None,
    code="E2E-SNV-NA",
    name="Sở Nội vụ tỉnh Nghệ An",
    kind="provincial_department",
    province=nghe_an,
)
centre = services.organisation_create(
    actor=None,
    code="E2E-TTDVVL-NA",
    name="Trung tâm Dịch vụ việc làm tỉnh Nghệ An",
    kind="employment_centre",
    parent=department,
    province=nghe_an,
)
applicant = services.person_create(
    actor=None, full_name="Nguyễn Văn An", personal_id={APPLICANT_ID!r}, province=nghe_an
)
User.objects.create_user("e2e-applicant", {PASSWORD!r}, person=applicant)
# Two years of unemployment-insurance contributions up to two months ago: the claim is decided from them.
from ansinh.unemployment.models import ContributionMonth
from ansinh.unemployment.rules import add_months
last = add_months(timezone.localdate().replace(day=1), -2)
ContributionMonth.objects.bulk_create(
    ContributionMonth(person=applicant, month=add_months(last, -n), wage=8_000_000, region="I")
    for n in range(24)
)
for username, organisation, role in (
    ("e2e-centre-officer", centre, "employment_centre_officer"),
    ("e2e-decider", department, "provincial_officer"),
):
    staff = User.objects.create_user(username, {PASSWORD!r})
    services.membership_grant(
        actor=None, user=staff, organisation=organisation, role=Role.objects.get(code=role)
    )
    TotpDevice.objects.create(user=staff, secret={TOTP_SECRET!r}, confirmed_at=timezone.now())
print({SEED_MARKER!r} + json.dumps({{
    "e2e-issued": issued_password,
    "e2e-auditor": auditor_password,
    "e2e-officer": officer_password,
}}))
"""


@dataclass(frozen=True)
class Server:
    url: str
    issued: dict[str, str]  # username -> one-time password of accounts issued by the agency
    password: str = PASSWORD  # password of the other seeded accounts
    totp_secret: str = TOTP_SECRET  # authenticator key of the seeded officials with two-factor sign-in
    applicant_id: str = APPLICANT_ID  # personal ID number of e2e-applicant's personal record
    env: dict[str, str] = field(
        default_factory=dict
    )  # how `ansinh serve` runs: for `ansinh shell` on its data


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _run(args: list[str], env: dict[str, str]) -> str:
    result = subprocess.run(
        [ANSINH, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"ansinh {args[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ansinh serve exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"ansinh serve did not answer within {timeout}s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`ansinh migrate`, `ansinh load_reference`, seed accounts, then `ansinh serve` on a free port."""
    external = os.environ.get("E2E_BASE_URL")
    if external:
        yield Server(url=external.rstrip("/"), issued=json.loads(os.environ.get("E2E_ISSUED", "{}")))
        return
    var_dir = tmp_path_factory.mktemp("ansinh-e2e")
    env = {
        key: value
        for key, value in os.environ.items()
        # Hermetic: its own SQLite file and in-memory cache/channels, whatever the outer run uses.
        if key not in {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ansinh.config.settings",
            "SECRET_KEY": "e2e-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DEBUG": "false",
            "HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ANSINH_VAR_DIR": str(var_dir),
            "LOCKOUT_FAILURE_LIMIT": "5",
            "LOCKOUT_MINUTES": "15",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    _run(["migrate", "--no-input", "-v0"], env)
    _run(["load_reference", "-v0"], env)
    seeded = _run(["shell", "-v0", "-c", SEED], env)
    issued = next(
        json.loads(line.removeprefix(SEED_MARKER))
        for line in seeded.splitlines()
        if line.startswith(SEED_MARKER)
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = var_dir / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [ANSINH, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(url, process, log)
        yield Server(url=url, issued=issued, env=env)
    finally:
        stop(process)
        server_errors = [line for line in log.read_text(errors="replace").splitlines() if " 500 " in line]
        if server_errors:
            print("ansinh serve answered 500:\n" + "\n".join(server_errors[-20:]), file=sys.stderr)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's 'chromium' package (make e2e does, as root)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_context(browser: Any, server: Server, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Makes fresh browser contexts (own cookies) on the served origin; screenshots on failure."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("base_url", server.url)
        # The browser asks for English: pages must still default to Vietnamese (they ignore the header).
        options.setdefault("locale", "en-US")
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    failed = getattr(request.node, "report_call", None)
    for index, context in enumerate(contexts):
        if failed is not None and failed.failed:
            RESULTS_DIR.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
            for number, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(RESULTS_DIR / f"{name}-{index}-{number}.png"), full_page=True)
                except Exception as exc:  # a screenshot must never hide the real failure
                    print(f"screenshot failed: {exc}", file=sys.stderr)
        context.close()


@pytest.fixture
def page(new_context: Any) -> Any:
    return new_context().new_page()


@pytest.fixture(scope="session")
def axe_script() -> str:
    """axe-core, to run in the pages (see test_accessibility.py)."""
    if not AXE.exists():
        message = f"{AXE} is missing: run `npm ci` at the repository root (make e2e does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text()
