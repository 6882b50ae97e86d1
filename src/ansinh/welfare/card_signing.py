"""The signed QR code of the social-security card, verifiable offline.

The QR carries one line of text (all in the QR "alphanumeric" character set, so it fits a small, sparse
code that a cheap phone camera or a USB scanner reads at once)::

    ASC1.<number>.<issue>.<initials>.<yyyymmdd>.<key id>.<signature>
    ASC1.270415839265.2.NVA.20260315.K7QZ2M4D.<103 base32 characters>

- `number`: the 12-digit card number (11 digits and a Luhn check digit); `issue`: 1 for the first card, +1
  for each re-issue; `initials`: the holder's initials without diacritics (at most 4 letters, so a verifier
  can match the card to the person in front of them; no other personal data); the issue date.
- `key id`: the first 8 base32 characters of the SHA-256 of the signing key's public key (DER
  SubjectPublicKeyInfo); `signature`: ECDSA P-256 with SHA-256 over the ASCII text before the last dot,
  as the raw 64 bytes r||s (the JOSE "ES256" form) in base32 (RFC 4648, no padding).

Verifying needs no database and no network: the signature and the trusted public keys only
(`card_qr_verify`); `public_jwks()` publishes the keys as a JWK set for offline verifiers (the app, a
service point's own device). Whether the card was revoked since is a question for the database, asked by
the service point when it pays (`services.card_payments`).

Keys live under `settings.SIGNING_DIR/cards/`::

    current.key          the signing key (PEM PKCS#8, 0600), made on first use
    public/<kid>.pem     every public key the cards may be signed with; all are trusted

Rotation (`rotate_card_key`) makes a new signing key and keeps the old public keys, so the cards already
printed keep verifying; ops distrust a key by deleting its `public/<kid>.pem`. Every app process that signs
must see the same directory (a shared volume), or each would make its own key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from django.conf import settings

from ansinh.core.signing import exclusive, write_atomically
from ansinh.welfare.card_errors import CardForged

logger = logging.getLogger(__name__)

PREFIX = "ASC1"
_CURRENT = "current.key"
_PUBLIC = "public"
_SIGNATURE_BYTES = 64  # P-256: r and s, 32 bytes each
_PAYLOAD = re.compile(
    r"ASC1\.(?P<number>\d{12})\.(?P<issue>[1-9]\d{0,4})\.(?P<initials>[A-Z]{0,4})\.(?P<issued>\d{8})"
    r"\.(?P<kid>[A-Z2-7]{8})\.(?P<sig>[A-Z2-7]{103})",
    re.ASCII,  # \d is 0-9 only: other scripts' digits would pass the pattern and fail the ASCII encoding
)
_KEY_ID = re.compile(r"[A-Z2-7]{8}")
MAX_PAYLOAD = 200  # anything longer is not one of ours; refused before any parsing


@dataclass(frozen=True)
class VerifiedCard:
    """What a genuine card QR says. Genuine is not the same as valid: the card may have been revoked."""

    number: str
    issue: int
    initials: str
    issued_on: date
    key_id: str


# --- numbers and initials ----------------------------------------------------------------------------------


def luhn_digit(digits: str) -> str:
    """The Luhn check digit for `digits` (catches every single-digit error and most swapped neighbours)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    return number.isdigit() and len(number) >= 2 and luhn_digit(number[:-1]) == number[-1]


# An affine map modulo 10^11 with a multiplier prime to 10 is a bijection: every person id below 10^11 gets
# its own 11 digits, so numbers are unique by construction, and neighbours do not get neighbouring numbers.
# It is not a secret (the number is printed on the card); it only keeps the number from being a counter.
_NUMBER_SPACE = 10**11
_MULTIPLIER = 48_271_000_031
_OFFSET = 27_041_583_926


def card_number_for(person_id: int) -> str:
    """The card number a person gets: 11 digits derived from the person's id (not their personal ID
    number, which stays off the card) and a Luhn check digit."""
    if not 0 < person_id < _NUMBER_SPACE:
        raise ValueError("person id out of range for a card number")
    body = (person_id * _MULTIPLIER + _OFFSET) % _NUMBER_SPACE
    digits = f"{body:011d}"
    return digits + luhn_digit(digits)


def display_number(number: str) -> str:
    """ "270415839265" -> "2704 1583 9265": groups of four, as printed on the card."""
    return " ".join(number[i : i + 4] for i in range(0, len(number), 4))


def initials_of(full_name: str) -> str:
    """ "Nguyễn Văn An" -> "NVA": the first letter of each word, without diacritics, at most 4 (family
    name, middle names, given name: a fifth word keeps the first three and the given name)."""
    letters = []
    for word in full_name.split():
        first = _ascii_letter(word[0])
        if first:
            letters.append(first)
    if len(letters) > 4:
        letters = [*letters[:3], letters[-1]]
    return "".join(letters)


def _ascii_letter(char: str) -> str:
    if char in "đĐ":  # a letter of its own in Unicode, not D with a mark
        return "D"
    base = unicodedata.normalize("NFD", char)[0].upper()
    return base if "A" <= base <= "Z" else ""


# --- payloads ----------------------------------------------------------------------------------------------


def card_qr_payload(number: str, issue: int, issued_on: date, *, initials: str = "") -> str:
    """The signed QR text of a card, signed with the current key (`current_key_id()`). ECDSA signatures
    are randomised, so two calls give two different texts; both verify."""
    private_key, current_kid = _current_key()
    if not (len(number) == 12 and luhn_valid(number)):
        raise ValueError("not a card number")
    if not re.fullmatch(r"[A-Z]{0,4}", initials):
        raise ValueError("initials must be at most 4 letters A-Z (see initials_of)")
    signed = f"{PREFIX}.{number}.{int(issue)}.{initials}.{issued_on:%Y%m%d}.{current_kid}"
    der = private_key.sign(signed.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return f"{signed}.{_b32(raw)}"


def current_key_id() -> str:
    return _current_key()[1]


def normalise_payload(text: str) -> str:
    """What a scanner typed, cleaned: surrounding spaces and line ends gone, upper case (base32 and the
    rest are case-blind, and a scanner with Caps Lock on must still work)."""
    return "".join((text or "").split()).upper()


def card_qr_verify(payload: str) -> VerifiedCard:
    """The card a QR text stands for, if it is genuine: well formed and signed by a trusted key. Raises
    `CardForged` otherwise. Needs no database."""
    text = normalise_payload(payload)
    if len(text) > MAX_PAYLOAD:
        raise CardForged(details={"reason": "format"})
    match = _PAYLOAD.fullmatch(text)
    if match is None or not luhn_valid(match["number"]):
        raise CardForged(details={"reason": "format"})
    try:
        issued_on = date(int(match["issued"][:4]), int(match["issued"][4:6]), int(match["issued"][6:]))
    except ValueError:
        raise CardForged(details={"reason": "format"}) from None
    public_key = trusted_public_keys().get(match["kid"])
    if public_key is None:
        raise CardForged(details={"reason": "unknown_key"})
    raw = _unb32(match["sig"])
    # The last base32 character carries 3 unused bits: only the canonical text is accepted, so one card has
    # exactly one QR text per signature.
    if raw is None or len(raw) != _SIGNATURE_BYTES or _b32(raw) != match["sig"]:
        raise CardForged(details={"reason": "format"})
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    signed = text.rsplit(".", 1)[0]
    try:
        public_key.verify(der, signed.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise CardForged(details={"reason": "signature"}) from None
    return VerifiedCard(
        number=match["number"],
        issue=int(match["issue"]),
        initials=match["initials"],
        issued_on=issued_on,
        key_id=match["kid"],
    )


# --- public keys -------------------------------------------------------------------------------------------


def trusted_public_keys() -> dict[str, ec.EllipticCurvePublicKey]:
    """Every trusted card key by its id: the files in `cards/public/` (read only: verifying creates
    nothing, so a verify-only node needs no private key)."""
    directory = Path(settings.SIGNING_DIR) / "cards" / _PUBLIC
    keys: dict[str, ec.EllipticCurvePublicKey] = {}
    for path in sorted(directory.glob("*.pem")):
        try:
            key = serialization.load_pem_public_key(path.read_bytes())
        except (ValueError, OSError):
            logger.warning("Ignoring %s: not a PEM public key", path)
            continue
        if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
            logger.warning("Ignoring %s: not a P-256 key", path)
            continue
        keys[key_id_of(key)] = key
    return keys


def public_jwks() -> dict[str, list[dict[str, str]]]:
    """The trusted keys as a JWK set (RFC 7517), the current signing key included."""
    _current_key()  # make sure there is one to publish
    return {"keys": [_jwk(kid, key) for kid, key in sorted(trusted_public_keys().items())]}


def key_id_of(public_key: ec.EllipticCurvePublicKey) -> str:
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return _b32(hashlib.sha256(der).digest())[:8]


def _jwk(kid: str, key: ec.EllipticCurvePublicKey) -> dict[str, str]:
    numbers = key.public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": _b64url(numbers.x.to_bytes(32, "big")),
        "y": _b64url(numbers.y.to_bytes(32, "big")),
        "kid": kid,
        "use": "sig",
        "alg": "ES256",
    }


# --- key files ---------------------------------------------------------------------------------------------


def rotate_card_key() -> str:
    """A new signing key from now on; the old public keys stay trusted. Returns the new key id."""
    directory = _cards_dir()
    with exclusive(directory):
        key = ec.generate_private_key(ec.SECP256R1())
        _write_key(directory, key)
    return key_id_of(key.public_key())


def _current_key() -> tuple[ec.EllipticCurvePrivateKey, str]:
    directory = _cards_dir()
    key = _load_private(directory / _CURRENT)
    if key is None:
        with exclusive(directory):
            # Another thread or process may have made it while we waited for the lock: theirs wins.
            key = _load_private(directory / _CURRENT)
            if key is None:
                key = ec.generate_private_key(ec.SECP256R1())
                _write_key(directory, key)
    kid = key_id_of(key.public_key())
    public_path = directory / _PUBLIC / f"{kid}.pem"
    if not public_path.exists():
        # The signing key must always be trusted, or its own cards would not verify.
        write_atomically(public_path, _public_pem(key.public_key()), mode=0o644)
    return key, kid


def _load_private(path: Path) -> ec.EllipticCurvePrivateKey | None:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (FileNotFoundError, ValueError, TypeError):
        return None
    return key if isinstance(key, ec.EllipticCurvePrivateKey) else None


def _write_key(directory: Path, key: ec.EllipticCurvePrivateKey) -> None:
    # The public key first: a card signed the moment the private key appears must already verify.
    kid = key_id_of(key.public_key())
    write_atomically(directory / _PUBLIC / f"{kid}.pem", _public_pem(key.public_key()), mode=0o644)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    write_atomically(directory / _CURRENT, pem, mode=0o600)


def _public_pem(key: ec.EllipticCurvePublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def _cards_dir() -> Path:
    # Each level 0700, SIGNING_DIR included: `parents=True` would make the missing ones world-readable.
    directory = Path(settings.SIGNING_DIR) / "cards"
    directory.parent.parent.mkdir(parents=True, exist_ok=True)
    for level in (directory.parent, directory, directory / _PUBLIC):
        level.mkdir(mode=0o700, exist_ok=True)
    return directory


# --- encodings ---------------------------------------------------------------------------------------------


def _b32(data: bytes) -> str:
    return base64.b32encode(data).decode("ascii").rstrip("=")


def _unb32(text: str) -> bytes | None:
    try:
        return base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        return None


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


__all__ = [
    "PREFIX",
    "VerifiedCard",
    "card_number_for",
    "card_qr_payload",
    "card_qr_verify",
    "current_key_id",
    "display_number",
    "initials_of",
    "key_id_of",
    "luhn_valid",
    "normalise_payload",
    "public_jwks",
    "rotate_card_key",
    "trusted_public_keys",
]
