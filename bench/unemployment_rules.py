"""The unemployment-benefit rules engine (issue target: at least 20,000 estimates per second in one process
for 36-month histories; a measurement, not a test): `.venv/bin/python bench/unemployment_rules.py`.

What is timed: `rules.estimate(claim, table, add_working_days, today)` — validation, eligibility, the six
capped wages, the caps, the months, the start day and the benefit periods, with every explanation step and
its translated text — on many distinct 36-month histories: termination days from 2018 to 2026, so both rule
sets (decided before / from 1 January 2026), wages around and above the 20x cap, workplaces in all four
regions (some claimants move), both pay regimes, short and indefinite contracts, some previous claims, some
gaps, some late filings.

- The wage table is the real one: `WageTable(parameter_file_rows())`, the foundation's legal parameters.
- `add_working_days` is the real calendar's: `ansinh.core.calendar.WorkingCalendar` built as
  `ansinh.core.workdays._build` builds it (the `holidays` package's Vietnamese holidays and day swaps; no
  `WorkingDayOverride` rows, as in a fresh database). This is what the estimate computes with once
  `workdays.calendar_for` has its calendar cached; `workdays.add_working_days` adds one SQL query per call
  (the override table's signature), which is the selector's cost, not the rules': it is measured on its own
  line, together with `wage_table()`'s signature query, through `selectors.benefit_estimate` on a throwaway
  SQLite database (`--no-db` skips that line).
- Django's settings are loaded (`django.setup()`, the project's settings, nothing else) because the rules'
  texts go through gettext: the estimate is timed in Vietnamese (the default of every page and API answer)
  and in English.

Each run estimates every claim of the set once; the rate is estimates / wall time (`time.perf_counter`,
garbage collector on, one thread), and also estimates / CPU time of the process (`time.process_time`), which
leaves out the time spent waiting for a core on a busy machine. The median of `--runs` runs is reported,
after one warm-up run, with the best and the worst run (a run takes a few hundredths of a second, so the
other programs of a shared machine slow some runs and not others: the median is the figure to compare).
`--also FILE` times a modified copy of rules.py as well (first checked to give the very same estimates in
both languages), run by run in turn with the real one, so that a change can be measured before it is made.
`--profile`: cProfile over one run, top functions by own time. Writes
bench/results_unemployment.md (unless `--no-write`) and prints the same Markdown. Takes about half a minute.
"""

import argparse
import cProfile
import io
import os
import platform
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results_unemployment.md"
TARGET = 20_000
TODAY = date(2026, 11, 26)
HISTORY_MONTHS = 36


def _setup_django(with_db: bool) -> None:
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ansinh.config.settings")
    if with_db:
        os.environ["ANSINH_VAR_DIR"] = tempfile.mkdtemp(prefix="ansinh-bench-ui-")
        os.environ.pop("DATABASE_URL", None)  # always a throwaway SQLite file
    else:
        os.environ.setdefault("ANSINH_VAR_DIR", tempfile.mkdtemp(prefix="ansinh-bench-ui-"))
    import django

    django.setup()


def _claims(count: int, seed: int) -> list[Any]:
    from ansinh.unemployment import rules

    rng = random.Random(seed)
    old_span = (date(2025, 10, 31) - date(2018, 1, 1)).days
    new_span = (date(2026, 10, 31) - date(2025, 11, 1)).days
    claims = []
    for _ in range(count):
        # Half decided under each rule set: terminations from 2018 to October 2025, and from November 2025
        # (decided from 1 January 2026 on, most of them).
        if rng.random() < 0.5:
            termination = date(2018, 1, 1) + timedelta(days=rng.randrange(old_span))
        else:
            termination = date(2025, 11, 1) + timedelta(days=rng.randrange(new_span))
        last = rules.month_of(termination)
        region = rng.choice(rules.REGIONS)
        base_wage = rng.choice(
            (4_500_000, 6_000_000, 8_000_000, 12_000_000, 25_000_000, 60_000_000, 120_000_000)
        )
        gap = rng.random() < 0.15  # a month without contributions somewhere in the last two years
        gap_at = rng.randrange(1, 24)
        contributions = []
        for back in range(HISTORY_MONTHS + (1 if gap else 0)):
            if gap and back == gap_at:
                continue
            if rng.random() < 0.05:
                region = rng.choice(rules.REGIONS)  # moved to a workplace in another region
            wage = base_wage + rng.randrange(-5, 6) * 100_000
            contributions.append(rules.Contribution(rules.add_months(last, -back), wage, region))
        contributions.reverse()
        late = rng.random() < 0.05
        decided = termination + timedelta(days=rng.randrange(100, 140) if late else rng.randrange(1, 80))
        decided = min(decided, TODAY)
        previous = None
        if rng.random() < 0.2:
            previous = rules.PreviousClaim(
                rules.add_months(termination, -rng.randrange(40, 90)), rng.randrange(0, 60)
            )
        claims.append(
            rules.Claim(
                termination_date=termination,
                contributions=contributions,
                pay_regime=rules.STATE if rng.random() < 0.15 else rules.EMPLOYER,
                contract_months=rng.choice((None, None, 6, 12, 24, 36)),
                decided_on=decided,
                previous_claim=previous,
                months_already_received=rng.choice((0, 0, 0, 1, 2)),
            )
        )
    return claims


def _calendar() -> Any:
    """The working-day calendar as `core.workdays._build` makes it, without the database (no overrides)."""
    import holidays

    from ansinh.core.calendar import WorkingCalendar

    official = holidays.country_holidays("VN", years=range(2017, 2029))
    return WorkingCalendar(official, working_days=set(official.weekend_workdays), days_off=())


def _rules_module(path: str | None) -> Any:
    """`ansinh.unemployment.rules`, or a copy of it at `path` (to measure a change before making it)."""
    if not path:
        from ansinh.unemployment import rules

        return rules
    import importlib.util

    spec = importlib.util.spec_from_file_location("rules_under_test", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rates(runs: dict[str, Callable[[], int]], repeat: int) -> dict[str, tuple[list[float], list[float]]]:
    """(wall-clock rates, CPU-time rates) of each run, interleaved run by run so that a busy spell on a shared
    machine hits all of them alike; one warm-up run each first."""
    for run in runs.values():
        run()
    rates: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            wall, cpu = time.perf_counter(), time.process_time()
            done = run()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            rates[name][0].append(done / wall)
            rates[name][1].append(done / cpu if cpu > 0 else float("inf"))
    return rates


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _load_average() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=2_000, help="distinct histories (default 2,000)")
    parser.add_argument("--runs", type=int, default=11, help="measured runs, the median is reported")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="cProfile one run of rules.py, top functions")
    parser.add_argument("--no-db", action="store_true", help="skip the selector line (throwaway SQLite)")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {RESULTS.name}")
    parser.add_argument(
        "--also",
        action="append",
        default=[],
        metavar="FILE",
        help="also time a modified copy of rules.py (checked to give the same estimates), run by run",
    )
    args = parser.parse_args()

    load_before = _load_average()
    _setup_django(with_db=not args.no_db)
    from dataclasses import asdict

    from django.utils import translation

    from ansinh.core.legal import parameter_file_rows

    rows_of_parameters = parameter_file_rows()
    calendar = _calendar()
    claims = _claims(args.claims, args.seed)
    engines = {"`rules.estimate`": _rules_module(None)}
    engines.update({f"`rules.estimate` of {path}": _rules_module(path) for path in args.also})
    tables = {name: module.WageTable(rows_of_parameters) for name, module in engines.items()}
    rules = engines["`rules.estimate`"]

    # What the set holds, from one pass (also checks that no claim is refused as bad input, and that every
    # copy gives the same estimates, in both languages).
    results = {}
    for language in ("vi", "en"):
        translation.activate(language)
        results[language] = [rules.estimate(c, tables["`rules.estimate`"], calendar.add_working_days, TODAY)
                             for c in claims]  # fmt: skip
        for name, module in engines.items():
            for claim, expected in zip(claims, results[language], strict=True):
                got = module.estimate(claim, tables[name], calendar.add_working_days, TODAY)
                if asdict(got) != asdict(expected):
                    raise SystemExit(f"{name} differs on {claim}:\n{asdict(got)}\n{asdict(expected)}")
    estimates = results["vi"]
    new = sum(r.rule_set == rules.NEW_RULES for r in estimates)
    eligible = sum(r.eligible for r in estimates)
    capped = sum(
        r.average_wage < round(sum(x.wage for x in c.contributions[-6:]) / 6)
        for c, r in zip(claims, estimates, strict=True)
    )
    steps = statistics.mean(len(r.explanation) for r in estimates)
    months = statistics.mean(len(c.contributions) for c in claims)

    def every_claim(module: Any, table: Any) -> Callable[[], int]:
        def run() -> int:
            for claim in claims:
                module.estimate(claim, table, calendar.add_working_days, TODAY)
            return len(claims)

        return run

    rows: list[tuple[str, list[float], list[float]]] = []
    for language in ("vi", "en"):
        translation.activate(language)
        measured = _rates({name: every_claim(m, tables[name]) for name, m in engines.items()}, args.runs)
        rows += [(f"{name}, {language}", wall, cpu) for name, (wall, cpu) in measured.items()]

    profile_text = ""
    if args.profile:
        translation.activate("vi")
        profiler = cProfile.Profile()
        profiler.enable()
        every_claim(rules, tables["`rules.estimate`"])()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(16)
        profile_text = "\n".join(
            line.replace(str(ROOT) + "/", "") for line in out.getvalue().strip().splitlines()[2:]
        )

    selector_note = ""
    if not args.no_db:
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from ansinh.geo import services as geo_services
        from ansinh.unemployment import selectors

        call_command("migrate", verbosity=0, interactive=False)
        geo_services.reference_load_legal_parameters()
        translation.activate("vi")
        some = claims[: max(1, len(claims) // 4)]

        def through_selector() -> int:
            for claim in some:
                selectors.benefit_estimate(claim, today=TODAY)
            return len(some)

        through_selector()  # the cached calendar widened to every year of the set
        with CaptureQueriesContext(connection) as ctx:
            through_selector()
        per_call = len(ctx.captured_queries) / len(some)
        wall, cpu = _rates({"selector": through_selector}, args.runs)["selector"]
        rows.append(("`selectors.benefit_estimate` (SQLite), vi", wall, cpu))
        selector_note = (
            f" The selector line runs {len(some):,} of the claims through `selectors.benefit_estimate` (the "
            "API's and the page's call) on a throwaway SQLite database (legal parameters loaded, no "
            f"working-day overrides): {per_call:.1f} SQL queries per estimate once warm (the signatures of "
            "the legal-parameter and working-day-override tables, which keep each process's cached tables "
            "fresh)."
        )
    translation.deactivate()

    import django

    command = "`.venv/bin/python bench/unemployment_rules.py" + "".join(f" {a}" for a in sys.argv[1:]) + "`"
    lines = [
        "# Unemployment-benefit rules engine (issue target: ≥ 20,000 estimates/s in one process)",
        "",
        f"Machine: {_cpu_model()}, {os.cpu_count()} cores (`nproc`), Python {platform.python_version()}, "
        f"Django {django.get_version()}; load average (1 min) before the run {load_before}, after "
        f"{_load_average()} (other programs on a shared machine lower the figures). Command: {command}.",
        "",
        f"{len(claims):,} distinct claims (seed {args.seed}), {months:.1f} contribution months each (36 in a "
        f"row, some with a gap), termination days 2018-2026: {new:,} decided under Law 74/2025 and "
        f"{len(claims) - new:,} under Law 38/2013; {eligible:,} eligible; {capped:,} with wages above the "
        f"20x cap; {steps:.1f} explanation steps per estimate. Real wage table "
        "(`WageTable(parameter_file_rows())`) and the real working-day calendar (`WorkingCalendar` built as "
        "`core.workdays._build` does, Vietnamese holidays and day swaps from `holidays`). One thread; each "
        f"run estimates every claim once; median of {args.runs} runs after a warm-up run (wall clock; the "
        "CPU-time rate leaves out the time the process waited for a core)." + selector_note,
        "",
        "| measure | estimates/s (median) | µs per estimate | best run /s | worst run /s "
        "| by CPU time /s (median) | runs (estimates/s) | target |",
        "|---|---:|---:|---:|---:|---:|---|:-:|",
    ]
    for name, wall, cpu in rows:
        median = statistics.median(wall)
        met = "yes" if median >= TARGET else "**no**"
        runs_text = ", ".join(f"{r:,.0f}" for r in wall)
        lines.append(
            f"| {name} | {median:,.0f} | {1e6 / median:.1f} | {max(wall):,.0f} | {min(wall):,.0f} | "
            f"{statistics.median(cpu):,.0f} | {runs_text} | {met} |"
        )
    if profile_text:
        lines += [
            "",
            "cProfile of one run of `rules.estimate` (vi), by own time:",
            "",
            "```",
            profile_text,
            "```",
        ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
