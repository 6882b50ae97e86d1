"""`ansinh audit_verify`: walks the audit chain; exits 1 at the first altered, removed or reordered entry."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ansinh.core.audit import verify_chain


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log."

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if not report.ok:
            raise CommandError(
                f"Audit chain BROKEN at entry #{report.first_bad_seq}: {report.problem} "
                f"({report.checked} entries verified before it)."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {report.checked} entries verified."))
