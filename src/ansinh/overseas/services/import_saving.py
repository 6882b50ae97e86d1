"""Writing a confirmed worker list, batch by batch, inside the confirmation's one transaction: the new people,
the new passport of the people registered already, their worker codes (thousands issued with one insert), the
workers and their "registered" events. Bulk inserts of instances built through Django's positional fast path:
a list of 100,000 workers builds some 300,000 of them.
"""

import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from ansinh.accounts.models import Person
from ansinh.core.text import normalise_search
from ansinh.overseas.models import Contract, Worker, WorkerCode, WorkerEvent, WorkerImport, WorkerStatus
from ansinh.overseas.services.import_checking import Checked, Known, Outcome
from ansinh.overseas.services.workers import CODE_ALPHABET

CODE_LENGTH = 10


# --- worker codes ------------------------------------------------------------------------------------------


def _new_codes(count: int) -> list[str]:
    """`count` distinct random codes, drawn from the operating system's generator in one call per thousand
    (each byte below 240 — eight times the alphabet's 30 letters — picks a letter without bias)."""
    codes: set[str] = set()
    letters: list[str] = []
    while len(codes) < count:
        for byte in secrets.token_bytes(16 * (count - len(codes)) + 16):
            if byte < 240:
                letters.append(CODE_ALPHABET[byte % 30])
                if len(letters) == CODE_LENGTH:
                    codes.add("".join(letters))
                    letters = []
                    if len(codes) == count:
                        break
    return list(codes)


def codes_for_many(registered: list[int], new: list[int]) -> dict[int, str]:
    """`workers.codes_for` for thousands at a time: the worker code of each person already `registered`
    (issued to those who have none), and a fresh code for each `new` person (created in this transaction, so
    without one), all issued with one insert. A fresh code that happens to be taken already (one chance in
    billions per code) fails the insert on the unique index; the confirmation then tries again."""
    known: dict[int, str] = dict(
        WorkerCode.objects.filter(person_id__in=registered).values_list("person_id", "code")
    )
    wanted = [pk for pk in dict.fromkeys([*registered, *new]) if pk not in known]
    fresh = dict(zip(wanted, _new_codes(len(wanted)), strict=True))
    WorkerCode.objects.bulk_create([WorkerCode(person_id=pk, code=code) for pk, code in fresh.items()])
    known.update(fresh)
    return known


# --- instances for the bulk inserts ------------------------------------------------------------------------


class _Instances:
    """Model instances for a bulk insert, built through Django's positional fast path (`Model(*values)`, a
    third of the cost of keywords; it counts at 300,000 instances a list): the fields named, by attribute
    name, and every other concrete field at its default as `Model(**fields)` would set it."""

    def __init__(self, model: Any, names: tuple[str, ...]):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        attnames = [f.attname for f in self.fields]
        unknown = set(names) - set(attnames)
        if unknown:
            raise ValueError(f"{model.__name__} has no field {sorted(unknown)}")
        self.slots = [names.index(a) if a in names else -1 for a in attnames]

    def __call__(self, rows: list[tuple[Any, ...]]) -> list[Any]:
        # The defaults once per batch (a callable default such as timezone.now is the same for the batch).
        plan = [
            (slot, None if slot >= 0 else f.get_default())
            for slot, f in zip(self.slots, self.fields, strict=True)
        ]
        model = self.model
        return [model(*[row[slot] if slot >= 0 else default for slot, default in plan]) for row in rows]


_PEOPLE = _Instances(
    Person, ("full_name", "name_search", "personal_id", "passport_number", "date_of_birth", "sex", "phone")
)
_WORKERS = _Instances(
    Worker,
    (
        "person_id",
        "worker_code",
        "passport_number",
        "enterprise_id",
        "contract_id",
        "country_id",
        "occupation_id",
        "employer_name",
        "sex",
        "org_path",
        "province_id",
        "created_at",
    ),
)
_EVENTS = _Instances(WorkerEvent, ("worker_id", "status", "on", "note", "actor_id", "at"))


# --- writing the batches -----------------------------------------------------------------------------------


@dataclass
class Saver:
    """Writes the batches of a confirmed list: new people, the registered people's new passport, worker codes,
    workers and their first event. Stops writing (but keeps checking) at the first error."""

    imported: WorkerImport
    contract: Contract
    actor: Any
    today: date
    outcome: Outcome
    note: str
    saved: int = 0
    people_created: int = 0
    people_updated: int = 0

    def __call__(self, batch: list[Checked], known: dict[str, Known]) -> None:
        if self.outcome.error_count or not batch:
            return
        now = timezone.now()
        rows = [c.row for c in batch]
        new_people = _PEOPLE(
            [
                (
                    r.full_name,
                    normalise_search(r.full_name),
                    r.personal_id,
                    r.passport_number,
                    r.date_of_birth,
                    r.sex,
                    r.phone,
                )
                for r in rows
                if r.personal_id not in known
            ]
        )
        Person.objects.bulk_create(new_people)
        if any(p.pk is None for p in new_people):  # pragma: no cover - a database without RETURNING
            person_ids = dict(
                Person.objects.filter(personal_id__in=[p.personal_id for p in new_people]).values_list(
                    "personal_id", "pk"
                )
            )
            for p in new_people:
                p.pk = person_ids[p.personal_id]
        person_of: dict[str, tuple[int, int | None]] = {str(p.personal_id): (p.pk, None) for p in new_people}
        # The people registered already: their new passport (and a date of birth they lacked), all in one
        # statement (INSERT ... ON CONFLICT (personal_id) DO UPDATE: every one of them conflicts).
        changed = []
        for r in rows:
            person = known.get(r.personal_id)
            if person is None:
                continue
            person_of[r.personal_id] = (person.pk, person.province_id)
            if person.passport_number != r.passport_number or person.date_of_birth is None:
                born = person.date_of_birth or r.date_of_birth
                changed.append(
                    (
                        person.full_name,
                        normalise_search(person.full_name),
                        r.personal_id,
                        r.passport_number,
                        born,
                        r.sex,
                        r.phone,
                    )
                )
        if changed:
            Person.objects.bulk_create(
                _PEOPLE(changed),
                update_conflicts=True,
                unique_fields=["personal_id"],
                update_fields=["passport_number", "date_of_birth", "updated_at"],
            )
        registered = [person_of[r.personal_id][0] for r in rows if r.personal_id in known]
        codes = codes_for_many(registered, [p.pk for p in new_people])
        contract = self.contract
        employer = contract.foreign_party.name
        enterprise_id, org_path = self.imported.enterprise_id, self.imported.org_path
        workers = _WORKERS(
            [
                (
                    person_of[r.personal_id][0],
                    codes[person_of[r.personal_id][0]],
                    r.passport_number,
                    enterprise_id,
                    contract.pk,
                    contract.country_id,
                    contract.occupation_id,
                    r.employer_name or employer,
                    r.sex,
                    org_path,
                    person_of[r.personal_id][1],
                    now,
                )
                for r in rows
            ]
        )
        Worker.objects.bulk_create(workers)
        if any(w.pk is None for w in workers):  # pragma: no cover - a database without RETURNING
            worker_ids = dict(
                Worker.objects.filter(
                    contract=contract, person_id__in=[w.person_id for w in workers]
                ).values_list("person_id", "pk")
            )
            for w in workers:
                w.pk = worker_ids[w.person_id]
        actor_id = getattr(self.actor, "pk", None)
        WorkerEvent.objects.bulk_create(
            _EVENTS([(w.pk, WorkerStatus.REGISTERED, self.today, self.note, actor_id, now) for w in workers])
        )
        self.saved += len(workers)
        self.people_created += len(new_people)
        self.people_updated += len(changed)
