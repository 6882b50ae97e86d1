"""SOS benchmarks (issue 4's performance targets; a measurement, not a test): `.venv/bin/python bench/sos.py`
(also run by `make bench` after bench/dossiers.py).

A throwaway PostgreSQL database `ansinh_bench_sos_<pid>` is created on BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/postgres), migrated, given the reference data, 2,000 workers abroad with
API tokens and one desk operator with a signed-in, two-factor-verified session; it is dropped at the end.
The server is the real one: `ansinh serve --workers 2` (uvicorn, two app processes) against that database
and Redis (BENCH_REDIS_URL, default redis://127.0.0.1:6379/13: channel layer, cache, Celery broker). The load
comes from this process (asyncio and a minimal HTTP/1.1 keep-alive client; the connections are spread evenly
over the two app processes: each is matched to the process that accepted it through /proc).

1. GET /healthz, closed loop (c connections, each sends its next request when the answer arrives).
2. POST /api/v1/sos/requests, the same closed loop: distinct Idempotency-Keys, spread over the workers.
3. POST at half of (2)'s throughput, open loop (sent on schedule, never waiting for answers; latency from
   the scheduled time, so a stall is not hidden by sending less during it).
4. Commit to the operators' consoles: one console websocket on each app process (/ws/sos/console with the
   operator's session cookie), SOS at 100 per second open loop; for every 201, the arrival of its event on
   each console: from the client's send, from the request's `created_at`, from the event's `at` (stamped in
   the transaction just before COMMIT). Every 201 must appear once on every console, in sequence order.
5. Notices: 1,000,000 workers abroad (Person + WorkerProfile, PostgreSQL COPY) across countries and
   programmes; `notice_publish` timed in-process (one row whatever the audience; urgent ones only enqueue
   the push after commit). 2,000 notices of mixed audiences; a worker's notice list
   (`notice_feed_for_worker(worker)[:20]` + `read_notice_ids`) in-process, and GET /api/v1/notices?country=KR
   through the server.

Writes bench/results_sos.md and prints the same Markdown. Options: --help.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results_sos.md"
ANSINH = str(Path(sys.executable).with_name("ansinh"))
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnop"
WORKER_COUNTRY = "KR"
WORKER_PROGRAMME = "eps_korea"
WORKER_EMPLOYER = "Samsung Heavy Industries Geoje"

# Where Vietnam's contract workers are (roughly, by the yearly departures): Japan, Taiwan, Korea, the rest.
COUNTRIES: list[tuple[str, int, list[str]]] = [
    ("JP", 40, ["japan_technical_intern", "japan_specified_skilled"]),
    ("TW", 35, ["taiwan"]),
    ("KR", 10, ["eps_korea"]),
    ("DE", 3, ["germany_care"]),
    ("CN", 3, ["other"]),
    ("SA", 3, ["other"]),
    ("HU", 2, ["other"]),
    ("RO", 2, ["other"]),
    ("SG", 2, ["other"]),
]
SOS_BODY = {
    "kind": "sos",
    "phone": "+821012345678",
    "latitude": 37.5665,
    "longitude": 126.978,
    "accuracy_m": 25,
    "location_text": "",
    "category": "accident",
    "message": "Tai nạn lao động, cần giúp đỡ",
}


# --- small helpers ------------------------------------------------------------------------------------------


_T0 = time.perf_counter()


def _log(message: str) -> None:
    print(f"[{time.perf_counter() - _T0:6.1f} s] {message}", file=sys.stderr, flush=True)


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _stats(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"n": 0, "p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "max": float("nan")}
    return {
        "n": len(samples),
        "p50": statistics.median(samples),
        "p95": _pct(samples, 0.95),
        "p99": _pct(samples, 0.99),
        "max": max(samples),
    }


def _ms(value: float) -> str:
    return "–" if value != value else f"{value:.1f}"  # NaN: nothing measured


def _yes(ok: bool | None) -> str:
    return "n/a" if ok is None else ("**yes**" if ok else "**no**")


def _timed(fn: Callable[[], object], repeat: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


# --- machine and CPU accounting (Linux /proc) ---------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _machine() -> dict[str, str]:
    cpu, ram = platform.machine(), ""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        if found := re.search(r"^model name\s*:\s*(.+)$", info, re.M):
            cpu = found.group(1).strip()
        mem = Path("/proc/meminfo").read_text(encoding="utf-8")
        if found := re.search(r"^MemTotal:\s*(\d+) kB", mem, re.M):
            ram = f"{int(found.group(1)) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": ram, "load": _load()}


def _load() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def _proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK
    except (OSError, IndexError, ValueError):
        return 0.0


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / TICK, sum(values[:8]) / TICK


def _service_cpu() -> dict[str, float]:
    """CPU seconds used so far by PostgreSQL (every backend, live or already reaped by the postmaster) and by
    Redis, read from /proc (the services are shared: other databases' work counts too)."""
    used = {"postgres": 0.0, "redis": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        comm = raw[raw.find("(") + 1 : raw.rfind(")")]
        fields = raw.rsplit(")", 1)[1].split()
        if comm == "postgres" or comm.startswith("redis-server"):
            own = (int(fields[11]) + int(fields[12])) / TICK
            children = (int(fields[13]) + int(fields[14])) / TICK  # reaped backends (postmaster)
            used["postgres" if comm == "postgres" else "redis"] += own + children
    return used


@dataclass
class CpuMeter:
    """CPU use during a phase, in cores (1.0 = one core busy): each app process, this load client,
    PostgreSQL, Redis, and what is left of the machine's busy time (other programs on the machine)."""

    pids: list[int]
    start: float = 0.0
    app: dict[int, float] = field(default_factory=dict)
    client: float = 0.0
    services: dict[str, float] = field(default_factory=dict)
    machine: tuple[float, float] = (0.0, 0.0)
    result: dict[str, Any] = field(default_factory=dict)

    def __enter__(self) -> "CpuMeter":
        self.start = time.perf_counter()
        self.app = {pid: _proc_cpu(pid) for pid in self.pids}
        self.client = time.process_time()
        self.services = _service_cpu()
        self.machine = _machine_cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        wall = max(time.perf_counter() - self.start, 1e-9)
        busy, _total = _machine_cpu()
        services = _service_cpu()
        self.result = {
            "app": [(_proc_cpu(pid) - self.app[pid]) / wall for pid in self.pids],
            "client": (time.process_time() - self.client) / wall,
            "postgres": (services["postgres"] - self.services["postgres"]) / wall,
            "redis": (services["redis"] - self.services["redis"]) / wall,
            "machine": (busy - self.machine[0]) / wall,
        }
        r = self.result
        r["other"] = max(0.0, r["machine"] - sum(r["app"]) - r["client"] - r["postgres"] - r["redis"])

    def text(self) -> str:
        r = self.result
        if not r:
            return ""
        app = " + ".join(f"{c:.2f}" for c in r["app"])
        return (
            f"CPU (cores): app processes {app}, load client {r['client']:.2f}, "
            f"PostgreSQL {r['postgres']:.2f}, Redis {r['redis']:.2f}, other programs {r['other']:.2f}; "
            f"machine {r['machine']:.2f} of {os.cpu_count()}"
        )


def _background(seconds: float = 3.0) -> float:
    """Cores busy while nothing of this benchmark runs: other programs sharing the machine."""
    busy, _total = _machine_cpu()
    time.sleep(seconds)
    return (_machine_cpu()[0] - busy) / seconds


# --- PostgreSQL and Django set-up ---------------------------------------------------------------------------


def _pg_connect(server: str) -> Any:
    import psycopg

    return psycopg.connect(server, autocommit=True, connect_timeout=5)


def _pg_create(server: str) -> tuple[str, str]:
    from psycopg import sql

    name = f"ansinh_bench_sos_{os.getpid()}"
    with _pg_connect(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name, urlsplit(server)._replace(path=f"/{name}").geturl()


def _pg_drop(server: str, name: str) -> None:
    from psycopg import sql

    try:
        from django.db import connections

        connections.close_all()
    except Exception as exc:  # Django may not be set up yet
        _log(f"closing Django's connections: {exc!r}")
    with _pg_connect(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _unavailable(postgres: str, redis_url: str) -> str:
    """Why the benchmark cannot run here (it needs a PostgreSQL server and Redis), or ""."""
    import redis

    try:
        with _pg_connect(postgres):
            pass
    except Exception as exc:
        reason = (str(exc).strip() or repr(exc)).splitlines()[0]
        return f"PostgreSQL at {urlsplit(postgres).netloc} unavailable ({reason})"
    try:
        client = redis.Redis.from_url(redis_url, socket_connect_timeout=5)
        client.ping()
        client.close()
    except Exception as exc:
        return f"Redis at {urlsplit(redis_url).netloc} unavailable ({exc})"
    return ""


def _bench_env(database_url: str, redis_url: str, var_dir: str) -> dict[str, str]:
    """What both this process and the server read: production settings (DEBUG off), this run's database."""
    drop = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "DEBUG"}
    env = {key: value for key, value in os.environ.items() if key not in drop}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "ansinh.config.settings",
            "SECRET_KEY": SECRET_KEY,
            "DEBUG": "false",
            "HTTPS": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "ANSINH_VAR_DIR": var_dir,
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _django(env: dict[str, str]) -> None:
    os.environ.clear()
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference", verbosity=0)


@dataclass
class World:
    operator_id: int = 0
    session_key: str = ""
    tokens: list[str] = field(default_factory=list)
    worker_id: int = 0  # the worker whose notice list is measured


def _make_world(n_workers: int) -> World:
    """The desk operator with a verified session, and workers abroad (person + profile + user + token)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from ansinh.accounts.middleware import SESSION_2FA_KEY
    from ansinh.accounts.models import Membership, OrganisationKind, Person, Role, User
    from ansinh.accounts.services import organisation_create, token_issue
    from ansinh.core.text import normalise_search
    from ansinh.sos.models import WorkerProfile, WorkerSource

    world = World()
    centre = organisation_create(
        actor=None,
        code="BENCH-COLAB",
        name="Trung tâm Lao động ngoài nước",
        kind=OrganisationKind.OVERSEAS_LABOUR_CENTRE,
    )
    operator = User.objects.create_user("bench.operator", None)
    Membership.objects.create(
        user=operator, organisation=centre, role=Role.objects.get(code="colab_operator")
    )
    world.operator_id = operator.pk
    # As the sign-in and the second-factor page leave it (accounts/views.py): the session of a verified
    # operator, whose cookie the console's websocket sends.
    session = SessionStore()
    session[SESSION_KEY] = str(operator.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = operator.get_session_auth_hash()
    session[SESSION_2FA_KEY] = True
    session.set_expiry(3600)
    session.create()
    world.session_key = str(session.session_key)

    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(
            full_name=f"Người lao động {i:05d}",
            name_search=normalise_search(f"Người lao động {i:05d}"),
            personal_id=f"0990{i:08d}",
            passport_number=f"BW{i:07d}",
            phone=f"+8210{i:08d}",
        )
        for i in range(n_workers)
    )
    WorkerProfile.objects.bulk_create(
        WorkerProfile(
            person=p,
            passport_number=f"BW{i:07d}",
            country=WORKER_COUNTRY,
            programme=WORKER_PROGRAMME,
            employer=WORKER_EMPLOYER if i % 10 == 0 else f"Employer {i % 97}",
            source=WorkerSource.DEMO,
        )
        for i, p in enumerate(people)
    )
    users = User.objects.bulk_create(
        User(username=f"bench.w{i:05d}", person=p, password="!", date_joined=now)  # no password sign-in
        for i, p in enumerate(people)
    )
    # The tokens the app would get from POST /api/v1/auth/token (the same service, without the password).
    world.tokens = [token_issue(user=u, name="bench")[1] for u in users]
    world.worker_id = users[0].pk
    return world


# --- the server ---------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat[1]) == pid and b"resource_tracker" not in cmdline:
            found.append(int(entry.name))
    return sorted(found)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path
    pids: list[int]  # the app processes (uvicorn's workers)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _start_server(env: dict[str, str], workers: int, log: Path) -> Server:
    port = _free_port()
    command = [ANSINH, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process=process, port=port, log=log, pids=[])
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ansinh serve exited with {process.returncode}:\n{log.read_text()[-4000:]}")
        pids = _children(process.pid) if workers > 1 else [process.pid]
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=2) as response:
                if response.status == 200 and len(pids) >= workers:
                    server.pids = pids[:workers]
                    return server
        except OSError:
            pass
        time.sleep(0.3)
    _stop_server(server)
    raise RuntimeError(f"ansinh serve did not come up within 90 s:\n{log.read_text()[-4000:]}")


def _stop_server(server: Server | None) -> None:
    if server is None or server.process.poll() is not None:
        return
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
        server.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(timeout=10)
    except ProcessLookupError:
        pass


class SocketOwners:
    """Which app process holds the server side of a TCP connection, known by the client's local port:
    /proc/net/tcp gives the socket's inode, /proc/<pid>/fd the process that has it open."""

    def __init__(self, server: Server):
        self.server = server
        self.cache: dict[int, int] = {}

    def _scan(self) -> None:
        inodes: dict[int, int] = {}
        for name in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                lines = Path(name).read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                parts = line.split()
                local_port = int(parts[1].rsplit(":", 1)[1], 16)
                remote_port = int(parts[2].rsplit(":", 1)[1], 16)
                if local_port == self.server.port and remote_port and parts[9] != "0":
                    inodes[int(parts[9])] = remote_port
        for pid in self.server.pids:
            try:
                fds = os.listdir(f"/proc/{pid}/fd")
            except OSError:
                continue
            for fd in fds:
                try:
                    target = os.readlink(f"/proc/{pid}/fd/{fd}")
                except OSError:
                    continue
                if target.startswith("socket:[") and (inode := int(target[8:-1])) in inodes:
                    self.cache[inodes[inode]] = pid

    def owner(self, client_port: int) -> int:
        if client_port and client_port not in self.cache:
            self._scan()
        return self.cache.get(client_port, 0)


# --- the load -----------------------------------------------------------------------------------------------


@dataclass
class Call:
    """One HTTP request of a run."""

    index: int
    scheduled: float  # perf_counter: when it was due (open loop) or sent (closed loop)
    done: float = 0.0
    status: int = 0
    pid: int = 0
    body: bytes = b""
    error: str = ""

    @property
    def latency_ms(self) -> float:
        return (self.done - self.scheduled) * 1000


Request = tuple[str, str, dict[str, str], bytes | None]  # method, path, headers, body


class SessionSampler:
    """What the database's sessions are doing during a run (pg_stat_activity every 50 ms, its own
    connection): how many run, wait for a row lock, wait for the client, on average."""

    def __init__(self, database_url: str):
        self.url = database_url
        self.name = urlsplit(database_url).path.lstrip("/")
        self.samples: list[list[tuple[str, str, int]]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.average: dict[str, float] = {}

    def _run(self) -> None:
        with _pg_connect(self.url) as conn:
            while not self.stop.is_set():
                rows = conn.execute(
                    "SELECT coalesce(state, '?'), coalesce(wait_event_type || ':' || wait_event, ''), "
                    "count(*) "
                    "FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() GROUP BY 1, 2",
                    (self.name,),
                ).fetchall()
                self.samples.append(rows)
                self.stop.wait(0.05)

    def __enter__(self) -> "SessionSampler":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        totals: Counter[str] = Counter()
        for rows in self.samples:
            for state, wait, count in rows:
                if state == "active" and wait.startswith("Lock:"):
                    totals["waiting for a row lock (" + wait.split(":", 1)[1] + ")"] += count
                elif state == "active":
                    totals["running a statement"] += count
                elif state.startswith("idle in transaction"):
                    totals["in a transaction, waiting for the app"] += count
                else:
                    totals["connected, idle"] += count
        n = max(len(self.samples), 1)
        self.average = {key: value / n for key, value in totals.most_common()}

    def text(self) -> str:
        return ", ".join(f"{key} {value:.1f}" for key, value in self.average.items())


class Connection:
    """One keep-alive HTTP/1.1 connection over asyncio streams (a minimal client: the socket is ours, so the
    app process that accepted it is known, and the client spends little CPU). Reconnects when the server
    closed it; every request on it is counted for the process it reached."""

    def __init__(self, server: "Server", owners: SocketOwners):
        self.host = f"127.0.0.1:{server.port}"
        self.port = server.port
        self.owners = owners
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.pid = 0
        self.connects = 0

    async def _connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.pid = self.owners.owner(self.writer.get_extra_info("sockname")[1])
        self.connects += 1

    def _drop(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def _read(self) -> tuple[int, bytes, bool]:
        assert self.reader is not None
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                parts.append(chunk[:-2])
            body = b"".join(parts)
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        return status, body, headers.get("connection", "").lower() == "close"

    async def call(self, request: Request, item: Call, keep_body: bool = False) -> Call:
        method, path, headers, data = request
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}"]
        lines += [f"{key}: {value}" for key, value in headers.items()]
        if data is not None:
            lines.append(f"Content-Length: {len(data)}")
        payload = ("\r\n".join(lines) + "\r\n\r\n").encode() + (data or b"")
        for attempt in (1, 2):
            reused = self.writer is not None
            try:
                if self.writer is None:
                    await self._connect()
                assert self.writer is not None
                self.writer.write(payload)
                status, body, close = await self._read()
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                self._drop()
                # A keep-alive connection the server had just closed: nothing was read, send again.
                stale = isinstance(exc, asyncio.IncompleteReadError) and not exc.partial
                if attempt == 1 and reused and stale:
                    continue
                item.error = f"{type(exc).__name__}: {exc}"[:200]
                break
            item.status, item.pid = status, self.pid
            if keep_body or status >= 400:
                item.body = body
            if close:
                self._drop()
            break
        item.done = time.perf_counter()
        return item

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def _open_connections(server: Server, owners: SocketOwners, count: int) -> list[Connection]:
    """`count` connections, as evenly as the kernel allows over the app processes (a load balancer's job:
    uvicorn's workers share one listening socket and the kernel decides who accepts)."""
    want = {
        pid: count // len(server.pids) + (1 if i < count % len(server.pids) else 0)
        for i, pid in enumerate(server.pids)
    }
    kept: dict[int, list[Connection]] = defaultdict(list)
    spare: list[Connection] = []
    for _ in range(count * 8):
        if all(len(kept[pid]) >= n for pid, n in want.items()):
            break
        conn = Connection(server, owners)
        probe = await conn.call(("GET", "/healthz", {}, None), Call(0, time.perf_counter()))
        if probe.status == 200 and len(kept[probe.pid]) < want.get(probe.pid, 0):
            kept[probe.pid].append(conn)
        else:
            spare.append(conn)
    for conn in spare:
        await conn.close()
    # Interleave the processes, so that taking connections in turn alternates between them.
    ordered: list[Connection] = []
    lists = [kept[pid] for pid in server.pids]
    for i in range(max((len(x) for x in lists), default=0)):
        ordered += [x[i] for x in lists if i < len(x)]
    return ordered


async def _close_all(connections: list[Connection]) -> None:
    for conn in connections:
        await conn.close()


async def closed_loop(
    connections: list[Connection], make: Callable[[int], Request], duration: float, warmup: float
) -> tuple[list[Call], float]:
    """Each connection sends its next request when the previous answer arrives. Returns the calls that
    finished inside the measured window (after the warm-up), and the window's length."""
    start = time.perf_counter()
    measure_from, end = start + warmup, start + warmup + duration
    calls: list[Call] = []
    counter = iter(range(10**9))

    async def loop(conn: Connection) -> None:
        while time.perf_counter() < end:
            i = next(counter)
            item = await conn.call(make(i), Call(i, time.perf_counter()))
            if measure_from <= item.done <= end:
                calls.append(item)

    await asyncio.gather(*(loop(c) for c in connections))
    return calls, duration


async def open_loop(
    connections: list[Connection],
    make: Callable[[int], Request],
    rate: float,
    duration: float,
    keep_body: bool = False,
) -> list[Call]:
    """Requests sent on a fixed schedule (`rate` per second), whatever the answers do; a request waits for
    a free connection if all are busy, and that wait is part of its latency (measured from the schedule)."""
    idle: asyncio.Queue[Connection] = asyncio.Queue()
    for conn in connections:
        idle.put_nowait(conn)
    calls: list[Call] = []

    async def one(item: Call) -> None:
        conn = await idle.get()
        try:
            calls.append(await conn.call(make(item.index), item, keep_body))
        finally:
            idle.put_nowait(conn)

    tasks = []
    t0 = time.perf_counter() + 0.05
    total = int(rate * duration)
    for i in range(total):
        due = t0 + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(Call(i, due))))
    await asyncio.gather(*tasks)
    return calls


def _sos_maker(tokens: list[str], prefix: str) -> Callable[[int], Request]:
    """Request i: an SOS from worker i mod n with its own Idempotency-Key."""
    body = json.dumps(SOS_BODY).encode()
    headers = [
        {"Authorization": f"Bearer {t}", "Content-Type": "application/json", "Accept": "application/json"}
        for t in tokens
    ]

    def make(i: int) -> Request:
        h = dict(headers[i % len(headers)])
        h["Idempotency-Key"] = f"{prefix}-{i:08d}"
        return ("POST", "/api/v1/sos/requests", h, body)

    return make


def _healthz(_i: int) -> Request:
    return ("GET", "/healthz", {"Accept": "application/json"}, None)


@dataclass
class LoadResult:
    name: str
    calls: list[Call]
    seconds: float
    cpu: str
    expected: tuple[int, ...] = (200,)
    rate: float = 0.0  # open loop: the offered rate
    cores: dict[str, Any] = field(default_factory=dict)
    sessions: dict[str, float] = field(default_factory=dict)  # the database's sessions, on average

    def cpu_ms(self, part: str) -> float:
        """CPU milliseconds per answered request spent by `part` ("app" or "postgres")."""
        used = sum(self.cores.get(part) or [0.0]) if part == "app" else self.cores.get(part, 0.0)
        return used / self.throughput * 1000 if self.throughput else float("nan")

    @property
    def ok(self) -> list[Call]:
        return [c for c in self.calls if c.status in self.expected]

    @property
    def throughput(self) -> float:
        return len(self.ok) / self.seconds if self.seconds else 0.0

    def errors(self) -> str:
        bad = Counter(
            c.error.split(":")[0] if c.error else str(c.status)
            for c in self.calls
            if c.status not in self.expected
        )
        return ", ".join(f"{k} ×{n}" for k, n in bad.most_common()) or "none"

    def split(self) -> str:
        by_pid = Counter(c.pid for c in self.ok)
        return " / ".join(str(n) for _pid, n in sorted(by_pid.items()))


async def _measure_closed(
    server: Server,
    owners: SocketOwners,
    name: str,
    make: Callable[[int], Request],
    args: argparse.Namespace,
    expected: tuple[int, ...],
) -> LoadResult:
    connections = await _open_connections(server, owners, args.concurrency)
    try:
        with CpuMeter(server.pids) as cpu, SessionSampler(args.database_url) as sessions:
            calls, seconds = await closed_loop(connections, make, args.duration, args.warmup)
    finally:
        await _close_all(connections)
    result = LoadResult(
        name, calls, seconds, cpu.text(), expected, cores=cpu.result, sessions=sessions.average
    )
    _log(f"  {name}: {result.throughput:,.0f}/s, errors {result.errors()}; {cpu.text()}")
    return result


async def _measure_open(
    server: Server,
    owners: SocketOwners,
    name: str,
    make: Callable[[int], Request],
    rate: float,
    duration: float,
    connections_count: int,
    expected: tuple[int, ...],
) -> LoadResult:
    connections = await _open_connections(server, owners, connections_count)
    try:
        with CpuMeter(server.pids) as cpu:
            calls = await open_loop(connections, make, rate, duration)
    finally:
        await _close_all(connections)
    result = LoadResult(name, calls, duration, cpu.text(), expected, rate=rate)
    s = _stats([c.latency_ms for c in result.calls])
    _log(f"  {name} at {rate:.0f}/s: p50 {s['p50']:.1f} p99 {s['p99']:.1f} ms, errors {result.errors()}")
    return result


# --- commit to console --------------------------------------------------------------------------------------


@dataclass
class Console:
    ws: Any
    pid: int
    events: list[tuple[float, float, dict[str, Any]]] = field(default_factory=list)  # perf, wall, message
    task: Any = None


async def _open_consoles(server: Server, owners: SocketOwners, session_key: str, after: int) -> list[Console]:
    """One operator console per app process (connections the kernel gives the same process are closed)."""
    from websockets.asyncio.client import connect

    url = f"ws://127.0.0.1:{server.port}/ws/sos/console"
    consoles: dict[int, Console] = {}
    for _ in range(12 * len(server.pids)):
        if len(consoles) == len(server.pids):
            break
        ws = await connect(
            url,
            origin=server.url,  # type: ignore[arg-type]
            additional_headers={"Cookie": f"sessionid={session_key}"},
            compression=None,
            max_queue=None,
            ping_interval=None,
        )
        pid = owners.owner(ws.local_address[1])
        if pid in consoles or pid == 0:
            await ws.close()
            continue
        await ws.send(json.dumps({"type": "resume", "after": after}))
        while True:  # replay (nothing after `after`), then {"type": "live"}
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=15))
            if message.get("type") == "live":
                break
            if message.get("type") == "error":
                raise RuntimeError(f"the console refused the resume: {message}")
        consoles[pid] = Console(ws=ws, pid=pid)
    for console in consoles.values():
        console.task = asyncio.create_task(_receive(console))
    return [consoles[pid] for pid in server.pids if pid in consoles]


async def _receive(console: Console) -> None:
    try:
        async for raw in console.ws:
            perf, wall = time.perf_counter(), time.time()
            message = json.loads(raw)
            if message.get("type") == "desk.event":
                console.events.append((perf, wall, message))
    except Exception as exc:  # closed at the end
        _log(f"  console on {console.pid}: {type(exc).__name__}")


@dataclass
class ConsoleResult:
    rate: float
    duration: float
    calls: list[Call]
    consoles: list[dict[str, Any]]
    cpu: str
    send: list[float] = field(default_factory=list)
    created: list[float] = field(default_factory=list)
    at: list[float] = field(default_factory=list)
    cross_at: list[float] = field(default_factory=list)
    same_at: list[float] = field(default_factory=list)
    missing: int = 0
    duplicates: int = 0
    in_order: bool = True

    @property
    def achieved(self) -> float:
        """201 answers per second, from the first scheduled send to the last answer."""
        ok = [c for c in self.calls if c.status == 201]
        if not ok:
            return 0.0
        span = max(c.done for c in ok) - min(c.scheduled for c in self.calls)
        return len(ok) / span if span > 0 else 0.0


def _parse_time(value: str) -> float:
    return datetime.fromisoformat(value).timestamp()


async def _measure_consoles(
    server: Server, owners: SocketOwners, world: World, args: argparse.Namespace, after: int
) -> ConsoleResult:
    consoles = await _open_consoles(server, owners, world.session_key, after)
    _log(f"  consoles on processes {[c.pid for c in consoles]} (app processes {server.pids})")
    connections = await _open_connections(server, owners, 16)
    make = _sos_maker(world.tokens, f"ws{secrets.token_hex(3)}")
    try:
        with CpuMeter(server.pids) as cpu:
            calls = await open_loop(connections, make, args.ws_rate, args.ws_duration, keep_body=True)
        acknowledged = {json.loads(c.body)["id"]: c for c in calls if c.status == 201}
        deadline = time.perf_counter() + 15
        while time.perf_counter() < deadline:
            seen = [{m["request"]["id"] for _p, _w, m in c.events} for c in consoles]
            if all(set(acknowledged) <= s for s in seen):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.5)  # anything late (a duplicate) still counts
    finally:
        await _close_all(connections)
        for console in consoles:
            await console.ws.close()
            if console.task is not None:
                await asyncio.gather(console.task, return_exceptions=True)

    result = ConsoleResult(args.ws_rate, args.ws_duration, calls, [], cpu.text())
    for console in consoles:
        created = [(p, w, m) for p, w, m in console.events if m["kind"] == "created"]
        ids = Counter(m["request"]["id"] for _p, _w, m in created)
        sequences = [m["sequence"] for _p, _w, m in console.events]
        in_order = all(b == a + 1 for a, b in pairwise(sequences))
        if sequences and sequences[0] != after + 1:
            in_order = False
        missing = len(set(acknowledged) - set(ids))
        duplicates = sum(n - 1 for n in ids.values() if n > 1)
        cross = 0
        for perf, wall, message in created:
            call = acknowledged.get(message["request"]["id"])
            if call is None:
                continue
            at_ms = (wall - _parse_time(message["at"])) * 1000
            result.send.append((perf - call.scheduled) * 1000)
            result.created.append((wall - _parse_time(message["request"]["created_at"])) * 1000)
            result.at.append(at_ms)
            if call.pid and call.pid != console.pid:
                cross += 1
                result.cross_at.append(at_ms)
            else:
                result.same_at.append(at_ms)
        result.missing += missing
        result.duplicates += duplicates
        result.in_order = result.in_order and in_order
        result.consoles.append(
            {
                "pid": console.pid,
                "events": len(console.events),
                "created": len(created),
                "missing": missing,
                "duplicates": duplicates,
                "in_order": in_order,
                "cross": cross,
            }
        )
    s = _stats(result.at)
    _log(f"  console: p99 {s['p99']:.1f} ms, missing {result.missing}, duplicates {result.duplicates}")
    return result


# --- notices ------------------------------------------------------------------------------------------------


def _copy_rows(table: str, columns: list[str], lines: Iterator[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            chunk: list[str] = []
            for line in lines:
                chunk.append(line)
                if len(chunk) >= 50_000:
                    copy.write("".join(chunk))
                    chunk = []
            if chunk:
                copy.write("".join(chunk))


def _fill_workers_abroad(n: int, seed: int) -> dict[str, Any]:
    """n people with a worker-abroad record (no login: the audience of a notice needs none), by COPY."""
    from django.db import connection
    from django.utils import timezone

    from ansinh.core.text import normalise_search

    rng = random.Random(seed)
    now = timezone.now().isoformat()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM accounts_person")
        base = int(cursor.fetchone()[0]) + 1000
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
    middles = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang"]
    givens = [
        "An",
        "Bình",
        "Chi",
        "Dũng",
        "Giang",
        "Hà",
        "Hải",
        "Hùng",
        "Lan",
        "Linh",
        "Mai",
        "Nam",
        "Phúc",
        "Quân",
        "Sơn",
        "Tâm",
        "Thảo",
        "Trang",
        "Tuấn",
        "Yến",
    ]
    names = [f"{s} {m} {g}" for s in surnames for m in middles for g in givens]
    searches = [normalise_search(name) for name in names]
    choice = [name for name, weight, _p in COUNTRIES for _ in range(weight)]
    programmes = {name: programmes for name, _w, programmes in COUNTRIES}
    countries = [choice[rng.randrange(len(choice))] for _ in range(n)]
    counts = Counter(countries)

    def people() -> Iterator[str]:
        for i in range(n):
            k = i % len(names)
            born = date(1975 + i % 30, 1 + i % 12, 1 + i % 28).isoformat()
            sex = "M" if i % 3 else "F"
            yield (
                f"{base + i}\t{names[k]}\t{searches[k]}\t{born}\t{sex}\t{200000000000 + i}\tP{i:08d}\t"
                f"+849{i % 100000000:08d}\t\t\t\\N\t\\N\t{now}\t{now}\n"
            )

    def profiles() -> Iterator[str]:
        for i in range(n):
            country = countries[i]
            options = programmes[country]
            programme = options[i % len(options)]
            departed = (date(2020, 1, 1) + timedelta(days=i % 2000)).isoformat()
            yield (
                f"{base + i}\tP{i:08d}\t{country}\t{programme}\t{country} employer {i % 5000}\t"
                f"Enterprise {i % 300}\t\t{departed}\t\\N\t\t\tdemo\t{now}\t{now}\n"
            )

    started = time.perf_counter()
    _copy_rows(
        "accounts_person",
        [
            "id",
            "full_name",
            "name_search",
            "date_of_birth",
            "sex",
            "personal_id",
            "passport_number",
            "phone",
            "email",
            "address",
            "province_id",
            "ward_id",
            "created_at",
            "updated_at",
        ],
        people(),
    )
    _copy_rows(
        "sos_workerprofile",
        [
            "person_id",
            "passport_number",
            "country",
            "programme",
            "employer",
            "enterprise",
            "contract_number",
            "departure_date",
            "contract_end",
            "security_question",
            "security_answer_hash",
            "source",
            "created_at",
            "updated_at",
        ],
        profiles(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('accounts_person', 'id'), (SELECT MAX(id) FROM "
            "accounts_person))"
        )
    copied = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE accounts_person")
        cursor.execute("VACUUM ANALYZE sos_workerprofile")
        try:  # flush the bulk load's WAL now, not during the measurements (needs a superuser)
            cursor.execute("CHECKPOINT")
        except Exception as exc:
            _log(f"  CHECKPOINT refused: {exc}")
    return {"copy_s": copied, "analyze_s": time.perf_counter() - started, "countries": counts}


def _fill_notices(n: int, operator_id: int, worker_id: int, seed: int) -> dict[str, Any]:
    """n notices: a fifth for everyone, the rest for a country, a programme or an employer; some pinned,
    urgent, withdrawn or scheduled; published over a year. The measured worker has read 30 of them."""
    from django.utils import timezone

    from ansinh.sos.models import Audience, Notice, NoticeRead

    rng = random.Random(seed)
    now = timezone.now()
    countries = [name for name, _w, _p in COUNTRIES]
    programmes = [p for _n, _w, ps in COUNTRIES for p in ps]
    employers = [WORKER_EMPLOYER] + [f"{c} employer {k}" for c in countries for k in range(20)]
    rows = []
    for i in range(n):
        roll = rng.random()
        fields: dict[str, Any] = {"audience": Audience.EVERYONE}
        if roll > 0.2:
            fields = {"audience": Audience.COUNTRY, "country": rng.choice(countries)}
        if roll > 0.65:
            fields = {"audience": Audience.PROGRAMME, "programme": rng.choice(programmes)}
        if roll > 0.85:
            fields = {"audience": Audience.EMPLOYER, "employer": rng.choice(employers)}
        published = now - timedelta(minutes=rng.randrange(60 * 24 * 365))
        if rng.random() < 0.02:
            published = now + timedelta(days=rng.randrange(1, 30))  # scheduled
        rows.append(
            Notice(
                title=f"Thông báo số {i}",
                body="Nội dung thông báo cho người lao động ở nước ngoài. " * 8,
                pinned=rng.random() < 0.03,
                urgent=rng.random() < 0.05,
                published_at=published,
                withdrawn_at=now if rng.random() < 0.05 else None,
                created_by_id=operator_id,
                **fields,
            )
        )
    notices = Notice.objects.bulk_create(rows)
    mine = [x for x in notices if x.audience == Audience.EVERYONE or x.country == WORKER_COUNTRY][:30]
    NoticeRead.objects.bulk_create(NoticeRead(notice=x, user_id=worker_id) for x in mine)
    by_audience = Counter(str(x.audience) for x in notices)
    return {"count": len(notices), "by_audience": by_audience, "read": len(mine)}


@dataclass
class Measured:
    name: str
    samples: list[float]
    queries: int
    notes: str = ""


def _measure_publish(operator_id: int, repeat: int) -> tuple[list[Measured], dict[str, Any]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ansinh.accounts.models import User
    from ansinh.core.models import AuditEntry
    from ansinh.sos.models import Notice, NoticeRead, WorkerProfile
    from ansinh.sos.services.notices import notice_publish

    operator = User.objects.get(pk=operator_id)

    def publish(audience: str, urgent: bool) -> None:
        operator.__dict__.pop("_active_memberships", None)  # a new request loads the memberships again
        notice_publish(
            actor=operator,
            title="Cảnh báo bão số 3 — hướng dẫn an toàn",
            body="Người lao động tại Hàn Quốc lưu ý: bão đổ bộ tối nay. Ở trong nhà, giữ liên lạc với "
            "doanh nghiệp và Ban Quản lý lao động. Đường dây nóng 24/7 của Trung tâm.",
            audience=audience,
            country="KR" if audience == "country" else "",
            urgent=urgent,
        )

    audiences = {
        "everyone": WorkerProfile.objects.count(),
        "country": WorkerProfile.objects.filter(country="KR").count(),
    }
    before = {
        "notices": Notice.objects.count(),
        "reads": NoticeRead.objects.count(),
        "audit": AuditEntry.objects.count(),
    }
    rows = []
    for audience, urgent, label in (
        ("everyone", False, f"everyone ({audiences['everyone']:,} workers)"),
        ("country", False, f'country="KR" ({audiences["country"]:,} workers)'),
        ("country", True, 'country="KR", urgent (push enqueued after commit)'),
    ):
        samples = _timed(partial(publish, audience, urgent), repeat, warmup=3)
        with CaptureQueriesContext(connection) as queries:
            publish(audience, urgent)
        writes = [q["sql"].split(" ", 3)[:3] for q in queries.captured_queries]
        written = Counter(
            f"{w[0]} {w[2] if w[0] == 'INSERT' else w[1]}".replace('"', "")
            for w in writes
            if w and w[0] in {"INSERT", "UPDATE"}
        )
        rows.append(
            Measured(
                f"`notice_publish`, audience {label}",
                samples,
                len(queries.captured_queries),
                "; ".join(f"{k} ×{v}" for k, v in sorted(written.items())),
            )
        )
        _log(f"  publish {label}: p95 {_pct(samples, 0.95):.2f} ms")
    calls = 3 * (repeat + 3 + 1)
    urgent_calls = repeat + 3 + 1
    after = {
        "notices": Notice.objects.count() - before["notices"],
        "reads": NoticeRead.objects.count() - before["reads"],
        "audit": AuditEntry.objects.count() - before["audit"],
        "calls": calls,
        "urgent_calls": urgent_calls,
        "queued": _celery_queue_length(),
    }
    return rows, after


def _celery_queue_length() -> int:
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        return int(client.llen("celery"))
    finally:
        client.close()


def _measure_feed(worker_id: int, repeat: int) -> tuple[Measured, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ansinh.accounts.models import User
    from ansinh.sos import selectors

    worker = User.objects.select_related("person").get(pk=worker_id)  # as the request's authentication

    def feed() -> tuple[list[Any], set[int]]:
        notices = list(selectors.notice_feed_for_worker(worker)[:20])
        return notices, selectors.read_notice_ids(worker, [n.pk for n in notices])

    samples = _timed(feed, repeat)
    with CaptureQueriesContext(connection) as queries:
        notices, read = feed()
    sql = [q["sql"] for q in queries.captured_queries if 'FROM "sos_notice"' in q["sql"]]
    plan = ""
    if sql:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql[0]}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
    measured = Measured(
        "`notice_feed_for_worker(worker)[:20]` + `read_notice_ids`",
        samples,
        len(queries.captured_queries),
        f"{len(notices)} notices, {len(read)} of them read",
    )
    _log(f"  feed: p95 {_pct(samples, 0.95):.2f} ms")
    return measured, plan


async def _measure_notice_api(server: Server, owners: SocketOwners, repeat: int) -> list[float]:
    connections = await _open_connections(server, owners, 1)
    try:
        conn = connections[0]
        request: Request = ("GET", "/api/v1/notices?country=KR", {"Accept": "application/json"}, None)
        samples = []
        for i in range(repeat + 5):
            item = await conn.call(request, Call(i, time.perf_counter()))
            if item.status != 200:
                raise RuntimeError(f"GET /api/v1/notices answered {item.status}: {item.body[:300]!r}")
            if i >= 5:
                samples.append(item.latency_ms)
    finally:
        await _close_all(connections)
    _log(f"  GET /api/v1/notices?country=KR: p95 {_pct(samples, 0.95):.2f} ms")
    return samples


# --- report -------------------------------------------------------------------------------------------------


@dataclass
class Report:
    args: argparse.Namespace
    machine: dict[str, str]
    versions: dict[str, str] = field(default_factory=dict)
    setup: dict[str, float] = field(default_factory=dict)
    healthz: LoadResult | None = None
    post: LoadResult | None = None
    half: LoadResult | None = None
    console: ConsoleResult | None = None
    fill: dict[str, Any] = field(default_factory=dict)
    notices: dict[str, Any] = field(default_factory=dict)
    publish: list[Measured] = field(default_factory=list)
    publish_counts: dict[str, Any] = field(default_factory=dict)
    feed: Measured | None = None
    feed_plan: str = ""
    notice_api: list[float] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    background: list[float] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _latency_row(name: str, samples: list[float], extra: str = "") -> str:
    s = _stats(samples)
    return (
        f"| {name} | {s['n']:,} | {_ms(s['p50'])} | {_ms(s['p95'])} | {_ms(s['p99'])} | {_ms(s['max'])} "
        f"| {extra} |"
    )


def _targets(r: Report) -> list[str]:
    lines = ["| # | target | measured | met |", "|---|---|---|:-:|"]
    if r.healthz and r.post:
        ratio = r.post.throughput / r.healthz.throughput if r.healthz.throughput else 0.0
        lines.append(
            f"| 1 | POST /api/v1/sos/requests sustains ≥ 50 % of GET /healthz's throughput (same server, "
            f"same run) | {r.post.throughput:,.0f} /s vs {r.healthz.throughput:,.0f} /s = "
            f"**{ratio:.0%}** | {_yes(ratio >= 0.5)} |"
        )
    if r.half:
        s = _stats([c.latency_ms for c in r.half.calls])
        ok = s["p99"] < 100 and len(r.half.ok) == len(r.half.calls)
        lines.append(
            f"| 2 | p99 < 100 ms at half of that load (open loop, {r.half.rate:,.0f} /s) | "
            f"p99 **{_ms(s['p99'])} ms** (p50 {_ms(s['p50'])}, max {_ms(s['max'])}), errors "
            f"{r.half.errors()} | {_yes(ok)} |"
        )
    if r.console:
        c = r.console
        s = _stats(c.at)
        cross = _stats(c.cross_at)
        sustained = c.achieved >= 0.95 * c.rate
        ok = s["p99"] < 250 and c.missing == 0 and c.duplicates == 0 and c.in_order and bool(c.at)
        lines.append(
            f"| 3 | commit → operator's websocket p99 < 250 ms at {c.rate:.0f} SOS/s across the two "
            f"processes | p99 **{_ms(s['p99'])} ms** (across processes {_ms(cross['p99'])} ms); missing "
            f"{c.missing}, duplicates {c.duplicates}, in order: {'yes' if c.in_order else 'no'}; the server "
            f"answered **{c.achieved:.0f} SOS/s** of the {c.rate:.0f} offered | "
            f"{_yes(ok and sustained)}{'' if sustained else f' ({c.rate:.0f}/s not sustained)'} |"
        )
    if r.publish:
        worst = max(_pct(m.samples, 0.95) for m in r.publish)
        top = max(max(m.samples) for m in r.publish)
        everyone = r.publish_counts.get("audience_everyone", 0)
        met: bool | None = worst < 100 if everyone >= 1_000_000 else None
        lines.append(
            f"| 4 | publishing a notice to an audience of 1,000,000 workers < 100 ms | p95 **{worst:.1f} "
            "ms** "
            f"(max {top:.1f} ms) with {everyone:,} workers abroad; one notice row per publish | {_yes(met)} |"
        )
    if r.feed:
        p95 = _pct(r.feed.samples, 0.95)
        api = _pct(r.notice_api, 0.95) if r.notice_api else float("nan")
        lines.append(
            f"| 5 | a worker's notice list p95 < 20 ms | in-process p95 **{p95:.1f} ms**; GET "
            f"/api/v1/notices?country=KR through the server p95 **{_ms(api)} ms** | in-process "
            f"{_yes(p95 < 20)}; HTTP {_yes(None if api != api else api < 20)} |"
        )
    return lines


def _limits(r: Report) -> list[str]:
    """What the closed loops show about the cost of a request and about the database's sessions."""
    if not (r.healthz and r.post):
        return []
    h, p = r.healthz, r.post
    lines = [
        f"CPU per answered request (from the CPU used during the run): GET /healthz "
        f"{_ms(h.cpu_ms('app'))} ms in the app processes; POST {_ms(p.cpu_ms('app'))} ms in the app "
        "processes "
        f"+ {_ms(p.cpu_ms('postgres'))} ms in PostgreSQL.",
        "",
    ]
    if p.sessions:
        waits = sum(v for k, v in p.sessions.items() if k.startswith("waiting for a row lock"))
        lines += [
            f"The database's sessions during the POST closed loop ({r.args.concurrency} connections), on "
            "average: " + ", ".join(f"{k} {v:.1f}" for k, v in p.sessions.items()) + ".",
            "",
        ]
        if waits >= 1:
            lines += [
                f"On average {waits:.1f} of the {r.args.concurrency} requests in flight were waiting for "
                "a row "
                "lock. Every SOS transaction takes two rows that every other one needs too, and holds them "
                "until COMMIT: the audit chain's head (`core.audit.record`: `SELECT … FOR UPDATE` on "
                "`core_auditchainhead`, then the entry and the head's update) and the desk's event counter "
                "(`sos.services.events._next_sequence`: `UPDATE sos_desksequence`, then the event row). "
                "So SOS "
                "transactions commit one at a time, and the throughput is one over the time from the first "
                "of these locks to the COMMIT — several round trips between a Python thread and a PostgreSQL "
                "backend that both wait for a CPU on a busy machine.",
                "",
            ]
    return lines


def _render(r: Report) -> str:
    a = r.args
    command = "`.venv/bin/python bench/sos.py" + "".join(f" {x}" for x in sys.argv[1:]) + "`"
    m = r.machine
    out = [
        "# SOS benchmarks (issue 4's performance targets)",
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores (`nproc`), {m['ram']}; Python {platform.python_version()}, "
        f"{', '.join(f'{k} {v}' for k, v in r.versions.items())}. Command: {command} (also run by `make "
        "bench`). "
        f"Load average (1 min) at the start {m['load']}, at the end {_load()}; busy cores measured with the "
        f"server idle just before the HTTP runs: {', '.join(f'{x:.2f}' for x in r.background) or '?'} "
        "(other programs sharing the machine: they take CPU from the server and PostgreSQL). Set-up: "
        "migrate + reference "
        f"data {r.setup.get('migrate', 0):.0f} s, {a.workers:,} workers with tokens "
        f"{r.setup.get('world', 0):.0f} s.",
        "",
        f"The server: `ansinh serve --workers 2` (uvicorn, DEBUG off, uvicorn's access log on as shipped), "
        f"PostgreSQL database `ansinh_bench_sos_<pid>`, Redis db `{urlsplit(a.redis).path or '/0'}` "
        "(channel layer, cache, Celery broker; no Celery worker runs), "
        f"DB_CONN_MAX_AGE={a.conn_max_age}. The load generator is this process (asyncio, a minimal "
        "HTTP/1.1 keep-alive client) on the same 2 cores as the server and PostgreSQL: the CPU lines show "
        "who used them. Each client connection is matched to the app process that accepted it (through "
        "/proc) and the connections are spread evenly over the two processes.",
        "",
        "## Targets",
        "",
        *_targets(r),
        "",
    ]
    if r.healthz or r.post or r.half:
        out += [
            "## HTTP throughput and latency",
            "",
            f"Closed loop: {a.concurrency} connections, each sending its next request when the answer "
            f"arrives; {a.warmup:.0f} s warm-up, then {a.duration:.0f} s measured. Open loop: requests "
            "sent on "
            "a fixed schedule over 32 connections; latency counts from the scheduled time (a request waiting "
            "for a free connection is late, not left out). POST bodies are an SOS with coordinates, each "
            "with "
            f"its own Idempotency-Key, from {a.workers:,} workers in turn (an SOS is never refused by the "
            "rate limit).",
            "",
            "| run | answered | throughput /s | p50 ms | p95 ms | p99 ms | max ms | errors | "
            "answers per app process | CPU |",
            "|---|---:|---:|---:|---:|---:|---:|---|---|---|",
        ]
        for result in (r.healthz, r.post, r.half):
            if result is None:
                continue
            s = _stats([c.latency_ms for c in result.calls])
            name = result.name + (f" (offered {result.rate:,.0f} /s)" if result.rate else "")
            out.append(
                f"| {name} | {len(result.ok):,} | {result.throughput:,.0f} | {_ms(s['p50'])} | "
                f"{_ms(s['p95'])} "
                f"| {_ms(s['p99'])} | {_ms(s['max'])} | {result.errors()} | {result.split()} | "
                f"{result.cpu.removeprefix('CPU (cores): ')} |"
            )
        out.append("")
        out += _limits(r)
    if r.console:
        c = r.console
        answered = sum(1 for x in c.calls if x.status == 201)
        by_pid = Counter(x.pid for x in c.calls if x.status == 201)
        out += [
            "## From commit to the operators' consoles",
            "",
            f"Two operator consoles (`/ws/sos/console`, the operator's session cookie, resume from the last "
            f"number), one on each app process; SOS sent at {c.rate:.0f} /s for {c.duration:.0f} s, open "
            "loop, "
            f"over 16 connections spread over both processes: {answered:,} answered 201, "
            f"{c.achieved:.0f} per second from the first send to the last answer "
            f"({' / '.join(str(n) for _p, n in sorted(by_pid.items()))} per process), errors "
            f"{Counter(x.status for x in c.calls if x.status != 201) or 'none'}. Each event is measured "
            "on each "
            "console. `at` is stamped by `desk_event` inside the transaction, its last statement before "
            "COMMIT, so *event `at` → console* is the commit-to-console time (plus the COMMIT itself); "
            "`created_at` is stamped at the start of the transaction; *send → console* counts from the "
            "moment the client was due to send. One machine, one clock.",
            "",
            "| measure | events | p50 ms | p95 ms | p99 ms | max ms | notes |",
            "|---|---:|---:|---:|---:|---:|---|",
            _latency_row("event `at` → console (commit to console)", c.at, "the target"),
            _latency_row("… request committed by the other process", c.cross_at, "through Redis"),
            _latency_row("… request committed by the console's own process", c.same_at, ""),
            _latency_row("request `created_at` → console", c.created, ""),
            _latency_row("client send → console", c.send, "includes the HTTP request"),
            "",
            "| console on process | desk events | `created` events | missing 201s | duplicates | "
            "gap-free, in order | from the other process |",
            "|---|---:|---:|---:|---:|:-:|---:|",
        ]
        for i, console in enumerate(c.consoles, 1):
            out.append(
                f"| {i} | {console['events']:,} | {console['created']:,} | {console['missing']} | "
                f"{console['duplicates']} | {'yes' if console['in_order'] else '**no**'} | "
                f"{console['cross']:,} |"
            )
        out += ["", c.cpu + ".", ""]
    if r.publish:
        counts = r.publish_counts
        fill = r.fill
        countries = ", ".join(f"{k} {v:,}" for k, v in fill.get("countries", Counter()).most_common())
        out += [
            "## Notices",
            "",
            f"{counts.get('audience_everyone', 0):,} workers abroad (`WorkerProfile` + `Person`): "
            f"{a.million:,} written by PostgreSQL COPY in {fill.get('copy_s', 0):.0f} s (+ VACUUM ANALYZE "
            f"{fill.get('analyze_s', 0):.0f} s) across countries ({countries}) and programmes, plus the "
            f"{a.workers:,} workers with accounts. {r.notices.get('count', 0):,} notices ("
            + ", ".join(f"{k} {v:,}" for k, v in r.notices.get("by_audience", Counter()).most_common())
            + "; some pinned, urgent, withdrawn or scheduled, published over a year). In-process "
            f"(`time.perf_counter`, no HTTP), {a.repeat_publish} calls each after 3 warm-up calls; the actor "
            "is the operator, its memberships loaded again for each call as a new request does.",
            "",
            "| measure | calls | p50 ms | p95 ms | p99 ms | max ms | SQL queries | writes |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for row in r.publish:
            s = _stats(row.samples)
            out.append(
                f"| {row.name} | {s['n']} | {_ms(s['p50'])} | {_ms(s['p95'])} | {_ms(s['p99'])} | "
                f"{_ms(s['max'])} | {row.queries} | {row.notes} |"
            )
        out += [
            "",
            f"Rows written by all {counts.get('calls', 0)} publishes: {counts.get('notices', 0)} notices, "
            f"{counts.get('audit', 0)} audit entries, {counts.get('reads', 0)} per-worker rows. The urgent "
            "ones enqueue `push_urgent_notice` with `transaction.on_commit`: that enqueue (one message to "
            "the "
            "Redis broker) is inside the time, the push to the audience's phones is not — it runs in a "
            "Celery "
            f"worker (none runs here: {counts.get('queued', 0)} messages were left in the `celery` queue for "
            f"{counts.get('urgent_calls', 0)} urgent publishes, then deleted).",
            "",
        ]
    if r.feed:
        out += [
            "A worker's notice list: a worker in KR (programme eps_korea, an employer with its own notices), "
            f"the first 20 of the feed and which of them were read; {a.repeat_feed} calls after 5 warm-up "
            "calls, in-process. GET /api/v1/notices?country=KR (public, what the app shows before sign-in: "
            f"count + first page) through the server, {a.repeat_feed} requests one after the other on one "
            "keep-alive connection.",
            "",
            "| measure | calls | p50 ms | p95 ms | p99 ms | max ms | notes |",
            "|---|---:|---:|---:|---:|---:|---|",
            _latency_row(r.feed.name, r.feed.samples, f"{r.feed.queries} SQL queries; {r.feed.notes}"),
        ]
        if r.notice_api:
            out.append(_latency_row("GET /api/v1/notices?country=KR (HTTP)", r.notice_api, "client-measured"))
        if r.feed_plan:
            out += [
                "",
                "<details><summary>Plan of the feed query (EXPLAIN ANALYZE)</summary>",
                "",
                "```",
                r.feed_plan,
                "```",
                "",
                "</details>",
            ]
        out.append("")
    if r.server_errors:
        out += ["## Server errors (from its log)", "", "```", *r.server_errors[-20:], "```", ""]
    if r.notes:
        out += ["## Notes", "", *[f"- {n}" for n in r.notes], ""]
    return "\n".join(out)


# --- main ---------------------------------------------------------------------------------------------------


def _versions() -> dict[str, str]:
    import django
    import uvicorn
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    redis_version = "?"
    try:
        import redis
        from django.conf import settings

        client = redis.Redis.from_url(settings.REDIS_URL)
        redis_version = str(client.info("server")["redis_version"])
        client.close()
    except Exception as exc:
        redis_version = f"? ({type(exc).__name__})"
    return {
        "Django": django.get_version(),
        "uvicorn": uvicorn.__version__,
        "PostgreSQL": pg.split()[0],
        "Redis": redis_version,
    }


@contextmanager
def _redis_db(url: str) -> Iterator[bool]:
    """Says whether the Redis database is ours (empty at the start); if so it is emptied at the end."""
    import redis

    client = redis.Redis.from_url(url)
    ours = client.dbsize() == 0
    if not ours:
        _log(f"{url} is not empty: it is used as it is and not emptied at the end")
    try:
        yield ours
    finally:
        if ours:
            client.flushdb()
        client.close()


async def _http_phases(server: Server, world: World, report: Report, args: argparse.Namespace) -> None:
    owners = SocketOwners(server)
    run = secrets.token_hex(3)
    _log("GET /healthz, closed loop")
    report.healthz = await _measure_closed(
        server, owners, "GET /healthz (closed loop)", _healthz, args, (200,)
    )
    _log("POST /api/v1/sos/requests, closed loop")
    report.post = await _measure_closed(
        server,
        owners,
        "POST /api/v1/sos/requests (closed loop)",
        _sos_maker(world.tokens, f"t{run}"),
        args,
        (201,),
    )
    rate = max(report.post.throughput / 2, 1.0)
    _log(f"POST /api/v1/sos/requests, open loop at {rate:.0f}/s")
    report.half = await _measure_open(
        server,
        owners,
        "POST /api/v1/sos/requests (open loop, half of max)",
        _sos_maker(world.tokens, f"h{run}"),
        rate,
        args.open_duration,
        32,
        (201,),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--workers", type=int, default=2000, help="workers with accounts sending SOS")
    parser.add_argument("--processes", type=int, default=2, help="app processes (ansinh serve --workers)")
    parser.add_argument("--concurrency", type=int, default=32, help="closed-loop connections")
    parser.add_argument("--duration", type=float, default=10, help="closed-loop seconds measured")
    parser.add_argument("--warmup", type=float, default=2, help="closed-loop warm-up seconds")
    parser.add_argument("--open-duration", type=float, default=20, help="open loop at half load, seconds")
    parser.add_argument("--ws-rate", type=float, default=100, help="SOS per second for the console run")
    parser.add_argument("--ws-duration", type=float, default=20, help="seconds of the console run")
    parser.add_argument("--million", type=int, default=1_000_000, help="workers abroad for the notices")
    parser.add_argument("--skip-million", action="store_true", help="no bulk workers (a quick run)")
    parser.add_argument("--notices", type=int, default=2000)
    parser.add_argument("--repeat-publish", type=int, default=50)
    parser.add_argument("--repeat-feed", type=int, default=500)
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=0,
        help="DB_CONN_MAX_AGE of the server (under ASGI anything but 0 leaves a connection per request open)",
    )
    parser.add_argument("--skip-http", action="store_true", help="only the notices")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    if args.skip_million:
        args.million = 0

    problem = _unavailable(args.postgres, args.redis)
    if problem:
        print(f"bench/sos.py skipped: {problem}", file=sys.stderr)
        return 0
    report = Report(args=args, machine=_machine())
    var_dir = tempfile.mkdtemp(prefix="ansinh-bench-sos-")
    name, url = _pg_create(args.postgres)
    args.database_url = url
    env = _bench_env(url, args.redis, var_dir)
    env["DB_CONN_MAX_AGE"] = str(args.conn_max_age)
    server: Server | None = None
    try:
        with _redis_db(args.redis):
            _log(f"database {name}: migrating")
            started = time.perf_counter()
            _django({**env, "DB_CONN_MAX_AGE": "0"})
            report.setup["migrate"] = time.perf_counter() - started
            report.versions = _versions()
            started = time.perf_counter()
            _log(f"{args.workers:,} workers with tokens, an operator with a verified session")
            world = _make_world(args.workers)
            report.setup["world"] = time.perf_counter() - started
            _log(f"ansinh serve --workers {args.processes}")
            server = _start_server(env, args.processes, Path(var_dir) / "serve.log")
            _log(f"  up on {server.url}, app processes {server.pids}")
            report.background.append(_background())
            _log(f"  other programs keep {report.background[-1]:.2f} cores busy")
            if not args.skip_http:
                asyncio.run(_http_phases(server, world, report, args))
                from ansinh.sos.services.events import last_sequence

                _log(f"commit to console at {args.ws_rate:.0f} SOS/s")
                report.console = asyncio.run(
                    _measure_consoles(server, SocketOwners(server), world, args, last_sequence())
                )
            if args.million:
                _log(f"{args.million:,} workers abroad by COPY")
                report.fill = _fill_workers_abroad(args.million, args.seed)
                _log(
                    f"  copied in {report.fill['copy_s']:.0f} s, analysed in {report.fill['analyze_s']:.0f} s"
                )
            _log(f"{args.notices:,} notices")
            report.notices = _fill_notices(args.notices, world.operator_id, world.worker_id, args.seed)
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE sos_notice")
                cursor.execute("VACUUM ANALYZE sos_noticeread")
            _log("notice_publish")
            report.publish, report.publish_counts = _measure_publish(world.operator_id, args.repeat_publish)
            from ansinh.sos.models import WorkerProfile

            report.publish_counts["audience_everyone"] = WorkerProfile.objects.count()
            _log("a worker's notice list")
            report.feed, report.feed_plan = _measure_feed(world.worker_id, args.repeat_feed)
            report.notice_api = asyncio.run(
                _measure_notice_api(server, SocketOwners(server), args.repeat_feed)
            )
    finally:
        _stop_server(server)
        if server is not None:
            lines = server.log.read_text(errors="replace").splitlines()
            report.server_errors = [x for x in lines if re.search(r'" 5\d\d|Traceback|ERROR', x)]
        _pg_drop(args.postgres, name)
        _log(f"database {name} dropped")
    text = _render(report)
    print(text)
    args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
