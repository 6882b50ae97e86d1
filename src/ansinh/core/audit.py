"""Writing and verifying the hash-chained audit log.

Every service write calls `audit.record(...)` inside its transaction; every staff read of a person's
record calls `audit.record_read(...)`. The request context (IP, request id) is taken from `audit_context`,
which the web and API layers set per request, so domain code never sees the request.
"""

import contextvars
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ansinh.core.middleware import current_request_id
from ansinh.core.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditContext:
    ip: str | None = None
    organisation_id: int | None = None


_EMPTY = AuditContext()
_context: contextvars.ContextVar[AuditContext] = contextvars.ContextVar("audit_context", default=_EMPTY)


@contextmanager
def audit_context(*, ip: str | None, organisation_id: int | None = None) -> Iterator[None]:
    token = _context.set(AuditContext(ip=ip, organisation_id=organisation_id))
    try:
        yield
    finally:
        _context.reset(token)


def bind_organisation(organisation_id: int | None) -> None:
    """Called once the actor is known (bearer-token requests), for the rest of the current context."""
    _context.set(AuditContext(ip=_context.get().ip, organisation_id=organisation_id))


def _canonical(entry: AuditEntry) -> bytes:
    payload = {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor_id,
        "actor_label": entry.actor_label,
        "organisation": entry.organisation_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "changes": entry.changes,
        "ip": entry.ip,
        "request_id": entry.request_id,
        "prev": entry.prev_hash,
    }
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def compute_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry)).hexdigest()


def _jsonable(changes: dict[str, Any] | None) -> dict[str, Any]:
    # Round-trip through JSON so the stored value and the hashed value are identical.
    return json.loads(json.dumps(changes or {}, default=str, ensure_ascii=False))


def record(
    *,
    actor: Any,
    action: str,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    changes: dict[str, Any] | None = None,
    organisation_id: int | None = None,
) -> AuditEntry:
    """Append one entry. Call inside the service's transaction: the entry commits or rolls back with it."""
    if obj is not None:
        object_type = object_type or f"{obj._meta.app_label}.{obj._meta.model_name}"
        object_id = object_id or str(obj.pk)
    ctx = _context.get()
    actor_id = (
        getattr(actor, "pk", None)
        if actor is not None and getattr(actor, "is_authenticated", False)
        else None
    )
    # No savepoint inside the caller's transaction (two round trips fewer while the chain head is locked);
    # outside one, this is a transaction of its own.
    with transaction.atomic(savepoint=False):
        # The row exists from migration core 0003; get_or_create covers a database emptied by a test.
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            seq=head.last_seq + 1,
            at=timezone.now(),
            actor_id=actor_id,
            actor_label=(actor.get_username() if actor_id else "")[:150],
            organisation_id=organisation_id if organisation_id is not None else ctx.organisation_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            changes=_jsonable(changes),
            ip=ctx.ip,
            request_id=current_request_id() if current_request_id() != "-" else "",
            prev_hash=head.last_hash,
        )
        entry.entry_hash = compute_hash(entry)
        entry.save()
        head.last_seq, head.last_hash = entry.seq, entry.entry_hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


def record_read(*, actor: Any, obj: Any, reason: str = "") -> AuditEntry:
    return record(
        actor=actor,
        action="person.read" if obj._meta.model_name == "person" else "record.read",
        obj=obj,
        changes={"reason": reason} if reason else None,
    )


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    problem: str = ""


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first entry whose hash, link or sequence is wrong."""
    prev_hash = GENESIS_HASH
    expected_seq = 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch_size):
        if entry.seq != expected_seq:
            return ChainReport(False, checked, entry.seq, f"sequence gap: expected {expected_seq}")
        if entry.prev_hash != prev_hash:
            return ChainReport(False, checked, entry.seq, "link to previous entry broken")
        if compute_hash(entry) != entry.entry_hash:
            return ChainReport(False, checked, entry.seq, "entry content does not match its hash")
        prev_hash = entry.entry_hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(id=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != prev_hash):
        return ChainReport(False, checked, checked + 1, "entries missing at the end of the chain")
    return ChainReport(True, checked)
