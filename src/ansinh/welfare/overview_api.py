"""`GET /api/v1/me/services`: what the My services page shows, for the mobile app. Links are site paths
("" when that page does not exist)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from ansinh.api.auth import current_user
from ansinh.welfare.overview import Item, Link, MyServices, NextStep, Section, my_services
from ansinh.welfare.overview_schemas import MyServicesOut

router = Router(tags=["welfare"])


def _url(link: Link | None) -> str:
    return link.url() if link is not None else ""


def _step(step: NextStep | None) -> dict[str, Any] | None:
    if step is None:
        return None
    return {"service": step.service, "text": step.text, "on": step.on, "url": _url(step.link)}


def _item(item: Item) -> dict[str, Any]:
    return {
        "title": item.title,
        "status": item.status,
        "status_label": item.status_label,
        "detail": item.detail,
        "on": item.on,
        "amount": item.amount,
        "url": _url(item.link),
    }


def _section(section: Section) -> dict[str, Any]:
    return {
        "key": section.key,
        "title": section.title,
        "count": section.count,
        "items": [_item(i) for i in section.items],
        "next_step": _step(section.next_step),
        "see_all_url": _url(section.see_all),
    }


def services_data(services: MyServices) -> dict[str, Any]:
    return {
        "has_person": services.has_person,
        "person_name": services.person_name,
        "today": services.today,
        "unread": services.unread,
        "next_steps": [_step(s) for s in services.next_steps],
        "sections": [_section(s) for s in services.sections],
        "offers": [{"key": o.key, "title": o.title, "url": _url(o.link)} for o in services.offers],
    }


@router.get(
    "/me/services",
    response=MyServicesOut,
    summary="My services: everything the platform holds for the signed-in person, with the next steps",
)
def me_services(request: HttpRequest) -> dict[str, Any]:
    return services_data(my_services(current_user(request)))
