"""Reads of dossiers, always with the actor's scope.

Staff see the dossiers received by the organisations their grant of a dossier permission covers (their own
subtree by path, or the provinces of a provincial role, or the nation); applicants see their own dossiers
and those of the organisations they belong to. The public sees one dossier's status by receipt code plus
the applicant's ID number, nothing else.
"""

import base64
import binascii
import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from ansinh.accounts.models import Organisation
from ansinh.accounts.selectors import Grant, active_memberships, grant_for, membership_allows, scope_q
from ansinh.core import audit
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.core.text import normalise_search
from ansinh.dossiers import permissions as perms
from ansinh.dossiers.models import Channel, Dossier, DossierEvent, IssuedDocument
from ansinh.dossiers.procedures import State
from ansinh.dossiers.rules import CLOCK_RUNNING, FINAL_STATES

OPEN_STATES = frozenset(State) - FINAL_STATES - {State.DRAFT}


def staff_q(grant: Grant) -> Q:
    return scope_q(grant, province="province_id", org_path="org_path")


def org_in_grant(grant: Grant, organisation: Any) -> bool:
    return (
        grant.nation
        or (organisation.province_id is not None and organisation.province_id in grant.province_ids)
        or any(organisation.path.startswith(path) for path in grant.org_paths)
    )


def grant_covers(grant: Grant, dossier: Dossier) -> bool:
    return (
        grant.nation
        or (dossier.province_id is not None and dossier.province_id in grant.province_ids)
        or any(dossier.org_path.startswith(path) for path in grant.org_paths)
    )


def staff_filter(grant: Grant) -> Q | None:
    """The dossiers a grant covers (None: all of them), written as equalities the indexes can use.

    Not a LIKE on the path: an equality on the receiving body (or on the province, for a provincial
    role) lets PostgreSQL walk the (receiving_organisation | province, queue_due, id) index in order and
    stop after one page, where a path prefix scans and sorts every open dossier (bench/results_dossiers.md).
    """
    if grant.nation:
        return None
    q = Q(pk__in=[])
    if grant.province_ids:
        q |= Q(province_id__in=sorted(grant.province_ids))
    outside = Q(pk__in=[])
    for path in grant.org_paths:
        outside |= Q(path__startswith=path)
    org_ids = list(
        Organisation.objects.filter(outside)
        .exclude(province_id__in=grant.province_ids)
        .values_list("pk", flat=True)
    )
    if org_ids:
        q |= Q(receiving_organisation_id__in=org_ids)
    return q


def dossiers_to_handle(actor: Any, permission: str) -> QuerySet[Dossier]:
    """Dossiers the actor may move as staff: in scope, and never their own or their organisation's (an
    officer does not accept, decide or assign a dossier they filed for themselves)."""
    return dossiers_for_staff(actor, permission).exclude(applicant_q(actor))


def dossiers_for_staff(actor: Any, permission: str = perms.DOSSIER_READ) -> QuerySet[Dossier]:
    """Dossiers the actor may handle with `permission`. An online draft is the applicant's own business
    until submitted; a draft opened at the counter is the desk's work from the start."""
    where = staff_filter(grant_for(actor, permission))
    qs = Dossier.objects.all() if where is None else Dossier.objects.filter(where)
    online_draft = Q(state=State.DRAFT) & ~Q(channel=Channel.COUNTER)
    return qs.exclude(online_draft)


def applicant_q(actor: Any) -> Q:
    q = Q(pk__in=[])
    person_id = getattr(actor, "person_id", None)
    if person_id:
        q |= Q(applicant_person_id=person_id)
    org_ids = [m.organisation_id for m in active_memberships(actor)]
    if org_ids:
        q |= Q(applicant_organisation_id__in=org_ids)
    return q


def dossiers_for_applicant(actor: Any) -> QuerySet[Dossier]:
    if not getattr(actor, "is_authenticated", False):
        return Dossier.objects.none()
    return Dossier.objects.filter(applicant_q(actor))


def dossiers_for_applicant_side(actor: Any) -> QuerySet[Dossier]:
    """Dossiers on which the actor may take the applicant's steps: their own, and the dossiers a counter
    officer files on a citizen's behalf at the one-stop desk."""
    if not getattr(actor, "is_authenticated", False):
        return Dossier.objects.none()
    counter = staff_q(grant_for(actor, perms.DOSSIER_RECEIVE)) & Q(channel=Channel.COUNTER)
    return Dossier.objects.filter(applicant_q(actor) | counter)


def dossier_get_for(actor: Any, dossier_id: int) -> tuple[Dossier, bool]:
    """One dossier for its applicant or for staff in scope; the flag says whether the actor reads it as
    staff. A staff read of a citizen's dossier is written to the audit log."""
    related = (
        "receiving_organisation",
        "applicant_person",
        "applicant_organisation",
        "assigned_to",
        "province",
    )
    own = dossiers_for_applicant(actor).select_related(*related).filter(pk=dossier_id).first()
    if own is not None:
        return own, False
    dossier = dossiers_for_staff(actor).select_related(*related).filter(pk=dossier_id).first()
    if dossier is None:
        raise NotFound()
    audit.record_read(actor=actor, obj=dossier)
    return dossier, True


def staff_powers(actor: Any, dossier: Dossier) -> set[str]:
    """The dossier permissions the actor holds over this dossier (to offer only the steps they may take)."""
    codes = {perms.DOSSIER_READ, perms.DOSSIER_RECEIVE, perms.DOSSIER_PROCESS, perms.DOSSIER_DECIDE}
    codes.add(perms.DOSSIER_SUPERVISE)
    if dossiers_for_applicant(actor).filter(pk=dossier.pk).exists():
        codes = {perms.DOSSIER_READ}  # one's own dossier: read it, never handle it
    return {code for code in codes if grant_covers(grant_for(actor, code), dossier)}


def timeline(dossier: Dossier, *, staff: bool) -> QuerySet[DossierEvent]:
    events = dossier.events.select_related("actor")
    return events if staff else events.filter(public=True)


def documents_of(dossier: Dossier) -> QuerySet[IssuedDocument]:
    return dossier.documents.all()


# --- the staff work queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueFilter:
    organisation_id: int | None = None
    states: tuple[str, ...] = ()
    search: str = ""
    urgency: str = ""  # "overdue" | "due_soon" | ""
    assigned_to_id: int | None = None
    unassigned: bool = False
    procedure_code: str = ""


@dataclass(frozen=True)
class QueuePage:
    items: list[Dossier]
    next_cursor: str | None
    has_previous: bool


def encode_cursor(dossier: Dossier) -> str:
    return base64.urlsafe_b64encode(f"{dossier.queue_due.isoformat()}|{dossier.pk}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[date, int]:
    try:
        day, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        return date.fromisoformat(day), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValidationFailed.single("cursor", "Invalid cursor.") from exc


def queue_for(actor: Any, flt: QueueFilter, today: date, due_soon_limit: date) -> QuerySet[Dossier]:
    """The actor's queue: open dossiers (or the chosen states), by due date, then receipt order.

    `due_soon_limit` is the last day that counts as "due soon" (today + 2 working days, from the caller).
    """
    qs = dossiers_for_staff(actor)
    qs = qs.filter(state__in=flt.states) if flt.states else qs.filter(state__in=OPEN_STATES)
    if flt.organisation_id:
        qs = qs.filter(receiving_organisation_id=flt.organisation_id)
    if flt.procedure_code:
        qs = qs.filter(procedure_code=flt.procedure_code)
    if flt.assigned_to_id:
        qs = qs.filter(assigned_to_id=flt.assigned_to_id)
    elif flt.unassigned:
        qs = qs.filter(assigned_to__isnull=True)
    if flt.urgency == "overdue":
        qs = qs.filter(state__in=CLOCK_RUNNING, due_date__lt=today)
    elif flt.urgency == "due_soon":
        qs = qs.filter(state__in=CLOCK_RUNNING, due_date__gte=today, due_date__lte=due_soon_limit)
    if flt.search:
        qs = qs.filter(_search_q(flt.search))
    return qs.select_related("receiving_organisation", "assigned_to").order_by("queue_due", "id")


def _search_q(text: str) -> Q:
    term = text.strip()
    compact = term.replace(" ", "").upper()
    if any(ch.isdigit() for ch in term) and "-" in term:
        return Q(receipt_code=compact)
    if term.isdigit() or (compact.isalnum() and any(ch.isdigit() for ch in compact)):
        return Q(applicant_id_number=compact) | Q(receipt_code__endswith=compact)
    return Q(applicant_name_search__contains=normalise_search(term))


def queue_page(qs: QuerySet[Dossier], *, cursor: str | None, size: int) -> QueuePage:
    """Keyset page of the queue: constant time for page 1 and page 100 alike (index on due date, id)."""
    if cursor:
        due, pk = decode_cursor(cursor)
        # (queue_due, id) > (due, pk), written so that `queue_due >= due` is an index condition.
        qs = qs.filter(Q(queue_due__gte=due) & (Q(queue_due__gt=due) | Q(id__gt=pk)))
    rows = list(qs[: size + 1])
    items = rows[:size]
    next_cursor = encode_cursor(items[-1]) if len(rows) > size else None
    return QueuePage(items=items, next_cursor=next_cursor, has_previous=bool(cursor))


COUNTS_CACHE_SECONDS = 30


def state_counts(actor: Any, organisation_id: int | None = None) -> dict[str, int]:
    """Open dossiers per state. Counting a big centre's queue costs tens of milliseconds on every page
    view, so the figures are cached for half a minute per scope: they label the filter, nothing more."""
    where = staff_filter(grant_for(actor, perms.DOSSIER_READ))
    scope = f"{where!r}|{organisation_id or ''}"
    key = f"dossier-counts:{hashlib.sha256(scope.encode()).hexdigest()}"
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    qs = Dossier.objects.filter(state__in=OPEN_STATES)
    if where is not None:
        qs = qs.filter(where)
    if organisation_id:
        qs = qs.filter(receiving_organisation_id=organisation_id)
    counts = dict(qs.values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    cache.set(key, counts, COUNTS_CACHE_SECONDS)
    return counts


# --- public lookups ------------------------------------------------------------------------------------


def dossier_by_receipt(receipt_code: str, id_number: str) -> Dossier | None:
    """The dossier with this receipt code whose applicant has this ID number (personal ID or passport)."""
    code = receipt_code.strip().upper()
    number = id_number.replace(" ", "").strip().upper()
    if not code or not number:
        return None
    return (
        Dossier.objects.select_related("receiving_organisation")
        .filter(receipt_code=code, applicant_id_number=number)
        .exclude(state=State.DRAFT)
        .first()
    )


def document_by_short_code(short_code: str) -> IssuedDocument | None:
    code = short_code.strip().upper()
    return (
        IssuedDocument.objects.select_related("dossier__receiving_organisation")
        .filter(short_code=code)
        .first()
    )


def officers_for(actor: Any) -> list[Any]:
    """The officers a supervisor may assign dossiers to: members, in the supervisor's scope, who process."""
    from ansinh.accounts.models import Membership

    grant = grant_for(actor, perms.DOSSIER_SUPERVISE)
    if grant.empty:
        return []
    memberships = (
        Membership.objects.filter(is_active=True, organisation__is_active=True, user__is_active=True)
        .filter(scope_q(grant, province="organisation__province_id", org_path="organisation__path"))
        .select_related("user", "role")
        .order_by("user__username")
    )
    seen: dict[int, Any] = {}
    for m in memberships[:500]:
        if membership_allows(m, perms.DOSSIER_PROCESS):
            seen.setdefault(m.user_id, m.user)
    return list(seen.values())


def counter_person_find(actor: Any, id_number: str) -> list[Any]:
    """The citizen standing at the one-stop desk, found by the exact personal ID or passport number on the
    card they show (never by name: the desk cannot browse people). Each look-up that finds someone is
    written to the audit log."""
    from ansinh.accounts.models import Person

    if grant_for(actor, perms.DOSSIER_RECEIVE).empty:
        return []
    number = id_number.replace(" ", "").strip().upper()
    if len(number) < 6:
        return []
    people = list(Person.objects.filter(Q(personal_id=number) | Q(passport_number=number))[:5])
    for person in people:
        audit.record_read(actor=actor, obj=person, reason="one-stop counter")
    return people
