"""Helpers for the notify tests: a real push service on 127.0.0.1 (http.server in a thread), browser-side
push keys, and running a task body as a Celery worker would.

The push service records every request and answers with the statuses a test queues (201 when the queue is
empty). A `Browser` holds what a browser holds for a push subscription: an EC P-256 key pair and a 16-byte
auth secret; it can decrypt what the server sent (RFC 8291, aes128gcm), as the browser would."""

import base64
import json
import os
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def decrypt(self, body: bytes) -> dict[str, Any]:
        plain = http_ece.decrypt(
            body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"
        )
        return json.loads(plain)


@dataclass
class PushRequest:
    path: str
    headers: dict[str, str]
    body: bytes


class PushService:
    def __init__(self) -> None:
        self.requests: list[PushRequest] = []
        self.answers: deque[int] = deque()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                service.requests.append(
                    PushRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                status = service.answers.popleft() if service.answers else 201
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def endpoint(self, name: str = "device-1") -> str:
        return f"{self.origin}/push/{name}"

    def answer(self, *statuses: int) -> None:
        self.answers.extend(statuses)


def as_worker(task: Any, retries: int, *args: Any) -> Any:
    """Runs the task body as a Celery worker would (not eager, not called directly), on its n-th retry."""
    task.push_request(id=f"test-{retries}", retries=retries, is_eager=False, called_directly=False)
    try:
        return task.run(*args)
    finally:
        task.pop_request()
