"""Pensions and how they are paid.

- `pensions_receive`: the social-insurance agency sends its pensioners (partner API). Upsert by the
  social-insurance code, all or nothing, idempotent (a record sent again as held changes nothing). The
  agency owns the amount, kind, start and status; on first receipt the arrangement it sent (method,
  province, account or service point) becomes the pension's first arrangement, already acknowledged (the
  agency knows it). Later records never touch the arrangement: from then on it is the pensioner's.
- `arrangement_change`: the pensioner chooses how and where to receive their own pension. It applies from
  `pension_calendar.arrangement_takes_effect` (this month's payment may already be on its way). A move to
  another province updates `Pension.province` at once, so the new province's agency sees it. The new row
  waits for the agency (`acknowledged_at` empty) and the pensioner is told.
- `arrangements_acknowledge`: the agency says it has applied these changes.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ansinh.accounts.models import Organisation, OrganisationKind, Person
from ansinh.accounts.services import person_create
from ansinh.core import audit
from ansinh.core.errors import ValidationFailed
from ansinh.core.identifiers import parse_personal_id
from ansinh.core.text import normalise_search
from ansinh.dossiers.models import Partner
from ansinh.geo.models import Province
from ansinh.notify.services import notify_person
from ansinh.welfare import pension_calendar, pension_messages, pension_selectors
from ansinh.welfare.models import BenefitPayment, PaymentMethod, Pension, PensionArrangement, PensionStatus
from ansinh.welfare.pension_errors import ArrangementUnchanged, PensionEnded, PensionsBusy

MAX_RECORDS = 500
MAX_ACKNOWLEDGE = 500
MAX_AMOUNT = 1_000_000_000  # VND a month; above is a typing error
FIRST_START = date(1960, 1, 1)
_SI_CODE = re.compile(r"\A[0-9]{10}\Z")  # the social-insurance code (mã số BHXH): 10 digits
_ACCOUNT = re.compile(r"\A[0-9]{6,19}\Z")  # Vietnamese bank account numbers: 6 to 19 digits [U]
_ACCOUNT_SEPARATORS = re.compile(r"[\s.\-]")
_LIMITS = {
    "full_name": 150,
    "bank_name": 100,
    "account_holder": 150,
    "delivery_address": 255,
    "delivery_reason": 255,
}


@dataclass(frozen=True)
class PensionReceipt:
    created: int
    updated: int
    unchanged: int
    persons_created: int


@dataclass(frozen=True)
class AcknowledgeReceipt:
    acknowledged: int
    already: int
    not_found: list[int]


# --- shared checks --------------------------------------------------------------------------------------


def _line(raw: Any, limit: int, where: str, errors: dict[str, list[str]]) -> str:
    """One line of text: spaces collapsed, unprintable characters dropped, at most `limit` characters."""
    if raw is None:
        return ""
    if not isinstance(raw, str):
        errors[where] = [_("Enter text.")]
        return ""
    value = " ".join("".join(ch if ch.isprintable() else " " for ch in raw).split())
    if len(value) > limit:
        errors[where] = [_("Enter at most %(n)s characters.") % {"n": limit}]
    return value


def _account_number(raw: Any, where: str, errors: dict[str, list[str]]) -> str:
    value = _ACCOUNT_SEPARATORS.sub("", raw) if isinstance(raw, str) else ""
    if not value:
        errors[where] = [_("Enter the account number.")]
    elif not _ACCOUNT.match(value):
        errors[where] = [_("An account number has 6 to 19 digits.")]
    return value


# --- the agency sends its pensioners ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Record:
    index: int
    code: str
    personal_id: str
    full_name: str
    kind: str
    amount: int
    starts_on: date
    status: str
    province: Province
    method: str
    bank_name: str
    bank_account: str
    account_holder: str
    service_point: Organisation | None
    delivery_address: str

    def values(self) -> tuple[Any, ...]:
        return (self.kind, self.amount, self.starts_on, self.status)


def _date(raw: Any, where: str, errors: dict[str, list[str]]) -> date | None:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(raw) if isinstance(raw, str) and len(raw) == 10 else None
    except ValueError:
        pass
    errors[where] = [_("Enter the date as YYYY-MM-DD.")]
    return None


def _one(
    raw: Any,
    index: int,
    provinces: dict[str, Province],
    points: dict[str, Organisation],
    today: date,
    errors: dict[str, list[str]],
) -> _Record | None:
    where = f"records.{index}"
    if not isinstance(raw, Mapping):
        errors[where] = [_("Send each record as an object.")]
        return None
    before = len(errors)
    code = raw.get("social_insurance_code")
    if not (isinstance(code, str) and _SI_CODE.match(code)):
        errors[f"{where}.social_insurance_code"] = [_("A social-insurance code has exactly 10 digits.")]
    id_number = raw.get("id_number")
    parsed = parse_personal_id(id_number if isinstance(id_number, str) else "")
    if not parsed.valid:
        errors[f"{where}.id_number"] = [str(parsed.error)]
    full_name = _line(raw.get("full_name"), _LIMITS["full_name"], f"{where}.full_name", errors)
    kind = raw.get("pension_kind") or "retirement"
    if kind not in pension_selectors.PENSION_KINDS:
        errors[f"{where}.pension_kind"] = [
            _("The kind is one of: %(kinds)s.") % {"kinds": ", ".join(pension_selectors.PENSION_KINDS)}
        ]
    amount = raw.get("monthly_amount")
    if not isinstance(amount, int) or isinstance(amount, bool):
        errors[f"{where}.monthly_amount"] = [_("Enter a number.")]
    elif not 0 < amount <= MAX_AMOUNT:
        errors[f"{where}.monthly_amount"] = [_("Enter an amount between 1 and 1,000,000,000 VND.")]
    starts_on = _date(raw.get("starts_on"), f"{where}.starts_on", errors)
    if starts_on is not None and not FIRST_START <= starts_on <= today.replace(year=today.year + 1):
        errors[f"{where}.starts_on"] = [_("This date is not plausible for a pension.")]
    status = raw.get("status") or PensionStatus.ACTIVE
    if status not in PensionStatus.values:
        errors[f"{where}.status"] = [_("The status is active, suspended or ended.")]
    province = provinces.get(str(raw.get("province_code") or ""))
    if province is None:
        errors[f"{where}.province_code"] = [_("No province has this code.")]
    method = raw.get("method") or PaymentMethod.POST_OFFICE
    bank_name = bank_account = account_holder = delivery_address = ""
    service_point = None
    if method not in PaymentMethod.values:
        errors[f"{where}.method"] = [_("The method is bank, post_office or home_delivery.")]
    elif method == PaymentMethod.BANK:
        bank_name = _line(raw.get("bank_name"), _LIMITS["bank_name"], f"{where}.bank_name", errors)
        bank_account = _account_number(raw.get("bank_account"), f"{where}.bank_account", errors)
        account_holder = _line(
            raw.get("account_holder"), _LIMITS["account_holder"], f"{where}.account_holder", errors
        )
    elif method == PaymentMethod.POST_OFFICE:
        point_code = raw.get("service_point_code") or ""
        if point_code:
            service_point = points.get(str(point_code))
            if service_point is None or (province is not None and service_point.province_id != province.pk):
                errors[f"{where}.service_point_code"] = [
                    _("No active service point of this province has this code.")
                ]
    else:
        delivery_address = _line(
            raw.get("delivery_address"), _LIMITS["delivery_address"], f"{where}.delivery_address", errors
        )
        if not delivery_address:
            errors[f"{where}.delivery_address"] = [_("Enter the delivery address.")]
    if len(errors) > before or starts_on is None or province is None:
        return None
    return _Record(
        index=index,
        code=str(code),
        personal_id=parsed.number,
        full_name=full_name,
        kind=str(kind),
        amount=int(amount),  # type: ignore[arg-type]
        starts_on=starts_on,
        status=str(status),
        province=province,
        method=str(method),
        bank_name=bank_name,
        bank_account=bank_account,
        account_holder=account_holder,
        service_point=service_point,
        delivery_address=delivery_address,
    )


def _checked(records: Any, today: date) -> list[_Record]:
    if isinstance(records, (str, bytes)) or not isinstance(records, Sequence):
        raise ValidationFailed.single("records", _("Send a list of records."))
    if len(records) > MAX_RECORDS:
        raise ValidationFailed.single(
            "records", _("Send at most %(n)d records at a time.") % {"n": MAX_RECORDS}
        )
    provinces = {p.code: p for p in Province.objects.all()}
    codes = {
        str(r.get("service_point_code"))
        for r in records
        if isinstance(r, Mapping) and r.get("service_point_code")
    }
    points = {
        o.code: o
        for o in Organisation.objects.filter(
            code__in=sorted(codes), kind=OrganisationKind.SERVICE_POINT, is_active=True
        )
    }
    errors: dict[str, list[str]] = {}
    seen: dict[str, int] = {}
    checked: list[_Record] = []
    for index, raw in enumerate(records):
        record = _one(raw, index, provinces, points, today, errors)
        if record is None:
            continue
        first = seen.setdefault(record.code, index)
        if first != index:
            errors[f"records.{index}.social_insurance_code"] = [
                _("This social-insurance code is already in record %(n)d.") % {"n": first}
            ]
            continue
        checked.append(record)
    if errors:
        raise ValidationFailed(errors)
    return checked


def pensions_receive(*, partner: Partner, records: Sequence[Mapping[str, Any]]) -> PensionReceipt:
    """Store a batch of pensioners sent by the social-insurance agency (see the module docstring)."""
    provinces = pension_selectors.agency_provinces(partner)
    checked = _checked(records, timezone.localdate())
    if not checked:
        return PensionReceipt(created=0, updated=0, unchanged=0, persons_created=0)
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _store(partner, provinces, checked, timezone.now())
        except IntegrityError:
            if attempt:  # a concurrent batch created the same person or pension twice in a row
                raise PensionsBusy() from None
    raise AssertionError("unreachable")  # pragma: no cover


def _people(records: list[_Record]) -> dict[str, Person]:
    numbers = sorted({r.personal_id for r in records})
    people = {p.personal_id: p for p in Person.objects.filter(personal_id__in=numbers) if p.personal_id}
    errors: dict[str, list[str]] = {}
    for record in records:
        field = f"records.{record.index}.full_name"
        person = people.get(record.personal_id)
        if person is None:
            if not record.full_name:
                errors[field] = [
                    _("No person is registered with this ID number: send their full name to register them.")
                ]
                continue
            people[record.personal_id] = person_create(
                actor=None, full_name=record.full_name, personal_id=record.personal_id
            )
            people[record.personal_id]._created_here = True  # type: ignore[attr-defined]
        elif record.full_name and normalise_search(record.full_name) != normalise_search(person.full_name):
            errors[field] = [_("The name does not match the person registered with this ID number.")]
    if errors:
        raise ValidationFailed(errors)
    return people


def _store(
    partner: Partner, provinces: list[int] | None, records: list[_Record], now: datetime
) -> PensionReceipt:
    held = {
        p.social_insurance_code: p
        for p in Pension.objects.select_for_update().filter(
            social_insurance_code__in=[r.code for r in records]
        )
    }
    errors: dict[str, list[str]] = {}
    for record in records:
        pension = held.get(record.code)
        province_id = pension.province_id if pension is not None else record.province.pk
        if provinces is not None and province_id not in provinces:
            errors[f"records.{record.index}.province_code"] = [
                _("This partner system does not send pensions paid in this province.")
            ]
    if errors:
        raise ValidationFailed(errors)
    people = _people(records)
    errors = {}
    created = updated = 0
    corrected: list[dict[str, Any]] = []
    for record in records:
        person = people[record.personal_id]
        pension = held.get(record.code)
        if pension is None:
            pension = Pension.objects.create(
                person=person,
                social_insurance_code=record.code,
                pension_kind=record.kind,
                monthly_amount=record.amount,
                starts_on=record.starts_on,
                status=record.status,
                province=record.province,
                partner=partner,
                source="partner",
                received_at=now,
            )
            PensionArrangement.objects.create(
                pension=pension,
                method=record.method,
                province=record.province,
                bank_name=record.bank_name,
                bank_account=record.bank_account,
                account_holder=record.account_holder,
                service_point=record.service_point,
                delivery_address=record.delivery_address,
                valid_from=pension_calendar.month_start(record.starts_on),
                created_at=now,
                acknowledged_at=now,  # the agency's own data: nothing for it to apply
            )
            created += 1
            _tell_received(pension)
            continue
        if pension.person_id != person.pk:
            errors[f"records.{record.index}.id_number"] = [
                _("This social-insurance code belongs to another person.")
            ]
            continue
        before = (pension.pension_kind, int(pension.monthly_amount), pension.starts_on, pension.status)
        if before == record.values():
            continue
        corrected.append({"id": pension.pk, "before": [str(v) for v in before]})
        pension.pension_kind, pension.monthly_amount, pension.starts_on, pension.status = record.values()
        pension.received_at = now
        pension.save(update_fields=["pension_kind", "monthly_amount", "starts_on", "status", "received_at"])
        updated += 1
    if errors:
        raise ValidationFailed(errors)
    persons_created = sum(1 for p in people.values() if getattr(p, "_created_here", False))
    receipt = PensionReceipt(
        created=created,
        updated=updated,
        unchanged=len(records) - created - updated,
        persons_created=persons_created,
    )
    if created or updated or persons_created:
        audit.record(
            actor=None,
            action="welfare.pensions_receive",
            object_type="welfare.pension",
            changes={
                "partner": partner.code,
                "records": len(records),
                "created": created,
                "updated": updated,
                "unchanged": receipt.unchanged,
                "persons_created": persons_created,
                "corrected": corrected,
            },
        )
    return receipt


def _tell_received(pension: Pension) -> None:
    person = pension.person
    transaction.on_commit(
        lambda: notify_person(
            person,
            pension_messages.PENSION_RECEIVED,
            {
                "code": pension.social_insurance_code,
                "amount": f"{pension.monthly_amount:,}".replace(",", "."),
            },
            link="/social/pension/",
        ),
        robust=True,
    )


# --- the pensioner changes the arrangement ----------------------------------------------------------------


def _validated_arrangement(
    pension: Pension,
    *,
    method: str,
    province_id: int | None,
    bank_name: str,
    bank_account: str,
    account_holder: str,
    service_point_id: int | None,
    delivery_address: str,
    delivery_reason: str,
) -> dict[str, Any]:
    """The new arrangement's fields, checked for the method; every bad field named."""
    errors: dict[str, list[str]] = {}
    fields: dict[str, Any] = {
        "method": method,
        "bank_name": "",
        "bank_account": "",
        "account_holder": "",
        "service_point": None,
        "delivery_address": "",
        "delivery_reason": "",
    }
    if method not in PaymentMethod.values:
        errors["method"] = [_("Choose how to receive your pension.")]
    province = Province.objects.filter(pk=province_id).first() if isinstance(province_id, int) else None
    if province is None:
        errors["province_id"] = [_("Choose the province where you receive your pension.")]
    fields["province"] = province
    if method == PaymentMethod.BANK:
        fields["bank_name"] = _line(bank_name, _LIMITS["bank_name"], "bank_name", errors)
        if not fields["bank_name"] and "bank_name" not in errors:
            errors["bank_name"] = [_("Enter the name of the bank.")]
        fields["bank_account"] = _account_number(bank_account, "bank_account", errors)
        holder = _line(account_holder, _LIMITS["account_holder"], "account_holder", errors)
        if not holder and "account_holder" not in errors:
            errors["account_holder"] = [_("Enter the account holder's name.")]
        elif holder and normalise_search(holder) != normalise_search(pension.person.full_name):
            # A pension is paid only into the pensioner's own account.
            errors["account_holder"] = [_("The account must be in your own name, as on your ID card.")]
        fields["account_holder"] = holder
    elif method == PaymentMethod.POST_OFFICE:
        point = (
            pension_selectors.service_points_in(province).filter(pk=service_point_id).first()
            if province is not None and isinstance(service_point_id, int)
            else None
        )
        if point is None:
            errors["service_point_id"] = [_("Choose a post office or service point in the chosen province.")]
        fields["service_point"] = point
    elif method == PaymentMethod.HOME_DELIVERY:
        fields["delivery_address"] = _line(
            delivery_address, _LIMITS["delivery_address"], "delivery_address", errors
        )
        if not fields["delivery_address"] and "delivery_address" not in errors:
            errors["delivery_address"] = [_("Enter the address where the pension is brought to you.")]
        fields["delivery_reason"] = _line(
            delivery_reason, _LIMITS["delivery_reason"], "delivery_reason", errors
        )
        if not fields["delivery_reason"] and "delivery_reason" not in errors:
            errors["delivery_reason"] = [_("Say why you cannot travel to collect it.")]
    if errors:
        raise ValidationFailed(errors)
    return fields


_COMPARED = (
    "method",
    "province_id",
    "bank_name",
    "bank_account",
    "account_holder",
    "service_point_id",
    "delivery_address",
    "delivery_reason",
)


def _same(arrangement: PensionArrangement | None, fields: dict[str, Any]) -> bool:
    if arrangement is None:
        return False
    wanted = {
        **{k: v for k, v in fields.items() if k not in ("province", "service_point")},
        "province_id": fields["province"].pk,
        "service_point_id": fields["service_point"].pk if fields["service_point"] else None,
    }
    return all(getattr(arrangement, name) == wanted[name] for name in _COMPARED)


@transaction.atomic
def arrangement_change(
    *,
    actor: Any,
    pension_id: int,
    method: str,
    province_id: int | None,
    bank_name: str = "",
    bank_account: str = "",
    account_holder: str = "",
    service_point_id: int | None = None,
    delivery_address: str = "",
    delivery_reason: str = "",
) -> PensionArrangement:
    """The pensioner's new arrangement for their own pension (see the module docstring)."""
    pension = pension_selectors.pension_get_for(actor, pension_id)
    pension = Pension.objects.select_for_update().select_related("person", "province").get(pk=pension.pk)
    if pension.status == PensionStatus.ENDED:
        raise PensionEnded()
    fields = _validated_arrangement(
        pension,
        method=method,
        province_id=province_id,
        bank_name=bank_name,
        bank_account=bank_account,
        account_holder=account_holder,
        service_point_id=service_point_id,
        delivery_address=delivery_address,
        delivery_reason=delivery_reason,
    )
    valid_from = pension_calendar.arrangement_takes_effect(timezone.localdate())
    # What will apply from that month without this change: a change made earlier for the same month or a
    # later one counts, so sending the same form twice is refused the second time.
    current = pension_selectors.arrangement_in_force(pension, valid_from)
    if _same(current, fields):
        raise ArrangementUnchanged()
    arrangement = PensionArrangement.objects.create(
        pension=pension, valid_from=valid_from, created_by=actor, **fields
    )
    old_province = pension.province
    moved = fields["province"].pk != pension.province_id
    if moved:
        pension.province = fields["province"]
        pension.save(update_fields=["province", "updated_at"])
    audit.record(
        actor=actor,
        action="welfare.pension_arrangement_change",
        obj=arrangement,
        changes={
            "pension": pension.pk,
            "method": arrangement.method,
            "province": fields["province"].code,
            "valid_from": valid_from,
            "previous": current.pk if current else None,
            "moved_from": old_province.code if moved else None,
            # The account number is personal data: the audit keeps its last digits only.
            "bank_account_end": arrangement.bank_account[-4:] if arrangement.bank_account else "",
        },
    )
    person = pension.person
    context = {
        "month": date_format(valid_from, "m/Y"),
        "code": pension.social_insurance_code,
        "method": str(PaymentMethod(arrangement.method).label),
        "province": fields["province"].name,
    }
    transaction.on_commit(
        lambda: notify_person(person, pension_messages.ARRANGEMENT_CHANGED, context, link="/social/pension/"),
        robust=True,
    )
    return arrangement


# --- the agency acknowledges -----------------------------------------------------------------------------


@transaction.atomic
def arrangements_acknowledge(*, partner: Partner, ids: Sequence[int]) -> AcknowledgeReceipt:
    """Mark these arrangements as applied by the agency. Idempotent: an id acknowledged before counts as
    `already`; an id the partner may not read (another province) or that does not exist is `not_found`."""
    provinces = pension_selectors.agency_provinces(partner)
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Sequence):
        raise ValidationFailed.single("ids", _("Send a list of arrangement ids."))
    if len(ids) > MAX_ACKNOWLEDGE:
        raise ValidationFailed.single("ids", _("Send at most %(n)d ids at a time.") % {"n": MAX_ACKNOWLEDGE})
    wanted = sorted({int(i) for i in ids})
    rows = PensionArrangement.objects.select_for_update().filter(pk__in=wanted)
    if provinces is not None:
        rows = rows.filter(province_id__in=provinces)
    found = {row.pk: row for row in rows.order_by("pk")}
    now = timezone.now()
    fresh = [pk for pk, row in found.items() if row.acknowledged_at is None]
    if fresh:
        PensionArrangement.objects.filter(pk__in=fresh).update(acknowledged_at=now)
        audit.record(
            actor=None,
            action="welfare.pension_arrangements_acknowledge",
            object_type="welfare.pensionarrangement",
            changes={"partner": partner.code, "ids": fresh},
        )
    return AcknowledgeReceipt(
        acknowledged=len(fresh),
        already=len(found) - len(fresh),
        not_found=[pk for pk in wanted if pk not in found],
    )


# --- the pension months paid at service points, reported to the agency -------------------------------------

_DB_ID_MAX = 2**63 - 1  # larger numbers cannot be ids: answered "not found" without asking the database


@dataclass(frozen=True)
class PaymentsPage:
    payments: list[BenefitPayment]
    pensions: dict[int, Pension]
    next_after: int | None


def pension_payments_read(
    *,
    partner: Partner,
    after: int = 0,
    limit: int = pension_selectors.PARTNER_PAGE_DEFAULT,
    month: date | None = None,
    pending_only: bool = False,
) -> PaymentsPage:
    """A page of the pension months paid at service points, for the agency. The read is audited (the
    partner receives personal ID numbers, and the audit row is the record of what it was told)."""
    payments, held, next_after = pension_selectors.pension_payments_for_partner(
        partner, after=after, limit=limit, month=month, pending_only=pending_only
    )
    if payments:
        audit.record(
            actor=None,
            action="welfare.pension_payments_read",
            object_type="welfare.benefitpayment",
            changes={"partner": partner.code, "ids": [payment.pk for payment in payments]},
        )
    return PaymentsPage(payments=payments, pensions=held, next_after=next_after)


@transaction.atomic
def pension_payments_acknowledge(*, partner: Partner, ids: Sequence[int]) -> AcknowledgeReceipt:
    """The agency confirms it has received these payments (and struck the months from its payee lists): the
    first confirmation of each is stored on the payment (`reported_at`); sending it again counts it as
    `already` and changes nothing. One audit row per call that confirmed something."""
    pension_selectors.agency_provinces(partner)  # the agency check first, whatever the body
    if isinstance(ids, (str, bytes)) or not isinstance(ids, Sequence):
        raise ValidationFailed.single("ids", _("Send a list of payment ids."))
    if len(ids) > MAX_ACKNOWLEDGE:
        raise ValidationFailed.single("ids", _("Send at most %(n)d ids at a time.") % {"n": MAX_ACKNOWLEDGE})
    wanted = sorted({int(i) for i in ids})
    possible = [pk for pk in wanted if 0 < pk <= _DB_ID_MAX]
    found = set(pension_selectors.pension_payment_ids_for_partner(partner, possible)) if possible else set()
    not_found = [pk for pk in wanted if pk not in found]
    fresh = sorted(
        BenefitPayment.objects.select_for_update()
        .filter(pk__in=found, reported_at__isnull=True)
        .values_list("pk", flat=True)
    )
    if fresh:
        BenefitPayment.objects.filter(pk__in=fresh).update(reported_at=timezone.now())
        audit.record(
            actor=None,
            action="welfare.pension_payments_acknowledge",
            object_type="welfare.benefitpayment",
            changes={"partner": partner.code, "ids": fresh, "not_found": not_found},
        )
    return AcknowledgeReceipt(acknowledged=len(fresh), already=len(found) - len(fresh), not_found=not_found)
