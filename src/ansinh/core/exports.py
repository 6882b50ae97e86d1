"""Streaming CSV export of audit entries (constant memory however many rows match)."""

import csv
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from ansinh.core.models import AuditEntry

HEADER = [
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "changes",
    "ip",
    "request_id",
    "entry_hash",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_audit_csv(entries: QuerySet[AuditEntry], filename: str = "audit.csv") -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff"  # so spreadsheet programs read the Vietnamese text as UTF-8
        yield writer.writerow(HEADER)
        for e in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    e.seq,
                    e.at.isoformat(),
                    e.actor_id,
                    e.actor_label,
                    e.organisation_id,
                    e.action,
                    e.object_type,
                    e.object_id,
                    e.changes,
                    e.ip,
                    e.request_id,
                    e.entry_hash,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
