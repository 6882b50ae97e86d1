"""Reads of the audit log. Only actors with `audit.read` at nation scope (auditors) may search it, and
each search or export is itself audited."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from ansinh.core import audit
from ansinh.core.errors import PermissionDenied
from ansinh.core.models import AuditEntry


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""
    actor_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    since: datetime | None = None
    until: datetime | None = None


def _may_read_audit(actor: Any) -> bool:
    # The kernel cannot import accounts; the user model answers through its own method.
    check = getattr(actor, "has_nation_permission", None)
    return bool(check and check("audit.read"))


def audit_entries_for(actor: Any, flt: AuditFilter, *, export: bool = False) -> QuerySet[AuditEntry]:
    if not _may_read_audit(actor):
        raise PermissionDenied()
    qs = AuditEntry.objects.all()
    if flt.action:
        qs = qs.filter(action__startswith=flt.action)
    if flt.actor_id is not None:
        qs = qs.filter(actor_id=flt.actor_id)
    if flt.object_type:
        qs = qs.filter(object_type=flt.object_type)
    if flt.object_id:
        qs = qs.filter(object_id=flt.object_id)
    if flt.since:
        qs = qs.filter(at__gte=flt.since)
    if flt.until:
        qs = qs.filter(at__lt=flt.until)
    audit.record(
        actor=actor,
        action="audit.export" if export else "audit.search",
        changes={k: str(v) for k, v in flt.__dict__.items() if v not in ("", None)},
    )
    return qs.order_by("-seq")
