"""Card payments benchmark (not a test): `.venv/bin/python bench/welfare_payments.py`.

Issue 8: a benefit month is paid once with the social-security card at any service point in any province.
What is measured, in-process (no HTTP), on PostgreSQL, with `--threads` threads (default 8), each with its
own database connection, as many cashiers of service points in `--provinces` provinces (default 6):

1. `card_payments.card_scan` (the signature checked, the card read, the holder's read audited, the
   benefits due computed): latency p50/p95/p99 and scans per second, one scan per holder;
2. `card_payments.payment_record` of each holder's current month, once each: latency and payments per
   second (the payment and its audit entry in one transaction, then the holder's inbox message);
3. the race: for `--race` holders (default 500), two cashiers of two provinces record the same month (the
   previous one) at the same moment, released together by a `threading.Barrier` of their pair. Exactly one
   payment per month and one `welfare.already_paid` refusal per month are required; anything else (two
   payments, another error, a missing payment) makes the benchmark FAIL with exit status 1;
4. `benefits_due` for a holder with 12 months due: latency and SQL queries (CaptureQueriesContext).

The database `ansinh_bench_welfare_<pid>` is created on the server (`--postgres`, default
BENCH_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres), migrated, given the provinces, and
filled with `--holders` card holders (default 2,000) by bulk_create: person, allowance dossier, an active
social allowance paid at a service point since two months ago (three months due), and an active card whose
QR is signed by `card_signing.card_qr_payload` (the key in a temporary SIGNING_DIR). The holders have no
phone, e-mail or account: a payment writes the inbox message and sends nothing (in production the SMS and
e-mail go through a Celery worker, outside the request). The database is dropped at the end, also after an
error, unless `--keep`. Writes bench/results_welfare_payments.md (and prints it).
"""

import argparse
import os
import platform
import re
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results_welfare_payments.md"
DB_NAME = f"ansinh_bench_welfare_{os.getpid()}"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
ALLOWANCE_PROCEDURE = "tcxh-hang-thang"


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- database and Django ------------------------------------------------------------------------------------


def _pg(server: str) -> Any:
    import psycopg

    return psycopg.connect(server, autocommit=True, connect_timeout=5)


def _create_database(server: str) -> str:
    from psycopg import sql

    with _pg(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    return urlsplit(server)._replace(path=f"/{DB_NAME}").geturl()


def _drop_database(server: str) -> None:
    from psycopg import sql

    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # Django may not be set up yet; the drop below forces the rest
        pass
    with _pg(server) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))


def _django(url: str, threads: int) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.config.settings")
    os.environ["ANSINH_VAR_DIR"] = tempfile.mkdtemp(prefix="ansinh-bench-welfare-")
    os.environ.pop("SIGNING_DIR", None)  # a throwaway card key under the temporary directory
    os.environ["DATABASE_URL"] = url
    # No broker: the inbox message is written in the transaction and nothing is queued (see the docstring).
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        os.environ.pop(name, None)
    # Each thread keeps one pooled connection for its whole run; the pool must hold them all and the main one.
    os.environ["DB_POOL_MAX_SIZE"] = str(max(10, threads + 4))
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


# --- the world ---------------------------------------------------------------------------------------------


def months_ago(today: date, count: int) -> date:
    index = today.year * 12 + today.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


class World:
    """What the measures need: the cashiers (user ids, one per province), and per holder the QR and the
    allowance id (the benefit the months are paid on)."""

    def __init__(self) -> None:
        self.cashier_ids: list[int] = []
        self.provinces: list[str] = []
        self.holders: list[tuple[str, int]] = []  # (qr, allowance id)
        self.long_person_id = 0  # the holder with 12 months due


def _build(holders: int, provinces: int) -> World:
    from django.db import connection
    from django.utils import timezone

    from ansinh.accounts.models import Membership, OrganisationKind, Person, Role, User
    from ansinh.accounts.services import organisation_create
    from ansinh.core.text import normalise_search
    from ansinh.dossiers.models import Dossier
    from ansinh.geo.models import Province
    from ansinh.geo.services import reference_load_provinces
    from ansinh.welfare.card_signing import card_number_for, card_qr_payload, current_key_id, initials_of
    from ansinh.welfare.models import SocialAllowance, SocialSecurityCard

    reference_load_provinces()
    chosen = list(Province.objects.order_by("code")[:provinces])
    if len(chosen) < 2:
        raise SystemExit("the race needs service points in at least two provinces")
    cashier_role = Role.objects.get(code="service_point_cashier")
    world = World()
    communes = []
    for province in chosen:
        point = organisation_create(
            actor=None,
            code=f"BENCH-DVC-{province.code}",
            name=f"Điểm chi trả {province.name}",
            kind=OrganisationKind.SERVICE_POINT,
            province=province,
        )
        communes.append(
            organisation_create(
                actor=None,
                code=f"BENCH-UBND-{province.code}",
                name=f"Ủy ban nhân dân phường Trung tâm, {province.name}",
                kind=OrganisationKind.COMMUNE,
                province=province,
            )
        )
        cashier = User.objects.create_user(f"bench-cashier-{province.code}", None)
        Membership.objects.create(user=cashier, organisation=point, role=cashier_role)
        world.cashier_ids.append(cashier.pk)
        world.provinces.append(province.code)

    today = timezone.localdate()
    now = timezone.now()
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
    middle = ["Văn", "Thị", "Hữu", "Minh", "Ngọc"]
    given = ["An", "Bình", "Chi", "Dũng", "Hoa", "Lan", "Nam", "Thảo", "Tùng", "Yến"]
    count = holders + 1  # the last one has 12 months due
    people = []
    for i in range(count):
        name = f"{family[i % 8]} {middle[i % 5]} {given[(i // 40) % 10]}"
        commune = communes[i % len(communes)]
        people.append(
            Person(
                full_name=name,
                name_search=normalise_search(name),
                personal_id=f"0{i + 1:011d}",
                date_of_birth=date(1940 + i % 40, 1 + i % 12, 1 + i % 28),
                province_id=commune.province_id,
            )
        )
    people = Person.objects.bulk_create(people, batch_size=1000)
    dossiers = Dossier.objects.bulk_create(
        [
            Dossier(
                receipt_code=f"BENCH-TCXH-{i:07d}",
                procedure_code=ALLOWANCE_PROCEDURE,
                procedure_version="2021",
                state="approved",
                applicant_person=person,
                applicant_name=person.full_name,
                applicant_name_search=person.name_search,
                receiving_organisation=communes[i % len(communes)],
                org_path=communes[i % len(communes)].path,
                province_id=person.province_id,
            )
            for i, person in enumerate(people)
        ],
        batch_size=1000,
    )
    allowances = SocialAllowance.objects.bulk_create(
        [
            SocialAllowance(
                person=person,
                dossier=dossier,
                group="elderly_poor",
                coefficient=Decimal("1.50"),
                base_level=540_000,
                monthly_amount=810_000,
                # Three months due (this one, paid in part 2; the one before, raced in part 3; and one more);
                # the last holder has twelve.
                starts_on=months_ago(today, 11 if i == count - 1 else 2),
                payment_method="service_point",
                commune=communes[i % len(communes)],
                province_id=person.province_id,
                org_path=communes[i % len(communes)].path,
                decided_at=now - timedelta(days=90),
            )
            for i, (person, dossier) in enumerate(zip(people, dossiers, strict=True))
        ],
        batch_size=1000,
    )
    key_id = current_key_id()
    cards = SocialSecurityCard.objects.bulk_create(
        [
            SocialSecurityCard(
                person=person, number=card_number_for(person.pk), issue=1, key_id=key_id, issued_at=now
            )
            for person in people
        ],
        batch_size=1000,
    )
    for person, card, allowance in zip(people, cards, allowances, strict=True):
        qr = card_qr_payload(
            card.number,
            card.issue,
            timezone.localdate(card.issued_at),
            initials=initials_of(person.full_name),
        )
        world.holders.append((qr, allowance.pk))
    world.long_person_id = people[-1].pk
    world.holders.pop()  # the 12-month holder is measured in part 4 only
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return world


# --- measuring ---------------------------------------------------------------------------------------------


def _cashier(user_id: int) -> Any:
    from ansinh.accounts.models import User

    return User.objects.get(pk=user_id)


def _fresh(cashier: Any) -> Any:
    # As in a request: the memberships are read again (the selectors cache them on the user object).
    cashier.__dict__.pop("_active_memberships", None)
    return cashier


def _percentile(samples: list[float], p: float) -> float:
    """Nearest rank."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


class Stats:
    def __init__(self, name: str, samples: list[float], seconds: float, unit: str, notes: str = "") -> None:
        self.name, self.samples, self.seconds, self.unit, self.notes = name, samples, seconds, unit, notes

    @classmethod
    def timed(
        cls, name: str, timed: list[tuple[float, float]], started: float, seconds: float, unit: str
    ) -> "Stats":
        """From (start time, ms) pairs: the slowest call's moment goes in the notes (a stall at the start,
        e.g. connections being opened, looks different from one in the middle)."""
        notes = ""
        if timed:
            at, ms = max(timed, key=lambda pair: pair[1])
            notes = f"slowest ({ms:.0f} ms) began {at - started:.1f} s into the part"
        return cls(name, [ms for _at, ms in timed], seconds, unit, notes)

    def row(self) -> str:
        s = self.samples
        rate = f"{len(s) / self.seconds:,.0f} {self.unit}/s" if self.seconds else ""
        return (
            f"| {self.name} | {len(s):,} | {_percentile(s, 50):.1f} | {_percentile(s, 95):.1f} | "
            f"{_percentile(s, 99):.1f} | {max(s) if s else 0:.1f} | {rate} | {self.notes} |"
        )


def _in_threads(
    threads: int, work: Callable[[int], list[tuple[float, float]]]
) -> tuple[list[tuple[float, float]], float, float, list[str]]:
    """Runs `work(thread_index)` in `threads` threads started together; each returns its calls as (start
    time, latency in ms). Returns them all, the start, the wall-clock seconds, and the errors."""
    from django.db import connections

    start_line = threading.Barrier(threads + 1)
    samples: list[tuple[float, float]] = []
    errors: list[str] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            start_line.wait(timeout=60)
            mine = work(index)
            with lock:
                samples.extend(mine)
        except Exception:  # reported, and the benchmark fails
            with lock:
                errors.append(traceback.format_exc(limit=4))
        finally:
            connections.close_all()

    pool = [threading.Thread(target=run, args=(i,), name=f"bench-{i}") for i in range(threads)]
    for thread in pool:
        thread.start()
    start_line.wait(timeout=60)
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    return samples, started, time.perf_counter() - started, errors


def _scans(world: World, threads: int) -> tuple[Stats, list[str]]:
    from ansinh.welfare.services.card_payments import card_scan

    def work(index: int) -> list[tuple[float, float]]:
        cashier = _cashier(world.cashier_ids[index % len(world.cashier_ids)])
        out = []
        for qr, _allowance in world.holders[index::threads]:
            start = time.perf_counter()
            scan = card_scan(actor=_fresh(cashier), qr=qr)
            out.append((start, (time.perf_counter() - start) * 1000))
            if len(scan.due) != 3:
                raise AssertionError(f"{len(scan.due)} months due, expected 3")
        return out

    samples, started, seconds, errors = _in_threads(threads, work)
    return Stats.timed("`card_scan` (3 months due)", samples, started, seconds, "scans"), errors


def _payments(world: World, threads: int, period: date) -> tuple[Stats, list[str]]:
    from ansinh.welfare.models import BenefitKind
    from ansinh.welfare.services.card_payments import payment_record

    def work(index: int) -> list[tuple[float, float]]:
        cashier = _cashier(world.cashier_ids[index % len(world.cashier_ids)])
        out = []
        for n, (qr, allowance_id) in enumerate(world.holders[index::threads]):
            start = time.perf_counter()
            _payment, made = payment_record(
                actor=_fresh(cashier),
                qr=qr,
                kind=BenefitKind.SOCIAL_ALLOWANCE,
                benefit_id=allowance_id,
                period=period,
                request_key=f"bench-pay-{index}-{n}",
            )
            out.append((start, (time.perf_counter() - start) * 1000))
            if not made:
                raise AssertionError("a first payment was answered as a replay")
        return out

    samples, started, seconds, errors = _in_threads(threads, work)
    name = "`payment_record` (this month, once each)"
    return Stats.timed(name, samples, started, seconds, "payments"), errors


class RaceResult:
    def __init__(self) -> None:
        self.outcomes: Counter[str] = Counter()
        self.per_month: Counter[int] = Counter()  # allowance id -> payments recorded by the racers
        self.won: list[float] = []
        self.lost: list[float] = []
        self.seconds = 0.0
        self.errors: list[str] = []
        self.by_constraint = 0  # refusals decided by the unique index (both inserts were attempted)


def _race(world: World, threads: int, races: int, period: date) -> RaceResult:
    """Pairs of threads; the two of a pair are cashiers of two different provinces and pay the same
    holder's same month, released together by the pair's barrier, holder after holder."""
    from django.db import IntegrityError, connections

    from ansinh.welfare.card_errors import AlreadyPaid
    from ansinh.welfare.models import BenefitKind
    from ansinh.welfare.services.card_payments import payment_record

    pairs = max(1, threads // 2)
    racing = world.holders[:races]
    result = RaceResult()
    lock = threading.Lock()
    start_line = threading.Barrier(pairs * 2 + 1)

    def run(pair: int, side: int, barrier: threading.Barrier) -> None:
        try:
            # Side 0 and side 1 of a pair never share a province: cashiers i and i + P/2 (mod P).
            count = len(world.cashier_ids)
            slot = (pair + side * (count // 2)) % count
            cashier = _cashier(world.cashier_ids[slot])
            start_line.wait(timeout=60)
            for n, (qr, allowance_id) in enumerate(racing[pair::pairs]):
                actor = _fresh(cashier)
                barrier.wait(timeout=60)
                start = time.perf_counter()
                by_constraint = False
                try:
                    payment_record(
                        actor=actor,
                        qr=qr,
                        kind=BenefitKind.SOCIAL_ALLOWANCE,
                        benefit_id=allowance_id,
                        period=period,
                        request_key=f"bench-race-{pair}-{side}-{n}",
                    )
                    outcome = "paid"
                except AlreadyPaid as exc:
                    outcome = "already_paid"
                    # Refused by the unique constraint (the insert failed: `raise ... from None` keeps the
                    # IntegrityError as the context), or by the check before it (the month was no longer due).
                    by_constraint = isinstance(exc.__context__, IntegrityError)
                except Exception as exc:  # counted: any other outcome fails
                    outcome = f"{type(exc).__name__}: {exc}"[:200]
                ms = (time.perf_counter() - start) * 1000
                with lock:
                    result.outcomes[outcome] += 1
                    if outcome == "paid":
                        result.per_month[allowance_id] += 1
                        result.won.append(ms)
                    elif outcome == "already_paid":
                        result.lost.append(ms)
                        result.by_constraint += by_constraint
        except Exception:  # a broken pair fails the benchmark
            with lock:
                result.errors.append(traceback.format_exc(limit=4))
            barrier.abort()
        finally:
            connections.close_all()

    pool = []
    for pair in range(pairs):
        barrier = threading.Barrier(2)
        pool += [threading.Thread(target=run, args=(pair, side, barrier)) for side in (0, 1)]
    for thread in pool:
        thread.start()
    start_line.wait(timeout=60)
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def _long_due(world: World, repeat: int) -> tuple[Stats, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from ansinh.welfare.benefits_due import benefits_due

    today = timezone.localdate()
    due = benefits_due(world.long_person_id, today)  # warm-up
    with CaptureQueriesContext(connection) as captured:
        benefits_due(world.long_person_id, today)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        benefits_due(world.long_person_id, today)
        samples.append((time.perf_counter() - start) * 1000)
    stats = Stats(
        "`benefits_due` (12 months due, one thread)",
        samples,
        0.0,
        "",
        f"{len(captured.captured_queries)} SQL queries",
    )
    return stats, len(due), len(captured.captured_queries)


# --- the report --------------------------------------------------------------------------------------------


def _report(
    args: Any,
    machine: dict[str, str],
    version: str,
    build_seconds: float,
    rows: list[Stats],
    race: RaceResult,
    checks: list[tuple[str, bool]],
) -> str:
    command = " ".join(["bench/welfare_payments.py", *sys.argv[1:]])
    passed = all(ok for _name, ok in checks)
    out = [
        f"# Card payments at service points: {args.holders:,} holders on PostgreSQL",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `.venv/bin/python {command}`; in-process (no HTTP), "
        f"{args.threads} threads with a connection each, cashiers of {args.provinces} service points in "
        f"{args.provinces} provinces; set-up (migrate, holders, cards) {build_seconds:.0f} s.",
        "",
        f"Machine: {machine['cpu']}, {machine['cores']} cores (`nproc`), {machine['ram']}; load average "
        f"{machine['load']} at the start and {os.getloadavg()[0]:.2f} at the end (shared machine: figures "
        f"taken while other programs keep the cores busy are lower than the machine can do). "
        f"PostgreSQL {version}, on the same machine, psycopg pool per process.",
        "",
        f"**Race: {'PASS' if passed else 'FAIL'}** — {race.outcomes.get('paid', 0):,} payments and "
        f"{race.outcomes.get('already_paid', 0):,} `welfare.already_paid` refusals for {args.race:,} months "
        f"paid by two cashiers of two provinces at the same moment.",
        "",
        "| measure | calls | p50 ms | p95 ms | p99 ms | max ms | throughput | notes |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
        *[stats.row() for stats in rows],
        "",
        "Checks:",
        "",
        *[f"- {'ok' if ok else 'FAILED'}: {name}" for name, ok in checks],
        "",
    ]
    odd = {k: v for k, v in race.outcomes.items() if k not in ("paid", "already_paid")}
    if odd:
        out += ["Other race outcomes:", "", *[f"- {v} × {k}" for k, v in odd.items()], ""]
    out += [
        "- Each call is timed around the service function alone, as a cashier's request runs it (the "
        "cashier's memberships read again each time); the throughput is calls over the wall clock of the "
        "part, all threads together.",
        "- `card_scan`: ECDSA P-256 verification of the QR, the card and holder read, an audited read of the "
        "holder's record (an audit entry), and the months due. `payment_record`: the same checks, the "
        "months due again, the insert and its audit entry in one transaction, then the holder's inbox "
        "message. Every audit append locks the audit chain's head until commit, so writes from all the "
        "threads go through one row at a time.",
        "- The race: the loser either waits on the unique index until the winner commits and then fails on "
        "the constraint (welfare_payment_once), or finds the month already paid; both answer "
        "`welfare.already_paid` with the winner's service point, province and receipt.",
        "",
    ]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_SERVER))
    parser.add_argument("--holders", type=int, default=2000, help="card holders (default 2,000)")
    parser.add_argument("--threads", type=int, default=8, help="concurrent threads (default 8)")
    parser.add_argument("--race", type=int, default=500, help="months raced by two cashiers (default 500)")
    parser.add_argument("--provinces", type=int, default=6, help="service points, one per province")
    parser.add_argument("--repeat", type=int, default=200, help="benefits_due calls timed (default 200)")
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    args = parser.parse_args()
    if args.race > args.holders:
        parser.error("--race cannot exceed --holders")
    if args.threads < 2 or args.provinces < 2:
        parser.error("the race needs at least two threads and two provinces")

    machine = _machine()
    try:
        url = _create_database(args.postgres)
    except Exception as exc:  # no server: say so and skip, as the others do
        _log(f"welfare_payments: PostgreSQL not reachable at {args.postgres} ({exc}); skipped")
        return 0
    try:
        _django(url, args.threads)
        from django.core.management import call_command
        from django.db import connection
        from django.urls import reverse
        from django.utils import timezone

        from ansinh.welfare.models import BenefitKind, BenefitPayment

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        _log(f"building {args.holders:,} holders in {DB_NAME}...")
        world = _build(args.holders, args.provinces)
        build_seconds = time.perf_counter() - started
        # What a running server has done before its first payment: the URLconf loaded (the payment's
        # message links to the card page), or the first calls of all threads would wait on its imports.
        reverse("welfare_card:home")
        today = timezone.localdate()
        this_month, last_month = today.replace(day=1), months_ago(today, 1)

        _log("1. card_scan...")
        scans, scan_errors = _scans(world, args.threads)
        _log("2. payment_record...")
        payments, pay_errors = _payments(world, args.threads, this_month)
        _log("3. the race...")
        race = _race(world, args.threads, args.race, last_month)
        _log("4. benefits_due, 12 months...")
        long_due, long_months, long_queries = _long_due(world, args.repeat)

        raced = [allowance_id for _qr, allowance_id in world.holders[: args.race]]
        in_db = BenefitPayment.objects.filter(
            kind=BenefitKind.SOCIAL_ALLOWANCE, benefit_id__in=raced, period=last_month
        ).count()
        paid_now = BenefitPayment.objects.filter(period=this_month).count()
        checks = [
            (f"{args.holders:,} scans without error, 3 months due each", not scan_errors),
            (
                f"{args.holders:,} payments of this month recorded (in the database: {paid_now:,})",
                not pay_errors,
            ),
            (f"payments of this month in the database = {args.holders:,}", paid_now == args.holders),
            (
                f"race: {args.race:,} payments and {args.race:,} `already_paid`, nothing else "
                f"(got {dict(race.outcomes)})",
                race.outcomes == Counter({"paid": args.race, "already_paid": args.race}) and not race.errors,
            ),
            (
                "race: at most one payment per month by the racers",
                all(count == 1 for count in race.per_month.values()),
            ),
            (f"race: {args.race:,} months paid in the database (found {in_db:,})", in_db == args.race),
            (
                f"race: the pairs really raced ({race.by_constraint:,} refusals came from the unique "
                "constraint, after both inserts were attempted)",
                race.by_constraint > 0,
            ),
            (f"benefits_due of the long holder lists 12 months (found {long_months})", long_months == 12),
        ]
        rows = [
            scans,
            payments,
            Stats("race: the winner's `payment_record`", race.won, race.seconds, "pairs"),
            Stats(
                "race: the loser's `payment_record` (`already_paid`)",
                race.lost,
                0.0,
                "",
                f"{race.by_constraint:,} refused by the unique constraint after their insert, "
                f"{len(race.lost) - race.by_constraint:,} by the check before it",
            ),
            long_due,
        ]
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
        text = _report(args, machine, version, build_seconds, rows, race, checks)
        print(text)
        RESULTS.write_text(text, encoding="utf-8")
        for error in scan_errors + pay_errors + race.errors:
            _log(error)
        _log(f"benefits_due: {long_queries} queries for {long_months} months")
        return 0 if all(ok for _name, ok in checks) else 1
    finally:
        if args.keep:
            _log(f"kept database {DB_NAME}")
        else:
            _drop_database(args.postgres)


if __name__ == "__main__":
    sys.exit(main())
