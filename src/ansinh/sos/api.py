"""Notices for workers abroad: public reading, publishing by the centre."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.core.errors import NotFound
from ansinh.sos import selectors
from ansinh.sos.models import Notice
from ansinh.sos.schemas import NoticeIn, NoticeOut
from ansinh.sos.services import notices as services

router = Router(tags=["notices"])


@router.get("/notices", auth=None, response=list[NoticeOut], summary="Published notices (no login)")
@paginate(PageNumber)
def notice_list(request: HttpRequest, country: str = "", programme: str = "") -> Any:
    return selectors.notice_feed(country=country[:2], programme=programme[:40])


@router.get("/notices/{notice_id}", auth=None, response=NoticeOut, summary="One published notice")
def notice_detail(request: HttpRequest, notice_id: int) -> Notice:
    notice = selectors.published_notices().filter(pk=notice_id).first()
    if notice is None:
        raise NotFound()
    return notice


@router.post("/notices", response={201: NoticeOut}, summary="Publish a notice (one row, any audience size)")
def notice_publish(request: HttpRequest, payload: NoticeIn) -> Status[Notice]:
    return Status(201, services.notice_publish(actor=current_user(request), **payload.dict()))


@router.post("/notices/{notice_id}/withdraw", response=NoticeOut, summary="Withdraw a notice")
def notice_withdraw(request: HttpRequest, notice_id: int) -> Notice:
    return services.notice_withdraw(actor=current_user(request), notice_id=notice_id)


@router.post("/notices/{notice_id}/read", response={204: None}, summary="Mark a notice read")
def notice_read(request: HttpRequest, notice_id: int) -> Status[None]:
    services.notice_mark_read(actor=current_user(request), notice_id=notice_id)
    return Status(204, None)
