"""Models of the workers-abroad service, one module per room: notices, requests, workers, the desk."""

from ansinh.sos.models.desk import (
    ActionKind,
    DeskEvent,
    DeskSequence,
    Mission,
    MissionKind,
    RequestAction,
)
from ansinh.sos.models.notices import Audience, Notice, NoticeRead, Programme
from ansinh.sos.models.requests import (
    OPEN_STATUSES,
    Category,
    HelpRequest,
    Outcome,
    RequestKind,
    RequestMessage,
    RequestStatus,
)
from ansinh.sos.models.workers import WorkerProfile, WorkerSource

__all__ = [
    "OPEN_STATUSES",
    "ActionKind",
    "Audience",
    "Category",
    "DeskEvent",
    "DeskSequence",
    "HelpRequest",
    "Mission",
    "MissionKind",
    "Notice",
    "NoticeRead",
    "Outcome",
    "Programme",
    "RequestAction",
    "RequestKind",
    "RequestMessage",
    "RequestStatus",
    "WorkerProfile",
    "WorkerSource",
]
