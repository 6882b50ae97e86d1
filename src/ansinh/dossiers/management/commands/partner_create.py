"""`ansinh partner_create <code> <name> [--callback-url URL]`: registers a partner system and prints its
token and HMAC secret, once (the token is stored only as a hash)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ansinh.core.errors import ValidationFailed
from ansinh.dossiers.services.partners import partner_create


class Command(BaseCommand):
    help = "Register a partner system for the partner API and print its credentials once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="Short code, e.g. dvcqg (letters, digits, - and _)")
        parser.add_argument("name", help="The partner's name")
        parser.add_argument("--callback-url", default="", help="Where status callbacks are POSTed")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            partner, token, secret = partner_create(
                actor=None, code=options["code"], name=options["name"], callback_url=options["callback_url"]
            )
        except ValidationFailed as exc:
            fields = exc.details.get("fields", {})
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in fields.items())) from exc
        self.stdout.write(self.style.SUCCESS(f"Partner {partner.code} registered (id {partner.pk})."))
        self.stdout.write(f"Token:       {token}")
        self.stdout.write(f"HMAC secret: {secret}")
        self.stdout.write(
            self.style.WARNING(
                "Give both to the partner over a safe channel now: the token is not shown again."
            )
        )
