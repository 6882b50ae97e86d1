"""A 201 means the request is committed. The real server (`ansinh serve`, uvicorn) is killed with SIGKILL in
the middle of a burst of SOS submissions: every request it acknowledged is in the database, and the phones'
retries (same Idempotency-Key, same body) after the restart leave exactly one row per key.

The server runs in a subprocess on the test database, which is why the test is transactional (the server
must see the workers and tokens it creates): on PostgreSQL the test database itself, on SQLite the test
database file (the server opens it through a symbolic link named as its settings expect, with the same WAL
and locking options)."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

from ansinh.accounts.services import token_issue
from ansinh.sos.models import HelpRequest
from tests.factories import PersonFactory, UserFactory
from tests.processes import stop

ROOT = Path(__file__).resolve().parents[2]
ANSINH = str(Path(sys.executable).with_name("ansinh"))
BURST = 200  # submissions, each with its own key
KILL_AFTER = 50  # acknowledged answers before the SIGKILL
THREADS = 12
SERVER_APP_NAME = "ansinh-kill-test"
WORKERS = 4
SOS = {
    "kind": "sos",
    "phone": "+821012345678",
    "latitude": 37.5665,
    "longitude": 126.978,
    "accuracy_m": 20,
    "category": "accident",
    "message": "Tai nạn ở xưởng",
}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(tmp_path: Path) -> dict[str, str]:
    """The server's environment: production settings, this test's database, no Redis (one process)."""
    hermetic = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"}
    env = {key: value for key, value in os.environ.items() if key not in hermetic}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ansinh.config.settings",
            "SECRET_KEY": "kill-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "DEBUG": "false",
            "HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "ANSINH_VAR_DIR": str(tmp_path),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
            "DB_POOL_MAX_SIZE": "4",  # as in production (the test process itself runs without a pool)
            "PGAPPNAME": SERVER_APP_NAME,  # its PostgreSQL sessions, told apart from any other
        }
    )
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        url = urlsplit(os.environ["DATABASE_URL"])
        env["DATABASE_URL"] = url._replace(path=f"/{name}").geturl()
    else:
        assert connection.vendor == "sqlite"
        database = Path(str(name))
        # settings.DATABASES["default"]["TEST"]["NAME"] is a file, so that a server process can open it.
        assert database.is_file(), f"the SQLite test database is not a file ({name})"
        (tmp_path / "ansinh.sqlite3").symlink_to(database.resolve())
    return env


class Server:
    """`ansinh serve` (one process) in its own process group, so a SIGKILL takes all of it at once."""

    def __init__(self, env: dict[str, str], log: Path):
        self.env, self.log = env, log
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    def start(self) -> None:
        self.port = _free_port()
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [ANSINH, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"ansinh serve exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"ansinh serve did not answer within 60 s:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            stop(self.process)


def _submit(port: int, token: str, key: str) -> tuple[int, dict]:
    """One POST; (0, {}) when no answer came (refused, reset, or cut by the kill)."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            conn.request(
                "POST",
                "/api/v1/sos/requests",
                body=json.dumps(SOS),
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": key,
                },
            )
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
    except (OSError, http.client.HTTPException):
        return 0, {}
    return response.status, json.loads(body) if body else {}


def _wait_for_orphaned_backends() -> None:
    """On PostgreSQL a backend of the killed server may still be finishing: a COMMIT the app had sent before
    it died still commits. Wait until none is left, so the rows read next are final."""
    if connection.vendor != "postgresql":
        return  # SQLite commits inside the app process: nothing outlives it
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name = %s",
                [SERVER_APP_NAME],
            )
            if cursor.fetchone()[0] == 0:
                return
            time.sleep(0.1)
    raise AssertionError("the killed server's database sessions did not end within 30 s")


def _rows_by_key(keys: dict[str, int]) -> Counter[tuple[int, str]]:
    """(worker id, key) -> number of rows, for every row of these workers."""
    rows = HelpRequest.objects.filter(worker_id__in=set(keys.values())).values_list(
        "worker_id", "idempotency_key"
    )
    return Counter(rows)


@pytest.mark.django_db(transaction=True)
def test_every_acknowledged_request_survives_a_kill_and_retries_make_no_duplicates(tmp_path):
    workers = []
    for n in range(WORKERS):
        user = UserFactory(person=PersonFactory(personal_id=f"04009700{n:04d}"))
        workers.append((user.pk, token_issue(user=user, name="kill test")[1]))
    # Key -> (worker id, token): each key belongs to one worker, as on a phone.
    plan = {f"kill-{i:04d}-{os.getpid()}": workers[i % WORKERS] for i in range(BURST)}
    owner = {key: worker_id for key, (worker_id, _token) in plan.items()}

    server = Server(_server_env(tmp_path), tmp_path / "serve.log")
    answers: dict[str, tuple[int, dict]] = {}
    acknowledged = threading.Event()
    lock = threading.Lock()
    try:
        server.start()
        port = server.port

        def send(key: str) -> None:
            status, body = _submit(port, plan[key][1], key)
            with lock:
                answers[key] = (status, body)
                if sum(1 for s, _b in answers.values() if s in (200, 201)) >= KILL_AFTER:
                    acknowledged.set()

        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            futures = [pool.submit(send, key) for key in plan]
            assert acknowledged.wait(timeout=60), (
                f"fewer than {KILL_AFTER} answers:\n{server.log.read_text()}"
            )
            server.kill()  # mid-burst: requests in flight are cut, the rest find no server
            for future in futures:
                future.result()
        _wait_for_orphaned_backends()

        acked = {key: body for key, (status, body) in answers.items() if status in (200, 201)}
        unanswered = [key for key, (status, _body) in answers.items() if status not in (200, 201)]
        assert all(status in (0, 200, 201) for status, _body in answers.values()), Counter(
            s for s, _b in answers.values()
        )
        assert unanswered, "the kill came after the burst: nothing was interrupted"

        # Every acknowledged request is committed: exactly one row, the one the answer named.
        rows = _rows_by_key(owner)
        ids = dict(
            HelpRequest.objects.filter(idempotency_key__in=list(acked)).values_list("idempotency_key", "id")
        )
        for key, body in acked.items():
            assert rows[(owner[key], key)] == 1, f"acknowledged {key} has {rows[(owner[key], key)]} rows"
            assert ids[key] == body["id"]
        committed_unanswered = {key for key in unanswered if rows[(owner[key], key)] == 1}

        # The phones retry what got no answer, with the same key and body, once the server is back.
        server.start()
        retried: dict[str, tuple[int, dict]] = {}
        for key in unanswered:
            for _attempt in range(3):
                status, body = _submit(server.port, plan[key][1], key)
                if status in (200, 201):
                    break
                time.sleep(0.2)
            retried[key] = (status, body)
    finally:
        server.stop()

    rows = _rows_by_key(owner)
    for key, (status, body) in retried.items():
        # Committed before the kill but never answered: the retry returns that request (200); otherwise
        # the retry is the first time it is recorded (201).
        expected = 200 if key in committed_unanswered else 201
        assert status == expected, f"retry of {key}: {status} {body}"
    assert set(rows) == {(owner[key], key) for key in plan}, "a key has no row, or an unknown row appeared"
    assert all(count == 1 for count in rows.values()), [k for k, c in rows.items() if c > 1]
    assert (
        sum(rows.values())
        == len(plan)
        == HelpRequest.objects.filter(worker_id__in=set(owner.values())).count()
    )
    retried_ids = {body["id"] for _s, body in retried.values()}
    acked_ids = {body["id"] for body in acked.values()}
    assert len(retried_ids) == len(retried)
    assert not retried_ids & acked_ids
    print(
        f"burst {BURST}: {len(acked)} acknowledged before the kill, {len(unanswered)} unanswered "
        f"({len(committed_unanswered)} of them committed, answered 200 on retry)"
    )
