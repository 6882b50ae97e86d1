"""Matching benchmark (not a test): `.venv/bin/python bench/jobs_matching.py`.

Issue 7: "Matching one vacancy against 1,000,000 seekers: under 200 ms" (PostgreSQL). What is measured:
`ansinh.jobs.matching.seekers_for_vacancy` (what the employer's "suggested candidates" page, the centre's
page and `GET /api/v1/jobs/vacancies/{id}/matches` call), in-process, end to end: the scoped vacancy read,
the candidate cut and scoring in SQL, the applications check and the reasons built for the 20 best.

The database `ansinh_bench_matching` is created on the server (`--postgres`, default BENCH_POSTGRES_URL or
postgres://postgres@127.0.0.1:5432/postgres) when missing, migrated, given the provinces, countries and
occupations and filled with `--seekers` seekers (default 1,000,000) by the demo's bulk generator
(`ansinh.web.demo.jobs_seekers.load_seekers`, PostgreSQL COPY). It is kept and reused by later runs
(`--fresh` rebuilds it, `--drop` drops it at the end). The vacancies measured are made by the script:
for the most wanted occupations, middling ones and rare ones, in big and small provinces, one remote.

For each vacancy: 3 warm-up calls, then `--repeat` timed calls as the employer (anonymous and full
profiles only) and as a centre officer (private ones too). p50/p95/max per vacancy and over all, the SQL
queries per call, the candidates cut by the indexes, and the query plan of the scoring query for the
most wanted occupation. Writes bench/results_jobs_matching.md (and prints it).
"""

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results_jobs_matching.md"
DB_NAME = "ansinh_bench_matching"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _pg(server: str) -> Any:
    import psycopg

    return psycopg.connect(server, autocommit=True, connect_timeout=5)


def _database(server: str, fresh: bool) -> tuple[str, bool]:
    """The benchmark database's URL, and whether it was just created (to fill)."""
    from psycopg import sql

    with _pg(server) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if fresh or not exists:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    return urlsplit(server)._replace(path=f"/{DB_NAME}").geturl(), bool(fresh or not exists)


def _drop(server: str) -> None:
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    with _pg(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))


def _django(url: str) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.config.settings")
    os.environ["ANSINH_VAR_DIR"] = tempfile.mkdtemp(prefix="ansinh-bench-matching-")
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()


def _machine() -> dict[str, str]:
    cpu, ram = platform.processor() or platform.machine(), ""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        found = re.search(r"^model name\s*:\s*(.+)$", info, re.M)
        cpu = found.group(1).strip() if found else cpu
        mem = Path("/proc/meminfo").read_text(encoding="utf-8")
        kib = re.search(r"^MemTotal:\s*(\d+) kB", mem, re.M)
        ram = f"{int(kib.group(1)) / 1024 / 1024:.1f} GiB RAM" if kib else ""
    except OSError:
        pass
    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": ram, "load": f"{os.getloadavg()[0]:.2f}"}


# --- set-up ------------------------------------------------------------------------------------------------


def _fill(seekers: int, seed: int) -> float:
    from django.core.management import call_command
    from django.db import connection

    from ansinh.geo.services import (
        reference_load_countries,
        reference_load_occupations,
        reference_load_provinces,
    )
    from ansinh.web.demo.jobs_seekers import load_seekers

    call_command("migrate", verbosity=0, interactive=False)
    reference_load_provinces()
    reference_load_countries()
    reference_load_occupations()
    _log(f"loading {seekers:,} seekers...")
    start = time.perf_counter()
    done = load_seekers(seekers, seed=seed, batch=50_000, rebuild_indexes=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    seconds = time.perf_counter() - start
    _log(
        f"loaded {done.seekers:,} seekers, {done.occupations:,} occupations wanted, {done.provinces:,} "
        f"provinces wanted in {seconds:.0f} s"
    )
    return seconds


def _staff(username: str, organisation: Any, role: str) -> Any:
    from ansinh.accounts.models import Membership, Role, User

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, None)
        Membership.objects.create(user=user, organisation=organisation, role=Role.objects.get(code=role))
    return user


def _actors_and_vacancies() -> tuple[Any, Any, list[tuple[str, Any]]]:
    """The employer's administrator, a centre officer, and the vacancies measured (made once)."""
    from django.db.models import Count
    from django.utils import timezone

    from ansinh.accounts.models import Organisation, OrganisationKind
    from ansinh.accounts.services import organisation_create
    from ansinh.geo.models import Occupation, Province
    from ansinh.jobs.models import ContractType, Employer, EmployerStatus, SeekerOccupation, Vacancy
    from ansinh.jobs.texts import skills_normalised, vacancy_search_text
    from ansinh.web.demo.jobs_seekers import COMMON_SKILLS, TRADE_SKILLS

    hcm = Province.objects.get(code="79")
    centre = Organisation.objects.filter(code="BENCH-TTDVVL-79").first() or organisation_create(
        actor=None,
        code="BENCH-TTDVVL-79",
        name="Trung tâm Dịch vụ việc làm TP. Hồ Chí Minh",
        kind=OrganisationKind.EMPLOYMENT_CENTRE,
        province=hcm,
    )
    org = Organisation.objects.filter(code="BENCH-EMPLOYER").first() or organisation_create(
        actor=None,
        code="BENCH-EMPLOYER",
        name="Công ty TNHH Sản xuất Bench",
        kind=OrganisationKind.EMPLOYER,
        province=hcm,
    )
    employer = Employer.objects.filter(organisation=org).first() or Employer.objects.create(
        organisation=org,
        tax_code="0319999999",
        province=hcm,
        address="1 Lê Lợi",
        contact_name="Nguyễn Văn A",
        status=EmployerStatus.VERIFIED,
        centre=centre,
        verified_at=timezone.now(),
        org_path=org.path,
    )
    admin = _staff("bench-employer", org, "employer_admin")
    officer = _staff("bench-centre", centre, "employment_centre_officer")
    if not Vacancy.objects.filter(employer=employer).exists():
        wanted = list(
            SeekerOccupation.objects.values("occupation_id")
            .annotate(n=Count("*"))
            .order_by("-n", "occupation_id")
        )
        popular, rare = wanted[:3], wanted[-3:]
        middle = wanted[len(wanted) // 2 : len(wanted) // 2 + 2]
        small = Province.objects.get(code="11") if Province.objects.filter(code="11").exists() else hcm
        plan = [
            ("popular", popular[0], hcm, False),
            ("popular", popular[1], Province.objects.get(code="01"), False),
            ("popular", popular[2], small, False),
            ("popular, remote", popular[0], hcm, True),
            ("middling", middle[0], hcm, False),
            ("middling", middle[1], small, False),
            ("rare", rare[0], hcm, False),
            ("rare", rare[1], Province.objects.get(code="01"), False),
            ("rare", rare[2], small, False),
        ]
        for label, row, province, remote in plan:
            job = Occupation.objects.get(pk=row["occupation_id"])
            skills = ", ".join((TRADE_SKILLS.get(job.code[:2], []) + COMMON_SKILLS)[:3])
            title = job.name_vi[:200]
            Vacancy.objects.create(
                employer=employer,
                title=title,
                occupation=job,
                description=f"{label}: {row['n']} wanted",
                requirements=skills,
                skills_search=skills_normalised(skills),
                province=province,
                is_remote=remote,
                salary_min=7_000_000,
                salary_max=12_000_000,
                contract_type=ContractType.INDEFINITE,
                deadline=timezone.localdate() + timedelta(days=3650),
                search_text=vacancy_search_text(
                    title=title,
                    occupation=f"{job.name_vi} {job.name_en}",
                    employer=org.name,
                    places=[province.name],
                    skills=skills,
                    description=label,
                ),
                org_path=employer.org_path,
            )
    vacancies = [
        (v.description.split(":")[0], v)
        for v in Vacancy.objects.filter(employer=employer)
        .select_related("occupation", "province")
        .order_by("id")
    ]
    return admin, officer, vacancies


# --- measuring ---------------------------------------------------------------------------------------------


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def _measure(actor: Any, vacancy: Any, repeat: int) -> dict[str, Any]:
    from django.db import connection

    from ansinh.jobs import matching

    for _ in range(3):
        matching.seekers_for_vacancy(actor, vacancy.pk)
    executed: list[str] = []

    def count(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        found = matching.seekers_for_vacancy(actor, vacancy.pk)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        matching.seekers_for_vacancy(actor, vacancy.pk)
        samples.append((time.perf_counter() - start) * 1000)
    return {
        "samples": samples,
        "queries": len(executed),
        "found": len(found),
        "top": found[0].score if found else 0,
        "twentieth": found[-1].score if found else 0,
    }


def _candidates(vacancy: Any) -> tuple[int, int]:
    """Seekers wanting the vacancy's occupation, and its sub-major group (what an uncut scan would score)."""
    from ansinh.jobs.models import SeekerOccupation

    exact = SeekerOccupation.objects.filter(occupation_id=vacancy.occupation_id).count()
    near = SeekerOccupation.objects.filter(sub_major_group=vacancy.occupation.code[:2]).count()
    return exact, near


def _plan(actor: Any, vacancy: Any) -> str:
    from django.db import connection

    from ansinh.jobs import matching

    captured: list[tuple[str, Any]] = []

    def capture(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        if "score" in sql and not captured:
            captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        matching.seekers_for_vacancy(actor, vacancy.pk)
    plans = []
    if captured:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + captured[0][0], captured[0][1])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans[0] if plans else "(no plan captured)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER))
    parser.add_argument("--seekers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--fresh", action="store_true", help="drop and fill the database again")
    parser.add_argument("--drop", action="store_true", help="drop the database at the end")
    args = parser.parse_args()
    try:
        url, new = _database(args.postgres, args.fresh)
    except Exception as exc:
        _log(f"jobs_matching: no PostgreSQL at {args.postgres} ({exc}); skipped")
        return 0
    _django(url)
    from django.db import connection

    machine = _machine()
    try:
        fill_s = _fill(args.seekers, args.seed) if new else 0.0
        from ansinh.jobs.models import SeekerOccupation, SeekerProfile, SeekerProvince

        counts = {
            "seekers": SeekerProfile.objects.count(),
            "occupations": SeekerOccupation.objects.count(),
            "provinces": SeekerProvince.objects.count(),
        }
        admin, officer, vacancies = _actors_and_vacancies()
        rows, everything = [], []
        for label, vacancy in vacancies:
            exact, near = _candidates(vacancy)
            for who, actor in (("employer", admin), ("centre", officer)):
                measured = _measure(actor, vacancy, args.repeat)
                everything += measured["samples"]
                row = {
                    "label": label,
                    "who": who,
                    "occupation": vacancy.occupation.code,
                    "province": vacancy.province.code if vacancy.province else "—",
                    "exact": exact,
                    "near": near,
                    **measured,
                }
                rows.append(row)
                _log(
                    f"{label:16} {vacancy.occupation.code} {row['province']:>3} {who:8} "
                    f"p50 {statistics.median(measured['samples']):6.1f} ms  "
                    f"p95 {_p95(measured['samples']):6.1f} ms"
                    f"  ({exact:,} exact, {near:,} in the group; {measured['queries']} queries)"
                )
        plan = _plan(admin, vacancies[0][1])
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        out = [
            f"# Matching: one vacancy against {counts['seekers']:,} seekers (PostgreSQL)",
            "",
            f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `.venv/bin/python bench/jobs_matching.py`; "
            "in-process (no HTTP): `matching.seekers_for_vacancy(actor, vacancy_id)`, 20 best.",
            "",
            f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['ram']}; load average "
            f"{machine['load']} at the start, {os.getloadavg()[0]:.2f} at the end (shared machine). "
            f"PostgreSQL {version} on the same machine.",
            "",
            f"**Over all calls: p50 {statistics.median(everything):.1f} ms, p95 {_p95(everything):.1f} ms, "
            f"max {max(everything):.1f} ms** ({len(everything)} calls; target: under 200 ms).",
            "",
            "| vacancy | occupation | province | as | seekers wanting it | in its group | p50 ms | p95 ms "
            "| max ms | queries | best score | 20th score |",
            "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in rows:
            out.append(
                f"| {r['label']} | {r['occupation']} | {r['province']} | {r['who']} | {r['exact']:,} | "
                f"{r['near']:,} | {statistics.median(r['samples']):.1f} | {_p95(r['samples']):.1f} | "
                f"{max(r['samples']):.1f} | {r['queries']} | {r['top']} | {r['twentieth']} |"
            )
        out += [
            "",
            f"Data: {counts['seekers']:,} seekers with {counts['occupations']:,} occupations wanted and "
            f"{counts['provinces']:,} provinces wanted (bulk generator `ansinh.web.demo.jobs_seekers`, seed "
            f"{args.seed}). "
            + (f"Loaded by COPY in {fill_s:.0f} s." if fill_s else "Loaded by an earlier run (reused)."),
            "",
            "## Plan of the scoring query (most wanted occupation, as the employer)",
            "",
            "```",
            plan,
            "```",
            "",
        ]
        report = "\n".join(out)
        RESULTS.write_text(report, encoding="utf-8")
        print(report)
        _log(f"wrote {RESULTS}")
    finally:
        if args.drop:
            _drop(args.postgres)
    return 0


if __name__ == "__main__":
    sys.exit(main())
