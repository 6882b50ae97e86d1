"""`ansinh serve`: the ASGI server (HTTP and websockets) with uvicorn."""

from typing import Any

import uvicorn
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve ansinh over HTTP and websockets (uvicorn)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="Processes; more than 1 needs REDIS_URL.")
        parser.add_argument("--proxy-headers", action="store_true", help="Trust X-Forwarded-* from a proxy.")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"ansinh: http://{options['host']}:{options['port']}/")
        uvicorn.run(
            "ansinh.config.asgi:application",
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            proxy_headers=options["proxy_headers"],
            lifespan="off",
            log_level="info",
            server_header=False,
        )
