"""Audit log search and export for auditors (`audit.read`, nation scope only: the log spans everyone)."""

from datetime import datetime
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.core.exports import stream_audit_csv
from ansinh.core.selectors import AuditFilter, audit_entries_for

router = Router(tags=["audit"])


class AuditEntryOut(Schema):
    seq: int
    at: datetime
    actor_id: int | None
    actor_label: str
    organisation_id: int | None
    action: str
    object_type: str
    object_id: str
    changes: dict[str, Any]
    ip: str | None
    request_id: str


class AuditQuery(Schema):
    action: str = Field("", max_length=80)
    actor_id: int | None = None
    object_type: str = Field("", max_length=80)
    object_id: str = Field("", max_length=64)
    since: datetime | None = None
    until: datetime | None = None


@router.get("/entries", response=list[AuditEntryOut], summary="Search the audit log")
@paginate(PageNumber)
def entries(request: HttpRequest, filters: Query[AuditQuery]) -> Any:
    return audit_entries_for(current_user(request), AuditFilter(**filters.dict()))


@router.get("/entries.csv", summary="Export the matching audit entries as CSV", response={200: None})
def export_csv(request: HttpRequest, filters: Query[AuditQuery]) -> StreamingHttpResponse:
    return stream_audit_csv(
        audit_entries_for(current_user(request), AuditFilter(**filters.dict()), export=True)
    )
