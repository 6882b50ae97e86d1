"""Unemployment statistics benchmark (not a test): `.venv/bin/python bench/unemployment_stats.py`.

The target (issue 5): the statistics page over 1,000,000 claims on PostgreSQL in under 500 ms.

A database `ansinh_bench_uistats` is created on the server (`--postgres`, default BENCH_POSTGRES_URL or
postgres://postgres@127.0.0.1:5432/postgres), migrated, and filled with PostgreSQL COPY: 34 provinces, each
with its department of home affairs and employment service centre; `--claims` benefits (default 1,000,000)
decided across one year (`--year`, default 2025: the worst case, a whole year of the scale the design names,
"1M+ unemployment claims a year"), spread over the provinces by size; each with its claim dossier, the
dossier's timeline (create, submit, accept, approve) and its benefit months (3 to 12, most notified in time,
some missed, the later ones still waiting); plus refused claim dossiers (6 %) and dossiers still open (3 %).
Rows are as wide as real ones (the claim's explanation, the dossier's form), so a query that reads the tables
instead of the indexes shows.

Measured in-process (time.perf_counter, no network), in two rounds: with the indexes as migrated, then with
the indexes it proposes (created for the round, dropped after it; `PROPOSED` lists them with their Meta
lines). Each round measures, for a ministry officer (whole country), the same with the biggest province
chosen, its provincial officer and its centre's officer:

1. live: `statistics.scope_for` + `statistics.monthly_statistics` counting each request's own figures from
   the records (UNEMPLOYMENT_STATISTICS_CACHE_SECONDS = 0), `--live-repeat` times, with the `EXPLAIN
   (ANALYZE, BUFFERS)` plan of each query;
2. `statistics.recount`: the count of the whole country the pages read (what a periodic task does, or the
   first request after the count is five minutes old);
3. with that count kept (the default): the same reads, then the page `GET /staff/unemployment/statistics/`
   and the Excel download through Django's test client (session, middleware, template, SVG), `--repeat`
   times.

Then a what-if: the notified amounts if each benefit month carried its province. Writes
bench/results_unemployment_stats.md. `--keep` leaves the database for another run, `--reuse` measures a
database left by `--keep` without filling it again (loading a million claims takes about 15 minutes on two
cores). Needs a PostgreSQL superuser to load fast (the foreign-key triggers are off during COPY); without a
reachable server it says so and skips.
"""

import argparse
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
import types
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results_unemployment_stats.md"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
DB_NAME = "ansinh_bench_uistats"
TARGET_MS = 500.0

# Share of the claims by province (the big industrial provinces first); the rest share what is left.
BIG_PROVINCES = {"79": 22, "01": 10, "75": 7, "27": 6, "31": 5, "74": 5, "48": 3, "92": 3}
CLAIM_FORM = {
    "termination_date": "2025-01-15",
    "last_employer": "Công ty TNHH May mặc Sông Hồng",
    "contract_kind": "definite",
    "phone": "0912345678",
    "bank_account": "0123456789012",
    "wants_training": False,
}
# About as long as what `rules.estimate` writes for a real decision.
EXPLANATION = json.dumps(
    [
        {
            "step": f"Bước {n}: tính mức hưởng theo tiền lương tháng đóng bảo hiểm thất nghiệp",
            "value": "8.000.000",
            "legal_basis": "Luật Việc làm 74/2025/QH15 Điều 39 khoản 1; Nghị định 374/2025/NĐ-CP Điều 14",
        }
        for n in range(1, 8)
    ],
    ensure_ascii=False,
)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- set-up ------------------------------------------------------------------------------------------------


def _pg_connect(server: str) -> Any:
    import psycopg

    return psycopg.connect(server, autocommit=True, connect_timeout=5)


def _database(server: str, name: str, reuse: bool) -> tuple[str, bool]:
    """The benchmark database's URL, and whether it is new (to fill)."""
    from psycopg import sql

    with _pg_connect(server) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not (reuse and exists):
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlsplit(server)._replace(path=f"/{name}").geturl(), not (reuse and exists)


def _drop(server: str, name: str) -> None:
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    with _pg_connect(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _django(database_url: str) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.config.settings")
    os.environ["ANSINH_VAR_DIR"] = tempfile.mkdtemp(prefix="ansinh-bench-uistats-")
    os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()


def _organisations() -> list[Any]:
    """The ministry, and per province its department of home affairs and its employment service centre."""
    from ansinh.accounts.models import Organisation, OrganisationKind
    from ansinh.accounts.services import organisation_create
    from ansinh.geo.models import Province

    existing = list(Organisation.objects.filter(kind=OrganisationKind.EMPLOYMENT_CENTRE).order_by("code"))
    if existing:
        return existing
    ministry = organisation_create(
        actor=None, code="BENCH-BNV", name="Bộ Nội vụ", kind=OrganisationKind.MINISTRY
    )
    centres = []
    for province in Province.objects.order_by("code"):
        department = organisation_create(
            actor=None,
            code=f"BENCH-SNV-{province.code}",
            name=f"Sở Nội vụ {province.name}",
            kind=OrganisationKind.PROVINCIAL_DEPARTMENT,
            parent=ministry,
            province=province,
        )
        centres.append(
            organisation_create(
                actor=None,
                code=f"BENCH-TTDVVL-{province.code}",
                name=f"Trung tâm Dịch vụ việc làm {province.name}",
                kind=OrganisationKind.EMPLOYMENT_CENTRE,
                parent=department,
                province=province,
            )
        )
    return centres


def _staff(username: str, organisation: Any, role: str) -> Any:
    from ansinh.accounts.models import Membership, Role, User

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username, None)
        Membership.objects.create(user=user, organisation=organisation, role=Role.objects.get(code=role))
    return user


def _text(value: Any) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


class Copier:
    """COPY rows of a model: the given columns, every other column at its Django default."""

    def __init__(self, model: Any, columns: list[str], now: datetime):
        self.table = model._meta.db_table
        self.columns = columns
        rest: list[tuple[str, Any]] = []
        for f in model._meta.concrete_fields:
            if f.attname in columns or (f.primary_key and f.get_internal_type().endswith("AutoField")):
                continue  # given, or numbered by the database
            if f.has_default():
                value = f.get_default()
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now
            elif f.null:
                value = None
            elif f.empty_strings_allowed:
                value = ""
            else:
                raise ValueError(f"{self.table}.{f.attname} needs a value")
            rest.append((f.column, value))
        self.all_columns = [model._meta.get_field(c).column for c in columns] + [c for c, _v in rest]
        self.tail = "".join("\t" + _text(v) for _c, v in rest)

    def copy(self, rows: Iterator[tuple[Any, ...]]) -> int:
        """COPY the rows with the table's secondary indexes dropped, then built again (much faster than
        maintaining them row by row, the trigram index on names above all)."""
        from django.db import connection

        count = 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
                "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
                [self.table, self.table],
            )
            indexes = cursor.fetchall()
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            raw = cursor.cursor
            quoted = ", ".join(f'"{c}"' for c in self.all_columns)
            with raw.copy(f'COPY "{self.table}" ({quoted}) FROM STDIN') as copy:
                chunk: list[str] = []
                for row in rows:
                    chunk.append("\t".join(_text(v) for v in row) + self.tail + "\n")
                    count += 1
                    if len(chunk) >= 20_000:
                        copy.write("".join(chunk))
                        chunk = []
                if chunk:
                    copy.write("".join(chunk))
            for _name, definition in indexes:
                cursor.execute(definition)
        return count


def _working_days(year: int) -> list[date]:
    from ansinh.core import workdays

    day, days = date(year, 1, 1), []
    while day.year == year:
        if workdays.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for d in (day.day, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise AssertionError


def _fill(centres: list[Any], n_claims: int, year: int, seed: int, today: date) -> dict[str, Any]:
    """Bulk-load people, claim dossiers with their timelines, benefits and benefit months by COPY."""
    from django.db import DatabaseError, connection, transaction
    from django.utils import timezone

    from ansinh.accounts.models import Person
    from ansinh.dossiers.models import Dossier, DossierEvent
    from ansinh.unemployment.models import BenefitClaim, BenefitMonth

    rng = random.Random(seed)
    now = timezone.now()
    zone = timezone.get_default_timezone()
    weights = [BIG_PROVINCES.get(c.province.code, 0) for c in centres]
    rest = max(1, 100 - sum(weights)) / max(1, sum(1 for w in weights if not w))
    weights = [w or rest for w in weights]
    days = _working_days(year)
    n_refused = n_claims * 6 // 100
    n_open = n_claims * 3 // 100
    n_dossiers = n_claims + n_refused + n_open
    kinds = ["claim"] * n_claims + ["refused"] * n_refused + ["open"] * n_open
    rng.shuffle(kinds)
    centre_of = rng.choices(range(len(centres)), weights, k=n_dossiers)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM accounts_person")
        person_base = int(cursor.fetchone()[0]) + 1
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM dossiers_dossier")
        dossier_base = int(cursor.fetchone()[0]) + 1
    names = [
        f"{s} {m} {g}"
        for s in ("Nguyễn", "Trần", "Lê", "Phạm")
        for m in ("Văn", "Thị")
        for g in ("An", "Bình")
    ]

    def at(day: date, minutes: int) -> datetime:
        return datetime(day.year, day.month, day.day, 8, 0, tzinfo=zone) + timedelta(minutes=minutes)

    # Each dossier: (decided or None, submitted) days; claims decided over the whole year.
    plan = []
    for i in range(n_dossiers):
        decided = days[rng.randrange(len(days))]
        submitted = decided - timedelta(days=rng.randint(14, 24))
        if kinds[i] == "open":
            submitted = days[-1] - timedelta(days=rng.randint(0, 10))
            decided = None
        plan.append((decided, submitted))

    with connection.cursor() as cursor:
        # The rows are made consistent here: the foreign-key triggers (one look-up per row and key) would
        # make the load ten times slower. Needs a superuser; without one the load is only slower.
        try:
            with transaction.atomic():
                cursor.execute("SET session_replication_role = replica")
        except DatabaseError:
            _log("  (not a superuser: foreign keys checked row by row, the load is slower)")
    started = time.perf_counter()
    Copier(Person, ["id", "full_name", "name_search", "personal_id", "sex"], now).copy(
        (person_base + i, names[i % len(names)], names[i % len(names)].lower(), f"9{i:011d}", "MF"[i % 2])
        for i in range(n_dossiers)
    )
    _log(f"  people: {time.perf_counter() - started:.0f} s")

    def dossiers() -> Iterator[tuple[Any, ...]]:
        for i in range(n_dossiers):
            centre = centres[centre_of[i]]
            decided, submitted = plan[i]
            kind = kinds[i]
            if kind == "open":
                state = "accepted"
            elif kind == "refused":
                state = "refused" if rng.random() < 0.5 else "delivered"
            else:
                state = "approved" if rng.random() < 0.3 else "delivered"
            created = at(submitted, rng.randint(0, 480))
            name = names[i % len(names)]
            yield (
                dossier_base + i,
                f"B{centre.province.code}-{i:09d}",
                "tctn-huong",
                "2026" if submitted.year >= 2026 else "2015",
                state,
                person_base + i,
                name,
                name.lower(),
                f"9{i:011d}",
                centre.pk,
                centre.path,
                centre.province_id,
                CLAIM_FORM,
                created,
                created,
                submitted,
                submitted,
                None if decided is None else at(decided, 540),
            )

    started = time.perf_counter()
    Copier(
        Dossier,
        [
            "id",
            "receipt_code",
            "procedure_code",
            "procedure_version",
            "state",
            "applicant_person_id",
            "applicant_name",
            "applicant_name_search",
            "applicant_id_number",
            "receiving_organisation_id",
            "org_path",
            "province_id",
            "form_data",
            "created_at",
            "submitted_at",
            "received_on",
            "complete_on",
            "decided_at",
        ],
        now,
    ).copy(dossiers())
    _log(f"  dossiers: {time.perf_counter() - started:.0f} s")

    def events() -> Iterator[tuple[Any, ...]]:
        for i in range(n_dossiers):
            decided, submitted = plan[i]
            dossier = dossier_base + i
            created = at(submitted, 0)
            yield dossier, created, "create", "", "draft"
            yield dossier, created + timedelta(minutes=20), "submit", "draft", "submitted"
            yield dossier, created + timedelta(days=1), "accept", "submitted", "accepted"
            if decided is not None:
                step, state = ("refuse", "refused") if kinds[i] == "refused" else ("approve", "approved")
                yield dossier, at(decided, 540), step, "accepted", state

    started = time.perf_counter()
    Copier(DossierEvent, ["dossier_id", "at", "action", "from_state", "to_state"], now).copy(events())
    _log(f"  dossier events: {time.perf_counter() - started:.0f} s")

    claims: list[tuple[int, int, int, date, int]] = []  # claim id, dossier index, monthly, decided, months
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM unemployment_benefitclaim")
        claim_base = int(cursor.fetchone()[0]) + 1

    def benefits() -> Iterator[tuple[Any, ...]]:
        k = 0
        for i in range(n_dossiers):
            if kinds[i] != "claim":
                continue
            centre = centres[centre_of[i]]
            decided = plan[i][0]
            assert decided is not None
            wage = rng.randint(45, 200) * 100_000
            monthly = min(wage * 60 // 100, 24_800_000)
            months = rng.choices([3, 4, 5, 6, 8, 10, 12], [55, 15, 10, 8, 6, 4, 2])[0]
            start = decided + timedelta(days=1)
            claim_id = claim_base + k
            claims.append((claim_id, i, monthly, decided, months))
            k += 1
            yield (
                claim_id,
                dossier_base + i,
                person_base + i,
                centre.pk,
                centre.path,
                centre.province_id,
                "paying" if _add_months(start, months) > today else "finished",
                f"B{centre.province.code}-{i:09d}/QĐ-TCTN",
                decided,
                decided.replace(day=1),
                "law-38-2013",
                decided - timedelta(days=40),
                months * 12 + rng.randint(0, 11),
                wage,
                monthly,
                months,
                0,
                start,
                _add_months(start, months) - timedelta(days=1),
                EXPLANATION,
                "0123456789012",
                at(decided, 541),
            )

    started = time.perf_counter()
    Copier(
        BenefitClaim,
        [
            "id",
            "dossier_id",
            "person_id",
            "centre_id",
            "org_path",
            "province_id",
            "status",
            "decision_number",
            "decided_on",
            "decided_month",
            "rule_set",
            "termination_date",
            "contribution_months",
            "average_wage",
            "monthly_benefit",
            "benefit_months",
            "reserved_months",
            "start_date",
            "end_date",
            "explanation",
            "bank_account",
            "created_at",
        ],
        now,
    ).copy(benefits())
    _log(f"  benefits: {time.perf_counter() - started:.0f} s")

    counts = {"notified": 0, "missed": 0, "waiting": 0}

    def months() -> Iterator[tuple[Any, ...]]:
        for claim_id, _i, monthly, decided, n in claims:
            start = decided + timedelta(days=1)
            for number in range(1, n + 1):
                first = _add_months(start, number - 1)
                last = _add_months(start, number) - timedelta(days=1)
                opens = decided if number == 1 else first
                closes = opens + timedelta(days=4)
                if opens > today:
                    status, amount, notified = "waiting", 0, None
                elif rng.random() < 0.05:
                    status, amount, notified = "missed", 0, None
                else:
                    status, amount = "notified", monthly
                    notified = at(opens + timedelta(days=rng.randint(0, 3)), rng.randint(0, 480))
                counts[status] += 1
                yield claim_id, number, first, last, opens, closes, status, amount, notified, "online"

    started = time.perf_counter()
    Copier(
        BenefitMonth,
        [
            "claim_id",
            "number",
            "start",
            "end",
            "notify_from",
            "notify_until",
            "status",
            "amount",
            "notified_at",
            "notified_channel",
        ],
        now,
    ).copy(months())
    _log(f"  benefit months: {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
        for table in (
            "accounts_person",
            "dossiers_dossier",
            "dossiers_dossierevent",
            "unemployment_benefitclaim",
            "unemployment_benefitmonth",
        ):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
            )
    return {
        "dossiers": n_dossiers,
        "claims": n_claims,
        "refused": n_refused,
        "open": n_open,
        "events": 3 * n_dossiers + n_claims + n_refused,
        **{f"months_{k}": v for k, v in counts.items()},
    }


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


class _Recorder:
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


def _explained(recorder: "_Recorder", case: str) -> list[dict[str, Any]]:
    """The plans of the aggregate queries a call ran, explained in a transaction set up as
    `statistics._aggregating` sets up its own (no JIT, 64 MB of work_mem)."""
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        return []
    plans = []
    for sql, params in recorder.executed:
        if "GROUP BY" not in sql:
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            cursor.execute("SET LOCAL work_mem = '64MB'")
            plan = _explain(sql, params)
        values = tuple(repr(str(p) if hasattr(p, "value") else p) for p in params or ())
        plans.append({"case": case, "sql": sql % values if values else sql, "plan": plan})
    return plans


def _execution_ms(plan: str) -> str:
    found = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return found.group(1) if found else "?"


def _urlconf() -> str:
    """The project's URLs, and the statistics pages in the `unemployment` namespace if not mounted yet."""
    from django.urls import NoReverseMatch, include, path, reverse

    try:
        reverse("unemployment:statistics")
        return ""
    except NoReverseMatch:
        pass
    from ansinh.config import urls as project
    from ansinh.unemployment import stats_views
    from ansinh.unemployment import urls as unemployment_urls

    module = types.ModuleType("bench_uistats_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("", include(([*unemployment_urls.urlpatterns, *stats_views.urlpatterns], "unemployment"))),
        *(p for p in project.urlpatterns if getattr(p, "namespace", None) != "unemployment"),
    ]
    sys.modules[module.__name__] = module
    return module.__name__


def _row(name: str, samples: list[float], queries: int, notes: str, phase: str) -> dict[str, Any]:
    _log(f"  [{phase}] {name}: p50 {statistics.median(samples):.1f} ms, p95 {_p95(samples):.1f} ms")
    return {"name": name, "samples": samples, "queries": queries, "notes": notes}


def _measure(
    users: dict[str, Any], year: int, repeat: int, live_repeat: int, big_province: str, phase: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Three ways: each request counting its own figures from the records (cache off); the count of the
    whole country made again (what the first request after it expires waits for); and the page, the
    download and the reads while a count is kept (the default, five minutes)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings

    from ansinh.accounts.middleware import SESSION_2FA_KEY
    from ansinh.unemployment import statistics as stats

    def fresh(user: Any) -> Any:
        user.__dict__.pop("_active_memberships", None)  # a new request reads the memberships again
        return user

    def read(user: Any, province: str = "") -> Any:
        scope = stats.scope_for(fresh(user))
        query = stats.query_from(scope, year=year, province=province)
        return stats.monthly_statistics(user, query, scope)

    def notes(result: Any) -> str:
        return (
            f"{result.total.decided:,} decided, {result.total.received:,} received, "
            f"{result.total.amount_decided / 1e9:,.1f} billion VND decided"
        )

    cases = [
        ("ministry officer: whole country", users["ministry"], ""),
        (f"ministry officer: province {big_province} chosen", users["ministry"], big_province),
        (f"provincial officer (province {big_province})", users["province"], ""),
        (f"centre officer (centre of province {big_province})", users["centre"], ""),
    ]
    rows: list[dict[str, Any]] = []
    plans: list[dict[str, Any]] = []

    # 1. Live: every request counts its own figures (UNEMPLOYMENT_STATISTICS_CACHE_SECONDS = 0).
    with override_settings(UNEMPLOYMENT_STATISTICS_CACHE_SECONDS=0):
        for name, user, province in cases:
            recorder = _Recorder()
            with connection.execute_wrapper(recorder):
                result = read(user, province)  # also the warm-up
            samples = _timed(lambda: read(user, province), live_repeat)  # noqa: B023 - called at once
            rows.append(
                _row(
                    f"live `monthly_statistics`, {name}",
                    samples,
                    len(recorder.executed),
                    notes(result),
                    phase,
                )
            )
            plans += _explained(recorder, f"live, {name}")

    # 2. The count of the whole country, made again.
    with override_settings(UNEMPLOYMENT_STATISTICS_CACHE_SECONDS=300):
        recorder = _Recorder()
        with connection.execute_wrapper(recorder):
            counted = stats.recount(year)
        samples = _timed(lambda: stats.recount(year), live_repeat)
        rows.append(
            _row(
                "`statistics.recount` (the whole country's count, kept 5 minutes)",
                samples,
                len(recorder.executed),
                f"{len(counted.cells):,} cells (month, province, centre)",
                phase,
            )
        )
        plans += _explained(recorder, "recount, whole country")

        # 3. With the count kept: the reads, the page and the download.
        for name, user, province in cases:
            read(user, province)
            recorder = _Recorder()
            with connection.execute_wrapper(recorder):
                result = read(user, province)
            samples = _timed(lambda: read(user, province), repeat)  # noqa: B023 - called at once
            rows.append(
                _row(f"`monthly_statistics`, {name}", samples, len(recorder.executed), notes(result), phase)
            )

        urlconf = _urlconf()
        client = Client()
        client.force_login(users["ministry"])
        session = client.session
        session[SESSION_2FA_KEY] = True
        session.save()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
        with override_settings(ROOT_URLCONF=urlconf) if urlconf else _nothing():
            for name, url in (
                (
                    "page `GET /staff/unemployment/statistics/`, whole country",
                    "/staff/unemployment/statistics/",
                ),
                (
                    "Excel `GET /staff/unemployment/statistics.xlsx`, whole country",
                    "/staff/unemployment/statistics.xlsx",
                ),
            ):

                def get(url: str = url) -> Any:
                    response = client.get(url, {"year": year})
                    assert response.status_code == 200, response.status_code
                    return response

                get()  # warm-up
                recorder = _Recorder()
                with connection.execute_wrapper(recorder):
                    response = get()
                samples = _timed(get, repeat)
                rows.append(
                    _row(
                        name,
                        samples,
                        len(recorder.executed),
                        f"{len(response.content) / 1024:.0f} KiB",
                        phase,
                    )
                )
    cache.clear()
    return rows, plans


# The indexes this benchmark proposes (bench/results_unemployment_stats.md says what each one changes): the
# SQL it creates them with for the second round, and the Meta line that makes the same index. Key columns,
# not INCLUDE: the same index-only scans, and no models.W040 warning on SQLite.
PROPOSED = [
    (
        "dossier_procedure_submitted",
        "CREATE INDEX dossier_procedure_submitted ON dossiers_dossier "
        "(procedure_code, submitted_at, province_id, org_path)",
        'Dossier: models.Index(fields=["procedure_code", "submitted_at", "province", "org_path"], '
        'name="dossier_procedure_submitted")',
    ),
    (
        "dossier_event_refusals",
        "CREATE INDEX dossier_event_refusals ON dossiers_dossierevent (at, dossier_id) "
        "WHERE action = 'refuse'",
        'DossierEvent: models.Index(fields=["at", "dossier"], condition=Q(action="refuse"), '
        'name="dossier_event_refusals")',
    ),
    (
        "benefit_month_notified",
        "CREATE INDEX benefit_month_notified ON unemployment_benefitmonth (notified_at, claim_id, amount) "
        "WHERE status = 'notified'",
        'BenefitMonth: models.Index(fields=["notified_at", "claim", "amount"], '
        'condition=models.Q(status="notified"), name="benefit_month_notified")',
    ),
]


def _create_proposed() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for name, sql, _meta in PROPOSED:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
            cursor.execute(sql)
        cursor.execute("VACUUM ANALYZE")


def _drop_proposed() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for name, _sql, _meta in PROPOSED:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


def _what_if_place_on_month(year: int) -> dict[str, str]:
    """What the notified amounts would cost if each benefit month carried its province (as claims and
    dossiers carry theirs): the same aggregate over a copy of the notified months with their province,
    by its covering index. Timed on PostgreSQL directly (5 runs, the median)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_month_place")
        cursor.execute(
            "CREATE TABLE bench_month_place AS SELECT m.notified_at, c.province_id, m.amount "
            "FROM unemployment_benefitmonth m JOIN unemployment_benefitclaim c ON c.id = m.claim_id "
            "WHERE m.status = 'notified'"
        )
        cursor.execute(
            "CREATE INDEX bench_month_place_idx ON bench_month_place (notified_at, province_id, amount)"
        )
        cursor.execute("VACUUM ANALYZE bench_month_place")
        sql = (
            "SELECT DATE_TRUNC('month', notified_at AT TIME ZONE 'Asia/Ho_Chi_Minh'), province_id, COUNT(*), "
            "SUM(amount) FROM bench_month_place WHERE notified_at >= %s AND notified_at < %s GROUP BY 1, 2"
        )
        bounds = [f"{year}-01-01T00:00:00+07:00", f"{year + 1}-01-01T00:00:00+07:00"]
        cursor.execute("SET jit = off")
        cursor.execute("SET work_mem = '64MB'")
        samples = []
        for _ in range(5):
            start = time.perf_counter()
            cursor.execute(sql, bounds)
            cursor.fetchall()
            samples.append((time.perf_counter() - start) * 1000)
        plan = _explain(sql, bounds)
        cursor.execute("RESET jit")
        cursor.execute("RESET work_mem")
        cursor.execute("DROP TABLE bench_month_place")
    return {"median_ms": f"{statistics.median(samples):.0f}", "plan": plan}


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


# --- report ------------------------------------------------------------------------------------------------


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
    load = f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "?"
    return {"cpu": cpu, "cores": str(os.cpu_count()), "ram": ram, "load": load}


def _settings_of_server() -> dict[str, str]:
    from django.db import connection

    out = {}
    with connection.cursor() as cursor:
        for name in (
            "server_version",
            "shared_buffers",
            "work_mem",
            "max_parallel_workers_per_gather",
            "jit",
        ):
            cursor.execute(f"SHOW {name}")
            out[name] = cursor.fetchone()[0]
        for table in (
            "unemployment_benefitclaim",
            "unemployment_benefitmonth",
            "dossiers_dossier",
            "dossiers_dossierevent",
        ):
            cursor.execute(
                "SELECT pg_size_pretty(pg_total_relation_size(%s)), "
                "(SELECT reltuples::bigint FROM pg_class WHERE relname = %s)",
                [table, table],
            )
            size, rows = cursor.fetchone()
            out[table] = f"{rows:,} rows, {size} with indexes"
    return out


def _counts(year: int) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE decided_month >= %s AND decided_month < %s) "
            "FROM unemployment_benefitclaim",
            [date(year, 1, 1), date(year + 1, 1, 1)],
        )
        claims, in_year = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) FROM dossiers_dossier WHERE procedure_code = 'tctn-huong'")
        dossiers = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM dossiers_dossierevent")
        events = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM dossiers_dossierevent WHERE action = 'refuse'")
        refused = cursor.fetchone()[0]
        cursor.execute("SELECT status, COUNT(*) FROM unemployment_benefitmonth GROUP BY status")
        months = dict(cursor.fetchall())
    return {
        "claims": claims,
        "claims_in_year": in_year,
        "dossiers": dossiers,
        "events": events,
        "refused": refused,
        **{f"months_{k}": v for k, v in months.items()},
    }


def _table(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["| what | p50 | p95 | max | SQL queries | notes |", "|---|---:|---:|---:|---:|---|"]
    for r in rows:
        s = r["samples"]
        figures = f"{statistics.median(s):.1f} | {_p95(s):.1f} | {max(s):.1f}"
        lines.append(f"| {r['name']} | {figures} | {r['queries']} | {r['notes']} |")
    return lines


def _plans(plans: list[dict[str, Any]]) -> list[str]:
    lines = []
    for p in plans:
        lines += [
            f"#### {p['case']}: {_execution_ms(p['plan'])} ms",
            "",
            "```sql",
            p["sql"],
            "```",
            "",
            "```",
            p["plan"],
            "```",
            "",
        ]
    return lines


def _find(rows: list[dict[str, Any]], prefix: str) -> dict[str, Any] | None:
    return next((r for r in rows if r["name"].startswith(prefix)), None)


def _summary(title: str, rows: list[dict[str, Any]]) -> str:
    page = _find(rows, "page")
    live = _find(rows, "live `monthly_statistics`, ministry officer: whole country")
    recount = _find(rows, "`statistics.recount`")
    parts = []
    if page:
        verdict = "met" if _p95(page["samples"]) < TARGET_MS else "NOT met"
        parts.append(f"page with the count kept: p95 {_p95(page['samples']):.0f} ms, target **{verdict}**")
    if recount:
        parts.append(
            f"making the count of the whole country: p50 {statistics.median(recount['samples']):,.0f} ms"
        )
    if live:
        parts.append(f"counting live for the whole country: p50 {statistics.median(live['samples']):,.0f} ms")
    return f"- {title}: " + "; ".join(parts) + "."


def _figure_of(sql: str) -> str:
    if '"unemployment_benefitmonth"' in sql:
        return "notified (benefit months joined to their claims)"
    if '"dossiers_dossierevent"' in sql:
        return "refused (refusal steps joined to their dossiers)"
    if '"dossiers_dossier"' in sql:
        return "received (claim dossiers)"
    return "decided (benefits)"


def _where_time_goes(rounds: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]]) -> list[str]:
    """Each figure's query, by its EXPLAIN ANALYZE time, in the whole country's count of each round."""
    columns = [title.split(":")[0] for title, _rows, _plans in rounds]
    times: dict[str, list[str]] = {}
    for index, (_title, _rows, plans) in enumerate(rounds):
        for p in plans:
            if p["case"] != "recount, whole country":
                continue
            times.setdefault(_figure_of(p["sql"]), ["?"] * len(rounds))[index] = _execution_ms(p["plan"])
    lines = [
        "| query of the whole country's count | " + " | ".join(f"{c}, ms" for c in columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    lines += [f"| {figure} | " + " | ".join(values) + " |" for figure, values in times.items()]
    return lines


def _report(
    args: argparse.Namespace,
    machine: dict[str, str],
    server: dict[str, str],
    counts: dict[str, int],
    fill_s: float,
    rounds: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]],
    what_if: dict[str, str],
) -> str:
    command = " ".join([".venv/bin/python", "bench/unemployment_stats.py", *sys.argv[1:]])
    lines = [
        "# Unemployment statistics: 1,000,000 claims on PostgreSQL",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `{command}`.",
        "",
        f"Target: the statistics page over 1,000,000 claims in under {TARGET_MS:.0f} ms (p95).",
        "",
    ]
    lines += [_summary(title, rows) for title, rows, _plans in rounds]
    lines += [
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores (nproc), {machine['ram']}; load average "
        f"{machine['load']} at the start and {_machine()['load']} at the end (the machine is shared: other "
        "programs' CPU time shows in every figure). "
        f"PostgreSQL {server['server_version']} as installed (shared_buffers {server['shared_buffers']}, "
        f"work_mem {server['work_mem']}, max_parallel_workers_per_gather "
        f"{server['max_parallel_workers_per_gather']}, jit {server['jit']}: the statistics turn it off for "
        f"their own transaction); Python {platform.python_version()}.",
        "",
        "## Data",
        "",
        f"{counts['claims']:,} benefits, {counts['claims_in_year']:,} of them decided in {args.year} "
        "(the year measured: a whole year at the scale the design names, 1M+ claims a year), over 34 "
        f"provinces weighted by size; {counts['dossiers']:,} claim dossiers; {counts['events']:,} timeline "
        f"rows ({counts['refused']:,} refusals); benefit months: "
        f"{counts.get('months_notified', 0):,} notified, {counts.get('months_missed', 0):,} missed, "
        f"{counts.get('months_waiting', 0):,} waiting. "
        + (
            f"Loaded by COPY in {fill_s:.0f} s (+ VACUUM ANALYZE)"
            + (", by an earlier run of this script (`--keep`, then `--reuse`)." if args.reuse else ".")
            if fill_s
            else "Database of an earlier run."
        ),
        "",
    ]
    lines += [
        f"- `{t}`: {v}"
        for t, v in server.items()
        if "_" in t and t.split("_")[0] in ("unemployment", "dossiers")
    ]
    lines += [
        "",
        "## Where the time goes",
        "",
        "The count of the whole country (what `recount` makes and every page then reads), query by query "
        "(EXPLAIN ANALYZE, so without the round trip and the Python around it):",
        "",
        *_where_time_goes(rounds),
        "",
        "Every figure is a scan of a year of rows; the notified months are four to five rows per claim, and "
        "each needs its claim for its province and centre, a join of millions of rows to a million. No index "
        "makes that a few hundred milliseconds on this machine, so the page reads a kept count instead (the "
        "table rows with `monthly_statistics` and the page below), and the count itself is made by one "
        "process every few minutes.",
    ]
    lines += [
        "",
        "In-process; milliseconds. The live reads (settings UNEMPLOYMENT_STATISTICS_CACHE_SECONDS = 0) and "
        f"the recount: {args.live_repeat} runs each after one warm-up run; the reads, the page and the "
        f"download with the count kept (the default): {args.repeat} runs each after one warm-up run.",
        "",
    ]
    for title, rows, plans in rounds:
        lines += [f"## {title}", "", *_table(rows), "", "### Query plans (EXPLAIN ANALYZE, BUFFERS)", ""]
        lines += _plans(plans)
    lines += ["## The proposed indexes", ""]
    lines += [f"- `{meta}`" for _name, _sql, meta in PROPOSED]
    if what_if:
        lines += [
            "",
            "## What if each benefit month carried its province",
            "",
            "The notified amounts are the one figure that needs a join (month → claim, for the province and "
            "the centre). The same aggregate over a copy of the notified months with their province, by a "
            f"covering index: median {what_if['median_ms']} ms.",
            "",
            "```",
            what_if["plan"],
            "```",
        ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=30, help="runs of the page and the kept-count reads")
    parser.add_argument("--live-repeat", type=int, default=3, help="runs of the live reads and the recount")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER))
    parser.add_argument("--database", default=DB_NAME, help="name of the database to create")
    parser.add_argument("--keep", action="store_true", help="leave the database for another run")
    parser.add_argument("--reuse", action="store_true", help="measure the database a --keep run left")
    parser.add_argument("--no-proposed", action="store_true", help="skip the round with the proposed indexes")
    parser.add_argument("--output", default=str(RESULTS))
    args = parser.parse_args()

    machine = _machine()
    try:
        with _pg_connect(args.postgres):
            pass
    except Exception as exc:  # any reason: say it and skip, as bench/dossiers.py does
        _log(f"PostgreSQL at {urlsplit(args.postgres).netloc} unavailable ({exc}): skipped.")
        return 0
    url, new = _database(args.postgres, args.database, args.reuse)
    args.reuse = args.reuse and not new
    _django(url)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    fill_s = 0.0
    try:
        _log(f"database {args.database}: migrating")
        call_command("migrate", verbosity=0, interactive=False)
        if new:
            call_command("load_reference", verbosity=0)
        centres = _organisations()
        if new:
            _log(f"filling {args.claims:,} claims decided in {args.year}")
            started = time.perf_counter()
            _fill(centres, args.claims, args.year, args.seed, timezone.localdate())
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            fill_s = time.perf_counter() - started
            with connection.cursor() as cursor:
                cursor.execute("CREATE TABLE bench_load (seconds float NOT NULL)")
                cursor.execute("INSERT INTO bench_load VALUES (%s)", [fill_s])
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT to_regclass('bench_load') IS NOT NULL")
                if cursor.fetchone()[0]:
                    cursor.execute("SELECT seconds FROM bench_load")
                    fill_s = float(cursor.fetchone()[0])
        _drop_proposed()
        big = next(c for c in centres if c.province.code == "79")
        users = {
            "ministry": _staff("bench.ministry", centres[0].parent.parent, "ministry_officer"),
            "province": _staff("bench.province", big.parent, "provincial_officer"),
            "centre": _staff("bench.centre", big, "employment_centre_officer"),
        }
        server = _settings_of_server()
        counts = _counts(args.year)
        rounds = []
        _log("measuring: the indexes as migrated")
        rows, plans = _measure(
            users, args.year, args.repeat, args.live_repeat, big.province.code, "as migrated"
        )
        rounds.append(("Round 1: the indexes as migrated", rows, plans))
        what_if: dict[str, str] = {}
        if not args.no_proposed:
            _log("creating the proposed indexes")
            _create_proposed()
            _log("measuring: with the proposed indexes")
            rows, plans = _measure(
                users, args.year, args.repeat, args.live_repeat, big.province.code, "proposed"
            )
            rounds.append(("Round 2: with the proposed indexes", rows, plans))
            _drop_proposed()
            _log("what if each month carried its province")
            what_if = _what_if_place_on_month(args.year)
        text = _report(args, machine, server, counts, fill_s, rounds, what_if)
    finally:
        if not args.keep:
            _drop(args.postgres, args.database)
    Path(args.output).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
