"""`ansinh demo`: load demonstration data (organisations, one account per standard role, people).

`make run` calls it with `--if-empty`, so a fresh checkout shows a working platform and a second run
changes nothing. The logic is in `ansinh.web.demo`; this command only parses options and prints.
"""

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ansinh.web.demo import builder
from ansinh.web.demo.report import accounts_markdown, accounts_table


class Command(BaseCommand):
    help = (
        "Load demo data: the organisation tree, one account per standard role and SCALE x 1000 invented "
        "people. Needs `ansinh load_reference` first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=int, default=1, help="Thousands of people to create (default 1, i.e. 1,000)."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if any organisation exists (for `make run`).",
        )
        parser.add_argument(
            "--seed", type=int, default=builder.DEFAULT_SEED, help="Random seed: same seed, same data."
        )
        parser.add_argument(
            "--accounts-file",
            default=None,
            help="Where to write the accounts table (default: docs/demo-accounts.md under ANSINH_HOME, "
            "if that docs/ folder exists). Pass '-' to write no file.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and builder.database_has_organisations():
            self.stdout.write("Organisations already exist: demo data not loaded (--if-empty).")
            return
        try:
            builder.check_ready(options["scale"])
        except builder.DemoError as exc:
            raise CommandError(str(exc)) from exc
        total = options["scale"] * builder.PEOPLE_PER_SCALE
        with tqdm(
            total=total,
            unit=" people",
            desc="demo",
            disable=options["verbosity"] == 0,
            # The raw stream: Django's OutputWrapper ends every write with a newline, which breaks the
            # bar's carriage-return redraws into one line per update.
            file=sys.stderr,
        ) as bar:
            try:
                result = builder.load(scale=options["scale"], seed=options["seed"], progress=bar.update)
            except builder.DemoError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {result.organisations} organisations, {result.people:,} people, "
                f"{result.overseas_workers:,} workers abroad under contract, "
                f"{result.job_vacancies:,} vacancies and {result.job_seekers:,} job seekers "
                f"(seed {result.seed})."
            )
        )
        self.stdout.write("")
        self.stdout.write(accounts_table(result.accounts))
        self.stdout.write("")
        self.stdout.write(
            "Accounts with a TOTP secret must also give the 6-digit code of an authenticator app "
            "holding that secret (web: when asked; API: the `otp` field of POST /api/v1/auth/token)."
        )
        target = self._accounts_file(options["accounts_file"])
        if target is not None:
            target.write_text(accounts_markdown(result), encoding="utf-8")
            self.stdout.write(f"Accounts written to {target}.")

    def _accounts_file(self, option: str | None) -> Path | None:
        if option == "-":
            return None
        if option:
            return Path(option)
        docs = Path(settings.BASE_DIR) / "docs"
        return docs / "demo-accounts.md" if docs.is_dir() else None
