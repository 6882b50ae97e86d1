"""PAdES signatures on the PDFs the platform issues, and their verification.

Keys and certificates live under `settings.SIGNING_DIR`:

    dev-ca.key, dev-ca.pem        the development root CA, made on first use (10 years)
    orgs/<code>.key, <code>.pem   one certificate per issuing organisation, signed by that CA (3 years)
    trusted/*.pem                 more trusted roots (production authorities, enterprises' CAs), added by ops

Keys are written 0600 and unencrypted: this is a development CA. Production signs with keys from a real CA
(an HSM or a PKCS#11 token, which pyHanko supports) and puts that CA's root in `trusted/`. Every app process
that signs must see the same SIGNING_DIR (a shared volume), or each would make its own CA and the others would
not trust it.

Signatures are PAdES baseline B-B: no timestamp authority is configured, so the signing time is the one the
server states, and a signature stops verifying as trusted once the organisation's certificate expires.
Documents that must verify for longer need B-T/B-LTA (a TSA via `PdfSigner(timestamper=...)` and
`add_validation_info`); that is a configuration step, not a change of API.

Verification never goes to the network: no OCSP or CRL fetching (the development CA publishes neither), and
revocation information is only used when the document carries it ("soft-fail").
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import fcntl
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko.sign.validation.status import PdfSignatureStatus
    from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

CA_NAME = "ansinh Development Root CA"
SIGNATURE_FIELD = "ansinh"

_CA_KEY_FILE = "dev-ca.key"
_CA_CERT_FILE = "dev-ca.pem"
_CA_YEARS = 10
_ORG_YEARS = 3
# An organisation certificate this close to its end is replaced, so no document is signed with a dying key.
_RENEW_BEFORE = dt.timedelta(days=30)
# Certificates start a little in the past so a verifier whose clock lags ours still accepts them.
_CLOCK_SKEW = dt.timedelta(minutes=5)
_ORG_CODE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}")  # a safe file name: no "/", no leading "."
# commonName may hold 64 (cryptography counts UTF-8 bytes, and a Vietnamese letter can take 3); the full
# name goes in O, which has no such limit in practice, and that is the name a verifier shows.
_CN_MAX_BYTES = 64

type SigningKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey


@dataclass(frozen=True)
class SignatureReport:
    """What a verifier (a person or a partner system) needs to know about a PDF's signature."""

    valid: bool
    intact: bool = False
    trusted: bool = False
    signer: str = ""
    signed_at: dt.datetime | None = None
    covers_whole_document: bool = False
    problem: str = ""  # "" when valid; otherwise a short, stable English reason (logged, mapped to messages)


# --- certificate authority and organisation certificates ------------------------------------------------


def ensure_dev_ca() -> tuple[SigningKey, x509.Certificate]:
    """The development root CA's key and certificate, created on first use and reused afterwards."""
    directory = _signing_dir()
    key_path, cert_path = directory / _CA_KEY_FILE, directory / _CA_CERT_FILE
    pair = _load_pair(key_path, cert_path)
    if pair is not None:
        return pair
    with exclusive(directory):
        # Another thread or process may have made it while we waited for the lock: theirs wins.
        pair = _load_pair(key_path, cert_path)
        if pair is None:
            if cert_path.exists():
                # Never replace a CA that issued documents chain to (a verify-only node has no key).
                raise ImproperlyConfigured(
                    f"{cert_path} exists but its private key is missing or does not match"
                )
            key = _new_key()
            pair = (key, _ca_certificate(key))
            _write_pair(key_path, cert_path, *pair)
        return pair


def organisation_signer(org_code: str, org_name: str) -> SimpleSigner:
    """A pyHanko signer for the organisation, with its certificate chain up to the development CA."""
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    _check_organisation(org_code, org_name)
    ca_key, ca_cert = ensure_dev_ca()
    key, cert = _organisation_pair(org_code, org_name, ca_key, ca_cert)
    return SimpleSigner(
        signing_cert=_to_asn1_cert(cert),
        signing_key=_to_asn1_key(key),
        cert_registry=SimpleCertificateStore.from_certs([_to_asn1_cert(ca_cert)]),
    )


def trust_roots() -> list[x509.Certificate]:
    """The CAs whose signatures verify as trusted: the development CA and every `trusted/*.pem`."""
    directory = Path(settings.SIGNING_DIR)  # read only: verifying never creates anything
    roots: list[x509.Certificate] = []
    # Only the certificate is needed, so a verifying node can run without the CA's private key.
    with contextlib.suppress(FileNotFoundError):
        roots.append(x509.load_pem_x509_certificate((directory / _CA_CERT_FILE).read_bytes()))
    for path in sorted((directory / "trusted").glob("*.pem")):
        try:
            roots.extend(x509.load_pem_x509_certificates(path.read_bytes()))
        except ValueError:
            # One bad file from ops must not stop every other signature from verifying.
            logger.warning("Ignoring %s: not a PEM certificate file", path)
    return roots


def _check_organisation(org_code: str, org_name: str) -> None:
    if not _ORG_CODE.fullmatch(org_code):
        raise ValueError(f"Organisation code {org_code!r} cannot be used as a file name")
    if not org_name.strip():
        raise ValueError("An organisation certificate needs the organisation's name")


def _organisation_pair(
    org_code: str, org_name: str, ca_key: SigningKey, ca_cert: x509.Certificate
) -> tuple[SigningKey, x509.Certificate]:
    directory = _signing_dir() / "orgs"
    key_path, cert_path = directory / f"{org_code}.key", directory / f"{org_code}.pem"
    pair = _load_pair(key_path, cert_path)
    if pair is not None and _still_good(pair[1], org_name, ca_cert):
        return pair
    with exclusive(_signing_dir()):
        pair = _load_pair(key_path, cert_path)
        if pair is None or not _still_good(pair[1], org_name, ca_cert):
            key = _new_key()
            pair = (key, _organisation_certificate(key, org_code, org_name, ca_key, ca_cert))
            _write_pair(key_path, cert_path, *pair)
        return pair


def _still_good(cert: x509.Certificate, org_name: str, ca_cert: x509.Certificate) -> bool:
    """Reuse a stored certificate only if it names the organisation as it is called now, is not about to
    expire, and was issued by the current CA (the CA files may have been replaced)."""
    if _organisation_name(cert) != org_name:
        return False
    if cert.not_valid_after_utc - _RENEW_BEFORE < _now():
        return False
    try:
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _new_key() -> rsa.RSAPrivateKey:
    # RSA 2048: what Vietnamese public CAs issue and what every PDF reader verifies.
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _ca_certificate(key: SigningKey) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ansinh"),
            x509.NameAttribute(NameOID.COMMON_NAME, CA_NAME),
        ]
    )
    builder = _builder(name, name, key.public_key(), years=_CA_YEARS)
    builder = builder.add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
    builder = builder.add_extension(_key_usage(key_cert_sign=True, crl_sign=True), critical=True)
    builder = builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
    )
    return builder.sign(key, hashes.SHA256())


def _organisation_certificate(
    key: SigningKey, org_code: str, org_name: str, ca_key: SigningKey, ca_cert: x509.Certificate
) -> x509.Certificate:
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org_name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, org_code),
            x509.NameAttribute(NameOID.COMMON_NAME, _shorten_utf8(org_name, _CN_MAX_BYTES)),
        ]
    )
    builder = _builder(subject, ca_cert.subject, key.public_key(), years=_ORG_YEARS)
    builder = builder.add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    builder = builder.add_extension(
        _key_usage(digital_signature=True, content_commitment=True), critical=True
    )
    builder = builder.add_extension(
        x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
    )
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_cert.public_key()),  # type: ignore[arg-type]
        critical=False,
    )
    return builder.sign(ca_key, hashes.SHA256())


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: Any, *, years: int
) -> x509.CertificateBuilder:
    now = _now()
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _CLOCK_SKEW)
        .not_valid_after(now + dt.timedelta(days=365 * years))
    )


def _key_usage(**granted: bool) -> x509.KeyUsage:
    usages = {
        "digital_signature": False,
        "content_commitment": False,  # "nonRepudiation": what pyHanko requires of a document signer
        "key_encipherment": False,
        "data_encipherment": False,
        "key_agreement": False,
        "key_cert_sign": False,
        "crl_sign": False,
        "encipher_only": False,
        "decipher_only": False,
    }
    return x509.KeyUsage(**(usages | granted))


# --- files -------------------------------------------------------------------------------------------------


def _signing_dir() -> Path:
    directory = Path(settings.SIGNING_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    (directory / "orgs").mkdir(mode=0o700, exist_ok=True)
    return directory


@contextlib.contextmanager
def exclusive(directory: Path) -> Iterator[None]:
    """Serialise key creation across threads and processes (flock works on Linux and macOS)."""
    with open(directory / ".lock", "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _load_pair(key_path: Path, cert_path: Path) -> tuple[SigningKey, x509.Certificate] | None:
    """The stored key and certificate, or None when missing, unreadable or not belonging together."""
    try:
        # Our own 0600 files: skipping the RSA consistency check saves ~25 ms per load (it ran when made).
        key = serialization.load_pem_private_key(
            key_path.read_bytes(), password=None, unsafe_skip_rsa_key_validation=True
        )
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
    except (FileNotFoundError, ValueError, TypeError):
        return None
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        return None
    # A pair can be caught half-replaced by another process renewing it; the caller then takes the lock.
    if _public_der(key.public_key()) != _public_der(cert.public_key()):
        return None
    return key, cert


def _write_pair(key_path: Path, cert_path: Path, key: SigningKey, cert: x509.Certificate) -> None:
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    write_atomically(key_path, key_pem, mode=0o600)
    write_atomically(cert_path, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)


def write_atomically(path: Path, data: bytes, *, mode: int) -> None:
    # mkstemp creates the file 0600 from the start, so a key is never readable by others, not even briefly;
    # os.replace then swaps it in whole, so a reader sees the old file or the new one, never half of one.
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _public_der(public_key: Any) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


# --- signing and verifying ----------------------------------------------------------------------------------


def sign_pdf(
    pdf_bytes: bytes, *, org_code: str, org_name: str, reason: str = "", location: str = ""
) -> bytes:
    """Sign the PDF in the organisation's name (PAdES B-B, one invisible field) and return the signed file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigSeedSubFilter
    from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner

    metadata = PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        name=org_name,
    )
    signer = PdfSigner(metadata, signer=organisation_signer(org_code, org_name))
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
    output = _outside_event_loop(signer.sign_pdf, writer)
    return output.getvalue()


def verify_pdf(pdf_bytes: bytes) -> SignatureReport:
    """Check the PDF's signatures against `trust_roots()`. A broken or hostile file gives a report, never an
    exception; only a server-side fault (unreadable trust roots) raises."""
    context = _validation_context()
    try:
        return _verify(pdf_bytes, context)
    except Exception as exc:  # a damaged or hostile upload gets an answer, not a server error
        logger.info("Could not read a PDF to verify it: %s: %s", type(exc).__name__, exc)
        return SignatureReport(valid=False, problem="unreadable PDF")


def _verify(pdf_bytes: bytes, context: ValidationContext) -> SignatureReport:
    from pyhanko.pdf_utils.reader import PdfFileReader

    signatures = PdfFileReader(BytesIO(pdf_bytes), strict=False).embedded_signatures
    if not signatures:
        return SignatureReport(valid=False, problem="no signature")
    statuses = [_validate(signature, context) for signature in signatures]
    return _report(statuses)


def _validate(signature: Any, context: ValidationContext) -> PdfSignatureStatus:
    from pyhanko.sign.validation import validate_pdf_signature

    return _outside_event_loop(validate_pdf_signature, signature, context)


def _validation_context() -> ValidationContext:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(
        trust_roots=[_to_asn1_cert(cert) for cert in trust_roots()],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def _report(statuses: list[PdfSignatureStatus]) -> SignatureReport:
    """One verdict for the document: the last signature must cover the whole file, and every signature
    (earlier ones may be countersigned by later ones) must be intact, valid and trusted."""
    from pyhanko.sign.validation import SignatureCoverageLevel

    last = statuses[-1]
    intact = all(status.intact for status in statuses)
    trusted = all(status.trusted for status in statuses)
    whole = last.coverage == SignatureCoverageLevel.ENTIRE_FILE
    problem = _problem(statuses, intact=intact, trusted=trusted, whole=whole)
    return SignatureReport(
        valid=not problem,
        intact=intact,
        trusted=trusted,
        signer=_organisation_name_asn1(last.signing_cert),
        signed_at=last.signer_reported_dt,
        covers_whole_document=whole,
        problem=problem,
    )


def _problem(statuses: list[PdfSignatureStatus], *, intact: bool, trusted: bool, whole: bool) -> str:
    if not intact or not whole:
        return "document modified after signing"
    if not all(status.valid for status in statuses):
        return "invalid signature"
    if not trusted:
        return "untrusted certificate"
    if not all(status.bottom_line for status in statuses):
        return "document modified after signing"  # e.g. changes the earlier signer's DocMDP policy forbids
    return ""


# --- helpers -----------------------------------------------------------------------------------------------


def _outside_event_loop[T](function: Callable[..., T], *args: Any) -> T:
    """pyHanko's synchronous API wraps asyncio.run(), which refuses to start inside a running event loop
    (an async view, a Channels consumer). There it runs on a helper thread instead; callers in async code
    should still wrap us in sync_to_async so the loop is not blocked."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def _shorten_utf8(text: str, limit: int) -> str:
    # Cutting the encoded bytes may split the last letter; "ignore" drops that partial letter.
    return text.encode()[:limit].decode(errors="ignore").rstrip()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _organisation_name(cert: x509.Certificate) -> str:
    for oid in (NameOID.ORGANIZATION_NAME, NameOID.COMMON_NAME):
        attributes = cert.subject.get_attributes_for_oid(oid)
        if attributes:
            return str(attributes[0].value)
    return ""


def _organisation_name_asn1(cert: Any) -> str:
    # pyHanko hands back asn1crypto certificates; read the name the same way as for our own certificates.
    return _organisation_name(x509.load_der_x509_certificate(cert.dump())) if cert is not None else ""


def _to_asn1_cert(cert: x509.Certificate) -> Any:
    from asn1crypto import x509 as asn1_x509

    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def _to_asn1_key(key: SigningKey) -> Any:
    from asn1crypto import keys as asn1_keys

    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return asn1_keys.PrivateKeyInfo.load(der)
