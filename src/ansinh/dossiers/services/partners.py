"""Partner systems: the national public-service portal, or another system, files dossiers for citizens
through the partner API and is told of every later step by a signed callback.

- A partner authenticates with its bearer token (stored hashed); a request may also carry an HMAC
  signature, which is then verified (docs/decisions/0007-partner-intake.md).
- Submissions are idempotent by the partner's own dossier reference: a repeat returns the first dossier.
- Callbacks are an outbox: the row is written inside the step's transaction, sent after commit, retried with
  exponential back-off, and marked failed (visible to staff, who may send it again) after the last attempt.
"""

import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator, validate_email, validate_slug
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts.models import Person
from ansinh.accounts.selectors import require_permission
from ansinh.accounts.services import person_create, token_hash
from ansinh.core import audit
from ansinh.core.errors import Conflict, NotFound, ValidationFailed
from ansinh.core.identifiers import parse_personal_id
from ansinh.core.text import normalise_search
from ansinh.dossiers import partner_selectors
from ansinh.dossiers import permissions as perms
from ansinh.dossiers.errors import PartnerAuthFailed, ProcedureNotFound, UploadRefused
from ansinh.dossiers.forms_schema import clean_form_data
from ansinh.dossiers.models import (
    Attachment,
    CallbackStatus,
    Channel,
    Dossier,
    DossierEvent,
    Partner,
    PartnerCallback,
)
from ansinh.dossiers.procedures import DocumentKind, ProcedureVersion
from ansinh.dossiers.rules import Action
from ansinh.dossiers.services import filing, transitions
from ansinh.dossiers.services.attachments import sniff_content_type
from ansinh.geo.models import Province

logger = logging.getLogger(__name__)

# Requests: a signed request must be at most this old (or this far ahead: clocks drift).
SIGNATURE_TOLERANCE_SECONDS = 300
SIGNATURE_SCHEME = "sha256="

# Callbacks: one first attempt and up to seven retries, 1, 2, 4, ... 64 minutes apart (about 2 hours in all).
CALLBACK_MAX_ATTEMPTS = 8
CALLBACK_RETRY_BASE_SECONDS = 60
CALLBACK_TIMEOUT_SECONDS = 10
# While one attempt is in flight, the sweep leaves the callback alone for this long (> the timeout).
CALLBACK_LEASE_SECONDS = 60
_SNIFF_BYTES = 8192
_EVENT_NAMESPACE = uuid.UUID("5f0c6c1e-8f5e-4d0b-9a57-0d1f3c2b7a10")


# --- partners and their credentials ---------------------------------------------------------------------


def signature_for(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>`: HMAC-SHA256 with the partner's shared secret over `<timestamp>.<body>`. Requests
    from the partner and callbacks to it are signed the same way."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_SCHEME}{digest}"


@transaction.atomic
def partner_create(*, actor: Any, code: str, name: str, callback_url: str = "") -> tuple[Partner, str, str]:
    """A new partner system. Returns the partner, its bearer token and its HMAC secret: the token is kept
    only as a hash, so this is the one time anyone sees it. `actor` None: a management command."""
    if actor is not None:
        require_permission(actor, perms.PARTNER_MANAGE)
    code = (code or "").strip().lower()
    name = " ".join((name or "").split())
    callback_url = (callback_url or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        validate_slug(code)
        if len(code) > 40:
            raise ValidationError("too long")
    except ValidationError:
        errors["code"] = [_("Use at most 40 lower-case letters, digits, hyphens or underscores.")]
    if "code" not in errors and Partner.objects.filter(code=code).exists():
        errors["code"] = [_("A partner with this code already exists.")]
    if not name or len(name) > 255:
        errors["name"] = [_("Enter the partner's name (at most 255 characters).")]
    if callback_url:
        try:
            URLValidator(schemes=["http", "https"])(callback_url)
            if len(callback_url) > 200:
                raise ValidationError("too long")
        except ValidationError:
            errors["callback_url"] = [_("Enter an http or https address of at most 200 characters.")]
    if errors:
        raise ValidationFailed(errors)
    token = secrets.token_urlsafe(32)
    secret = secrets.token_urlsafe(32)
    partner = Partner.objects.create(
        code=code,
        name=name,
        token_hash=token_hash(token),
        token_prefix=token[:8],
        hmac_secret=secret,
        callback_url=callback_url,
    )
    audit.record(
        actor=actor,
        action="partner.create",
        obj=partner,
        changes={"code": code, "name": name, "callback_url": callback_url},
    )
    return partner, token, secret


def partner_authenticate(
    *,
    authorization: str | None,
    signature: str | None,
    timestamp: str | None,
    body: bytes,
    now: float | None = None,
) -> Partner:
    """The active partner whose token is in `Authorization: Bearer <token>`.

    When the request carries `X-Ansinh-Signature` (or `X-Ansinh-Timestamp`), both must be there, the
    timestamp (Unix seconds) within 5 minutes of now, and the signature right for the raw body.
    """
    scheme, _sep, raw = (authorization or "").strip().partition(" ")
    raw = raw.strip()
    if scheme.lower() != "bearer" or not raw:
        raise PartnerAuthFailed(details={"reason": "missing_token"})
    partner = Partner.objects.filter(token_hash=token_hash(raw), is_active=True).first()
    if partner is None:
        raise PartnerAuthFailed(details={"reason": "invalid_token"})
    if signature or timestamp:
        _verify_signature(
            partner, signature or "", timestamp or "", body, time.time() if now is None else now
        )
    return partner


def _verify_signature(partner: Partner, signature: str, timestamp: str, body: bytes, now: float) -> None:
    stamp = timestamp.strip()
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        raise PartnerAuthFailed(details={"reason": "invalid_timestamp"})
    if abs(now - int(stamp)) > SIGNATURE_TOLERANCE_SECONDS:
        raise PartnerAuthFailed(details={"reason": "stale_timestamp"})
    expected = signature_for(partner.hmac_secret, stamp, body)
    given = signature.strip().lower().encode("utf-8", "replace")
    if not hmac.compare_digest(expected.encode(), given):
        raise PartnerAuthFailed(details={"reason": "invalid_signature"})


# --- submissions -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _File:
    spec: DocumentKind
    document_code: str
    filename: str
    content: bytes
    content_type: str


def partner_submit(
    *,
    partner: Partner,
    reference: str,
    procedure_code: str,
    applicant: dict[str, Any],
    form_data: dict[str, Any],
    province_code: str | None,
    attachments: Sequence[tuple[str, str, bytes]],
) -> tuple[Dossier, bool]:
    """Files and submits a dossier for the partner, or returns the one it already filed under `reference`
    (`created` False): a repeated or concurrent submission never makes a second dossier. All or nothing:
    a refused form, applicant or file leaves no dossier, no person and no stored file behind."""
    reference = (reference or "").strip()
    if not reference or len(reference) > 100:
        raise ValidationFailed.single(
            "reference", _("Give your reference for the dossier (at most 100 characters).")
        )
    existing = partner_selectors.partner_dossier_find(partner, reference)
    if existing is not None:
        return existing, False
    procedure, cleaned, files, province_id = _checked_submission(
        procedure_code, form_data, province_code, attachments
    )
    for attempt in (1, 2):
        stored: list[Attachment] = []
        try:
            with transaction.atomic():
                # Checked again inside the transaction: with SQLite (one writer) this sees the winner.
                existing = partner_selectors.partner_dossier_find(partner, reference)
                if existing is not None:
                    return existing, False
                # Registered first, so it runs first at commit: once committed, the files belong to the
                # dossier, even if a later after-commit step (sending, issuing) raises into this call.
                transaction.on_commit(stored.clear)
                dossier = _file(partner, reference, procedure, applicant, cleaned, files, province_id, stored)
            return dossier, True
        except IntegrityError:
            _forget_files(stored)
            # A concurrent submission with the same reference won the race: answer with its dossier. Any
            # other conflict (the same new applicant filed twice at once) passes on the second attempt.
            existing = partner_selectors.partner_dossier_find(partner, reference)
            if existing is not None:
                return existing, False
            if attempt == 2:
                raise
        except BaseException:
            _forget_files(stored)
            raise
    raise AssertionError("unreachable")  # pragma: no cover


def _prefixed(exc: ValidationFailed, prefix: str) -> dict[str, list[str]]:
    fields = exc.details.get("fields", {}) if isinstance(exc.details, dict) else {}
    return {f"{prefix}.{name}": list(messages) for name, messages in fields.items()}


def _checked_submission(
    procedure_code: str,
    form_data: dict[str, Any],
    province_code: str | None,
    attachments: Sequence[tuple[str, str, bytes]],
) -> tuple[ProcedureVersion, dict[str, Any], list[_File], int | None]:
    """Everything that can be checked before writing, all at once, so the partner sees every problem."""
    try:
        procedure = filing.procedure_in_force(procedure_code)
    except ProcedureNotFound as exc:
        raise ValidationFailed.single("procedure_code", str(exc.message)) from exc
    if procedure.applicant != "person":
        raise ValidationFailed.single(
            "procedure_code", _("Partner systems file only procedures whose applicant is a person.")
        )
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    try:
        cleaned = clean_form_data(procedure.fields, form_data if isinstance(form_data, dict) else {})
    except ValidationFailed as exc:
        errors.update(_prefixed(exc, "form_data"))
    province_id = None
    if province_code:
        province_id = Province.objects.filter(code=province_code.strip()).values_list("pk", flat=True).first()
        if province_id is None:
            errors["province_code"] = [_("There is no province with this code.")]
    file_errors, files = _checked_files(procedure, attachments)
    if file_errors and not errors:
        raise UploadRefused(file_errors)
    errors.update(file_errors)
    if errors:
        raise ValidationFailed(errors)
    return procedure, cleaned, files, province_id


def _checked_files(
    procedure: ProcedureVersion, attachments: Sequence[tuple[str, str, bytes]]
) -> tuple[dict[str, list[str]], list[_File]]:
    """The same checks as an upload by the applicant (services.attachments): a document the procedure asks
    for, not too many of one kind, not empty, not too large, and a type read from the content."""
    errors: dict[str, list[str]] = {}
    files: list[_File] = []
    counts: Counter[str] = Counter()
    limit = settings.DOSSIER_UPLOAD_MAX_BYTES
    for i, (document_code, filename, content) in enumerate(attachments):
        key = f"attachments.{i}"
        spec = procedure.document(document_code)
        if spec is None:
            errors[f"{key}.document_code"] = [_("This procedure does not ask for this document.")]
            continue
        counts[document_code] += 1
        if counts[document_code] > spec.max_files:
            errors[key] = [_("At most %(n)d files for this document.") % {"n": spec.max_files}]
            continue
        if not content:
            errors[key] = [_("The file is empty.")]
            continue
        if len(content) > limit:
            errors[key] = [_("The file is larger than %(mb)d MB.") % {"mb": limit // (1024 * 1024)}]
            continue
        sniffed = sniff_content_type(content[:_SNIFF_BYTES])
        if sniffed is None or sniffed not in spec.content_types:
            allowed = ", ".join(t.split("/")[1].upper() for t in spec.content_types)
            errors[key] = [
                _("This kind of file is not accepted here. Accepted: %(types)s.") % {"types": allowed}
            ]
            continue
        files.append(_File(spec, document_code, _safe_filename(filename), content, sniffed))
    return errors, files


def _safe_filename(filename: str) -> str:
    # Shown to officers only; never used on disk (attachments are stored under a random name).
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "file")[-200:]


def _applicant(applicant: dict[str, Any]) -> Person:
    """The person with the applicant's personal ID number, or a new personal record for them.

    An existing record is never changed by a partner; its name must match (a mistyped ID number must not
    file a dossier in someone else's name)."""
    parsed = parse_personal_id(str(applicant.get("personal_id") or ""))
    if not parsed.valid:
        raise ValidationFailed.single("applicant.personal_id", str(parsed.error))
    full_name = " ".join(str(applicant.get("full_name") or "").split())
    person = Person.objects.filter(personal_id=parsed.number).first()
    if person is not None:
        if normalise_search(full_name) != normalise_search(person.full_name):
            raise ValidationFailed.single(
                "applicant.full_name", _("The name does not match the person registered with this ID number.")
            )
        return person
    email = str(applicant.get("email") or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationFailed.single("applicant.email", _("Enter a valid e-mail address.")) from exc
    dob = applicant.get("date_of_birth")
    try:
        return person_create(
            actor=None,
            full_name=full_name,
            personal_id=parsed.number,
            date_of_birth=dob if isinstance(dob, date) else None,
            phone=str(applicant.get("phone") or "").strip(),
            email=email,
        )
    except ValidationFailed as exc:
        if Person.objects.filter(personal_id=parsed.number).exists():
            # A concurrent submission registered the same person since we looked: the caller tries again.
            raise IntegrityError("the applicant was registered concurrently") from exc
        raise ValidationFailed(_prefixed(exc, "applicant")) from exc


def _file(
    partner: Partner,
    reference: str,
    procedure: ProcedureVersion,
    applicant: dict[str, Any],
    form_data: dict[str, Any],
    files: list[_File],
    province_id: int | None,
    stored: list[Attachment],
) -> Dossier:
    person = _applicant(applicant)
    if province_id is None:
        province_id = person.province_id
    if procedure.level == "province" and province_id is None:
        raise ValidationFailed.single(
            "province_code", _("Give the code of the province where the dossier is filed.")
        )
    receiver = filing.receiving_body(procedure, province_id)
    dossier = filing.new_dossier(
        actor=None,
        procedure=procedure,
        channel=Channel.PARTNER,
        receiver=receiver,
        person=person,
        form_data=form_data,
    )
    # The unique (partner, reference) constraint bites here, before any file is stored.
    dossier.partner = partner
    dossier.partner_reference = reference
    dossier.save(update_fields=["partner", "partner_reference", "updated_at"])
    for file in files:
        _attach(dossier, file, stored)
    note = _("Filed through %(partner)s, reference %(reference)s.") % {
        "partner": partner.name,
        "reference": reference,
    }
    transitions.apply_step(dossier, Action.SUBMIT, actor=None, note=note)
    audit.record(
        actor=None,
        action="dossier.partner_submit",
        obj=dossier,
        changes={"partner": partner.code, "reference": reference, "attachments": len(files)},
    )
    return dossier


def _attach(dossier: Dossier, file: _File, stored: list[Attachment]) -> Attachment:
    """Stores one checked file (the partner's side of `attachments.attachment_add`, without the applicant's
    access check: the partner files for the applicant). The caller deletes `stored` files on failure."""
    attachment = Attachment(
        dossier=dossier,
        document_code=file.document_code,
        original_name=file.filename,
        content_type=file.content_type,
        size=len(file.content),
        sha256=hashlib.sha256(file.content).hexdigest(),
        uploaded_by=None,
    )
    attachment.file.save("upload", ContentFile(file.content), save=False)
    stored.append(attachment)
    attachment.save()
    transitions.record_event(dossier, actor=None, action="attach", note=str(file.spec.label))
    audit.record(
        actor=None,
        action="dossier.attach",
        obj=dossier,
        changes={"document": file.document_code, "sha256": attachment.sha256, "size": attachment.size},
    )
    return attachment


def _forget_files(stored: list[Attachment]) -> None:
    for attachment in stored:
        try:
            attachment.file.delete(save=False)
        except Exception:  # the storage is down: log it, the original error matters more
            logger.exception("partners: could not delete stored file %s", attachment.file.name)


# --- callbacks -------------------------------------------------------------------------------------------


def callback_retry_delay(attempts: int) -> int:
    """Seconds to wait after the n-th failed attempt: 60, 120, 240, ... (exponential back-off)."""
    return CALLBACK_RETRY_BASE_SECONDS * 2 ** max(0, attempts - 1)


def _event_id(dossier: Dossier, event: DossierEvent) -> str:
    return str(uuid.uuid5(_EVENT_NAMESPACE, f"{dossier.pk}:{event.pk}:{event.at.isoformat()}"))


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def callback_payload(dossier: Dossier, event: DossierEvent, event_id: str) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "reference": dossier.partner_reference,
        "receipt_code": dossier.receipt_code,
        "action": event.action,
        "state": dossier.state,
        "previous_state": event.from_state or None,
        "due_date": _iso(dossier.due_date),
        # Internal notes between officers stay internal; a public note (what to add, why refused) is the
        # applicant's to know, and the partner tells the applicant.
        "note": event.note if event.public else "",
        "at": _iso(event.at),
    }


def partner_callback_enqueue(dossier: Dossier, event: DossierEvent) -> PartnerCallback | None:
    """Writes the callback for a step of a partner's dossier (inside the step's transaction: an outbox, so
    it cannot be lost between the commit and the queue) and sends it once the step commits.

    A partner with no callback URL, or deactivated, gets the row all the same, marked failed with the
    reason: staff see it and may send it again once the partner is set up."""
    partner = dossier.partner
    if partner is None:
        return None
    event_id = _event_id(dossier, event)
    now = timezone.now()
    reason = _undeliverable_reason(partner)
    callback, created = PartnerCallback.objects.get_or_create(
        event_id=event_id,
        defaults={
            "partner": partner,
            "dossier": dossier,
            "payload": callback_payload(dossier, event, event_id),
            "status": CallbackStatus.FAILED if reason else CallbackStatus.PENDING,
            "last_error": reason,
            "created_at": now,
            "next_attempt_at": None if reason else now,
        },
    )
    if created and not reason:
        _send_after_commit(callback.pk)
    return callback


def _undeliverable_reason(partner: Partner) -> str:
    if not partner.is_active:
        return "The partner is deactivated."
    if not partner.callback_url:
        return "The partner has no callback URL."
    return ""


def _send_after_commit(callback_id: int) -> None:
    def send() -> None:
        from ansinh.dossiers.partner_tasks import deliver_callback

        deliver_callback.delay(callback_id)

    # robust: a broker that is down must not fail the step that already committed; the row stays pending
    # and the sweep (partner_tasks.retry_due_callbacks) sends it.
    transaction.on_commit(send, robust=True)


def callback_deliver(callback_id: int) -> CallbackStatus | None:
    """One attempt to send a pending callback that is due. Safe to run twice and from many workers: the
    attempt is claimed by moving `attempts` from n to n+1 in one conditional update, a delivered or failed
    callback is never sent, and one whose next attempt lies ahead is left alone. None: no such callback."""
    callback = PartnerCallback.objects.select_related("partner").filter(pk=callback_id).first()
    if callback is None:
        return None
    if callback.status != CallbackStatus.PENDING:
        return CallbackStatus(callback.status)
    now = timezone.now()
    if callback.next_attempt_at is not None and callback.next_attempt_at > now + timedelta(seconds=1):
        return CallbackStatus.PENDING
    claimed = PartnerCallback.objects.filter(
        pk=callback.pk, status=CallbackStatus.PENDING, attempts=callback.attempts
    ).update(attempts=F("attempts") + 1, next_attempt_at=now + timedelta(seconds=CALLBACK_LEASE_SECONDS))
    if not claimed:
        return CallbackStatus.PENDING  # another worker has this attempt
    attempts = callback.attempts + 1
    reason = _undeliverable_reason(callback.partner)
    if reason:
        return _callback_finish(callback.pk, CallbackStatus.FAILED, status_code=None, error=reason)
    status_code, error = _post(callback)
    if not error:
        return _callback_finish(callback.pk, CallbackStatus.DELIVERED, status_code=status_code, error="")
    if attempts < CALLBACK_MAX_ATTEMPTS:
        PartnerCallback.objects.filter(pk=callback.pk).update(
            last_status_code=status_code,
            last_error=error[:500],
            next_attempt_at=timezone.now() + timedelta(seconds=callback_retry_delay(attempts)),
        )
        return CallbackStatus.PENDING
    logger.warning("partners: callback %s failed after %s attempts: %s", callback.pk, attempts, error)
    return _callback_finish(callback.pk, CallbackStatus.FAILED, status_code=status_code, error=error)


def _callback_finish(
    callback_id: int, status: CallbackStatus, *, status_code: int | None, error: str
) -> CallbackStatus:
    now = timezone.now()
    PartnerCallback.objects.filter(pk=callback_id).update(
        status=status,
        last_status_code=status_code,
        last_error=error[:500],
        next_attempt_at=None,
        delivered_at=now if status == CallbackStatus.DELIVERED else None,
    )
    return status


def _post(callback: PartnerCallback) -> tuple[int | None, str]:
    """POSTs the signed callback. Returns the HTTP status (if any) and an error ("" when delivered: 2xx)."""
    partner = callback.partner
    body = json.dumps(callback.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "ansinh-partner-callbacks/1",
        "X-Ansinh-Event": callback.event_id,
        "X-Ansinh-Timestamp": stamp,
        "X-Ansinh-Signature": signature_for(partner.hmac_secret, stamp, body),
    }
    try:
        response = httpx.post(
            partner.callback_url,
            content=body,
            headers=headers,
            timeout=CALLBACK_TIMEOUT_SECONDS,
            follow_redirects=False,
        )
    except httpx.HTTPError as exc:
        return None, f"{type(exc).__name__}: {exc}"
    except Exception as exc:  # a bad address or a library error: recorded and retried like the others
        logger.exception("partners: callback %s raised", callback.pk)
        return None, type(exc).__name__
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code} {response.reason_phrase}".strip()


def callback_retry(*, actor: Any, callback_id: int) -> PartnerCallback:
    """Staff send a failed callback again: it becomes pending with a fresh round of attempts."""
    require_permission(actor, perms.PARTNER_MANAGE)
    with transaction.atomic():
        callback = (
            partner_selectors.callbacks_for(actor)
            .select_related(None)
            .select_for_update()
            .filter(pk=callback_id)
            .first()
        )
        if callback is None:
            raise NotFound()
        if callback.status != CallbackStatus.FAILED:
            raise Conflict(_("Only a callback that failed can be sent again."))
        previous_attempts = callback.attempts
        callback.status = CallbackStatus.PENDING
        callback.attempts = 0
        callback.next_attempt_at = timezone.now()
        callback.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit.record(
            actor=actor,
            action="partner.callback_retry",
            obj=callback,
            changes={"event_id": callback.event_id, "previous_attempts": previous_attempts},
        )
        _send_after_commit(callback.pk)
    return callback
