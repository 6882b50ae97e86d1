"""Dossier benchmarks (not tests): `.venv/bin/python bench/dossiers.py` (also run by `make bench`).

1. The staff work queue of one employment centre holding 100,000 dossiers, on PostgreSQL. A throwaway
   database `ansinh_bench_<pid>` is created on the server (BENCH_POSTGRES_URL, default
   postgres://postgres@127.0.0.1:5432/postgres), migrated, filled with `bulk_create` and dropped at the end.
   The selectors are called as the queue page and the API call them: `queue_for(actor, QueueFilter(...),
   today, due_soon_limit)` + `queue_page(qs, cursor=..., size=25)`, then every item is presented with
   `presenters.dossier_summary` (which reads its `select_related` fields). Server time only, in-process
   (time.perf_counter), no HTTP. Each sample starts from an actor without its memberships cached, as a fresh
   request does, so it includes that query too.
2. Receipt codes under concurrency: 200 `allocate_receipt_code(org, day)` calls from 32 threads, each thread
   with its own database connection, on PostgreSQL and on SQLite (a file in WAL mode, in a child process);
   then the full path, 200 concurrent `dossier_act(action="submit")` on prepared drafts. The receipt PDF is
   queued after commit (a broker would take it); here that queueing is recorded instead, so the numbers are
   the submission itself, as the applicant waits for it.

Writes bench/results_dossiers.md and prints the same Markdown.
"""

import argparse
import json
import os
import platform
import queue
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results_dossiers.md"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
PAGE_SIZE = 25

# Share of each state among the centre's dossiers: mostly open (82 %), some closed, a few drafts.
STATE_WEIGHTS = {
    "submitted": 22,
    "accepted": 22,
    "in_processing": 30,
    "returned": 8,
    "approved": 6,
    "refused": 1,
    "delivered": 8,
    "withdrawn": 1,
    "cancelled": 1,
    "draft": 1,
}
CLAIM_FORM = {
    "termination_date": "2026-10-30",
    "last_employer": "Công ty TNHH May mặc Sông Hồng",
    "contract_kind": "definite",
    "phone": "0912345678",
    "wants_training": False,
}


# --- set-up ------------------------------------------------------------------------------------------------


def _django(database_url: str | None) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.config.settings")
    # Always a fresh directory: under `make bench` the parent's directory holds its own SQLite database.
    os.environ["ANSINH_VAR_DIR"] = tempfile.mkdtemp(prefix="ansinh-bench-dossiers-")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _pg_connect(server: str) -> Any:
    import psycopg

    return psycopg.connect(server, autocommit=True, connect_timeout=5)


def _pg_available(server: str) -> str:
    try:
        with _pg_connect(server):
            return ""
    except Exception as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)


def _pg_create(server: str) -> tuple[str, str]:
    from psycopg import sql

    name = f"ansinh_bench_{os.getpid()}"
    with _pg_connect(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return name, urlsplit(server)._replace(path=f"/{name}").geturl()


def _pg_drop(server: str, name: str) -> None:
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    with _pg_connect(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@dataclass
class World:
    centre: Any
    officer: Any
    applicant: Any
    counts: Counter[str] = field(default_factory=Counter)
    others: int = 0
    provincial: Any = None
    sample_name: str = ""
    sample_receipt: str = ""


def _organisations(n_centres: int, with_provinces: bool) -> list[Any]:
    from ansinh.accounts.models import OrganisationKind
    from ansinh.accounts.services import organisation_create
    from ansinh.geo.models import Province

    provinces: list[Any] = list(Province.objects.order_by("code")[:n_centres]) if with_provinces else []
    ministry = organisation_create(
        actor=None, code="BENCH-BNV", name="Bộ Nội vụ", kind=OrganisationKind.MINISTRY
    )
    centres = []
    for i in range(n_centres):
        province = provinces[i] if i < len(provinces) else None
        label = province.name if province else f"Tỉnh {i + 1}"
        department = organisation_create(
            actor=None,
            code=f"BENCH-SNV-{i + 1:02d}",
            name=f"Sở Nội vụ {label}",
            kind=OrganisationKind.PROVINCIAL_DEPARTMENT,
            parent=ministry,
            province=province,
        )
        centres.append(
            organisation_create(
                actor=None,
                code=f"TTDVVL{i + 1:02d}",
                name=f"Trung tâm Dịch vụ việc làm {label}",
                kind=OrganisationKind.EMPLOYMENT_CENTRE,
                parent=department,
                province=province,
            )
        )
    return centres


def _staff(organisation: Any, username: str, role: str = "employment_centre_officer") -> Any:
    from ansinh.accounts.models import Membership, Role, User

    user = User.objects.create_user(username, None)
    Membership.objects.create(user=user, organisation=organisation, role=Role.objects.get(code=role))
    return user


def _applicant() -> Any:
    from ansinh.accounts.models import Person, User
    from ansinh.core.text import normalise_search

    name = "Nguyễn Thị Bench"
    person = Person.objects.create(
        full_name=name, name_search=normalise_search(name), personal_id="001199000001"
    )
    return User.objects.create_user("bench.applicant", None, person=person)


def _names(n: int, seed: int) -> list[str]:
    from faker import Faker

    fake = Faker("vi_VN")
    fake.seed_instance(seed)
    people = fake.provider("faker.providers.person")
    assert people is not None
    firsts = (*people.first_names_male, *people.first_names_female, *people.first_names_unisex)  # type: ignore[attr-defined]
    return [
        f"{fake.random_element(people.last_names)} {fake.random_element(people.middle_names)} "  # type: ignore[attr-defined]
        f"{fake.random_element(firsts)}"
        for _ in range(n)
    ]


def _fill(centres: list[Any], officers: list[Any], per_centre: list[int], seed: int, today: date) -> World:
    """Bulk-insert the applicants and their dossiers, as a centre's table looks after a busy quarter."""
    from ansinh.accounts.models import Person
    from ansinh.core.text import normalise_search
    from ansinh.dossiers.models import NO_DUE_DATE, Channel, Dossier, ReceiptCounter

    rng = random.Random(seed)
    total = sum(per_centre)
    names = _names(total, seed)
    people = Person.objects.bulk_create(
        [
            Person(
                full_name=name, name_search=normalise_search(name), personal_id=f"0{10_000_000_000 + i:011d}"
            )
            for i, name in enumerate(names)
        ],
        batch_size=5000,
    )
    states, weights = list(STATE_WEIGHTS), list(STATE_WEIGHTS.values())
    sequence: Counter[tuple[int, date]] = Counter()
    world = World(centre=centres[0], officer=officers[0], applicant=None)
    batch: list[Dossier] = []
    k = 0
    for centre, n in zip(centres, per_centre, strict=True):
        for _ in range(n):
            person, name = people[k], names[k]
            k += 1
            state = rng.choices(states, weights)[0]
            due: date | None = today + timedelta(days=rng.randint(-15, 44))
            received = today - timedelta(days=rng.randint(0, 59))
            receipt = None
            if state == "draft":
                due = received = None
            else:
                sequence[centre.pk, received] += 1
                receipt = f"{centre.code}-{received:%y%m%d}-{sequence[centre.pk, received]:04d}"
            if state == "returned":
                due = None
            assigned = None
            if state == "in_processing" or (state == "accepted" and rng.random() < 0.3):
                assigned = rng.choice(officers) if centre is centres[0] else None
            minutes = timedelta(minutes=rng.randint(0, 480))
            at = datetime.combine(received or today, dtime(8, 30), tzinfo=UTC) + minutes
            closed = state in ("approved", "refused", "delivered", "withdrawn", "cancelled")
            ended = state in ("delivered", "withdrawn", "cancelled")
            batch.append(
                Dossier(
                    receipt_code=receipt,
                    procedure_code="tctn-huong" if rng.random() < 0.85 else "tctn-chuyen-noi",
                    procedure_version="2026",
                    state=state,
                    channel=Channel.ONLINE if rng.random() < 0.7 else Channel.COUNTER,
                    applicant_person=person,
                    applicant_name=name,
                    applicant_name_search=normalise_search(name),
                    applicant_id_number=person.personal_id,
                    receiving_organisation=centre,
                    org_path=centre.path,
                    province_id=centre.province_id,
                    assigned_to=assigned,
                    form_data=CLAIM_FORM,
                    created_at=at,
                    submitted_at=at if receipt else None,
                    received_on=received,
                    complete_on=received if due else None,
                    due_date=due,
                    queue_due=due or NO_DUE_DATE,
                    decided_at=at + timedelta(days=14) if closed else None,
                    closed_at=at + timedelta(days=16) if ended else None,
                )
            )
            if centre is centres[0]:
                world.counts[state] += 1
                if state == "accepted" and not world.sample_receipt:
                    world.sample_receipt = receipt or ""
                if state == "in_processing" and not world.sample_name and rng.random() < 0.001:
                    world.sample_name = name
            else:
                world.others += 1
            if len(batch) >= 5000:
                Dossier.objects.bulk_create(batch)
                batch = []
    Dossier.objects.bulk_create(batch)
    # The day counters the codes came from, as submissions leave them: new codes continue after these.
    ReceiptCounter.objects.bulk_create(
        [ReceiptCounter(organisation_id=org, day=day, last=last) for (org, day), last in sequence.items()]
    )
    return world


def _prepare_drafts(world: World, n: int) -> list[int]:
    """n complete drafts of one applicant: the form filled in, every mandatory document attached."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from ansinh.dossiers.forms_schema import clean_form_data
    from ansinh.dossiers.models import Attachment, Channel, Dossier
    from ansinh.dossiers.procedures import version_on

    procedure = version_on("tctn-huong", timezone.localdate())
    assert procedure is not None, "the demo procedure tctn-huong is declared"
    # Fails here, not in the threads, if the demo form has changed.
    form = clean_form_data(procedure.fields, CLAIM_FORM)
    content = b"%PDF-1.4\n% ansinh bench scan\n%%EOF\n"
    stored = default_storage.save("dossiers/bench/scan.pdf", ContentFile(content))
    person = world.applicant.person
    drafts = Dossier.objects.bulk_create(
        [
            Dossier(
                procedure_code=procedure.code,
                procedure_version=procedure.version,
                channel=Channel.ONLINE,
                applicant_person=person,
                applicant_name=person.full_name,
                applicant_name_search=person.name_search,
                applicant_id_number=person.personal_id,
                submitted_by=world.applicant,
                receiving_organisation=world.centre,
                org_path=world.centre.path,
                province_id=world.centre.province_id,
                form_data=form,
            )
            for _ in range(n)
        ]
    )
    Attachment.objects.bulk_create(
        [
            Attachment(
                dossier=draft,
                document_code=document.code,
                file=stored,
                original_name="scan.pdf",
                content_type="application/pdf",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                uploaded_by=world.applicant,
            )
            for draft in drafts
            for document in procedure.documents
            if document.mandatory
        ]
    )
    return [draft.pk for draft in drafts]


# --- measuring ---------------------------------------------------------------------------------------------


def _timed(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _stats(samples: list[float]) -> tuple[str, str, str]:
    return f"{statistics.median(samples):.2f}", f"{_p95(samples):.2f}", f"{max(samples):.2f}"


class _Recorder:
    """Collects the SQL a call runs (statement and parameters), to count it and to EXPLAIN it."""

    def __init__(self) -> None:
        self.executed: list[tuple[str, Any]] = []

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.executed.append((sql, params))
        return execute(sql, params, many, context)


def _explain(sql: str, params: Any) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


_NODE = re.compile(
    r"((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Index Scan|Bitmap Heap Scan|Seq Scan)"
    r"(?: Backward)?(?: using \w+)?(?: on \w+)?"
    r"|Incremental Sort|Sort|HashAggregate|GroupAggregate|Gather Merge)"
)


def _plan_summary(plan: str) -> str:
    nodes = list(dict.fromkeys(m.group(1) for line in plan.splitlines() if (m := _NODE.search(line))))
    sort = re.search(r"Sort Method: ([\w-]+(?: [\w-]+)?)", plan)
    removed = sum(int(n) for n in re.findall(r"Rows Removed by Filter: (\d+)", plan))
    executed = re.search(r"Execution Time: ([\d.]+) ms", plan)
    parts = [" → ".join(nodes)]
    if sort:
        parts.append(f"sort: {sort.group(1)}")
    parts.append(f"rows removed by filter: {removed:,}")
    if executed:
        parts.append(f"execution {executed.group(1)} ms")
    return "; ".join(parts)


@dataclass
class QueueRow:
    name: str
    samples: list[float]
    queries: int
    notes: str
    plan: str = ""


def _queue_bench(world: World, repeat: int) -> list[QueueRow]:
    from django.db import connection

    from ansinh.dossiers import presenters
    from ansinh.dossiers.selectors import QueueFilter, QueuePage, queue_for, queue_page, state_counts

    def fresh_actor(actor: Any = world.officer) -> Any:
        actor.__dict__.pop("_active_memberships", None)  # a new request loads the memberships again
        return actor

    def page(flt: QueueFilter, cursor: str | None = None, actor: Any = world.officer) -> QueuePage:
        # As the queue page and GET /api/v1/dossiers/queue do it (dossiers/views.py, dossiers/api.py).
        today = presenters.Today.now()
        qs = queue_for(fresh_actor(actor), flt, today.day, today.due_soon_until)
        result = queue_page(qs, cursor=cursor, size=PAGE_SIZE)
        _ = [presenters.dossier_summary(d, today) for d in result.items]
        return result

    cursor: str | None = None
    for _ in range(99):
        cursor = page(QueueFilter(), cursor).next_cursor
        assert cursor is not None, "the queue has more than 100 pages"
    page_100 = cursor

    surname = world.sample_name.split()[0]
    cases: list[tuple[str, Callable[[], object], str]] = [
        ("queue page 1", lambda: page(QueueFilter()), "open dossiers, by due date then id"),
        ("queue page 100 (keyset cursor)", lambda: page(QueueFilter(), page_100), "rows 2,476-2,500"),
        ("queue page 1, state=accepted", lambda: page(QueueFilter(states=("accepted",))), ""),
        (
            "queue page 1, centre chosen (organisation_id)",
            lambda: page(QueueFilter(organisation_id=world.centre.pk)),
            "the same rows, with the centre filter",
        ),
        (
            "queue page 100, centre chosen (organisation_id)",
            lambda: page(QueueFilter(organisation_id=world.centre.pk), page_100),
            "",
        ),
        (
            f'search "{world.sample_name}" (full name)',
            lambda: page(QueueFilter(search=world.sample_name)),
            "",
        ),
        (f'search "{surname}" (surname)', lambda: page(QueueFilter(search=surname)), ""),
        (
            "search by receipt code",
            lambda: page(QueueFilter(search=world.sample_receipt)),
            world.sample_receipt,
        ),
        ("state_counts (queue tabs)", lambda: state_counts(fresh_actor()), "open states, one GROUP BY"),
        (
            "queue request: page 1 + state_counts",
            lambda: (page(QueueFilter()), state_counts(world.officer)),
            "what one queue page or API call runs",
        ),
    ]
    if world.provincial is not None:
        cases.append(
            (
                "queue page 1, provincial officer",
                lambda: page(QueueFilter(), actor=world.provincial),
                "role provincial_officer at the province's department: the province and its subtree",
            )
        )
    rows = []
    for name, fn, notes in cases:
        for _ in range(5):  # warm-up: plan cache, calendar cache
            fn()
        recorder = _Recorder()
        with connection.execute_wrapper(recorder):
            result = fn()
        if isinstance(result, QueuePage) and "search" in name:
            notes = (notes + "; " if notes else "") + f"{len(result.items)} on page 1"
        samples = _timed(fn, repeat)
        dossier_sql = [(s, p) for s, p in recorder.executed if 'FROM "dossiers_dossier"' in s]
        explain = dossier_sql and connection.vendor == "postgresql" and "request" not in name
        plan = _explain(*dossier_sql[-1]) if explain else ""
        rows.append(QueueRow(name, samples, len(recorder.executed), notes, plan))
        print(f"  {name}: p95 {_p95(samples):.2f} ms", file=sys.stderr)
    return rows


# --- concurrency -------------------------------------------------------------------------------------------


def _concurrent(jobs: list[Callable[[], str]], threads: int) -> dict[str, Any]:
    """Run the jobs on `threads` threads, each with its own database connection, all starting together."""
    from django.db import connection, connections

    work: queue.SimpleQueue[Callable[[], str]] = queue.SimpleQueue()
    for job in jobs:
        work.put(job)
    lock = threading.Lock()
    codes: list[str] = []
    errors: list[str] = []
    latencies: list[float] = []
    started: list[float] = []
    barrier = threading.Barrier(threads, action=lambda: started.append(time.perf_counter()))

    def worker() -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=60)
            while True:
                try:
                    job = work.get_nowait()
                except queue.Empty:
                    return
                start = time.perf_counter()
                try:
                    code = job()
                except Exception as exc:
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                else:
                    with lock:
                        codes.append(code)
                with lock:
                    latencies.append((time.perf_counter() - start) * 1000)
        except Exception as exc:
            with lock:
                errors.append(f"worker: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()  # this thread's connections

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    total = time.perf_counter() - started[0] if started else 0.0
    return {
        "jobs": len(jobs),
        "threads": threads,
        "codes": len(codes),
        "distinct": len(set(codes)),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:3],
        "total_s": total,
        "latencies": latencies,
        "first": min(codes) if codes else "",
        "last": max(codes) if codes else "",
    }


def _receipts_bench(world: World, submissions: int, threads: int, full_path: bool) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from ansinh.accounts.models import User
    from ansinh.core import audit
    from ansinh.dossiers import tasks
    from ansinh.dossiers.models import Dossier, ReceiptCounter
    from ansinh.dossiers.services.receipts import allocate_receipt_code
    from ansinh.dossiers.services.transitions import dossier_act

    day = timezone.localdate()
    centre = world.centre
    out: dict[str, Any] = {"vendor": connection.vendor}
    print(f"  {connection.vendor}: {submissions} allocations on {threads} threads", file=sys.stderr)
    counter = ReceiptCounter.objects.filter(organisation=centre, day=day)
    before = counter.values_list("last", flat=True).first() or 0
    out["allocate"] = _concurrent([lambda: allocate_receipt_code(centre, day)] * submissions, threads)
    out["allocate"]["counter"] = f"{before} → {counter.get().last}"
    if not full_path:
        return out

    drafts = _prepare_drafts(world, submissions)
    applicant_id = world.applicant.pk
    queued: list[tuple[Any, ...]] = []

    def submit(dossier_id: int) -> str:
        actor = User.objects.select_related("person").get(pk=applicant_id)  # as the request's authentication
        dossier = dossier_act(actor=actor, dossier_id=dossier_id, action="submit")
        return dossier.receipt_code or ""

    print(f"  {connection.vendor}: {submissions} submissions on {threads} threads", file=sys.stderr)
    # The receipt PDF goes to the broker after commit; record the enqueueing instead.
    with mock.patch.object(tasks.issue_document, "delay", side_effect=lambda *a: queued.append(a)):
        out["submit"] = _concurrent([lambda pk=pk: submit(pk) for pk in drafts], threads)
    submitted = Dossier.objects.filter(pk__in=drafts, state="submitted")
    out["submit"]["submitted"] = submitted.count()
    out["submit"]["with_due_date"] = submitted.filter(due_date__isnull=False).count()
    out["submit"]["queued_after_commit"] = len(queued)
    report = audit.verify_chain()
    out["submit"]["audit_chain_ok"] = bool(report.ok)
    return out


# --- report ------------------------------------------------------------------------------------------------


def _machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    ram = ""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        cpu = re.search(r"^model name\s*:\s*(.+)$", info, re.M).group(1).strip()  # type: ignore[union-attr]
        mem = Path("/proc/meminfo").read_text(encoding="utf-8")
        kib = int(re.search(r"^MemTotal:\s*(\d+) kB", mem, re.M).group(1))  # type: ignore[union-attr]
        ram = f"{kib / 1024 / 1024:.1f} GiB RAM"
    except (OSError, AttributeError):
        pass
    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": ram, "load": _load()}


def _load() -> str:
    """The 1-minute load average: other work on the machine shows in the tail latencies."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def _receipt_rows(result: dict[str, Any]) -> list[str]:
    label = {"postgresql": "PostgreSQL", "sqlite": "SQLite (file, WAL)"}.get(
        result["vendor"], result["vendor"]
    )
    lines = []
    for key, what in (("allocate", "`allocate_receipt_code`"), ("submit", '`dossier_act(action="submit")`')):
        r = result.get(key)
        if r is None:
            continue
        p50, p95, top = _stats(r["latencies"]) if r["latencies"] else ("", "", "")
        ok = r["distinct"] == r["jobs"] and r["errors"] == 0
        checks = f"{r['first']} … {r['last']}"
        if key == "allocate":
            checks += f"; day counter {r['counter']}"
        else:
            checks += (
                f"; {r['submitted']} submitted, {r['with_due_date']} with a due date, "
                f"{r['queued_after_commit']} tasks queued after commit, audit chain ok={r['audit_chain_ok']}"
            )
        if r["error_samples"]:
            checks += "; errors: " + " / ".join(r["error_samples"])
        lines.append(
            f"| {label} | {what} | {r['jobs']} | {r['threads']} | {r['distinct']} | {r['errors']} | "
            f"{'yes' if ok else '**no**'} | {r['total_s']:.2f} | {p50} | {p95} | {top} | {checks} |"
        )
    return lines


def _report(
    *,
    args: argparse.Namespace,
    machine: dict[str, str],
    versions: dict[str, str],
    world: World | None,
    setup: dict[str, float],
    queue_rows: list[QueueRow],
    receipts: list[dict[str, Any]],
    notes: list[str],
) -> str:
    command = "`.venv/bin/python bench/dossiers.py" + "".join(f" {a}" for a in sys.argv[1:]) + "`"
    out = [
        "# Dossier benchmarks",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram']}; "
        f"Python {platform.python_version()}, "
        f"Django {versions.get('django', '?')}, {versions.get('postgresql', 'no PostgreSQL')}, "
        f"SQLite {sqlite3.sqlite_version}. Command: {command} (also run by `make bench`). Load average "
        f"(1 min) at the start {machine['load']}, at the end {_load()}.",
        "",
    ]
    if world is not None:
        from ansinh.dossiers.selectors import OPEN_STATES

        in_queue = sum(world.counts[s] for s in OPEN_STATES)
        states = ", ".join(f"{s} {n:,}" for s, n in world.counts.most_common())
        open_states = ", ".join(sorted(OPEN_STATES))
        out += [
            "## Work queue of one employment centre (PostgreSQL)",
            "",
            f"{sum(world.counts.values()):,} dossiers received by one centre ({states}), "
            f"{in_queue:,} of them in the queue (open states: {open_states}); "
            f"{world.others:,} more in 5 other centres. "
            "Due dates and receipt days spread over 60 days; "
            f"table + indexes {versions.get('table_size', '?')}. Bulk insert {setup['fill']:.0f} s, "
            f"VACUUM ANALYZE {setup['analyze']:.1f} s. The actor is a staff user with the role "
            "`employment_centre_officer` at the centre (grant: the centre's subtree by path). "
            "Each sample is the server work of one queue request as `dossiers/views.py` and "
            "`dossiers/api.py` do it: the memberships query, `presenters.Today.now()` (a calendar query), "
            f"`queue_for` + `queue_page(size={PAGE_SIZE})` and `presenters.dossier_summary` of every item "
            "(in-process, no HTTP, no template); the last row adds the `state_counts` both also run. "
            f"{args.repeat} repetitions after 5 warm-up calls.",
            "",
            "| measure | p50 ms | p95 ms | max ms | p95 < 50 ms | SQL queries | notes |",
            "|---|---:|---:|---:|:-:|---:|---|",
        ]
        for row in queue_rows:
            p50, p95, top = _stats(row.samples)
            target = "yes" if _p95(row.samples) < 50 else "**no**"
            out.append(f"| {row.name} | {p50} | {p95} | {top} | {target} | {row.queries} | {row.notes} |")
        slow = [r for r in queue_rows if _p95(r.samples) >= 50 and "Scan on dossiers_dossier" in r.plan]
        if order := [r.name for r in slow if "search" not in r.name]:
            out += [
                "",
                f"Over 50 ms at p95: {', '.join(order)}. The plan reads every open dossier in scope and "
                "sorts them: no index yields the queue order (`queue_due, id`) under the scope filter alone "
                "(`org_path LIKE '<path>%'` is a range, `province_id IN (…)` a set); with the centre as an "
                "equality (`receiving_organisation_id = …`, the rows with the centre chosen) the "
                "`dossier_queue` indexes give the order directly.",
            ]
        if search := [r.name for r in slow if "search" in r.name]:
            out += [
                "",
                f"Over 50 ms at p95: {', '.join(search)}. `applicant_name_search LIKE '%…%'` cannot use the "
                "btree index `dossier_name_search`; every row in scope is read.",
            ]
        out += ["", "### Query plans (EXPLAIN ANALYZE, once, after the timed runs)", ""]
        for row in queue_rows:
            if row.plan:
                out.append(f"- **{row.name}**: {_plan_summary(row.plan)}")
        for row in queue_rows:
            if row.plan and ("page 1" in row.name or "page 100" in row.name) and "accepted" not in row.name:
                out += [
                    "",
                    f"<details><summary>{row.name}</summary>",
                    "",
                    "```",
                    row.plan,
                    "```",
                    "",
                    "</details>",
                ]
        out.append("")
    if receipts:
        out += [
            "## Receipt codes under concurrent submissions",
            "",
            f"{args.submissions} calls to one centre on one day from {args.threads} threads, "
            "each thread with its own database connection, released together by a barrier "
            "(total = barrier to last commit). The full "
            "path submits prepared drafts of one applicant (form complete, both mandatory documents "
            "attached): scope check and row lock, completeness check, receipt code, due date, timeline "
            "event, audit entry; the receipt PDF is only enqueued (as with a broker).",
            "",
            "| database | call | calls | threads | distinct codes | errors | all distinct, no error "
            "| total s | p50 ms | p95 ms | max ms | checks |",
            "|---|---|---:|---:|---:|---:|:-:|---:|---:|---:|---:|---|",
        ]
        for result in receipts:
            out += _receipt_rows(result)
        out.append("")
    if notes:
        out += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    return "\n".join(out)


# --- entry points ------------------------------------------------------------------------------------------


def _sqlite_child(args: argparse.Namespace) -> int:
    """Run in a separate process: Django can be set up for one database per process."""
    _django(None)
    centre = _organisations(1, with_provinces=False)[0]
    world = World(centre=centre, officer=None, applicant=_applicant())
    result = _receipts_bench(world, args.submissions, args.threads, not args.no_submit)
    print("JSON:" + json.dumps(result))
    return 0


def _run_sqlite(args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--sqlite-child", "--submissions", str(args.submissions)]
    command += ["--threads", str(args.threads)] + (["--no-submit"] if args.no_submit else [])
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    sys.stderr.write(done.stderr)
    for line in done.stdout.splitlines():
        if line.startswith("JSON:"):
            return json.loads(line[5:])
    raise RuntimeError(f"the SQLite run failed (exit {done.returncode}): {done.stderr[-2000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--dossiers", type=int, default=100_000, help="dossiers received by the measured centre"
    )
    parser.add_argument("--others", type=int, default=3_000, help="dossiers in 5 other centres")
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--threads", type=int, default=32)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-submit", action="store_true", help="allocation only, not the full submit path")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--sqlite-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER))
    args = parser.parse_args()
    if args.sqlite_child:
        return _sqlite_child(args)

    machine = _machine()
    versions: dict[str, str] = {}
    notes: list[str] = []
    receipts: list[dict[str, Any]] = []
    queue_rows: list[QueueRow] = []
    world: World | None = None
    setup: dict[str, float] = {}

    problem = _pg_available(args.postgres)
    if problem:
        notes.append(
            f"PostgreSQL at {urlsplit(args.postgres).netloc} unavailable ({problem}): queue skipped."
        )
        print(
            f"PostgreSQL unavailable ({problem}); the queue and PostgreSQL receipts are skipped.",
            file=sys.stderr,
        )
    else:
        name, url = _pg_create(args.postgres)
        try:
            print(f"database {name}: migrating", file=sys.stderr)
            _django(url)
            import django
            from django.core.management import call_command
            from django.db import connection
            from django.utils import timezone

            versions["django"] = django.get_version()
            call_command("load_reference", verbosity=0)
            centres = _organisations(6, with_provinces=True)
            officers = [_staff(centres[0], f"bench.officer{i}") for i in range(1, 6)]
            provincial = _staff(centres[0].parent, "bench.province", "provincial_officer")
            print(f"filling {args.dossiers:,} + {args.others:,} dossiers", file=sys.stderr)
            started = time.perf_counter()
            per_centre = [args.dossiers] + [args.others // 5] * 5
            world = _fill(centres, officers, per_centre, args.seed, timezone.localdate())
            world.provincial = provincial
            setup["fill"] = time.perf_counter() - started
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
                setup["analyze"] = time.perf_counter() - started
                cursor.execute("SHOW server_version")
                versions["postgresql"] = f"PostgreSQL {cursor.fetchone()[0]}"
                cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('dossiers_dossier'))")
                versions["table_size"] = cursor.fetchone()[0]
            print("measuring the queue", file=sys.stderr)
            queue_rows = _queue_bench(world, args.repeat)
            world.applicant = _applicant()
            receipts.append(_receipts_bench(world, args.submissions, args.threads, not args.no_submit))
        finally:
            _pg_drop(args.postgres, name)
    if not args.no_sqlite:
        receipts.append(_run_sqlite(args))

    text = _report(
        args=args,
        machine=machine,
        versions=versions,
        world=world,
        setup=setup,
        queue_rows=queue_rows,
        receipts=receipts,
        notes=notes,
    )
    print(text)
    RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
