"""The desk's event stream. Every new request and every change is numbered inside the transaction that
makes it, and sent to the open consoles once that transaction commits.

Numbers come from one counter row, taken last in the transaction and held until the commit: numbers are
gap-free and become visible in order, across any number of app processes. A console that has seen number N
and then receives N+3 knows N+1 and N+2 are already committed and reads them from the table; a console that
reconnects asks for everything after its last number. Nothing is missed and nothing is shown twice.
"""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction
from django.utils import timezone

from ansinh.sos.models import DeskEvent, DeskSequence, HelpRequest

DESK_GROUP = "sos_desk"


def _next_sequence() -> int:
    table = connection.ops.quote_name(DeskSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET value = value + 1 WHERE id = 1 RETURNING value")  # noqa: S608
        row = cursor.fetchone()
    if row is not None:
        return int(row[0])
    # The first event ever (or after a test emptied the table): create the row, then take the number.
    DeskSequence.objects.get_or_create(pk=1, defaults={"value": 0})
    return _next_sequence()


def desk_row(request: HelpRequest) -> dict[str, Any]:
    """The request as a console row: what the operators need to triage, not the whole record."""
    return {
        "id": request.pk,
        "reference": request.reference,
        "kind": request.kind,
        "status": request.status,
        "category": request.category,
        "country": request.country,
        "created_at": request.created_at.isoformat(),
        "acknowledged_at": request.acknowledged_at.isoformat() if request.acknowledged_at else None,
        "assigned_to": request.assigned_to.get_username() if request.assigned_to_id else None,  # type: ignore[union-attr]
        "latitude": float(request.latitude) if request.latitude is not None else None,
        "longitude": float(request.longitude) if request.longitude is not None else None,
        "accuracy_m": request.accuracy_m,
        "location_text": request.location_text,
        "flagged": request.flagged,
    }


def desk_event(request: HelpRequest, kind: str) -> DeskEvent:
    """Record an event on `request` in the caller's transaction (call it last: it takes the counter lock)."""
    event = DeskEvent.objects.create(
        sequence=_next_sequence(),
        request=request,
        kind=kind,
        payload=desk_row(request),
        created_at=timezone.now(),
    )
    message = event_message(event)
    transaction.on_commit(lambda: broadcast(message), robust=True)
    return event


def event_message(event: DeskEvent) -> dict[str, Any]:
    return {
        "type": "desk.event",
        "sequence": event.sequence,
        "kind": event.kind,
        "request": event.payload,
        "at": event.created_at.isoformat(),
    }


def broadcast(message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(DESK_GROUP, message)


def events_after(sequence: int, limit: int = 500) -> list[DeskEvent]:
    return list(DeskEvent.objects.filter(sequence__gt=sequence).order_by("sequence")[:limit])


def last_sequence() -> int:
    last = DeskEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first()
    return int(last or 0)
