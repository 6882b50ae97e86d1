"""Job fairs: a centre plans a fair (online, in person, mobile in a commune, or hybrid), employers take booths
with their open vacancies and interview slots, seekers register (a code in a QR for the door), the centre
checks people in at the door (each attendance is a service on record, with its satisfaction survey) and,
after the fair, records each booth's interviews, offers and hires and closes the fair.

Who may do what is decided here and in `fair_selectors`: a centre's officers act on the fairs under their
centre (`org_path`); an employer on its own booth; a seeker on their own registration."""

import secrets
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ansinh.accounts.models import Person
from ansinh.accounts.services import person_create
from ansinh.core import audit
from ansinh.core.errors import Conflict, NotFound, ValidationFailed
from ansinh.core.identifiers import parse_personal_id
from ansinh.geo.models import Ward
from ansinh.jobs import fair_selectors as sel
from ansinh.jobs.errors import EmployerNotVerified
from ansinh.jobs.models import (
    BookingStatus,
    EmployerStatus,
    FairBooth,
    FairKind,
    FairRegistration,
    FairStatus,
    InterviewBooking,
    InterviewSlot,
    JobFair,
    ServiceKind,
    Vacancy,
)
from ansinh.jobs.selectors import employer_get_for
from ansinh.jobs.services.applications import seeker_of
from ansinh.jobs.services.service_records import service_delivered
from ansinh.notify.services import notify_person
from ansinh.notify.templates import register_template

FAIR_CANCELLED = "jobs.fair_cancelled"
register_template(
    FAIR_CANCELLED,
    gettext_lazy("Job fair cancelled: {fair}"),
    gettext_lazy(
        'The job fair "{fair}" planned for {time} has been cancelled by {centre}. Your registration and '
        "interview bookings for it are cancelled. We are sorry for the inconvenience."
    ),
)

# Codes people type at the door: no 0/O or 1/I to misread.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_SLOT_CAPACITY = 50

_https = URLValidator(schemes=["https"])


class FairNotOpen(Conflict):
    code = "jobs.fair_not_open"
    default_message = gettext_lazy("This job fair is closed or cancelled.")


class NotAtTheDoor(Conflict):
    code = "jobs.fair_online"
    default_message = gettext_lazy("An online fair has no door: attendance is recorded at the interviews.")


class SlotHasBookings(Conflict):
    code = "jobs.slot_has_bookings"
    default_message = gettext_lazy("Seekers have booked this time: it cannot be removed.")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a person typed or a scanner sent, as stored: upper case, without spaces or dashes."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())[:32]


def https_link_error(value: str) -> str | None:
    try:
        _https(value)
    except ValidationError:
        return _("Enter a full link starting with https://.")
    return None


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M %d/%m/%Y")


# --- the fair ----------------------------------------------------------------------------------------------


def _clean_fair(fields: Mapping[str, Any], *, province_id: int, creating: bool) -> dict[str, Any]:
    """The fair's fields checked together; every problem named by its field."""
    errors: dict[str, list[str]] = {}
    title = " ".join(str(fields.get("title") or "").split())
    if not title:
        errors["title"] = [_("Enter the title of the fair.")]
    elif len(title) > 200:
        errors["title"] = [_("Keep the title under 200 characters.")]
    kind = str(fields.get("kind") or "")
    if kind not in FairKind.values:
        errors["kind"] = [_("Choose the kind of fair.")]
    starts_at, ends_at = fields.get("starts_at"), fields.get("ends_at")
    if not isinstance(starts_at, datetime):
        errors["starts_at"] = [_("Enter when the fair starts.")]
    elif creating and starts_at <= timezone.now():
        errors["starts_at"] = [_("The fair must start in the future.")]
    if not isinstance(ends_at, datetime):
        errors["ends_at"] = [_("Enter when the fair ends.")]
    elif isinstance(starts_at, datetime) and ends_at <= starts_at:
        errors["ends_at"] = [_("The fair must end after it starts.")]
    venue = " ".join(str(fields.get("venue") or "").split())[:255]
    online_url = str(fields.get("online_url") or "").strip()
    ward: Ward | None = None
    ward_id = fields.get("ward_id")
    if ward_id not in (None, ""):
        try:
            ward = Ward.objects.filter(pk=int(ward_id)).first()
        except (TypeError, ValueError):
            ward = None
        if ward is None or ward.province_id != province_id:
            errors["ward_id"] = [_("Choose a ward or commune of the centre's province.")]
    in_place = kind in (FairKind.IN_PERSON, FairKind.MOBILE, FairKind.HYBRID)
    online = kind in (FairKind.ONLINE, FairKind.HYBRID)
    if kind == FairKind.MOBILE and ward is None and "ward_id" not in errors:
        errors["ward_id"] = [_("A mobile fair is held in a ward or commune: choose it.")]
    if kind in (FairKind.IN_PERSON, FairKind.HYBRID, FairKind.MOBILE) and not venue:
        errors["venue"] = [_("Enter where the fair takes place.")]
    if online:
        if not online_url:
            errors["online_url"] = [_("An online fair needs its link (the stream or fan page).")]
        elif problem := https_link_error(online_url):
            errors["online_url"] = [problem]
    description = str(fields.get("description") or "").strip()
    if len(description) > 5000:
        errors["description"] = [_("Keep the description under 5,000 characters.")]
    if errors:
        raise ValidationFailed(errors)
    return {
        "title": title,
        "kind": kind,
        "description": description,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "ward": ward if in_place else None,
        "venue": venue if in_place else "",
        "online_url": online_url if online else "",
    }


@transaction.atomic
def fair_create(*, actor: Any, centre_id: Any = None, **fields: Any) -> JobFair:
    """A centre's officer plans a fair of their centre (the first centre in scope unless `centre_id`)."""
    centre = sel.centre_for_officer(actor, centre_id)
    cleaned = _clean_fair(fields, province_id=centre.province_id or 0, creating=True)
    if centre.province_id is None:
        raise ValidationFailed.single("centre_id", _("The centre has no province on record."))
    fair = JobFair.objects.create(
        centre=centre, province_id=centre.province_id, org_path=centre.path, **cleaned
    )
    audit.record(actor=actor, action="jobs.fair_create", obj=fair, changes={"kind": fair.kind})
    return fair


@transaction.atomic
def fair_update(*, actor: Any, fair_id: int, **fields: Any) -> JobFair:
    fair = sel.fair_get_for_operator(actor, fair_id, lock=True)
    if fair.status != FairStatus.PLANNED:
        raise FairNotOpen()
    current = {
        "title": fair.title,
        "kind": fair.kind,
        "description": fair.description,
        "starts_at": fair.starts_at,
        "ends_at": fair.ends_at,
        "ward_id": fair.ward_id,
        "venue": fair.venue,
        "online_url": fair.online_url,
    }
    current.update({k: v for k, v in fields.items() if k in current})
    cleaned = _clean_fair(current, province_id=fair.province_id, creating=False)
    changed = []
    for name, value in cleaned.items():
        if getattr(fair, name) != value:
            changed.append(name)
        setattr(fair, name, value)
    fair.save()
    audit.record(actor=actor, action="jobs.fair_update", obj=fair, changes={"fields": changed})
    return fair


@transaction.atomic
def fair_cancel(*, actor: Any, fair_id: int) -> JobFair:
    """Cancels a planned fair: its active bookings are cancelled and everyone registered is told."""
    fair = sel.fair_get_for_operator(actor, fair_id, lock=True)
    if fair.status != FairStatus.PLANNED:
        raise FairNotOpen()
    fair.status = FairStatus.CANCELLED
    fair.save(update_fields=["status"])
    bookings = InterviewBooking.objects.filter(slot__booth__fair=fair, status=BookingStatus.BOOKED)
    cancelled = bookings.update(status=BookingStatus.CANCELLED)
    InterviewSlot.objects.filter(booth__fair=fair).update(booked=0)
    audit.record(actor=actor, action="jobs.fair_cancel", obj=fair, changes={"bookings_cancelled": cancelled})
    people = list(Person.objects.filter(pk__in=fair.registrations.values("person_id")))
    context = {"fair": fair.title, "time": _local(fair.starts_at), "centre": fair.centre.name}

    def send() -> None:
        for person in people:
            notify_person(person, FAIR_CANCELLED, context)

    transaction.on_commit(send)
    return fair


# --- booths and slots --------------------------------------------------------------------------------------


def _open_fair(fair: JobFair) -> None:
    if fair.status != FairStatus.PLANNED or fair.ends_at <= timezone.now():
        raise FairNotOpen()


def _own_open_vacancies(employer_id: int, vacancy_ids: Iterable[Any]) -> list[Vacancy]:
    try:
        wanted = {int(v) for v in vacancy_ids}
    except (TypeError, ValueError):
        raise ValidationFailed.single("vacancy_ids", _("Choose vacancies from the list.")) from None
    found = list(sel.open_vacancies_of(employer_id).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationFailed.single(
            "vacancy_ids", _("Choose only your own vacancies that are open for applications.")
        )
    return found


def _booth_create(*, actor: Any, fair: JobFair, employer: Any, vacancy_ids: Iterable[Any]) -> FairBooth:
    _open_fair(fair)
    if employer.status != EmployerStatus.VERIFIED:
        raise EmployerNotVerified()
    vacancies = _own_open_vacancies(employer.pk, vacancy_ids)
    try:
        with transaction.atomic():
            booth = FairBooth.objects.create(fair=fair, employer=employer, org_path=employer.org_path)
    except IntegrityError:
        raise Conflict(_("This employer already has a booth at this fair.")) from None
    booth.vacancies.set(vacancies)
    audit.record(
        actor=actor,
        action="jobs.booth_create",
        obj=booth,
        changes={"fair": fair.pk, "vacancies": sorted(v.pk for v in vacancies)},
    )
    return booth


@transaction.atomic
def booth_take(*, actor: Any, fair_id: int, vacancy_ids: Iterable[Any] = ()) -> FairBooth:
    """A verified employer takes a booth at a planned fair, presenting some of its open vacancies."""
    employer = employer_get_for(actor)
    fair = sel.fair_public_get(fair_id)
    return _booth_create(actor=actor, fair=fair, employer=employer, vacancy_ids=vacancy_ids)


@transaction.atomic
def booth_add(*, actor: Any, fair_id: int, tax_code: str, vacancy_ids: Iterable[Any] = ()) -> FairBooth:
    """A centre's officer adds a booth for a verified employer (found by its tax code)."""
    fair = sel.fair_get_for_operator(actor, fair_id)
    employer = sel.employer_by_tax_code(tax_code)
    if employer is None:
        raise ValidationFailed.single("tax_code", _("No employer with this tax code is registered."))
    return _booth_create(actor=actor, fair=fair, employer=employer, vacancy_ids=vacancy_ids)


@transaction.atomic
def booth_set_vacancies(*, actor: Any, booth_id: int, vacancy_ids: Iterable[Any]) -> FairBooth:
    booth = sel.booth_get_for_writer(actor, booth_id)
    _open_fair(booth.fair)
    vacancies = _own_open_vacancies(booth.employer_id, vacancy_ids)
    booth.vacancies.set(vacancies)
    audit.record(
        actor=actor,
        action="jobs.booth_vacancies",
        obj=booth,
        changes={"vacancies": sorted(v.pk for v in vacancies)},
    )
    return booth


@transaction.atomic
def slot_add(
    *,
    actor: Any,
    booth_id: int,
    starts_at: Any,
    ends_at: Any,
    capacity: Any = 1,
    video_link: str = "",
) -> InterviewSlot:
    """An interview time at a booth: a number of places, and for an online or hybrid fair a video-call link
    (https) that only the seekers who book it see."""
    booth = sel.booth_get_for_writer(actor, booth_id)
    fair = booth.fair
    _open_fair(fair)
    errors: dict[str, list[str]] = {}
    if not isinstance(starts_at, datetime):
        errors["starts_at"] = [_("Enter when the interview time starts.")]
    elif starts_at < fair.starts_at or starts_at <= timezone.now():
        errors["starts_at"] = [_("The interview time must be in the future, within the fair's dates.")]
    if not isinstance(ends_at, datetime):
        errors["ends_at"] = [_("Enter when the interview time ends.")]
    elif isinstance(starts_at, datetime) and ends_at <= starts_at:
        errors["ends_at"] = [_("The interview time must end after it starts.")]
    elif ends_at > fair.ends_at:
        errors["ends_at"] = [_("The interview time must end before the fair ends.")]
    try:
        places = int(str(capacity))
    except ValueError:
        places = 0
    if not 1 <= places <= MAX_SLOT_CAPACITY:
        errors["capacity"] = [_("Enter from 1 to %(max)d places.") % {"max": MAX_SLOT_CAPACITY}]
    link = (video_link or "").strip()
    if fair.kind in (FairKind.ONLINE, FairKind.HYBRID):
        if fair.kind == FairKind.ONLINE and not link:
            errors["video_link"] = [_("An online interview needs its video-call link.")]
        elif link and (problem := https_link_error(link)):
            errors["video_link"] = [problem]
    elif link:
        errors["video_link"] = [_("Only online and hybrid fairs have video calls.")]
    if errors:
        raise ValidationFailed(errors)
    slot = InterviewSlot.objects.create(
        booth=booth, starts_at=starts_at, ends_at=ends_at, capacity=places, video_link=link
    )
    audit.record(actor=actor, action="jobs.slot_add", obj=slot, changes={"capacity": places})
    return slot


@transaction.atomic
def slot_delete(*, actor: Any, slot_id: int) -> None:
    slot = sel.slot_get_for_writer(actor, slot_id)
    if InterviewBooking.objects.filter(slot=slot).exclude(status=BookingStatus.CANCELLED).exists():
        raise SlotHasBookings()
    audit.record(actor=actor, action="jobs.slot_delete", obj=slot)
    InterviewBooking.objects.filter(slot=slot).delete()
    slot.delete()


# --- registration and the door -----------------------------------------------------------------------------


def registration_ensure(fair: JobFair, person: Person) -> tuple[FairRegistration, bool]:
    """The person's registration for the fair, made if missing (True when made now)."""
    existing = FairRegistration.objects.filter(fair=fair, person=person).first()
    if existing is not None:
        return existing, False
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return FairRegistration.objects.create(fair=fair, person=person, code=new_code()), True
        except IntegrityError:
            existing = FairRegistration.objects.filter(fair=fair, person=person).first()
            if existing is not None:  # registered concurrently
                return existing, False
    raise Conflict(_("Please try again."))


@transaction.atomic
def fair_register(*, actor: Any, fair_id: int) -> FairRegistration:
    """A seeker registers for a planned fair (again: the same registration and code)."""
    seeker = seeker_of(actor)
    fair = sel.fair_public_get(fair_id)
    _open_fair(fair)
    registration, made = registration_ensure(fair, seeker.person)
    if made:
        audit.record(actor=actor, action="jobs.fair_register", obj=registration)
    return registration


def _attended(*, actor: Any, fair: JobFair, registration: FairRegistration) -> None:
    """The person came: the registration is checked in (once) and the service is on record."""
    FairRegistration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
        checked_in_at=timezone.now(), checked_in_by=actor if getattr(actor, "pk", None) else None
    )
    service_delivered(
        centre=fair.centre, person=registration.person, kind=ServiceKind.FAIR, source_id=registration.pk
    )


@transaction.atomic
def check_in(*, actor: Any, fair_id: int, code: str) -> tuple[FairRegistration, bool]:
    """The code from a registration's QR, typed or scanned at the door. Returns the registration and whether
    this was its first check-in (a second scan changes nothing)."""
    fair = sel.fair_get_for_operator(actor, fair_id)
    if fair.kind == FairKind.ONLINE:
        raise NotAtTheDoor()
    if fair.status == FairStatus.CANCELLED:
        raise FairNotOpen()
    wanted = normalise_code(code)
    if not wanted:
        raise ValidationFailed.single("code", _("Enter or scan the registration code."))
    registration = FairRegistration.objects.select_related("person").filter(fair=fair, code=wanted).first()
    if registration is None:
        raise ValidationFailed.single("code", _("No registration for this fair has this code."))
    first = (
        FairRegistration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
            checked_in_at=timezone.now(), checked_in_by=actor
        )
        == 1
    )
    registration.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
    if first:
        _attended(actor=actor, fair=fair, registration=registration)
        audit.record(actor=actor, action="jobs.fair_check_in", obj=registration)
    return registration, first


@transaction.atomic
def walk_in(
    *, actor: Any, fair_id: int, full_name: str = "", phone: str = "", personal_id: str = ""
) -> FairRegistration:
    """A person without a registration, registered and checked in at the door. Found by the personal ID
    number when given, else registered as a new person with the name and phone."""
    fair = sel.fair_get_for_operator(actor, fair_id)
    if fair.kind == FairKind.ONLINE:
        raise NotAtTheDoor()
    if fair.status == FairStatus.CANCELLED:
        raise FairNotOpen()
    person: Person | None = None
    pid = (personal_id or "").strip()
    if pid:
        parsed = parse_personal_id(pid)
        if not parsed.valid:
            raise ValidationFailed.single("personal_id", str(parsed.error))
        person = Person.objects.filter(personal_id=parsed.number).first()
    if person is None:
        if not (phone or "").strip():
            raise ValidationFailed.single("phone", _("Enter the phone number."))
        person = person_create(
            actor=None, full_name=full_name, phone=phone, personal_id=pid or None, province=fair.province
        )
    registration, _made = registration_ensure(fair, person)
    if registration.checked_in_at is None:
        _attended(actor=actor, fair=fair, registration=registration)
        registration.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
    audit.record(actor=actor, action="jobs.fair_walk_in", obj=registration)
    return registration


# --- results -----------------------------------------------------------------------------------------------


def _count(value: Any, field: str, errors: dict[str, list[str]]) -> int:
    try:
        number = int(str(value))
    except ValueError:
        number = -1
    if not 0 <= number <= 100_000:
        errors.setdefault(field, []).append(_("Enter a whole number, 0 or more."))
    return number


@transaction.atomic
def results_record(
    *, actor: Any, fair_id: int, results: Mapping[Any, Mapping[str, Any]], close: bool = False
) -> JobFair:
    """Each booth's interviews, offers and hires (`results[booth_id] = {"interviews", "offers", "hires"}`);
    with `close` the fair is closed as held (its results stay editable by the centre)."""
    fair = sel.fair_get_for_operator(actor, fair_id, lock=True)
    if fair.status == FairStatus.CANCELLED:
        raise FairNotOpen()
    if close and fair.starts_at > timezone.now():
        raise ValidationFailed.single("close", _("A fair can be closed only once it has started."))
    booths = {booth.pk: booth for booth in FairBooth.objects.filter(fair=fair)}
    errors: dict[str, list[str]] = {}
    changes: dict[str, dict[str, int]] = {}
    for raw_id, figures in results.items():
        try:
            booth = booths[int(raw_id)]
        except (KeyError, TypeError, ValueError):
            raise NotFound() from None
        values = {
            name: _count(figures.get(name, 0), f"booth_{booth.pk}_{name}", errors)
            for name in ("interviews", "offers", "hires")
        }
        for name, value in values.items():
            setattr(booth, name, value)
        changes[str(booth.pk)] = values
    if errors:
        raise ValidationFailed(errors)
    for raw_id in changes:
        booths[int(raw_id)].save(update_fields=["interviews", "offers", "hires"])
    if close:
        fair.status = FairStatus.CLOSED
        fair.save(update_fields=["status"])
    audit.record(
        actor=actor, action="jobs.fair_results", obj=fair, changes={"booths": changes, "closed": close}
    )
    return fair
