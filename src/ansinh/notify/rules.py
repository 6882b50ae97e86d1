"""Pure rules of the notify app (no database): what a message link and a push subscription may be, and how
long to wait before trying a delivery again."""

import base64
import binascii
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.utils.translation import gettext as _

from ansinh.core.errors import ValidationFailed

# One first attempt and up to five retries, 1, 2, 4, 8 and 16 minutes apart (31 minutes in all).
MAX_ATTEMPTS = 6
RETRY_BASE_SECONDS = 60

# The push services of the browsers people use (Chrome, Edge, Firefox, Safari and the Chromium family,
# Cốc Cốc included). The server posts to whatever endpoint is registered, so an open list would let anyone
# aim it at an internal address (the setting WEBPUSH_ENDPOINT_HOSTS replaces the list).
DEFAULT_PUSH_HOSTS = (
    "fcm.googleapis.com",
    "android.googleapis.com",
    "updates.push.services.mozilla.com",
    "notify.windows.com",
    "push.apple.com",
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_ENDPOINT_LENGTH = 1000
_B64URL = re.compile(r"^[A-Za-z0-9_-]+={0,2}$")


def retry_delay(attempts: int) -> int:
    """Exponential back-off after the n-th failed attempt: 60 s, 120 s, 240 s, ..."""
    return RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)


def clean_link(link: str) -> str:
    """Links in messages point into this site only: a path, never another host (`//evil`, `\\evil`).
    A bad link is the calling code's mistake, not the user's, hence ValueError."""
    link = link.strip()
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link or not link.isprintable()):
        raise ValueError(f"link must be a path on this site, not {link!r}")
    return link


def clean_endpoint(endpoint: str, *, allowed_hosts: Iterable[str], allow_local: bool) -> str:
    """An https address of a known push service (a host in `allowed_hosts` or below it). With
    `allow_local` (DEBUG, tests) also a push service on this machine, over http or https."""
    endpoint = endpoint.strip()
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        host, parts = "", urlsplit("")
    ok = bool(host) and not parts.username and not parts.password and len(endpoint) <= MAX_ENDPOINT_LENGTH
    if ok and host in LOCAL_HOSTS:
        ok = allow_local and parts.scheme in ("http", "https")
    elif ok:
        ok = parts.scheme == "https" and any(host == h or host.endswith(f".{h}") for h in allowed_hosts)
    if not ok:
        raise ValidationFailed.single("endpoint", _("This is not the address of a browser push service."))
    return endpoint


def _b64url(value: str) -> bytes | None:
    """Decodes base64url (the Push API's `toJSON()` form, with or without padding); None if it is not."""
    value = value.strip()
    if not _B64URL.match(value):
        return None
    bare = value.rstrip("=")
    try:
        return base64.urlsafe_b64decode(bare + "=" * (-len(bare) % 4))
    except (binascii.Error, ValueError):
        return None


def clean_push_keys(p256dh: str, auth: str) -> tuple[str, str]:
    """The browser's keys: `p256dh` a point on P-256 (65 bytes uncompressed), `auth` a 16-byte secret,
    both base64url. Returned without padding, as browsers send them."""
    errors: dict[str, list[str]] = {}
    point = _b64url(p256dh)
    try:
        if point is None or len(point) != 65:
            raise ValueError
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError:
        errors["p256dh"] = [_("This is not a valid browser key.")]
    secret = _b64url(auth)
    if secret is None or len(secret) != 16:
        errors["auth"] = [_("This is not a valid browser key.")]
    if errors:
        raise ValidationFailed(errors)
    return p256dh.strip().rstrip("="), auth.strip().rstrip("=")
