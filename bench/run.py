"""ansinh benchmarks (not tests): `make bench`.

Builds its own database under a temporary ANSINH_VAR_DIR (SQLite by default; PostgreSQL when DATABASE_URL is
set), loads the reference data and `ansinh demo --scale N` people, then measures, in-process through Django's
test client (no network in the numbers):

- sign-in: POST /api/v1/auth/token with real Argon2 hashing;
- the scoped people list a provincial officer pages through: GET /api/v1/people (latency, SQL queries);
- a staff read of one person's record, which also appends to the audit chain;
- audit appends per second, and the chain verification rate;
- the audit CSV export: time and peak Python memory (it streams, so memory must not grow with rows);
- the working-day calendar: add 15 working days.

Results go to stdout as a Markdown table and to bench/results.md. Then, in its own process,
bench/dossiers.py: the dossier work queue at 100,000 dossiers (PostgreSQL) and concurrent receipt codes
(bench/results_dossiers.md); `--no-dossiers` skips it. Then, in its own process, bench/sos.py: the SOS
targets of issue 4 against the real server (two app processes, PostgreSQL, Redis), and notices to a million
workers (bench/results_sos.md); `--no-sos` skips it.
Then, in its own process, bench/unemployment_rules.py: the benefit rules engine in estimates per second
(bench/results_unemployment.md); `--no-unemployment` skips it. Then bench/unemployment_stats.py: the
statistics over 1,000,000 claims on PostgreSQL (bench/results_unemployment_stats.md; about 15 minutes to
load); `--no-unemployment-stats` skips it. Then bench/overseas_import.py: a 100,000-row worker list uploaded,
checked and saved on PostgreSQL (bench/results_overseas_import.md; about 4 minutes); `--no-overseas-import`
skips it. Then bench/overseas_stats.py: the statistics of workers abroad over 1,000,000 workers on PostgreSQL
(bench/results_overseas_stats.md; about 6 minutes); `--no-overseas-stats` skips it. Then
bench/overseas_export.py: worker lists of up to 100,000 rows exported to Excel on PostgreSQL, speed and memory
(bench/results_overseas_export.md; about 5 minutes); `--no-overseas-export` skips it. Then
bench/jobs_search.py: vacancy search over 1,000,000 vacancies on PostgreSQL (bench/results_jobs_search.md;
about 10 minutes to fill the first time, then reused); `--no-jobs-search` skips it. Then
bench/jobs_matching.py: one vacancy matched against 1,000,000 seekers (bench/results_jobs_matching.md; about
11 minutes to fill, then reused); `--no-jobs-matching` skips it. Then bench/welfare_payments.py: card scans,
payments and two service points racing on the same month, on PostgreSQL (bench/results_welfare_payments.md;
fails when a month is paid twice); `--no-welfare-payments` skips it.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(scale: int) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("ANSINH_VAR_DIR", tempfile.mkdtemp(prefix="ansinh-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference", verbosity=0)
    call_command("demo", scale=scale, seed=7, accounts_file="-", verbosity=0)


def _timed(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _row(name: str, samples: list[float], extra: str = "") -> tuple[str, str, str, str]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (name, f"{statistics.median(ordered):.2f}", f"{p95:.2f}", extra)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", "10")))
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--no-dossiers", action="store_true", help="skip bench/dossiers.py")
    parser.add_argument("--no-sos", action="store_true", help="skip bench/sos.py")
    parser.add_argument("--no-unemployment", action="store_true", help="skip bench/unemployment_rules.py")
    parser.add_argument(
        "--no-unemployment-stats", action="store_true", help="skip bench/unemployment_stats.py"
    )
    parser.add_argument("--no-overseas-import", action="store_true", help="skip bench/overseas_import.py")
    parser.add_argument("--no-overseas-stats", action="store_true", help="skip bench/overseas_stats.py")
    parser.add_argument("--no-overseas-export", action="store_true", help="skip bench/overseas_export.py")
    parser.add_argument("--no-jobs-search", action="store_true", help="skip bench/jobs_search.py")
    parser.add_argument("--no-jobs-matching", action="store_true", help="skip bench/jobs_matching.py")
    parser.add_argument("--no-welfare-payments", action="store_true", help="skip bench/welfare_payments.py")
    args = parser.parse_args()

    started = time.perf_counter()
    _setup(args.scale)
    setup_seconds = time.perf_counter() - started

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from ansinh.accounts.models import Person, User
    from ansinh.accounts.services import token_issue
    from ansinh.core import audit, workdays
    from ansinh.core.exports import stream_audit_csv
    from ansinh.core.models import AuditEntry

    rows: list[tuple[str, str, str, str]] = []
    client = Client()

    # Sign-in with the production hasher (Argon2).
    user = User.objects.create_user("bench.signin", "Bench-password-2026-ok")
    rows.append(
        _row(
            "POST /api/v1/auth/token (Argon2)",
            _timed(
                lambda: client.post(
                    "/api/v1/auth/token",
                    {"username": "bench.signin", "password": "Bench-password-2026-ok"},
                    content_type="application/json",
                ),
                min(args.repeat, 20),
            ),
        )
    )

    officer = User.objects.filter(memberships__role__code="provincial_officer").first()
    assert officer is not None, "the demo creates a provincial officer"
    _, token = token_issue(user=officer, two_factor_verified=True)
    auth = {"Authorization": f"Bearer {token}"}
    people_in_scope = client.get("/api/v1/people", headers=auth).json()["count"]
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        page = client.get("/api/v1/people?page=3&page_size=50", headers=auth)
    assert page.status_code == 200, page.content
    rows.append(
        _row(
            "GET /api/v1/people?page=3 (provincial officer)",
            _timed(lambda: client.get("/api/v1/people?page=3&page_size=50", headers=auth), args.repeat),
            f"{people_in_scope} people in scope of {Person.objects.count()}; {len(executed)} SQL queries",
        )
    )
    person_id = client.get("/api/v1/people?page_size=1", headers=auth).json()["items"][0]["id"]
    rows.append(
        _row(
            "GET /api/v1/people/{id} (+ audit append)",
            _timed(lambda: client.get(f"/api/v1/people/{person_id}", headers=auth), args.repeat),
        )
    )

    n = 2000
    start = time.perf_counter()
    for i in range(n):
        audit.record(actor=user, action="bench.append", changes={"i": i})
    append_rate = n / (time.perf_counter() - start)
    rows.append(("audit append", f"{1000 / append_rate:.3f}", "", f"{append_rate:,.0f} entries/s"))

    total = AuditEntry.objects.count()
    start = time.perf_counter()
    report = audit.verify_chain()
    verify_seconds = time.perf_counter() - start
    rows.append(
        (
            "audit verify_chain",
            f"{verify_seconds * 1000:.0f}",
            "",
            f"{total:,} entries, ok={report.ok}, {total / verify_seconds:,.0f} entries/s",
        )
    )

    tracemalloc.start()
    start = time.perf_counter()
    size = sum(
        len(chunk) for chunk in stream_audit_csv(AuditEntry.objects.order_by("-seq")).streaming_content
    )
    export_ms = (time.perf_counter() - start) * 1000
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rows.append(
        (
            "audit CSV export (streamed)",
            f"{export_ms:.0f}",
            "",
            f"{total:,} rows, {size / 1e6:.1f} MB, peak Python memory {peak / 1e6:.1f} MB",
        )
    )

    from datetime import date

    workdays.add_working_days(date(2026, 2, 10), 15)  # warm the calendar cache
    samples = _timed(lambda: [workdays.add_working_days(date(2026, 2, d), 15) for d in range(1, 28)], 20)
    rows.append(
        ("add_working_days(15) ×27", f"{statistics.median(samples):.2f}", "", "calendar cached per process")
    )

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    header = (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"database {engine}; demo scale {args.scale} ({Person.objects.count():,} people), "
        f"set-up {setup_seconds:.0f} s. Command: `make bench` (BENCH_SCALE={args.scale})."
    )
    table = ["| measure | median ms | p95 ms | notes |", "|---|---:|---:|---|"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    text = header + "\n\n" + "\n".join(table) + "\n"
    print(text)
    (ROOT / "bench" / "results.md").write_text(text, encoding="utf-8")
    status = 0
    if not args.no_dossiers:
        # Its own process: it sets Django up on its own databases (a throwaway PostgreSQL one, and SQLite).
        status = subprocess.run([sys.executable, str(ROOT / "bench" / "dossiers.py")], check=False).returncode
    if not args.no_unemployment:
        # Its own process: the pure rules engine, plus one line through the selector on a throwaway SQLite.
        rules_run = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "unemployment_rules.py")], check=False
        )
        status = rules_run.returncode or status
    if not args.no_unemployment_stats:
        # Its own process: a throwaway PostgreSQL database with a million claims.
        stats_run = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "unemployment_stats.py")], check=False
        )
        status = stats_run.returncode or status
    if not args.no_overseas_import:
        # Its own process: a throwaway PostgreSQL database and a 100,000-row workbook.
        imported = subprocess.run([sys.executable, str(ROOT / "bench" / "overseas_import.py")], check=False)
        status = imported.returncode or status
    if not args.no_overseas_stats:
        # Its own process: a throwaway PostgreSQL database with a million workers.
        counted = subprocess.run([sys.executable, str(ROOT / "bench" / "overseas_stats.py")], check=False)
        status = counted.returncode or status
    if not args.no_overseas_export:
        # Its own process: a throwaway PostgreSQL database with 100,000 workers.
        exported = subprocess.run([sys.executable, str(ROOT / "bench" / "overseas_export.py")], check=False)
        status = exported.returncode or status
    for script, skipped in (
        ("jobs_search.py", args.no_jobs_search),
        ("jobs_matching.py", args.no_jobs_matching),
    ):
        if not skipped:
            # Its own process: a PostgreSQL database of a million vacancies (or seekers), kept for later runs.
            jobs = subprocess.run([sys.executable, str(ROOT / "bench" / script)], check=False)
            status = jobs.returncode or status
    if not args.no_welfare_payments:
        # Its own process: a throwaway PostgreSQL database of card holders; non-zero if a month is paid twice.
        welfare = subprocess.run([sys.executable, str(ROOT / "bench" / "welfare_payments.py")], check=False)
        status = welfare.returncode or status
    if not args.no_sos:
        # Its own process too: a throwaway PostgreSQL database, Redis, and `ansinh serve --workers 2`.
        sos = subprocess.run([sys.executable, str(ROOT / "bench" / "sos.py")], check=False)
        status = sos.returncode or status
    return status


if __name__ == "__main__":
    sys.exit(main())
