"""Workers sent abroad on a registered contract: registration, the steps of their time abroad, and the
worker app account they get when they depart.

One cleaning function (`clean_worker_row`) serves the form, the API and the Excel import, so a worker is held
to the same rules whichever way they come in. A departure provisions the worker's account for the SOS app
on the same person (`sos.services.workers`), with the enterprise, employer and contract from here: the SOS
worker card reads them.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts.models import Person
from ansinh.accounts.selectors import require_permission
from ansinh.core import audit
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.core.identifiers import normalise_passport, normalise_phone, parse_personal_id
from ansinh.core.text import normalise_search
from ansinh.geo.models import LegacyProvince
from ansinh.overseas import lifecycle, selectors
from ansinh.overseas import permissions as perms
from ansinh.overseas.errors import NotLicensed, WorkerStepInvalid
from ansinh.overseas.models import Contract, EnterpriseStatus, Worker, WorkerCode, WorkerEvent, WorkerStatus
from ansinh.sos.models import WorkerSource
from ansinh.sos.services.workers import worker_provision

# Crockford-style alphabet (no 0/O, 1/I/L, U): a code read over the phone is not misheard.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
SEXES = {"M": "M", "F": "F", "NAM": "M", "NỮ": "F", "NU": "F"}
EARLIEST_BIRTH = date(1940, 1, 1)
NAME_MAX = 150  # accounts.Person.full_name


@dataclass(frozen=True)
class WorkerRow:
    """One worker as entered, cleaned."""

    personal_id: str
    passport_number: str
    full_name: str
    date_of_birth: date
    sex: str
    phone: str
    employer_name: str


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):  # a date cell read from Excel
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for parse in (date.fromisoformat, lambda t: date(int(t[6:10]), int(t[3:5]), int(t[0:2]))):
        try:
            return parse(text)
        except (ValueError, IndexError):
            continue
    return None


def clean_worker_row(raw: dict[str, Any], *, today: date) -> tuple[WorkerRow | None, dict[str, str]]:
    """The row cleaned, or the problem of each field (in the active language)."""
    errors: dict[str, str] = {}
    parsed = parse_personal_id(str(raw.get("personal_id") or ""))
    if not parsed.valid:
        errors["personal_id"] = str(parsed.error)
    try:
        passport = normalise_passport(str(raw.get("passport_number") or ""))
    except ValueError as exc:
        passport = ""
        errors["passport_number"] = str(exc)
    name = " ".join(str(raw.get("full_name") or "").split())
    if not name:
        errors["full_name"] = _("Enter the full name.")
    elif len(name) > NAME_MAX:
        errors["full_name"] = _("A name has at most %(n)d characters.") % {"n": NAME_MAX}
    born = _date(raw.get("date_of_birth"))
    if born is None:
        errors["date_of_birth"] = _("Enter the date as DD/MM/YYYY.")
    elif not EARLIEST_BIRTH <= born <= date(today.year - 18, today.month, min(today.day, 28)):
        errors["date_of_birth"] = _("A worker sent abroad must be at least 18 years old.")
    elif parsed.valid and parsed.birth_year is not None and parsed.birth_year != born.year:
        errors["date_of_birth"] = _("The year of birth does not match the personal ID number.")
    sex = SEXES.get(str(raw.get("sex") or "").strip().upper(), "")
    if not sex:
        errors["sex"] = _("Enter the sex: Nam or Nữ.")
    phone = str(raw.get("phone") or "").strip()
    if phone:
        try:
            phone = normalise_phone(phone)
        except ValueError as exc:
            errors["phone"] = str(exc)
    employer = " ".join(str(raw.get("employer_name") or "").split())[:255]
    if errors or born is None:
        return None, errors
    return WorkerRow(parsed.number, passport, name, born, sex, phone, employer), {}


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def codes_for(people: list[Person]) -> dict[int, str]:
    """Each person's worker code, issuing one to those who have none (kept for every later contract)."""
    ids = [p.pk for p in people]
    known = dict(WorkerCode.objects.filter(person_id__in=ids).values_list("person_id", "code"))
    missing = [pk for pk in ids if pk not in known]
    if missing:
        fresh = {pk: _new_code() for pk in missing}
        WorkerCode.objects.bulk_create([WorkerCode(person_id=pk, code=code) for pk, code in fresh.items()])
        known.update(fresh)
    return known


def province_of_origin(personal_ids: list[str]) -> dict[str, int]:
    """The province (of the 34) where each personal ID number's birth was registered: its first three digits
    name one of the 63 earlier provinces, whose successor is today's. Numbers registered abroad have none."""
    prefixes = {number[:3] for number in personal_ids}
    successors = dict(
        LegacyProvince.objects.filter(code__in=prefixes, successor__isnull=False).values_list(
            "code", "successor_id"
        )
    )
    return {number: successors[number[:3]] for number in personal_ids if number[:3] in successors}


def person_for(row: WorkerRow) -> Person:
    """The person with this personal ID, registered if new. An existing person whose name differs is a
    mistyped number, not the same person: refused rather than merged."""
    person = Person.objects.filter(personal_id=row.personal_id).first()
    if person is None:
        return Person.objects.create(
            full_name=row.full_name,
            name_search=normalise_search(row.full_name),
            personal_id=row.personal_id,
            passport_number=row.passport_number,
            date_of_birth=row.date_of_birth,
            sex=row.sex,
            phone=row.phone,
            province_id=province_of_origin([row.personal_id]).get(row.personal_id),
        )
    if normalise_search(person.full_name) != normalise_search(row.full_name):
        raise ValidationFailed.single(
            "full_name", _("The name differs from the person registered with this personal ID number.")
        )
    person.passport_number = row.passport_number
    person.date_of_birth = person.date_of_birth or row.date_of_birth
    person.save(update_fields=["passport_number", "date_of_birth", "updated_at"])
    return person


def usable_contract(actor: Any, contract_id: int) -> Contract:
    contract = (
        selectors.contracts_open_for_workers(actor)
        .select_related("enterprise", "country")
        .filter(pk=contract_id)
    )
    found = contract.first()
    if found is None:
        raise ValidationFailed.single("contract", _("Choose a registered contract of your enterprise."))
    if found.enterprise.status != EnterpriseStatus.LICENSED:
        raise NotLicensed()
    return found


@transaction.atomic
def worker_register(*, actor: Any, contract_id: int, **fields: Any) -> Worker:
    enterprise, organisation = selectors.acting_enterprise(actor, perms.WORKER_REGISTER)
    contract = usable_contract(actor, contract_id)
    row, errors = clean_worker_row(fields, today=timezone.localdate())
    if row is None:
        raise ValidationFailed({field: [message] for field, message in errors.items()})
    person = person_for(row)
    if Worker.objects.filter(contract=contract, person=person).exists():
        raise ValidationFailed.single("personal_id", _("This worker is already on the contract's list."))
    worker = Worker.objects.create(
        person=person,
        worker_code=codes_for([person])[person.pk],
        passport_number=row.passport_number,
        enterprise=enterprise,
        contract=contract,
        country=contract.country,
        occupation_id=contract.occupation_id,
        employer_name=row.employer_name or contract.foreign_party.name,
        sex=row.sex,
        org_path=organisation.path,
        province_id=person.province_id,
    )
    WorkerEvent.objects.create(
        worker=worker, status=WorkerStatus.REGISTERED, on=timezone.localdate(), actor=actor
    )
    audit.record(
        actor=actor, action="overseas.worker_register", obj=worker, changes={"contract": contract.number}
    )
    return worker


@transaction.atomic
def worker_step(
    *, actor: Any, worker_id: int, status: str, on: date, note: str = "", employer_name: str = ""
) -> Worker:
    """The next step of the worker's time abroad, as the enterprise (or a branch it delegated) reports it."""
    require_permission(actor, perms.WORKER_UPDATE)
    worker = (
        selectors.workers_in_scope(actor, perms.WORKER_UPDATE)
        .select_for_update(of=("self",))
        .select_related("person", "contract", "enterprise__organisation", "country")
        .filter(pk=worker_id)
        .first()
    )
    if worker is None:
        raise NotFound()
    if status not in WorkerStatus.values:
        raise ValidationFailed.single("status", _("Choose the step to report."))
    if not lifecycle.can_step(worker.status, status):
        raise WorkerStepInvalid(
            details={"status": worker.status, "allowed": sorted(lifecycle.NEXT_STEPS[worker.status])}
        )
    if on > timezone.localdate():
        raise ValidationFailed.single("on", _("The date cannot be in the future."))
    employer_name = " ".join(employer_name.split())
    if status == WorkerStatus.CHANGED_EMPLOYER:
        if not employer_name:
            raise ValidationFailed.single("employer_name", _("Enter the new employer."))
        worker.employer_name = employer_name[:255]
    if status == WorkerStatus.DEPARTED:
        worker.departure_date = on
    if status in lifecycle.ENDS_THE_STAY:
        worker.return_date = on
    worker.status = status
    worker.save()
    WorkerEvent.objects.create(worker=worker, status=status, on=on, note=note.strip()[:500], actor=actor)
    if status in (WorkerStatus.DEPARTED, WorkerStatus.CHANGED_EMPLOYER):
        _provision_app_account(worker)
    audit.record(
        actor=actor,
        action="overseas.worker_step",
        obj=worker,
        changes={"status": status, "on": on.isoformat()},
    )
    return worker


def _provision_app_account(worker: Worker) -> None:
    """The worker app account of the SOS service, on the same person, with this database as its source."""
    contract = worker.contract
    departure = worker.departure_date
    end = None
    if departure is not None:
        months = departure.month - 1 + contract.contract_months
        end = date(departure.year + months // 12, months % 12 + 1, min(departure.day, 28))
    worker_provision(
        actor=None,
        passport_number=worker.passport_number,
        full_name=worker.person.full_name,
        date_of_birth=worker.person.date_of_birth,
        country=worker.country.iso2,
        employer=worker.employer_name,
        enterprise=worker.enterprise.organisation.name,
        contract_number=contract.number,
        departure_date=departure,
        contract_end=end,
        phone=worker.person.phone,
        source=WorkerSource.OVERSEAS,
    )
