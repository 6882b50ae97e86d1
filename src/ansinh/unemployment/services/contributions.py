"""The unemployment-insurance contribution record, as the social-insurance agency sends it through the
partner API (`POST /api/v1/partner/unemployment/contributions`).

- Who may send: a payer partner (setting `UNEMPLOYMENT_PAYER_PARTNERS`, see `payment_selectors`), for any
  person: the agency's record is national, so a payer of one province may send too.
- A batch is at most `MAX_RECORDS` records, written all or nothing in one transaction. Every record is
  checked first and every bad field is named (`records.3.wage`); one bad record refuses the batch.
- Upsert by (person, month): a record for a month already held replaces it when a value differs (a
  correction), and changes nothing when every value is the same, so sending a batch again is harmless.
  One audit row per batch that changed something, with the previous values of the corrected months.
- The person is found by the 12-digit personal ID number. A number not registered yet is registered with
  the `full_name` the record gives (as the dossier partner flow registers an applicant); a record for an
  unknown number without a name is refused. A name given for a registered person must match it (compared
  without case and diacritics): a mistyped ID number must not give one person's contributions to another.
- The agency is the source of truth: a month is accepted even when a decided benefit was computed from it.
  Decisions stand: the figures of a benefit already decided are never recomputed here. A correction that
  matters to a decided benefit is for the centre to review (a new decision), not for this service.
- A month received for a person whose benefit is being paid, after the benefit began, is a new job reported
  by an employer: nothing is terminated here; `contribution_selectors.new_jobs_reported` shows it to the
  centre, which terminates with the ground `new_job` (`terminations.claim_terminate`) once it has checked.
"""

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ansinh.accounts.models import Person
from ansinh.accounts.services import person_create
from ansinh.core import audit
from ansinh.core.errors import ValidationFailed
from ansinh.core.identifiers import parse_personal_id
from ansinh.core.text import normalise_search
from ansinh.dossiers.models import Partner
from ansinh.unemployment import payment_selectors, rules
from ansinh.unemployment.errors import ContributionsBusy
from ansinh.unemployment.models import ContributionMonth

MAX_RECORDS = 1_000
# Unemployment insurance began in January 2009 (Law 71/2006); a wage above this is a typing error (and
# must never overflow the column).
FIRST_MONTH = date(2009, 1, 1)
MAX_WAGE = 100_000_000_000
MAX_EMPLOYER_NAME = 255
MAX_FULL_NAME = 150
_MONTH = re.compile(r"\A([0-9]{4})-(0[1-9]|1[0-2])\Z")
_VALUES = ("wage", "region", "state_pay_scale", "employer_name")
_ATTEMPTS = 3
_TERMS = 100
_DEADLOCK = "40P01"  # PostgreSQL: deadlock detected (two batches inserting the same months)


class NotAContributionSender(payment_selectors.NotAPayer):
    """The payers' refusal (same code, `unemployment.not_a_payer`), worded for the contributions."""

    default_message = gettext_lazy("This partner system does not send unemployment-insurance contributions.")


@dataclass(frozen=True)
class ContributionReceipt:
    """What a batch did: months created, corrected, already held as sent; people registered."""

    created: int
    updated: int
    unchanged: int
    persons_created: int


@dataclass(frozen=True)
class _Record:
    index: int
    personal_id: str
    month: date
    wage: int
    region: str
    state_pay_scale: bool
    employer_name: str
    full_name: str

    def values(self) -> tuple[Any, ...]:
        return (self.wage, self.region, self.state_pay_scale, self.employer_name)


class _Raced(Exception):
    """A concurrent batch registered the same person or month since this one looked: try again."""


def _text(raw: Any, limit: int, where: str, errors: dict[str, list[str]]) -> str:
    """One line of text: spaces collapsed, characters that cannot be printed (control characters, lone
    surrogates, which the database refuses) dropped."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        errors[where] = [_("Enter text.")]
        return ""
    value = " ".join("".join(ch if ch.isprintable() else " " for ch in raw).split())
    if len(value) > limit:
        errors[where] = [_("Enter at most %(n)s characters.") % {"n": limit}]
    return value


def _month(raw: Any, this_month: date, where: str, errors: dict[str, list[str]]) -> date | None:
    found = _MONTH.match(raw) if isinstance(raw, str) else None
    if found is None:
        errors[where] = [_("Enter the month as YYYY-MM.")]
        return None
    month = date(int(found[1]), int(found[2]), 1)
    if month < FIRST_MONTH:
        errors[where] = [_("Unemployment insurance contributions start in January 2009.")]
    elif month > this_month:
        errors[where] = [_("This month is in the future.")]
    return month


def _one(raw: Any, index: int, this_month: date, errors: dict[str, list[str]]) -> _Record | None:
    where = f"records.{index}"
    if not isinstance(raw, Mapping):
        errors[where] = [_("Send each record as an object.")]
        return None
    before = len(errors)
    id_number = raw.get("id_number")
    parsed = parse_personal_id(id_number if isinstance(id_number, str) else "")
    if not parsed.valid:
        errors[f"{where}.id_number"] = [str(parsed.error)]
    month = _month(raw.get("month"), this_month, f"{where}.month", errors)
    raw_wage = raw.get("wage")
    wage = raw_wage if isinstance(raw_wage, int) and not isinstance(raw_wage, bool) else None
    if wage is None:
        errors[f"{where}.wage"] = [_("Enter a number.")]
    elif wage < 0:
        errors[f"{where}.wage"] = [_("A wage cannot be negative.")]
    elif wage > MAX_WAGE:
        errors[f"{where}.wage"] = [_("The value is too large.")]
    region = raw.get("region")
    region = region.strip().upper() if isinstance(region, str) else region
    if region not in rules.REGIONS:
        errors[f"{where}.region"] = [_("The region is I, II, III or IV.")]
    state = raw.get("state_pay_scale", False)
    if state is None:
        state = False
    if not isinstance(state, bool):
        errors[f"{where}.state_pay_scale"] = [_("This value is not valid.")]
    employer = _text(raw.get("employer_name"), MAX_EMPLOYER_NAME, f"{where}.employer_name", errors)
    full_name = _text(raw.get("full_name"), MAX_FULL_NAME, f"{where}.full_name", errors)
    if len(errors) > before or month is None or wage is None:
        return None
    return _Record(
        index=index,
        personal_id=parsed.number,
        month=month,
        wage=wage,
        region=str(region),
        state_pay_scale=bool(state),
        employer_name=employer,
        full_name=full_name,
    )


def _checked(records: Any, today: date) -> list[_Record]:
    """Every record checked, every bad field named; duplicates of (ID number, month) refused."""
    if isinstance(records, (str, bytes)) or not isinstance(records, Sequence):
        raise ValidationFailed.single("records", _("Send a list of records."))
    if len(records) > MAX_RECORDS:
        raise ValidationFailed.single(
            "records", _("Send at most %(n)d records at a time.") % {"n": MAX_RECORDS}
        )
    errors: dict[str, list[str]] = {}
    this_month = rules.month_of(today)
    seen: dict[tuple[str, date], int] = {}
    checked: list[_Record] = []
    for index, raw in enumerate(records):
        record = _one(raw, index, this_month, errors)
        if record is None:
            continue
        first = seen.setdefault((record.personal_id, record.month), index)
        if first != index:
            errors[f"records.{index}.month"] = [
                _("This ID number and month are already in record %(n)d.") % {"n": first}
            ]
            continue
        checked.append(record)
    if errors:
        raise ValidationFailed(errors)
    return checked


def sender_check(partner: Partner) -> None:
    """A payer partner (of any province) may send; any other is refused (403 `unemployment.not_a_payer`)."""
    try:
        payment_selectors.payer_scope(partner)
    except payment_selectors.NotAPayer as exc:
        raise NotAContributionSender() from exc


def contributions_receive(*, partner: Partner, records: Sequence[Mapping[str, Any]]) -> ContributionReceipt:
    """Store a batch of contribution months sent by the social-insurance agency (see the module's
    docstring): all or nothing, idempotent, one audit row when something changed."""
    sender_check(partner)
    checked = _checked(records, timezone.localdate())
    if not checked:
        return ContributionReceipt(created=0, updated=0, unchanged=0, persons_created=0)
    for attempt in range(1, _ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _store(partner, checked, timezone.now())
        except (IntegrityError, _Raced):
            pass  # a concurrent batch wrote the same person or month first: read again
        except DatabaseError as exc:
            if getattr(exc.__cause__, "sqlstate", None) != _DEADLOCK:
                raise
        if attempt == _ATTEMPTS:
            raise ContributionsBusy()
    raise AssertionError("unreachable")  # pragma: no cover


def _people(records: list[_Record]) -> tuple[dict[str, Person], dict[str, _Record]]:
    """The registered people by ID number, and for each number not registered the record whose name
    registers it; a name that does not match refuses the batch."""
    numbers = sorted({r.personal_id for r in records})
    people = {p.personal_id: p for p in Person.objects.filter(personal_id__in=numbers) if p.personal_id}
    errors: dict[str, list[str]] = {}
    naming: dict[str, _Record] = {}
    for record in records:
        field = f"records.{record.index}.full_name"
        person = people.get(record.personal_id)
        if not record.full_name:
            continue
        if person is not None:
            if normalise_search(record.full_name) != normalise_search(person.full_name):
                errors[field] = [_("The name does not match the person registered with this ID number.")]
            continue
        first = naming.setdefault(record.personal_id, record)
        if normalise_search(first.full_name) != normalise_search(record.full_name):
            errors[field] = [
                _("The name differs from record %(n)d for the same ID number.") % {"n": first.index}
            ]
    for record in records:
        if record.personal_id not in people and record.personal_id not in naming:
            errors[f"records.{record.index}.full_name"] = [
                _("No person is registered with this ID number: send their full name to register them.")
            ]
    if errors:
        raise ValidationFailed(errors)
    return people, naming


def _register(people: dict[str, Person], naming: dict[str, _Record]) -> int:
    for number in sorted(naming):  # one order for every batch: concurrent batches wait, never deadlock
        record = naming[number]
        try:
            people[number] = person_create(actor=None, full_name=record.full_name, personal_id=number)
        except ValidationFailed as exc:
            if Person.objects.filter(personal_id=number).exists():
                raise _Raced() from exc
            fields = exc.details.get("fields", {}) if isinstance(exc.details, dict) else {}
            raise ValidationFailed(
                {
                    f"records.{record.index}.{'id_number' if name == 'personal_id' else name}": list(msgs)
                    for name, msgs in fields.items()
                }
            ) from exc
    return len(naming)


def _held(pairs: dict[int, set[date]]) -> dict[tuple[int, date], ContributionMonth]:
    """The months already held for these (person, month) pairs, locked in id order. The pairs are asked
    for as one condition per month (a month's batch: one) or per person (a person's history: one), the
    fewer, `_TERMS` at a time (SQLite refuses a very deep OR)."""
    by_month: dict[date, list[int]] = defaultdict(list)
    for person_id in sorted(pairs):
        for month in pairs[person_id]:
            by_month[month].append(person_id)
    terms = (
        [Q(month=month, person_id__in=ids) for month, ids in sorted(by_month.items())]
        if len(by_month) <= len(pairs)
        else [Q(person_id=person_id, month__in=sorted(pairs[person_id])) for person_id in sorted(pairs)]
    )
    held: dict[tuple[int, date], ContributionMonth] = {}
    for start in range(0, len(terms), _TERMS):
        where = Q(pk__in=[])
        for term in terms[start : start + _TERMS]:
            where |= term
        rows = ContributionMonth.objects.select_for_update().filter(where).order_by("pk")
        held.update({(row.person_id, row.month): row for row in rows})
    return held


def _store(partner: Partner, records: list[_Record], now: datetime) -> ContributionReceipt:
    people, naming = _people(records)
    persons_created = _register(people, naming)
    keyed = sorted(((people[r.personal_id].pk, r) for r in records), key=lambda pr: (pr[0], pr[1].month))
    pairs: dict[int, set[date]] = defaultdict(set)
    for person_id, record in keyed:
        pairs[person_id].add(record.month)
    held = _held(pairs)
    to_create: list[ContributionMonth] = []
    to_update: list[ContributionMonth] = []
    corrected: list[dict[str, Any]] = []
    for person_id, record in keyed:
        row = held.get((person_id, record.month))
        if row is None:
            to_create.append(
                ContributionMonth(
                    person_id=person_id,
                    month=record.month,
                    wage=record.wage,
                    region=record.region,
                    state_pay_scale=record.state_pay_scale,
                    employer_name=record.employer_name,
                    received_at=now,
                )
            )
            continue
        before = (int(row.wage), row.region, row.state_pay_scale, row.employer_name)
        if before == record.values():
            continue
        corrected.append({"id": row.pk, "before": dict(zip(_VALUES, before, strict=True))})
        row.wage, row.region, row.state_pay_scale, row.employer_name = record.values()
        row.received_at = now
        to_update.append(row)
    # In (person, month) order, like every batch: two batches inserting the same months wait for each
    # other instead of deadlocking; the loser's unique-constraint error makes it read again.
    ContributionMonth.objects.bulk_create(to_create, batch_size=500)
    ContributionMonth.objects.bulk_update(to_update, [*_VALUES, "received_at"], batch_size=500)
    receipt = ContributionReceipt(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(records) - len(to_create) - len(to_update),
        persons_created=persons_created,
    )
    if to_create or to_update or persons_created:
        audit.record(
            actor=None,
            action="unemployment.contributions_receive",
            object_type="unemployment.contributionmonth",
            changes={
                "partner": partner.code,
                "records": len(records),
                "created": receipt.created,
                "updated": receipt.updated,
                "unchanged": receipt.unchanged,
                "persons_created": persons_created,
                "corrected": corrected,
            },
        )
    return receipt
