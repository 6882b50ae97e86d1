"""API of the 24/7 desk (operators): take requests up, assign, escalate, log, resolve, reopen; the missions
directory; the event stream after a sequence number (the websocket's replay, for clients without one)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.sos import selectors
from ansinh.sos.models import HelpRequest, RequestAction
from ansinh.sos.schemas import (
    ActionIn,
    ActionOut,
    AssignIn,
    DeskEventOut,
    EscalateIn,
    HelpRequestCreatedOut,
    MissionOut,
    ReopenIn,
    ResolveIn,
)
from ansinh.sos.services import desk
from ansinh.sos.services.events import event_message, events_after

router = Router(tags=["sos desk"])


def _action(action: RequestAction) -> dict[str, Any]:
    return {
        "id": action.pk,
        "kind": action.kind,
        "body": action.body,
        "actor": action.actor.get_username() if action.actor else None,
        "mission": action.mission.name if action.mission else None,
        "assignee": action.assignee.get_username() if action.assignee else None,
        "created_at": action.created_at,
    }


@router.post("/requests/{request_id}/acknowledge", response=HelpRequestCreatedOut, summary="Take it up")
def request_acknowledge(request: HttpRequest, request_id: int) -> HelpRequest:
    return desk.request_acknowledge(actor=current_user(request), request_id=request_id)


@router.post("/requests/{request_id}/assign", response=HelpRequestCreatedOut, summary="Assign or hand over")
def request_assign(request: HttpRequest, request_id: int, payload: AssignIn) -> HelpRequest:
    return desk.request_assign(
        actor=current_user(request), request_id=request_id, assignee_id=payload.assignee_id, note=payload.note
    )


@router.post(
    "/requests/{request_id}/escalate", response={201: ActionOut}, summary="Escalate to a mission or agency"
)
def request_escalate(request: HttpRequest, request_id: int, payload: EscalateIn) -> Status[Any]:
    action = desk.request_escalate(
        actor=current_user(request),
        request_id=request_id,
        mission_id=payload.mission_id,
        agency=payload.agency,
        note=payload.note,
    )
    return Status(201, _action(action))


@router.post("/requests/{request_id}/actions", response={201: ActionOut}, summary="Log a call or a note")
def request_record(request: HttpRequest, request_id: int, payload: ActionIn) -> Status[Any]:
    action = desk.request_record(
        actor=current_user(request), request_id=request_id, kind=payload.kind, body=payload.body
    )
    return Status(201, _action(action))


@router.get("/requests/{request_id}/actions", response=list[ActionOut], summary="The desk's log of a request")
def request_actions(request: HttpRequest, request_id: int) -> list[dict[str, Any]]:
    help_request = selectors.desk_request_get(current_user(request), request_id)
    return [_action(a) for a in selectors.request_actions(help_request)]


@router.post(
    "/requests/{request_id}/resolve", response=HelpRequestCreatedOut, summary="Resolve with an outcome"
)
def request_resolve(request: HttpRequest, request_id: int, payload: ResolveIn) -> HelpRequest:
    return desk.request_resolve(
        actor=current_user(request),
        request_id=request_id,
        outcome=payload.outcome,
        outcome_category=payload.outcome_category,
    )


@router.post("/requests/{request_id}/reopen", response=HelpRequestCreatedOut, summary="Reopen a resolved one")
def request_reopen(request: HttpRequest, request_id: int, payload: ReopenIn) -> HelpRequest:
    return desk.request_reopen(actor=current_user(request), request_id=request_id, reason=payload.reason)


@router.get("/missions", response=list[MissionOut], summary="Missions and agencies, the country's first")
@paginate(PageNumber)
def missions(request: HttpRequest, country: str = Query("", max_length=2)) -> Any:
    selectors.require_desk(current_user(request))
    return selectors.missions_for(country)


@router.get("/events", response=list[DeskEventOut], summary="Desk events after a sequence number")
def events(request: HttpRequest, after: int = Query(0, ge=0)) -> list[dict[str, Any]]:
    selectors.require_desk(current_user(request))
    return [event_message(e) for e in events_after(after)]
