"""`ansinh load_reference`: load or refresh every reference list (provinces, wards, legacy province codes,
countries, occupations, legal parameters). Safe to run at every deploy: a rerun changes nothing."""

from typing import Any

from django.core.management.base import BaseCommand

from ansinh.geo.services import reference_load_all


class Command(BaseCommand):
    help = "Load the reference lists and legal parameters (idempotent, one transaction)."

    def handle(self, *args: Any, **options: Any) -> None:
        results = reference_load_all()
        if options["verbosity"] < 1:
            return
        for name, result in results.items():
            self.stdout.write(
                f"{name:<17} {result.total:>5} rows: {result.created} created, "
                f"{result.updated} updated, {result.unchanged} unchanged"
            )
        changed = any(r.changed for r in results.values())
        self.stdout.write(self.style.SUCCESS("Reference data loaded." if changed else "Already up to date."))
