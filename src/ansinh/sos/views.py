"""The public notices page: Vietnamese first, light for cheap phones (no script)."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ansinh.sos import selectors
from ansinh.sos.models import Programme

PAGE_SIZE = 20


@require_safe
def notices(request: HttpRequest) -> HttpResponse:
    country = request.GET.get("country", "")[:2].upper()
    programme = request.GET.get("programme", "")[:40]
    page = Paginator(selectors.notice_feed(country=country, programme=programme), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    read = selectors.read_notice_ids(request.user, [n.pk for n in page])
    return render(
        request,
        "sos/notices.html",
        {
            "page": page,
            "read": read,
            "country": country,
            "programme": programme,
            "programmes": Programme.choices,
        },
    )


@require_safe
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = selectors.published_notices().filter(pk=notice_id).first()
    if notice is None:
        raise Http404
    return render(request, "sos/notice_detail.html", {"notice": notice})
