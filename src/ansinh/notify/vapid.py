"""The VAPID key pair (RFC 8292) that identifies this server to the browsers' push services.

The private key is a PEM file (WEBPUSH_VAPID_PRIVATE_KEY_FILE). Production configures one key for every
process (a key change invalidates every subscription); without one, the first process that needs it
creates it (EC P-256, mode 0600) so the embedded default works out of the box.
"""

import base64
import contextlib
import os
import threading
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid

_lock = threading.Lock()
_keys: dict[Path, ec.EllipticCurvePrivateKey] = {}


def _key_path() -> Path:
    return Path(settings.WEBPUSH_VAPID_PRIVATE_KEY_FILE)


def _create(path: Path) -> None:
    """Writes a new key without ever exposing a half-written file: write a private temporary file, then
    hard-link it into place. When two processes race, the link of the second fails and it uses the first's."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def private_key() -> ec.EllipticCurvePrivateKey:
    path = _key_path()
    with _lock:
        key = _keys.get(path)
        if key is None:
            if not path.exists():
                _create(path)
            loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
            if not isinstance(loaded, ec.EllipticCurvePrivateKey) or loaded.curve.name != "secp256r1":
                raise ValueError(f"{path} must hold an EC P-256 private key for VAPID")
            key = _keys[path] = loaded
    return key


def public_key() -> str:
    """The application server key a browser passes to `pushManager.subscribe`: the uncompressed point,
    base64url without padding."""
    raw = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def signer() -> Vapid:
    return Vapid(private_key())
