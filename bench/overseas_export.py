"""Worker-list export benchmark (not a test): `.venv/bin/python bench/overseas_export.py`.

Issue 6: "export of lists to Excel (streamed)". What is measured: rows per second and peak memory of
`worker_exports.workers_export` (the function the pages and `POST /api/v1/overseas/workers/export` call) on
PostgreSQL, at 100,000 workers; memory must stay flat whatever the number of rows.

A throwaway database `ansinh_bench_ovexport` is created on the server (`--postgres`, default
BENCH_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres), migrated, given the provinces, countries
and occupations, and filled with PostgreSQL COPY by the statistics benchmark's generator
(bench/overseas_stats.py: `--workers` workers, default 100,000, sent by 300 enterprises on 1,800 contracts to
16 countries from the 34 provinces, with their statuses and dates), plus a date of birth for every person.

Each case runs in a process of its own (so that the peak resident memory, VmHWM, is the export's and not the
loading's), twice: once timed (wall clock, and the process's CPU time: the rest is waiting for PostgreSQL),
with the resident memory before and at its peak; once under tracemalloc (slower: its time is not reported)
for the peak of Python's own allocations. The cases: the department (every worker), the province of origin
sending the most (a provincial officer), the largest enterprise (its administrator); and the rows alone read
from the database the same way (`values_list`, chunks of 2,000, no workbook) to show where the time goes.

Writes bench/results_overseas_export.md (and prints it). Drops the database at the end unless `--keep`;
`--reuse` measures a database kept earlier. Without a reachable server it says so and skips.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from overseas_stats import BIG_PROVINCES, _fill, _officials, _reference, _staff
from unemployment_stats import DEFAULT_SERVER, _database, _django, _drop, _machine

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results_overseas_export.md"
DB_NAME = "ansinh_bench_ovexport"
CASES = {
    "department": "department, whole country",
    "province": "provincial officer, province of origin {province}",
    "enterprise": "largest enterprise, its administrator",
    "read_only": "rows read alone (department; no workbook)",
}


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _status_kib(field: str) -> int:
    """VmRSS (now) or VmHWM (peak) of this process, in KiB."""
    for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: the peak only


# --- one case, in its own process --------------------------------------------------------------------------


def _actor(case: str) -> tuple[Any, str]:
    from django.db.models import Count

    from ansinh.geo.models import Province
    from ansinh.overseas.models import Enterprise, Worker

    big = max(BIG_PROVINCES, key=lambda c: BIG_PROVINCES[c])
    dolab, provincial = _officials(big)
    if case == "province":
        return provincial, CASES[case].format(province=Province.objects.get(code=big).code)
    if case == "enterprise":
        top = (
            Worker.objects.values("enterprise_id").annotate(n=Count("*")).order_by("-n").first() or {}
        ).get("enterprise_id")
        enterprise = Enterprise.objects.select_related("organisation").get(pk=top)
        return _staff(f"bench-ent-{enterprise.pk}", enterprise.organisation, "enterprise_admin"), CASES[case]
    return dolab, CASES[case]


def _read_only(actor: Any) -> int:
    """The rows as the export reads them, without the workbook."""
    from django.db import transaction

    from ansinh.overseas import worker_exports as wx

    chosen = wx._Chosen(filters=wx.ExportFilters(), contract_numbers=[])
    count = 0
    with transaction.atomic():
        for _row in wx._rows_of(actor, chosen).iterator(chunk_size=wx.CHUNK_ROWS):
            count += 1
    return count


def measure(case: str, trace: bool) -> dict[str, Any]:
    from ansinh.overseas import worker_exports

    actor, label = _actor(case)
    rss_before = _status_kib("VmRSS")
    if trace:
        tracemalloc.start()
    cpu, start = time.process_time(), time.perf_counter()
    size = 0
    if case == "read_only":
        rows = _read_only(actor)
    else:
        export = worker_exports.workers_export(actor=actor, purpose="inspection", purpose_detail="benchmark")
        with export.file as file:
            file.seek(0, os.SEEK_END)
            size = file.tell()
        rows = export.rows
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    out: dict[str, Any] = {"case": case, "label": label, "rows": rows, "bytes": size}
    if trace:
        out["traced_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        out.update(
            seconds=seconds,
            cpu_seconds=cpu_seconds,
            rss_before_kib=rss_before,
            rss_peak_kib=_status_kib("VmHWM"),
        )
    return out


def _child(url: str, case: str, trace: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--measure", case, "--database", url]
    if trace:
        command.append("--trace")
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode:
        raise RuntimeError(f"{case}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- the report --------------------------------------------------------------------------------------------


def _mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"


def _report(
    args: Any, machine: dict[str, str], counts: dict[str, int], fill_s: float, rows: list[dict]
) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    d = next((r for r in rows if r["case"] == "department"), None)
    out = [
        f"# Worker-list export: {counts['workers']:,} workers on PostgreSQL",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `.venv/bin/python bench/overseas_export.py"
        f"{' --reuse' if args.reuse else ''}`; in-process (no HTTP), each case in a fresh process.",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores (`nproc`), {machine['ram']}; load average "
        f"{machine['load']} at the start and {os.getloadavg()[0]:.2f} at the end (shared machine). "
        f"PostgreSQL {version}, on the same machine.",
        "",
    ]
    if d:
        out += [
            f"**{d['rows'] / d['seconds']:,.0f} rows/s** for the department's export of {d['rows']:,} "
            f"workers ({d['seconds']:.1f} s wall clock, {d['cpu_seconds']:.1f} s of CPU; a "
            f"{d['bytes'] / 2**20:.1f} MiB file); resident memory grew by "
            f"{_mib(d['rss_peak_kib'] - d['rss_before_kib'])} MiB at its peak, Python's allocations "
            f"peaked at {d['traced_peak'] / 2**20:.1f} MiB.",
            "",
        ]
    out += [
        "| case | rows | seconds | rows/s | CPU s (this process) | file MiB | RSS before MiB | RSS peak MiB "
        "| peak growth MiB | tracemalloc peak MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.append(
            f"| {r['label']} | {r['rows']:,} | {r['seconds']:.2f} | {r['rows'] / r['seconds']:,.0f} | "
            f"{r['cpu_seconds']:.2f} | {r['bytes'] / 2**20:.1f} | {_mib(r['rss_before_kib'])} | "
            f"{_mib(r['rss_peak_kib'])} | {_mib(r['rss_peak_kib'] - r['rss_before_kib'])} | "
            f"{r['traced_peak'] / 2**20:.1f} |"
        )
    out += [
        "",
        "- RSS: the process's resident memory (/proc/self/status VmRSS before the export, VmHWM its peak); "
        "the peak growth is what the export added. tracemalloc: the peak of Python's allocations during the "
        "export, measured in a second run (tracemalloc slows it down, so that run is not timed).",
        "- Flat memory: the peaks do not follow the number of rows (one province's export and the whole "
        "country's differ by little), because the rows are read in chunks of 2,000 from a server-side cursor "
        "(`values_list(...).iterator(chunk_size=2000)` inside one transaction) and openpyxl's write-only "
        "workbook writes each row to a temporary file as it is appended (inline strings: no shared-string "
        "table).",
        "- Where the time goes: the rows alone come from PostgreSQL at the rate of the last line; the rest "
        "is openpyxl serialising 14 cells a row (lxml), single-threaded, in the app process. On a shared "
        "machine the wall clock also counts the time other programs held the CPU: compare the CPU column.",
        "",
        "## Data",
        "",
        f"{counts['workers']:,} workers (each a person with a date of birth, personal ID and worker code), "
        "300 enterprises, 1,800 contracts, 16 countries, 34 provinces of origin (bench/overseas_stats.py's "
        "generator). "
        + (f"Loaded by COPY in {fill_s:.0f} s." if fill_s else "Loaded by an earlier run (`--reuse`)."),
        "",
    ]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER))
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 26))
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--measure", choices=list(CASES), help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # a child: one case on the database given
        _django(args.database)
        print(json.dumps(measure(args.measure, args.trace)))
        return 0
    try:
        url, new = _database(args.postgres, DB_NAME, args.reuse)
    except Exception as exc:
        _log(f"overseas_export: no PostgreSQL at {args.postgres} ({exc}); skipped")
        return 0
    _django(url)
    from django.core.management import call_command
    from django.db import connection

    machine = _machine()
    try:
        fill_s = 0.0
        if new:
            call_command("migrate", verbosity=0, interactive=False)
            _reference()
            _log(f"loading {args.workers:,} workers...")
            start = time.perf_counter()
            _fill(args.workers, args.today, args.seed)
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE accounts_person SET date_of_birth = DATE '1975-01-01' + (id % 10000)::int"
                )
                cursor.execute("VACUUM ANALYZE accounts_person")
            fill_s = time.perf_counter() - start
            _log(f"loaded in {fill_s:.0f} s")
        from ansinh.overseas.models import Worker

        counts = {"workers": Worker.objects.count()}
        _officials(max(BIG_PROVINCES, key=lambda c: BIG_PROVINCES[c]))  # the users, before the children
        results = []
        for case in CASES:
            _log(f"{case}...")
            timed = _child(url, case, trace=False)
            timed["traced_peak"] = _child(url, case, trace=True)["traced_peak"]
            _log(
                f"  {timed['rows']:,} rows in {timed['seconds']:.2f} s "
                f"({timed['rows'] / timed['seconds']:,.0f} rows/s), RSS peak "
                f"{_mib(timed['rss_peak_kib'])} MiB "
                f"(+{_mib(timed['rss_peak_kib'] - timed['rss_before_kib'])}), "
                f"tracemalloc peak {timed['traced_peak'] / 2**20:.1f} MiB"
            )
            results.append(timed)
        report = _report(args, machine, counts, fill_s, results)
        RESULTS.write_text(report, encoding="utf-8")
        print(report)
        _log(f"wrote {RESULTS}")
    finally:
        if not args.keep:
            _drop(args.postgres, DB_NAME)
    return 0


if __name__ == "__main__":
    sys.exit(main())
