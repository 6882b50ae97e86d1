"""Support and SOS requests: the worker's app and the 24/7 desk (the paths and fields are a contract)."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Header, Router, Status
from ninja.pagination import paginate

from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.sos import selectors
from ansinh.sos.models import HelpRequest
from ansinh.sos.schemas import (
    HelpRequestCreatedOut,
    HelpRequestIn,
    HelpRequestOut,
    MessageIn,
    QueueItemOut,
    RequestMessageOut,
)
from ansinh.sos.services import help_requests as requests

router = Router(tags=["sos"])


def _detail(request: HelpRequest) -> dict[str, Any]:
    data = {field: getattr(request, field) for field in HelpRequestOut.model_fields if field != "messages"}
    data["messages"] = list(request.messages.all())
    return data


@router.post(
    "/requests",
    response={200: HelpRequestCreatedOut, 201: HelpRequestCreatedOut},
    summary="Send a support request or an SOS (send the same Idempotency-Key again to retry safely)",
)
def request_create(
    request: HttpRequest, payload: HelpRequestIn, idempotency_key: Header[str] = ""
) -> Status[HelpRequest]:
    data = payload.dict()
    client_created_at = data.pop("client_created_at")
    created, is_new = requests.request_submit(
        actor=current_user(request),
        idempotency_key=idempotency_key,
        client_created_at=client_created_at,
        **data,
    )
    return Status(201 if is_new else 200, created)


@router.get("/requests", response=list[HelpRequestCreatedOut], summary="My requests")
@paginate(PageNumber)
def request_list(request: HttpRequest) -> Any:
    return selectors.my_requests(current_user(request))


@router.get("/requests/{request_id}", response=HelpRequestOut, summary="One request with its messages")
def request_detail(request: HttpRequest, request_id: int) -> dict[str, Any]:
    return _detail(selectors.request_get_for(current_user(request), request_id))


@router.post("/requests/{request_id}/cancel", response=HelpRequestCreatedOut, summary="Cancel (within 60 s)")
def request_cancel(request: HttpRequest, request_id: int) -> HelpRequest:
    return requests.request_cancel(actor=current_user(request), request_id=request_id)


@router.post("/requests/{request_id}/messages", response={201: RequestMessageOut}, summary="Write a message")
def request_message(request: HttpRequest, request_id: int, payload: MessageIn) -> Status[Any]:
    actor = current_user(request)
    selectors.request_get_for(actor, request_id)  # the same visibility as reading it
    return Status(201, requests.request_message(actor=actor, request_id=request_id, body=payload.body))


@router.get("/queue", response=list[QueueItemOut], summary="Open requests: SOS first, then the oldest")
@paginate(PageNumber)
def queue(request: HttpRequest) -> Any:
    return _QueueItems(selectors.request_queue(current_user(request)))


class _QueueItems:
    """The queue page, with each row's waiting time computed as it is served."""

    def __init__(self, qs: Any):
        self.qs = qs

    def count(self) -> int:
        return int(self.qs.count())

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        now = timezone.now()
        return [
            {
                "id": r.pk,
                "reference": r.reference,
                "kind": r.kind,
                "status": r.status,
                "created_at": r.created_at,
                "waiting_seconds": int((now - r.created_at).total_seconds()),
                "flagged": r.flagged,
                "assigned_to": r.assigned_to.get_username() if r.assigned_to else None,
            }
            for r in self.qs[item]
        ]
