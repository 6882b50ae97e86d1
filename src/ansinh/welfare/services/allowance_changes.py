"""Changes of circumstances: the beneficiary (or their family, signed in as them) reports online; the
commune accepts — possibly with a new group and so a new amount from the next month, a new way of
payment, or the end of the allowance (moved away, death) — or rejects, saying why. What an acceptance
changed is kept in `AllowanceChange.effect` as `{field: [before, after], ...}`, the history of the
allowance."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.core import audit
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.notify.services import notify_person
from ansinh.welfare import allowance_messages as messages
from ansinh.welfare import allowance_rules as rules
from ansinh.welfare import allowance_selectors as selectors
from ansinh.welfare.allowance_errors import AllowanceStateConflict, ChangeAlreadyHandled
from ansinh.welfare.models import (
    LIVE_ALLOWANCE_STATUSES,
    AllowanceChange,
    AllowanceStatus,
    ChangeKind,
    ChangeStatus,
)
from ansinh.welfare.procedures import BANK, PAYMENT_METHODS
from ansinh.welfare.services.allowances import clean_reason, close_allowance, locked_allowance

DESCRIPTION_MAX = 2000
ENDING_KINDS = (ChangeKind.MOVED, ChangeKind.DEATH)
_METHODS = {choice.value for choice in PAYMENT_METHODS}


def change_report(
    *, actor: Any, allowance_id: int, kind: str, description: str, happened_on: date
) -> AllowanceChange:
    """The beneficiary reports a change on their own allowance (being paid or suspended)."""
    if kind not in ChangeKind.values:
        raise ValidationFailed.single("kind", _("Choose what changed."))
    description = (description or "").strip()
    if not description:
        raise ValidationFailed.single("description", _("Describe the change."))
    if len(description) > DESCRIPTION_MAX:
        raise ValidationFailed.single("description", _("Keep the description under 2000 characters."))
    if happened_on > timezone.localdate():
        raise ValidationFailed.single("happened_on", _("The date of the change cannot be in the future."))
    with transaction.atomic():
        allowance = (
            selectors.my_allowances(actor).select_for_update(of=("self",)).filter(pk=allowance_id).first()
        )
        if allowance is None:
            raise NotFound()
        if allowance.status not in LIVE_ALLOWANCE_STATUSES:
            raise AllowanceStateConflict(details={"status": allowance.status})
        change = AllowanceChange.objects.create(
            allowance=allowance,
            kind=kind,
            description=description,
            happened_on=happened_on,
            reported_by=actor,
            reported_at=timezone.now(),
            org_path=allowance.org_path,
        )
        audit.record(
            actor=actor,
            action="welfare.allowance_change_report",
            obj=change,
            changes={"kind": kind, "happened_on": happened_on.isoformat()},
        )
    return change


def _locked_change(actor: Any, change_id: int) -> AllowanceChange:
    change = selectors.changes_in_scope(actor).select_for_update(of=("self",)).filter(pk=change_id).first()
    if change is None:
        raise NotFound()
    if change.status != ChangeStatus.REPORTED:
        raise ChangeAlreadyHandled(details={"status": change.status})
    return change


def change_accept(
    *,
    actor: Any,
    change_id: int,
    outcome: str,
    new_group: str = "",
    children: int | None = None,
    payment_method: str = "",
    bank_account: str = "",
) -> AllowanceChange:
    """Accept a report. A new group recomputes the amount from next month with the rules in force then;
    a move or a death ends the allowance with the event's month as the last paid (Decree 20/2021 Art 8.2,
    8.4); a new payment method or account applies at once."""
    outcome = clean_reason(outcome, "outcome")
    if payment_method and payment_method not in _METHODS:
        raise ValidationFailed.single("payment_method", _("Choose how the allowance is paid."))
    with transaction.atomic():
        change = _locked_change(actor, change_id)
        allowance = locked_allowance(actor, change.allowance_id)
        if allowance.status not in LIVE_ALLOWANCE_STATUSES:
            raise AllowanceStateConflict(details={"status": allowance.status})
        effect: dict[str, Any] = {}
        fields: list[str] = []
        if change.kind in ENDING_KINDS:
            before = allowance.status
            last = close_allowance(allowance, last_month=change.happened_on, reason=outcome)
            effect = {"status": [before, AllowanceStatus.ENDED], "ends_on": last.isoformat()}
        else:
            if new_group:
                effect |= _regroup(allowance, new_group, children)
                fields += ["group", "coefficient", "base_level", "monthly_amount"]
            if payment_method or bank_account:
                effect |= _repay(allowance, payment_method or allowance.payment_method, bank_account)
                fields += ["payment_method", "bank_account"]
            if fields:
                allowance.save(update_fields=[*fields, "updated_at"])
        change.status = ChangeStatus.ACCEPTED
        change.outcome = outcome
        change.effect = effect
        change.handled_by = actor
        change.handled_at = timezone.now()
        change.save(update_fields=["status", "outcome", "effect", "handled_by", "handled_at"])
        audit.record(actor=actor, action="welfare.allowance_change_accept", obj=change, changes=effect)
        _tell(change, messages.CHANGE_ACCEPTED)
    return change


def _regroup(allowance: Any, new_group: str, children: int | None) -> dict[str, Any]:
    start = rules.next_month(rules.month_start(timezone.localdate()))
    try:
        amount = rules.monthly_allowance(
            new_group, allowance.person.date_of_birth, start, children=children or 1
        )
    except rules.NotApplicable as exc:
        raise ValidationFailed.single(
            "new_group" if exc.field == "group" else exc.field, exc.message
        ) from exc
    effect = {
        "group": [allowance.group, amount.group],
        "coefficient": [str(allowance.coefficient), str(amount.coefficient)],
        "base_level": [allowance.base_level, amount.base_level],
        "monthly_amount": [allowance.monthly_amount, amount.amount],
        "from": start.isoformat(),
    }
    allowance.group = amount.group
    allowance.coefficient = amount.coefficient
    allowance.base_level = amount.base_level
    allowance.monthly_amount = amount.amount
    return effect


def _repay(allowance: Any, method: str, bank_account: str) -> dict[str, Any]:
    bank_account = bank_account.strip()
    if method == BANK and not (bank_account or allowance.bank_account):
        raise ValidationFailed.single("bank_account", _("Give the bank account number for a transfer."))
    new_account = (bank_account or allowance.bank_account) if method == BANK else ""
    effect = {"payment_method": [allowance.payment_method, method]}
    if new_account != allowance.bank_account:
        effect["bank_account_changed"] = [bool(allowance.bank_account), bool(new_account)]  # never the number
    allowance.payment_method = method
    allowance.bank_account = new_account
    return effect


def change_reject(*, actor: Any, change_id: int, outcome: str) -> AllowanceChange:
    outcome = clean_reason(outcome, "outcome")
    with transaction.atomic():
        change = _locked_change(actor, change_id)
        change.status = ChangeStatus.REJECTED
        change.outcome = outcome
        change.handled_by = actor
        change.handled_at = timezone.now()
        change.save(update_fields=["status", "outcome", "handled_by", "handled_at"])
        audit.record(actor=actor, action="welfare.allowance_change_reject", obj=change, changes={})
        _tell(change, messages.CHANGE_REJECTED)
    return change


def _tell(change: AllowanceChange, template: str) -> None:
    allowance = change.allowance
    person = allowance.person
    context = {"commune": allowance.commune.name, "outcome": change.outcome}
    transaction.on_commit(lambda: notify_person(person, template, context))
