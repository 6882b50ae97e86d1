"""Reads of the regular-medicine requests, each scoped to the actor.

- A person reads their own requests (the signed-in user's person); another person's is "not found".
- Clinic staff (`welfare_medicine.handle`, organisation scope) read the queue of their clinic(s): the
  requests whose `org_path` lies under an organisation they work in.
- Staff with `welfare_statistics.read` read counts within their provinces, never the rows.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ansinh.accounts.models import Organisation, OrganisationKind, Person
from ansinh.accounts.selectors import (
    Grant,
    grant_for,
    person_of,
    require_permission,
    scope_q,
)
from ansinh.core import audit
from ansinh.core.text import normalise_search
from ansinh.welfare import medicine_rules as rules
from ansinh.welfare import permissions as perms
from ansinh.welfare.medicine_errors import NoSuchClinic, NoSuchMedicineRequest
from ansinh.welfare.models import (
    OPEN_MEDICINE_STATUSES,
    MedicineMode,
    MedicineRegistration,
    MedicineStatus,
)

# The clinic queue's views: what the staff handle first.
QUEUE_TODAY = "today"  # scheduled for today (pick-ups and deliveries)
QUEUE_TO_CONFIRM = "to_confirm"  # sent, not yet scheduled
QUEUE_SCHEDULED = "scheduled"  # scheduled, any day
QUEUE_ALL = "all"
QUEUE_VIEWS = (QUEUE_TODAY, QUEUE_TO_CONFIRM, QUEUE_SCHEDULED, QUEUE_ALL)


def _id(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**31 else 0


# --- the person ------------------------------------------------------------------------------------------


def requests_of(person: Person | None) -> QuerySet[MedicineRegistration]:
    """A person's requests, the newest first."""
    if person is None:
        return MedicineRegistration.objects.none()
    return MedicineRegistration.objects.filter(person=person).select_related("clinic", "province")


def request_get_for_person(actor: Any, registration_id: Any) -> MedicineRegistration:
    found = requests_of(person_of(actor)).filter(pk=_id(registration_id)).first()
    if found is None:
        raise NoSuchMedicineRequest()
    return found


def next_request_from(person: Person, clinic_id: int) -> date | None:
    """The first day the person may ask this clinic again after the last dispensing (None: any day)."""
    last = (
        MedicineRegistration.objects.filter(
            person=person, clinic_id=clinic_id, status=MedicineStatus.DISPENSED, closed_at__isnull=False
        )
        .order_by("-closed_at", "-pk")
        .values("closed_at", "days_supplied")
        .first()
    )
    if last is None:
        return None
    return rules.next_request_from(timezone.localdate(last["closed_at"]), last["days_supplied"])


# --- clinics a person may choose ------------------------------------------------------------------------


def clinics_to_choose(*, province_id: int | None = None, search: str = "") -> QuerySet[Organisation]:
    """Active clinics, of a province when given, whose name contains the words searched (accents ignored)."""
    clinics = Organisation.objects.filter(
        kind=OrganisationKind.CLINIC, is_active=True, province__isnull=False
    )
    if province_id:
        clinics = clinics.filter(province_id=province_id)
    found = clinics.select_related("province").order_by("name", "pk")
    words = normalise_search(search or "").split()[:5]
    if not words:
        return found
    # Organisation names have no search column; a clinic list is small per province, so filter in memory.
    wanted = [clinic.pk for clinic in found[:2000] if all(w in normalise_search(clinic.name) for w in words)]
    return found.filter(pk__in=wanted)


def clinic_for_request(clinic_id: Any) -> Organisation:
    clinic = (
        Organisation.objects.filter(
            pk=_id(clinic_id), kind=OrganisationKind.CLINIC, is_active=True, province__isnull=False
        )
        .select_related("province")
        .first()
    )
    if clinic is None:
        raise NoSuchClinic()
    return clinic


# --- the clinic's staff ----------------------------------------------------------------------------------


def _handle_q(grant: Grant) -> Q:
    return scope_q(grant, province="province", org_path="org_path")


def clinics_of_staff(actor: Any) -> QuerySet[Organisation]:
    """The clinics whose queue the actor handles."""
    grant = require_permission(actor, perms.MEDICINE_HANDLE)
    return (
        Organisation.objects.filter(kind=OrganisationKind.CLINIC, is_active=True)
        .filter(scope_q(grant, province="province_id", org_path="path"))
        .order_by("name", "pk")
    )


def clinic_queue(
    actor: Any,
    *,
    view: str = QUEUE_ALL,
    clinic_id: Any = None,
    status: str = "",
    day: date | None = None,
    today: date | None = None,
) -> QuerySet[MedicineRegistration]:
    """The requests the actor's clinic(s) handle. `view` picks the usual lists; `status` and `day` (the
    scheduled day) narrow further. Today's list runs by window; the others oldest request first."""
    grant = require_permission(actor, perms.MEDICINE_HANDLE)
    found = MedicineRegistration.objects.filter(_handle_q(grant)).select_related("person", "clinic")
    if clinic_id not in (None, ""):
        found = found.filter(clinic_id=_id(clinic_id))
    if view == QUEUE_TODAY:
        found = found.filter(status=MedicineStatus.SCHEDULED, scheduled_on=today or timezone.localdate())
        found = found.order_by("window_start", "pk")
    elif view == QUEUE_TO_CONFIRM:
        found = found.filter(status=MedicineStatus.REQUESTED).order_by("requested_at", "pk")
    elif view == QUEUE_SCHEDULED:
        found = found.filter(status=MedicineStatus.SCHEDULED).order_by("scheduled_on", "window_start", "pk")
    else:
        found = found.order_by("-requested_at", "-pk")
    if status in MedicineStatus.values:
        found = found.filter(status=status)
    if day is not None:
        found = found.filter(scheduled_on=day)
    return found


def request_get_for_clinic(
    actor: Any, registration_id: Any, *, lock: bool = False, audit_read: bool = False
) -> MedicineRegistration:
    """A request of the actor's clinic (locked for the transaction with `lock`). A page showing the
    person's details records the read (`audit_read`)."""
    grant = require_permission(actor, perms.MEDICINE_HANDLE)
    found = MedicineRegistration.objects.filter(_handle_q(grant), pk=_id(registration_id))
    if lock:
        found = found.select_for_update()
        registration = found.first()
    else:
        registration = found.select_related("person", "clinic", "handled_by").first()
    if registration is None:
        raise NoSuchMedicineRequest()
    if audit_read:
        audit.record_read(actor=actor, obj=registration, reason="medicine.handle")
    return registration


def queue_counts(actor: Any, *, today: date) -> dict[str, int]:
    """How many requests wait in each of the queue's views (one query)."""
    grant = require_permission(actor, perms.MEDICINE_HANDLE)
    counts = MedicineRegistration.objects.filter(_handle_q(grant)).aggregate(
        today=Count("pk", filter=Q(status=MedicineStatus.SCHEDULED, scheduled_on=today)),
        to_confirm=Count("pk", filter=Q(status=MedicineStatus.REQUESTED)),
        scheduled=Count("pk", filter=Q(status=MedicineStatus.SCHEDULED)),
    )
    return {key: int(value or 0) for key, value in counts.items()}


# --- figures -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MedicineFigures:
    by_status: dict[str, int]
    by_mode: dict[str, int]
    open: int
    total: int


def figures_for(actor: Any, *, province_id: int | None = None) -> MedicineFigures:
    """Counts of the requests in the provinces the actor reads figures of (no personal data)."""
    grant = require_permission(actor, perms.STATISTICS_READ)
    found = MedicineRegistration.objects.filter(scope_q(grant, province="province", org_path="org_path"))
    if province_id:
        found = found.filter(province_id=province_id)
    by_status = dict.fromkeys(MedicineStatus.values, 0)
    for row in found.values("status").annotate(n=Count("pk")).order_by():
        by_status[row["status"]] = row["n"]
    by_mode = dict.fromkeys(MedicineMode.values, 0)
    for mode_row in found.values("mode").annotate(n=Count("pk")).order_by():
        by_mode[mode_row["mode"]] = mode_row["n"]
    return MedicineFigures(
        by_status=by_status,
        by_mode=by_mode,
        open=sum(by_status[s] for s in OPEN_MEDICINE_STATUSES),
        total=sum(by_status.values()),
    )


def can_handle(actor: Any) -> bool:
    return not grant_for(actor, perms.MEDICINE_HANDLE).empty
