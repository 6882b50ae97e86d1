"""Contracts an enterprise registers before sending workers on them, and the reply of the body that
registers them (Law 69/2020 Art 20; Circular 21/2021 Art 13: within 5 working days).

The terms are checked against the law when the contract is submitted: a fee or a deposit above its cap is
refused at once, each rule broken named with its legal basis, and nothing is written. Registering a contract
is the enterprise's own: a branch can never do it (Law 69/2020 Art 17).
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts.models import Organisation, OrganisationKind
from ansinh.accounts.selectors import require_permission
from ansinh.core import audit, workdays
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.geo.models import Country, Occupation
from ansinh.overseas import permissions as perms
from ansinh.overseas import rules, selectors
from ansinh.overseas.errors import BreaksTheLaw, ContractStateInvalid, NotLicensed, NotSigned
from ansinh.overseas.models import (
    Contract,
    ContractKind,
    ContractStatus,
    EnterpriseStatus,
    ForeignParty,
    ForeignPartyKind,
)

REPLY_WORKING_DAYS = 5
# The rules' names of the terms, as the form and the API call them.
_TERM_FIELDS = {
    "monthly_salary_vnd": "monthly_salary",
    "service_fee_vnd": "service_fee",
    "broker_fee_vnd": "broker_fee",
    "deposit_vnd": "worker_deposit",
    "airfare_vnd": "airfare",
}


def _whole(value: Any, field: str, errors: dict[str, list[str]], *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        errors[field] = [_("Enter a whole number of at least %(n)d.") % {"n": minimum}]
        return 0
    return value


def foreign_party_get_or_register(
    *, kind: str, country: Country, registration_number: str, name: str, address: str = ""
) -> ForeignParty:
    """The foreign party with this registration number in its country, recorded the first time an enterprise
    names it (the same employer is one row for every enterprise)."""
    registration_number = str(registration_number or "").strip().upper()
    name = " ".join(str(name or "").split())
    if not registration_number or not name:
        field = "registration_number" if not registration_number else "name"
        raise ValidationFailed.single(f"{kind}.{field}", _("This field is required."))
    party, _created = ForeignParty.objects.get_or_create(
        kind=kind,
        country=country,
        registration_number=registration_number,
        defaults={"name": name[:255], "address": str(address or "").strip()[:255]},
    )
    return party


def _registrar(kind: str, contract_days: int, province_id: int) -> Organisation:
    """Who registers the contract: the ministry's department, or — for an internship under 90 days — the
    province's department (Law 69/2020 Art 39-40)."""
    if kind == ContractKind.INTERNSHIP and rules.internship_registrar(contract_days) == "province":
        found = (
            Organisation.objects.filter(
                kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province_id=province_id, is_active=True
            )
            .order_by("path")
            .first()
        )
    else:
        found = (
            Organisation.objects.filter(kind=OrganisationKind.OVERSEAS_LABOUR_DEPARTMENT, is_active=True)
            .order_by("path")
            .first()
        )
    if found is None:
        raise ValidationFailed.single("kind", _("No body is set up to register this kind of contract yet."))
    return found


@transaction.atomic
def contract_submit(*, actor: Any, **fields: Any) -> Contract:
    enterprise, acting = selectors.acting_enterprise(actor, perms.CONTRACT_REGISTER)
    if acting.kind != OrganisationKind.ENTERPRISE:
        raise NotFound()  # a branch never registers contracts, even if a role says so
    if enterprise.status != EnterpriseStatus.LICENSED:
        raise NotLicensed()
    errors: dict[str, list[str]] = {}
    kind = str(fields.get("kind") or ContractKind.SUPPLY)
    if kind not in ContractKind.values:
        errors["kind"] = [_("Choose the kind of contract.")]
    number = str(fields.get("number") or "").strip()
    if not number:
        errors["number"] = [_("Enter the contract number.")]
    elif Contract.objects.filter(enterprise=enterprise, number=number).exists():
        errors["number"] = [_("A contract with this number is already registered.")]
    country = Country.objects.filter(iso2=str(fields.get("country") or "").strip().upper()).first()
    if country is None:
        errors["country"] = [_("Choose the country.")]
    occupation = Occupation.objects.filter(code=str(fields.get("occupation") or "").strip()).first()
    if occupation is None:
        errors["occupation"] = [_("Choose the occupation (ISCO-08 code).")]
    workers = _whole(fields.get("workers_planned"), "workers_planned", errors, minimum=1)
    salary = _whole(fields.get("monthly_salary"), "monthly_salary", errors, minimum=1)
    months = _whole(fields.get("contract_months"), "contract_months", errors, minimum=1)
    internship_days = None
    if kind == ContractKind.INTERNSHIP:
        if fields.get("internship_days") in (None, ""):
            errors["internship_days"] = [_("Enter the internship's length in days.")]
        else:
            internship_days = _whole(fields.get("internship_days"), "internship_days", errors, minimum=1)
    service_fee = _whole(fields.get("service_fee", 0), "service_fee", errors)
    broker_fee = _whole(fields.get("broker_fee", 0), "broker_fee", errors)
    deposit = _whole(fields.get("worker_deposit", 0), "worker_deposit", errors)
    airfare = _whole(fields.get("airfare", 0), "airfare", errors)
    signed_on = fields.get("signed_on")
    if not isinstance(signed_on, date) or signed_on > timezone.localdate():
        errors["signed_on"] = [_("Enter the day the contract was signed (not in the future).")]
    party = fields.get("foreign_party") or {}
    broker_party = fields.get("broker") or {}
    worker_broker_fee = _whole(fields.get("worker_broker_fee", 0), "worker_broker_fee", errors)
    named_broker = any(str(broker_party.get(k) or "").strip() for k in ("registration_number", "name"))
    if broker_fee and not named_broker and "broker_fee" not in errors:
        # The fee goes to someone: the database records who (Law 69/2020 Art 22: brokerage contract).
        errors["broker.name"] = [_("Name the broker the broker fee is paid to.")]
    if errors:
        raise ValidationFailed(errors)
    assert country is not None
    assert occupation is not None
    assert isinstance(signed_on, date)
    terms = rules.SupplyContractTerms(
        country=country.iso2,
        programme=str(fields.get("programme") or rules.Programme.GENERAL),
        contract_months=months,
        monthly_salary_vnd=salary,
        service_fee_vnd=service_fee,
        broker_fee_vnd=broker_fee,
        worker_broker_fee_vnd=worker_broker_fee,
        deposit_vnd=deposit,
        airfare_vnd=airfare or None,
        workers=workers,
        seafarer=bool(fields.get("seafarer")),
    )
    try:
        violations = rules.check_supply_contract(terms)
    except rules.InvalidTerms as exc:
        raise ValidationFailed.single(_TERM_FIELDS.get(exc.field, exc.field), exc.message) from exc
    if violations:
        raise BreaksTheLaw(details={"violations": [v.as_dict() for v in violations]})
    foreign_party = foreign_party_get_or_register(
        kind=ForeignPartyKind.AGENCY if kind == ContractKind.INTERNSHIP else ForeignPartyKind.EMPLOYER,
        country=country,
        registration_number=party.get("registration_number", ""),
        name=party.get("name", ""),
        address=party.get("address", ""),
    )
    broker = (
        foreign_party_get_or_register(
            kind=ForeignPartyKind.BROKER,
            country=country,
            registration_number=broker_party.get("registration_number", ""),
            name=broker_party.get("name", ""),
            address=broker_party.get("address", ""),
        )
        if named_broker
        else None
    )
    registrar = _registrar(kind, internship_days or months * 30, enterprise.province_id)
    today = timezone.localdate()
    contract = Contract.objects.create(
        enterprise=enterprise,
        kind=kind,
        number=number,
        foreign_party=foreign_party,
        broker=broker,
        country=country,
        programme=terms.programme,
        occupation=occupation,
        workers_planned=workers,
        monthly_salary=salary,
        contract_months=months,
        internship_days=internship_days,
        service_fee=service_fee,
        broker_fee=broker_fee,
        worker_deposit=deposit,
        signed_on=signed_on,
        registrar=registrar,
        reply_due=workdays.add_working_days(today, REPLY_WORKING_DAYS),
        org_path=enterprise.org_path,
        province_id=enterprise.province_id,
    )
    audit.record(actor=actor, action="overseas.contract_submit", obj=contract, changes={"number": number})
    return contract


@transaction.atomic
def contract_decide(*, actor: Any, contract_id: int, approve: bool, reason: str = "") -> Contract:
    """The registering body's reply: registered, or refused with the reasons."""
    require_permission(actor, perms.REGISTRATION_DECIDE)
    contract = (
        selectors.contracts_to_decide(actor).select_for_update(of=("self",)).filter(pk=contract_id).first()
    )
    if contract is None:
        raise NotFound()
    if contract.status != ContractStatus.SUBMITTED:
        raise ContractStateInvalid()
    reason = str(reason or "").strip()
    if not approve and not reason:
        raise ValidationFailed.single("reason", _("Give the reasons for the refusal."))
    if approve and contract.signed_at is None:
        raise NotSigned()
    contract.status = ContractStatus.REGISTERED if approve else ContractStatus.REFUSED
    contract.refusal_reason = "" if approve else reason
    contract.decided_at = timezone.now()
    contract.decided_by = actor
    contract.save(update_fields=["status", "refusal_reason", "decided_at", "decided_by"])
    audit.record(
        actor=actor, action="overseas.contract_decide", obj=contract, changes={"status": contract.status}
    )
    return contract
