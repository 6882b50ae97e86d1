"""Audit log search and export for auditors (`audit.read`, nation scope only: the log spans everyone)."""

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import field_validator

from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.core.exports import stream_audit_csv
from ansinh.core.selectors import AuditFilter, audit_entries_for

router = Router(tags=["audit"])
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MAX_UTC_OFFSET = timedelta(hours=14)
_NUMBER = re.compile(r"^\s*[-+]?\d+(\.\d*)?\s*$")


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
    since: datetime | None = Field(None, description="ISO 8601; without an offset, Vietnam time")
    until: datetime | None = Field(None, description="ISO 8601; without an offset, Vietnam time")

    @field_validator("since", "until", mode="before")
    @classmethod
    def _text_only(cls, value: Any) -> Any:
        # Pydantic would also read a bare number as a Unix time, which the documented format does not allow.
        if value is None or isinstance(value, datetime):
            return value
        if not isinstance(value, str) or _NUMBER.match(value):
            raise ValueError("expected an ISO 8601 date-time")
        return value

    @field_validator("since", "until")
    @classmethod
    def _real_offset_in_utc(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=VIETNAM).astimezone(UTC)
        offset = value.utcoffset() or timedelta()
        if abs(offset) > MAX_UTC_OFFSET:  # no place on Earth; PostgreSQL would refuse beyond +-15:59
            raise ValueError("time zone offset out of range")
        return value.astimezone(UTC)


@router.get("/entries", response=list[AuditEntryOut], summary="Search the audit log")
@paginate(PageNumber)
def entries(request: HttpRequest, filters: Query[AuditQuery]) -> Any:
    return audit_entries_for(current_user(request), AuditFilter(**filters.dict()))


@router.get("/entries.csv", summary="Export the matching audit entries as CSV", response={200: None})
def export_csv(request: HttpRequest, filters: Query[AuditQuery]) -> StreamingHttpResponse:
    return stream_audit_csv(
        audit_entries_for(current_user(request), AuditFilter(**filters.dict()), export=True)
    )
