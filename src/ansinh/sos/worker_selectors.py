"""Reads of the workers' records for the centre. Kept apart from `selectors.py` (notices and requests) like
the other per-owner modules of this app; the same rules apply: the actor is checked here, never in a view."""

from typing import Any

from django.db.models import Q, QuerySet

from ansinh.accounts.selectors import require_permission
from ansinh.core.text import normalise_search
from ansinh.sos.models import WorkerProfile
from ansinh.sos.permissions import WORKER_MANAGE


def worker_list_for(actor: Any, *, search: str = "") -> QuerySet[WorkerProfile]:
    """The workers whose accounts the centre provisions (`worker.manage`; the centre's list is national),
    newest first. `search`: the start of a passport number, or words of the name (accents optional)."""
    require_permission(actor, WORKER_MANAGE)
    qs = WorkerProfile.objects.select_related("person", "person__user")
    term = search.strip()
    if term:
        passport = "".join(term.split()).upper()
        q = Q(person__name_search__contains=normalise_search(term))
        if passport.isascii() and passport.isalnum():
            q |= Q(passport_number__startswith=passport)
        qs = qs.filter(q)
    return qs.order_by("-id")
