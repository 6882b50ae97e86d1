"""The daily deadline sweep: mark dossiers due within 2 working days and overdue, and warn the officers.

Each dossier is warned once per state of urgency (the `*_warned_on` marks), so the sweep can run every
hour, or twice after a crash, without repeating itself. Warnings are one digest per organisation for its
supervisors, and one per officer in charge for their own dossiers: a busy centre gets two messages a day,
not hundreds.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ansinh.accounts.models import Organisation, User
from ansinh.core import workdays
from ansinh.dossiers import messages
from ansinh.dossiers import permissions as perms
from ansinh.dossiers.models import Dossier
from ansinh.dossiers.rules import CLOCK_RUNNING, DUE_SOON_WORKING_DAYS
from ansinh.notify.services import notify_org, notify_user

_MAX_CODES = 30


@dataclass(frozen=True)
class SweepResult:
    due_soon: int
    overdue: int


@dataclass
class _Digest:
    overdue: list[str]
    due_soon: list[str]


def due_soon_limit(today: date) -> date:
    return workdays.add_working_days(today, DUE_SOON_WORKING_DAYS)


def deadline_sweep(today: date | None = None) -> SweepResult:
    today = today or timezone.localdate()
    limit = due_soon_limit(today)
    running = Dossier.objects.filter(state__in=CLOCK_RUNNING)
    with transaction.atomic():
        overdue = list(
            running.select_for_update()
            .filter(due_date__lt=today, overdue_warned_on__isnull=True)
            .order_by("id")
        )
        due_soon = list(
            running.select_for_update()
            .filter(due_date__gte=today, due_date__lte=limit, due_soon_warned_on__isnull=True)
            .order_by("id")
        )
        Dossier.objects.filter(pk__in=[d.pk for d in overdue]).update(overdue_warned_on=today)
        Dossier.objects.filter(pk__in=[d.pk for d in due_soon]).update(due_soon_warned_on=today)
        # In the same transaction as the marks: notify is an outbox, so a warning is never marked and lost.
        _send_digests(overdue, due_soon)
    return SweepResult(due_soon=len(due_soon), overdue=len(overdue))


def _send_digests(overdue: list[Dossier], due_soon: list[Dossier]) -> None:
    by_org: dict[int, _Digest] = defaultdict(lambda: _Digest([], []))
    by_officer: dict[int, _Digest] = defaultdict(lambda: _Digest([], []))
    for dossiers, overdue_list in ((overdue, True), (due_soon, False)):
        for d in dossiers:
            targets = [by_org[d.receiving_organisation_id]]
            if d.assigned_to_id:
                targets.append(by_officer[d.assigned_to_id])
            for digest in targets:
                (digest.overdue if overdue_list else digest.due_soon).append(d.receipt_code or f"#{d.pk}")
    link = reverse("dossiers:queue")
    orgs = Organisation.objects.in_bulk(list(by_org))
    for org_id, digest in by_org.items():
        context = _context(orgs[org_id].name, digest)
        # The body's supervisors see every warned dossier; each officer in charge gets their own below.
        notify_org(orgs[org_id], messages.DEADLINES, context, permission=perms.DOSSIER_SUPERVISE, link=link)
    officers = User.objects.in_bulk(list(by_officer))
    for officer_id, digest in by_officer.items():
        notify_user(officers[officer_id], messages.DEADLINES, _context("", digest), link=link)


def _context(organisation: str, digest: _Digest) -> dict[str, object]:
    def codes(items: list[str]) -> str:
        shown = ", ".join(items[:_MAX_CODES])
        return shown + (f" (+{len(items) - _MAX_CODES})" if len(items) > _MAX_CODES else "") if items else "-"

    return {
        "organisation": organisation,
        "overdue": len(digest.overdue),
        "due_soon": len(digest.due_soon),
        "overdue_codes": codes(digest.overdue),
        "due_soon_codes": codes(digest.due_soon),
    }
