"""Helpers for the partner tests: a province with its employment centre, a partner, a valid filing of the
unemployment-benefit claim ("tctn-huong"), and a real HTTP receiver for callbacks."""

import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ansinh.accounts.models import Organisation, OrganisationKind
from ansinh.dossiers.models import Partner
from ansinh.dossiers.services import partners
from ansinh.geo.models import Province
from ansinh.unemployment.procedures import BENEFIT_CLAIM
from tests.factories import OrganisationFactory, ProvinceFactory

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32
EXE = b"MZ" + b"\x00" * 200

PERSONAL_ID = "001090012345"


@dataclass
class World:
    province: Province
    centre: Organisation
    department: Organisation


def make_world(code: str = "T01") -> World:
    province = ProvinceFactory(code=code)
    department = OrganisationFactory(kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=province)
    centre = OrganisationFactory(
        kind=OrganisationKind.EMPLOYMENT_CENTRE, province=province, parent=department
    )
    return World(province=province, centre=centre, department=department)


def make_partner(callback_url: str = "", code: str = "dvcqg") -> tuple[Partner, str, str]:
    return partners.partner_create(
        actor=None, code=code, name="Cổng Dịch vụ công quốc gia", callback_url=callback_url
    )


def applicant(**overrides: Any) -> dict[str, Any]:
    return {
        "full_name": "Nguyễn Văn An",
        "personal_id": PERSONAL_ID,
        "date_of_birth": None,
        "phone": "0912345678",
        "email": "an@example.vn",
        **overrides,
    }


def form_data(**overrides: Any) -> dict[str, Any]:
    return {
        "termination_date": "2026-10-31",
        "last_employer": "Công ty TNHH May Hưng Yên",
        "contract_kind": "indefinite",
        "phone": "0912345678",
        **overrides,
    }


def files() -> list[tuple[str, str, bytes]]:
    return [("termination_proof", "quyet-dinh.pdf", PDF), ("social_insurance_book", "so-bhxh.png", PNG)]


def submission(world: World, reference: str = "G22-0001", **overrides: Any) -> dict[str, Any]:
    """Keyword arguments for `partners.partner_submit` (without `partner`)."""
    return {
        "reference": reference,
        "procedure_code": BENEFIT_CLAIM,
        "applicant": applicant(),
        "form_data": form_data(),
        "province_code": world.province.code,
        "attachments": files(),
        **overrides,
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A partner's callback endpoint: a real HTTP server on 127.0.0.1 in a thread. It answers with the
    queued statuses in turn (then 200) and records every request."""

    answers: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/callbacks"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                receiver.received.append(Received({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.answers.pop(0) if receiver.answers else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)
