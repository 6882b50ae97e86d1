"""The monthly social allowance: what the application dossier's approval does, and the commune's later acts.

The dossier engine moves the application (receive, accept, decide) and issues the signed decision PDF; the
approval's effect here computes the amount with `allowance_rules` for the chosen group and the person's
date of birth and creates the `SocialAllowance`, inside the step's own transaction: an approval the rules
do not support is refused with the reason, and nothing is written.
"""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.core import audit
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.core.money import dong
from ansinh.dossiers import effects
from ansinh.dossiers.models import Dossier
from ansinh.notify.services import notify_person
from ansinh.welfare import allowance_messages as messages
from ansinh.welfare import allowance_rules as rules
from ansinh.welfare import allowance_selectors as selectors
from ansinh.welfare.allowance_errors import AllowanceNotApplicable, AllowanceStateConflict, AlreadyReceiving
from ansinh.welfare.models import LIVE_ALLOWANCE_STATUSES, AllowanceStatus, SocialAllowance
from ansinh.welfare.permissions import ALLOWANCE_MANAGE
from ansinh.welfare.procedures import ALLOWANCE_APPLICATION, BANK, PAYMENT_METHODS, SERVICE_POINT

REASON_MAX = 500
_METHOD_VI = {
    SERVICE_POINT: "Nhận tiền mặt tại điểm chi trả (xuất trình thẻ an sinh xã hội)",
    BANK: "Chuyển khoản",
}


def payment_method_label(method: str) -> str:
    return next((str(choice.label) for choice in PAYMENT_METHODS if choice.value == method), method)


def _children(form: dict[str, Any]) -> int:
    value = form.get("children")
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else 1


def allowance_amount_for(dossier: Dossier, on: date) -> rules.AllowanceAmount:
    """The amount the rules give the applicant on `on`; `AllowanceNotApplicable` says why not."""
    person = dossier.applicant_person
    if person is None:
        raise ValidationFailed.single("applicant", _("The allowance is applied for by a person."))
    form = dossier.form_data
    try:
        return rules.monthly_allowance(
            form.get("group", ""), person.date_of_birth, on, children=_children(form)
        )
    except rules.NotApplicable as exc:
        raise AllowanceNotApplicable(
            _("The allowance rules do not apply: %(reason)s Refuse the dossier, giving this reason.")
            % {"reason": exc.message},
            details={"field": exc.field, "reason": exc.message},
        ) from exc


def allowance_grant(dossier: Dossier, actor: Any, *, decided_on: date | None = None) -> SocialAllowance:
    """The allowance of an approved application (inside the approval's transaction)."""
    decided_on = decided_on or timezone.localdate()
    amount = allowance_amount_for(dossier, decided_on)
    person_id = dossier.applicant_person_id
    assert person_id is not None  # checked by allowance_amount_for
    if SocialAllowance.objects.filter(person_id=person_id, status__in=LIVE_ALLOWANCE_STATUSES).exists():
        raise AlreadyReceiving()
    form = dossier.form_data
    method = form.get("payment_method") or SERVICE_POINT
    bank_account = (form.get("bank_account") or "").strip()
    if method == BANK and not bank_account:
        raise ValidationFailed.single("bank_account", _("Give the bank account number for a transfer."))
    commune = dossier.receiving_organisation  # a commune-level procedure: the commune decides
    province_id = commune.province_id or dossier.province_id
    if province_id is None:
        raise ValidationFailed.single("province", _("The commune has no province."))
    try:
        with transaction.atomic():  # a savepoint: the constraint's error leaves the step's transaction usable
            allowance = SocialAllowance.objects.create(
                person_id=person_id,
                dossier=dossier,
                group=amount.group,
                coefficient=amount.coefficient,
                base_level=amount.base_level,
                monthly_amount=amount.amount,
                starts_on=rules.first_month_paid(decided_on),
                status=AllowanceStatus.ACTIVE,
                payment_method=method,
                bank_account=bank_account if method == BANK else "",
                commune=commune,
                province_id=province_id,
                org_path=commune.path,
                decided_at=timezone.now(),
                decided_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError as exc:  # another application was approved at the same moment
        raise AlreadyReceiving() from exc
    audit.record(
        actor=actor,
        action="welfare.allowance_grant",
        obj=allowance,
        changes={
            "group": allowance.group,
            "coefficient": str(allowance.coefficient),
            "base_level": allowance.base_level,
            "monthly_amount": allowance.monthly_amount,
            "starts_on": allowance.starts_on.isoformat(),
        },
    )
    person = dossier.applicant_person
    assert person is not None  # checked by allowance_amount_for
    context = {
        "commune": commune.name,
        "amount": dong(allowance.monthly_amount),
        "month": allowance.starts_on.strftime("%m/%Y"),
        "method": payment_method_label(method),
    }
    transaction.on_commit(lambda: notify_person(person, messages.ALLOWANCE_GRANTED, context))
    return allowance


def _coefficient(value: Any) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def on_application_step(dossier: Dossier, step: str, actor: Any) -> None:
    if step == "approve":
        allowance_grant(dossier, actor)


def allowance_decision_facts(dossier: Dossier) -> list[tuple[str, str]]:
    """The figures the decision states; always in Vietnamese, like the document."""
    allowance = SocialAllowance.objects.filter(dossier=dossier).first()
    if allowance is None:
        return []
    names = " + ".join(rules.GROUPS_BY_CODE[c].name_vi for c in rules.group_codes(allowance.group))
    articles = "; ".join(
        f"{rules.DECREE_20} {rules.GROUPS_BY_CODE[c].article}" for c in rules.group_codes(allowance.group)
    )
    base = rules.base_level_on(allowance.starts_on)
    facts = [
        ("Đối tượng", f"{names} ({articles})"),
        ("Hệ số", _coefficient(allowance.coefficient)),
        ("Mức chuẩn trợ giúp xã hội", f"{dong(allowance.base_level)} ({base.source})"),
        ("Mức trợ cấp hằng tháng", dong(allowance.monthly_amount)),
        ("Thời điểm hưởng", f"Từ tháng {allowance.starts_on:%m/%Y}"),
        ("Hình thức chi trả", _METHOD_VI.get(allowance.payment_method, allowance.payment_method)),
    ]
    if allowance.payment_method == BANK and allowance.bank_account:
        facts.append(("Tài khoản nhận", allowance.bank_account))
    if not base.confirmed:
        facts.append(("Ghi chú", "Mức chuẩn áp dụng chưa được đối chiếu với văn bản gốc."))
    return facts


effects.register(
    ALLOWANCE_APPLICATION,
    effects.Effects(before_step=on_application_step, decision_facts=allowance_decision_facts),
)


# --- the commune's acts on a running allowance --------------------------------------------------------------


def locked_allowance(actor: Any, allowance_id: int) -> SocialAllowance:
    """An allowance the actor manages (`welfare_allowance.manage` over its commune), locked."""
    allowance = (
        selectors.allowances_in_scope(actor, ALLOWANCE_MANAGE)
        .select_for_update(of=("self",))
        .select_related("person", "commune")
        .filter(pk=allowance_id)
        .first()
    )
    if allowance is None:
        raise NotFound()
    return allowance


def clean_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed.single(field, _("Give the reason."))
    if len(reason) > REASON_MAX:
        raise ValidationFailed.single(field, _("Keep the reason under 500 characters."))
    return reason


def _set_status(
    *, actor: Any, allowance_id: int, reason: str, allowed_from: tuple[str, ...], to: str, template: str
) -> SocialAllowance:
    reason = clean_reason(reason)
    with transaction.atomic():
        allowance = locked_allowance(actor, allowance_id)
        if allowance.status not in allowed_from:
            raise AllowanceStateConflict(details={"status": allowance.status, "to": to})
        before = allowance.status
        allowance.status = to
        allowance.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            action=f"welfare.allowance_{to}",
            obj=allowance,
            changes={"status": [before, to], "reason": reason},
        )
        context = {"commune": allowance.commune.name, "reason": reason}
        person = allowance.person
        transaction.on_commit(lambda: notify_person(person, template, context))
    return allowance


def allowance_suspend(*, actor: Any, allowance_id: int, reason: str) -> SocialAllowance:
    """Stop paying for a while (e.g. not collected for 3 months in a row, Circular 02/2021 Art 2.3)."""
    return _set_status(
        actor=actor,
        allowance_id=allowance_id,
        reason=reason,
        allowed_from=(AllowanceStatus.ACTIVE,),
        to=AllowanceStatus.SUSPENDED,
        template=messages.ALLOWANCE_SUSPENDED,
    )


def allowance_resume(*, actor: Any, allowance_id: int, reason: str) -> SocialAllowance:
    return _set_status(
        actor=actor,
        allowance_id=allowance_id,
        reason=reason,
        allowed_from=(AllowanceStatus.SUSPENDED,),
        to=AllowanceStatus.ACTIVE,
        template=messages.ALLOWANCE_RESUMED,
    )


def close_allowance(allowance: SocialAllowance, *, last_month: date, reason: str) -> date:
    """End a locked allowance (no audit, no message: the caller's). The last month is the event's month
    (Decree 20/2021 Art 8.2), never before a month already paid nor before the first month."""
    last = rules.month_start(last_month)
    paid = selectors.last_paid_month(allowance)
    if paid is not None and paid > last:
        last = paid
    if last < allowance.starts_on:
        last = allowance.starts_on
    allowance.status = AllowanceStatus.ENDED
    allowance.ends_on = last
    allowance.end_reason = reason
    allowance.save(update_fields=["status", "ends_on", "end_reason", "updated_at"])
    return last


def allowance_end(
    *, actor: Any, allowance_id: int, reason: str, last_month: date | None = None
) -> SocialAllowance:
    """End the allowance; `last_month` (default: this month) is the last month paid."""
    reason = clean_reason(reason)
    with transaction.atomic():
        allowance = locked_allowance(actor, allowance_id)
        if allowance.status not in LIVE_ALLOWANCE_STATUSES:
            raise AllowanceStateConflict(details={"status": allowance.status, "to": AllowanceStatus.ENDED})
        before = allowance.status
        last = close_allowance(allowance, last_month=last_month or timezone.localdate(), reason=reason)
        audit.record(
            actor=actor,
            action="welfare.allowance_end",
            obj=allowance,
            changes={
                "status": [before, AllowanceStatus.ENDED],
                "ends_on": last.isoformat(),
                "reason": reason,
            },
        )
        context = {"commune": allowance.commune.name, "reason": reason, "month": last.strftime("%m/%Y")}
        person = allowance.person
        transaction.on_commit(lambda: notify_person(person, messages.ALLOWANCE_ENDED, context))
    return allowance
