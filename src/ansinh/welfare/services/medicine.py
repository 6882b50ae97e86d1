"""Regular medicine under the health-insurance card: every write.

A person asks the clinic where their card is registered for their regular medicine without a visit
(`medicine_request`); the clinic's staff schedule a pick-up window or a delivery day (`medicine_schedule`,
again to move it), record that it was handed over (`medicine_dispense`) or decline with a reason
(`medicine_decline`); the person may cancel while it is open (`medicine_cancel`).

Each write is one transaction: the row is locked, the change audited, and the person told after commit.
One open request per person and clinic: the service refuses a second one with a clear error, and the
partial unique constraint refuses it whatever the timing (two requests racing).
"""

from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ansinh.core import audit, workdays
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.core.identifiers import normalise_phone
from ansinh.notify.services import notify_org, notify_person
from ansinh.welfare import medicine_messages as msg
from ansinh.welfare import medicine_rules as rules
from ansinh.welfare import medicine_selectors as sel
from ansinh.welfare import permissions as perms
from ansinh.welfare.medicine_errors import (
    MedicineAlreadyRequested,
    MedicineStatusConflict,
    MedicineTooEarly,
    NoPersonRecord,
)
from ansinh.welfare.models import (
    OPEN_MEDICINE_STATUSES,
    MedicineMode,
    MedicineRegistration,
    MedicineStatus,
)

HOME_LINK = "/social/medicine/"
QUEUE_LINK = "/social/medicine/clinic/"
MAX_CONDITION = 200
MAX_MEDICINES = 2000
MAX_ADDRESS = 255
MAX_NOTE = 500


def _day_text(day: date | None) -> str:
    return date_format(day, "d/m/Y") if day else ""


def _time_text(moment: time | None) -> str:
    return moment.strftime("%H:%M") if moment else ""


def _now_local() -> datetime:
    return timezone.localtime(timezone.now())


def _clean_text(value: str | None) -> str:
    return " ".join((value or "").split())


def _request_problems(
    *, card: str, condition: str, medicines: str, mode: str, address: str, phone: str
) -> tuple[dict[str, list[str]], str]:
    problems: dict[str, list[str]] = {}
    card_problem = rules.card_number_problem(card)
    if card_problem:
        problems["insurance_card_number"] = [card_problem]
    if not condition:
        problems["condition"] = [_("Name the long-term condition the medicine is for.")]
    elif len(condition) > MAX_CONDITION:
        problems["condition"] = [_("Write the condition in at most 200 characters.")]
    if len(medicines) > MAX_MEDICINES:
        problems["medicines"] = [_("Write the medicines in at most 2000 characters.")]
    if mode not in MedicineMode.values:
        problems["mode"] = [_("Choose whether you collect the medicine or have it delivered.")]
    elif mode == MedicineMode.DELIVERY and not address:
        problems["delivery_address"] = [_("Give the address where the medicine should be delivered.")]
    if len(address) > MAX_ADDRESS:
        problems["delivery_address"] = [_("Write the address in at most 255 characters.")]
    normalised_phone = ""
    if not phone:
        problems["phone"] = [_("Give a phone number the clinic can call.")]
    else:
        try:
            normalised_phone = normalise_phone(phone)
        except ValueError as exc:
            problems["phone"] = [str(exc)]
    return problems, normalised_phone


@transaction.atomic
def medicine_request(
    *,
    actor: Any,
    clinic_id: int,
    insurance_card_number: str,
    condition: str,
    medicines: str = "",
    mode: str,
    delivery_address: str = "",
    phone: str = "",
) -> MedicineRegistration:
    """The signed-in person asks `clinic_id` for their regular medicine. One open request per clinic; after
    a dispensing, a new request is accepted from a few days before the supply runs out."""
    person = sel.person_of(actor)
    if person is None:
        raise NoPersonRecord()
    card = rules.normalise_card_number(insurance_card_number)
    condition = _clean_text(condition)
    medicines = (medicines or "").strip()
    address = _clean_text(delivery_address) if mode == MedicineMode.DELIVERY else ""
    problems, normalised_phone = _request_problems(
        card=card,
        condition=condition,
        medicines=medicines,
        mode=mode,
        address=address,
        phone=(phone or "").strip() or person.phone,
    )
    if problems:
        raise ValidationFailed(problems)
    clinic = sel.clinic_for_request(clinic_id)
    province_id = clinic.province_id
    assert province_id is not None  # the selector offers only clinics filed in a province
    if MedicineRegistration.objects.filter(
        person=person, clinic=clinic, status__in=OPEN_MEDICINE_STATUSES
    ).exists():
        raise MedicineAlreadyRequested()
    allowed_from = sel.next_request_from(person, clinic.pk)
    if allowed_from is not None and timezone.localdate() < allowed_from:
        raise MedicineTooEarly(
            _("You still have medicine from the last time. You can ask this clinic again from %(day)s.")
            % {"day": _day_text(allowed_from)},
            details={"next_request_from": allowed_from.isoformat()},
        )
    try:
        with transaction.atomic():
            registration = MedicineRegistration.objects.create(
                person=person,
                clinic=clinic,
                insurance_card_number=card,
                condition=condition,
                medicines=medicines,
                mode=mode,
                delivery_address=address,
                phone=normalised_phone,
                org_path=clinic.path,
                province_id=province_id,
            )
    except IntegrityError:  # the same person and clinic, concurrently
        raise MedicineAlreadyRequested() from None
    audit.record(
        actor=actor,
        action="welfare.medicine_request",
        obj=registration,
        changes={"clinic": clinic.pk, "mode": mode},
    )
    context = {"clinic": clinic.name}
    mode_label = str(MedicineMode(mode).label)
    transaction.on_commit(lambda: notify_person(person, msg.REQUEST_SENT, context, link=HOME_LINK))
    transaction.on_commit(
        lambda: notify_org(
            clinic, msg.REQUEST_NEW, {"mode": mode_label}, permission=perms.MEDICINE_HANDLE, link=QUEUE_LINK
        )
    )
    return registration


def _require_open(registration: MedicineRegistration, *allowed: str) -> None:
    if registration.status not in allowed:
        raise MedicineStatusConflict()


@transaction.atomic
def medicine_schedule(
    *,
    actor: Any,
    registration_id: int,
    scheduled_on: date | None,
    window_start: time | None = None,
    window_end: time | None = None,
    days_supplied: int | None,
    note: str = "",
) -> MedicineRegistration:
    """The clinic confirms a request and sets the day (and the pick-up window), or moves a scheduled one.
    A pick-up needs a window within opening hours on a working day; a delivery needs a day."""
    registration = sel.request_get_for_clinic(actor, registration_id, lock=True)
    _require_open(registration, MedicineStatus.REQUESTED, MedicineStatus.SCHEDULED)
    note = _clean_text(note)
    pickup = registration.mode == MedicineMode.PICKUP
    problems = rules.schedule_problems(
        pickup=pickup,
        day=scheduled_on,
        start=window_start,
        end=window_end,
        now=_now_local(),
        is_working_day=workdays.is_working_day,
    )
    days_problem = rules.days_supplied_problem(days_supplied, scheduled_on or timezone.localdate())
    if days_problem:
        problems["days_supplied"] = [days_problem]
    if len(note) > MAX_NOTE:
        problems["note"] = [_("Write the note in at most 500 characters.")]
    if problems:
        raise ValidationFailed(problems)
    moved = registration.status == MedicineStatus.SCHEDULED
    registration.status = MedicineStatus.SCHEDULED
    registration.scheduled_on = scheduled_on
    registration.window_start = window_start
    registration.window_end = window_end
    registration.days_supplied = days_supplied
    registration.clinic_note = note
    registration.handled_by = actor
    registration.scheduled_at = timezone.now()
    registration.save(
        update_fields=[
            "status",
            "scheduled_on",
            "window_start",
            "window_end",
            "days_supplied",
            "clinic_note",
            "handled_by",
            "scheduled_at",
        ]
    )
    audit.record(
        actor=actor,
        action="welfare.medicine_reschedule" if moved else "welfare.medicine_schedule",
        obj=registration,
        changes={
            "scheduled_on": scheduled_on,
            "window_start": window_start,
            "window_end": window_end,
            "days_supplied": days_supplied,
        },
    )
    _tell_scheduled(registration)
    return registration


def _tell_scheduled(registration: MedicineRegistration) -> None:
    person = registration.person
    clinic_name = registration.clinic.name
    context: dict[str, Any] = {
        "clinic": clinic_name,
        "day": _day_text(registration.scheduled_on),
        "days": registration.days_supplied or "",
        "note": registration.clinic_note,
    }
    if registration.mode == MedicineMode.PICKUP:
        context.update(start=_time_text(registration.window_start), end=_time_text(registration.window_end))
        template = msg.PICKUP_SCHEDULED
    else:
        window = ""
        if registration.window_start and registration.window_end:
            window = f", {_time_text(registration.window_start)}–{_time_text(registration.window_end)}"
        context.update(address=registration.delivery_address, window=window)
        template = msg.DELIVERY_SCHEDULED
    transaction.on_commit(lambda: notify_person(person, template, context, link=HOME_LINK))


@transaction.atomic
def medicine_dispense(
    *, actor: Any, registration_id: int, days_supplied: int | None = None, note: str = ""
) -> MedicineRegistration:
    """The clinic records that the scheduled medicine was collected or delivered (`days_supplied` corrects
    the days actually handed over)."""
    registration = sel.request_get_for_clinic(actor, registration_id, lock=True)
    _require_open(registration, MedicineStatus.SCHEDULED)
    today = timezone.localdate()
    days = days_supplied if days_supplied is not None else registration.days_supplied
    problems: dict[str, list[str]] = {}
    days_problem = rules.days_supplied_problem(days, today)
    if days_problem:
        problems["days_supplied"] = [days_problem]
    note = _clean_text(note)
    if len(note) > MAX_NOTE:
        problems["note"] = [_("Write the note in at most 500 characters.")]
    if problems:
        raise ValidationFailed(problems)
    assert days is not None
    registration.status = MedicineStatus.DISPENSED
    registration.days_supplied = days
    if note:
        registration.clinic_note = note
    registration.handled_by = actor
    registration.closed_at = timezone.now()
    registration.save(update_fields=["status", "days_supplied", "clinic_note", "handled_by", "closed_at"])
    audit.record(
        actor=actor, action="welfare.medicine_dispense", obj=registration, changes={"days_supplied": days}
    )
    person = registration.person
    context = {
        "clinic": registration.clinic.name,
        "days": days,
        "next_from": _day_text(rules.next_request_from(today, days)),
    }
    transaction.on_commit(lambda: notify_person(person, msg.DISPENSED, context, link=HOME_LINK))
    return registration


@transaction.atomic
def medicine_decline(*, actor: Any, registration_id: int, reason: str) -> MedicineRegistration:
    """The clinic cannot accept the request (not its patient, a card not registered there, a medicine it
    cannot give without a visit...). The reason is required: the person reads it."""
    registration = sel.request_get_for_clinic(actor, registration_id, lock=True)
    _require_open(registration, MedicineStatus.REQUESTED, MedicineStatus.SCHEDULED)
    reason = _clean_text(reason)
    if not reason:
        raise ValidationFailed.single("reason", _("Tell the person why the request cannot be accepted."))
    if len(reason) > MAX_NOTE:
        raise ValidationFailed.single("reason", _("Write the reason in at most 500 characters."))
    registration.status = MedicineStatus.DECLINED
    registration.clinic_note = reason
    registration.handled_by = actor
    registration.closed_at = timezone.now()
    registration.save(update_fields=["status", "clinic_note", "handled_by", "closed_at"])
    audit.record(actor=actor, action="welfare.medicine_decline", obj=registration, changes={"reason": reason})
    person = registration.person
    context = {"clinic": registration.clinic.name, "reason": reason}
    transaction.on_commit(lambda: notify_person(person, msg.DECLINED, context, link=HOME_LINK))
    return registration


@transaction.atomic
def medicine_cancel(*, actor: Any, registration_id: int) -> MedicineRegistration:
    """The person cancels their own request while it is sent or scheduled; the clinic is told when it had
    already scheduled it."""
    found = sel.request_get_for_person(actor, registration_id)
    registration = MedicineRegistration.objects.select_for_update().get(pk=found.pk)
    if registration.person_id != getattr(actor, "person_id", None):  # pragma: no cover - defence in depth
        raise PermissionDenied()
    _require_open(registration, MedicineStatus.REQUESTED, MedicineStatus.SCHEDULED)
    was_scheduled = registration.status == MedicineStatus.SCHEDULED
    registration.status = MedicineStatus.CANCELLED
    registration.closed_at = timezone.now()
    registration.save(update_fields=["status", "closed_at"])
    audit.record(actor=actor, action="welfare.medicine_cancel", obj=registration)
    person, clinic = found.person, found.clinic
    transaction.on_commit(
        lambda: notify_person(person, msg.CANCELLED, {"clinic": clinic.name}, link=HOME_LINK)
    )
    if was_scheduled:
        day = _day_text(registration.scheduled_on)
        transaction.on_commit(
            lambda: notify_org(
                clinic,
                msg.CANCELLED_FOR_CLINIC,
                {"day": day},
                permission=perms.MEDICINE_HANDLE,
                link=QUEUE_LINK,
            )
        )
    return registration
