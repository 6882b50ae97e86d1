"""The monthly job-search notification, and what the calendar does to a benefit: reminders before and on
the first day of each window, suspension when a window closes without a notification, continuation when
the claimant notifies again, termination after three missed months, the end of the last month."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.core import audit, workdays
from ansinh.core.errors import ValidationFailed
from ansinh.notify.services import notify_person
from ansinh.unemployment import messages, rules, selectors
from ansinh.unemployment.errors import AlreadyNotified, NoOpenClaim, WindowClosed
from ansinh.unemployment.models import (
    BenefitClaim,
    BenefitMonth,
    ClaimAction,
    ClaimStatus,
    MonthStatus,
)
from ansinh.unemployment.services.claims import (
    claim_close,
    decision_number,
    locked_claim,
    record_event,
)

ONLINE, COUNTER = "online", "counter"
MAX_ACTIVITIES = 2000


def notification_record(
    *, actor: Any, activities: str, claim_id: int | None = None, today: date | None = None
) -> BenefitMonth:
    """The claimant notifies online (`claim_id` None: their own open claim), or an officer records it at
    the counter for a claim in scope. In a window: the month is to be paid. While suspended: the benefit
    continues (Decree 374 Art 18); the missed month stays unpaid and is not reserved (Law 74 Art 41.2)."""
    today = today or timezone.localdate()
    activities = (activities or "").strip()
    if not activities:
        raise ValidationFailed.single("activities", _("Say what you did to find work."))
    with transaction.atomic():
        if claim_id is None:
            claim = _own_open_claim(actor)
            channel = ONLINE
        else:
            claim = locked_claim(actor, claim_id)
            channel = COUNTER
        if claim.status == ClaimStatus.SUSPENDED:
            return _continue(claim, actor=actor, activities=activities[:MAX_ACTIVITIES], today=today)
        month = selectors.month_open_on(claim, today)
        if month is None or claim.status not in (ClaimStatus.PAYING, ClaimStatus.TRANSFERRING):
            upcoming = selectors.next_window(claim, today)
            raise WindowClosed(details=_window_details(upcoming))
        if month.status != MonthStatus.WAITING:
            raise AlreadyNotified()
        _mark_notified(month, claim, activities, channel)
        record_event(claim, ClaimAction.NOTIFIED, actor=actor, month=month.number, note=channel)
        audit.record(actor=actor, action="unemployment.notify", obj=claim, changes={"month": month.number})
    return month


def _own_open_claim(actor: Any) -> BenefitClaim:
    person_id = getattr(actor, "person_id", None)
    claim = selectors.current_claim_of(person_id)
    if claim is None:
        raise NoOpenClaim()
    return BenefitClaim.objects.select_for_update().select_related("person").get(pk=claim.pk)


def _window_details(month: BenefitMonth | None) -> dict[str, Any]:
    if month is None:
        return {}
    return {
        "month": month.number,
        "opens": month.notify_from.isoformat(),
        "closes": month.notify_until.isoformat(),
    }


def _mark_notified(month: BenefitMonth, claim: BenefitClaim, activities: str, channel: str) -> None:
    month.status = MonthStatus.NOTIFIED
    month.amount = claim.monthly_benefit
    month.notified_at = timezone.now()
    month.notified_channel = channel
    month.activities = activities[:MAX_ACTIVITIES]
    month.save(update_fields=["status", "amount", "notified_at", "notified_channel", "activities"])


def _continue(claim: BenefitClaim, *, actor: Any, activities: str, today: date) -> BenefitMonth:
    """Continuation: the benefit is paid again from the next month still waiting."""
    following = claim.months.filter(status=MonthStatus.WAITING).order_by("number").first()
    if following is None:
        raise WindowClosed()
    claim.status = ClaimStatus.PAYING
    claim.save(update_fields=["status", "updated_at"])
    number = decision_number(claim, "TT")
    record_event(
        claim,
        ClaimAction.CONTINUED,
        actor=actor,
        month=following.number,
        decision_number=number,
        note=activities,
    )
    audit.record(
        actor=actor, action="unemployment.claim_continue", obj=claim, changes={"from": following.number}
    )
    notify_person(claim.person, messages.CONTINUED, {"decision": number, "number": following.number})
    # A window open today is notified by the same act.
    if following.notify_from <= today <= following.notify_until:
        _mark_notified(following, claim, activities, ONLINE)
    return following


# --- the calendar -------------------------------------------------------------------------------------------


def sweep_benefit_months(today: date | None = None) -> dict[str, int]:
    """Run once a day (beat) and safe to run again: windows closed without a notification -> missed and
    suspended (Decree 374 Art 17), three missed in a row -> terminated, last month over -> finished."""
    today = today or timezone.localdate()
    counts = {"missed": 0, "suspended": 0, "terminated": 0, "finished": 0}
    overdue = (
        BenefitMonth.objects.filter(status=MonthStatus.WAITING, notify_until__lt=today)
        .filter(claim__status__in=[ClaimStatus.PAYING, ClaimStatus.SUSPENDED, ClaimStatus.TRANSFERRING])
        .values_list("claim_id", flat=True)
        .distinct()
    )
    for claim_id in list(overdue):
        with transaction.atomic():
            claim = BenefitClaim.objects.select_for_update().select_related("person").get(pk=claim_id)
            _sweep_claim(claim, today, counts)
    ended = BenefitClaim.objects.filter(
        status__in=[ClaimStatus.PAYING, ClaimStatus.SUSPENDED], end_date__lt=today
    ).exclude(months__status=MonthStatus.WAITING)
    for claim_id in list(ended.values_list("pk", flat=True)):
        with transaction.atomic():
            claim = BenefitClaim.objects.select_for_update().select_related("person").get(pk=claim_id)
            if claim.status in (ClaimStatus.PAYING, ClaimStatus.SUSPENDED) and claim.end_date < today:
                claim.status = ClaimStatus.FINISHED
                claim.closed_on = claim.end_date
                claim.close_reason = "finished"
                claim.save(update_fields=["status", "closed_on", "close_reason", "updated_at"])
                record_event(claim, ClaimAction.FINISHED)
                counts["finished"] += 1
    return counts


def _sweep_claim(claim: BenefitClaim, today: date, counts: dict[str, int]) -> None:
    missed = list(claim.months.filter(status=MonthStatus.WAITING, notify_until__lt=today).order_by("number"))
    if not missed or claim.status not in (
        ClaimStatus.PAYING,
        ClaimStatus.SUSPENDED,
        ClaimStatus.TRANSFERRING,
    ):
        return
    BenefitMonth.objects.filter(pk__in=[m.pk for m in missed]).update(status=MonthStatus.MISSED)
    counts["missed"] += len(missed)
    last = missed[-1]
    if _missed_in_a_row(claim) >= rules.MISSED_IN_A_ROW_TERMINATES:
        reserved = 0  # Law 74 Art 41.4.đ is not among the grounds that reserve (Art 41.5)
        claim_close(
            claim,
            actor=None,
            status=ClaimStatus.TERMINATED,
            action=ClaimAction.TERMINATED,
            reason="three_missed",
            on=today,
            reserved_months=reserved,
            note=_("Three months in a row without a job-search notification"),
        )
        counts["terminated"] += 1
        return
    # A claim on its way to another province stays on its way: the destination receives it suspended.
    if claim.status == ClaimStatus.PAYING:
        claim.status = ClaimStatus.SUSPENDED
        claim.save(update_fields=["status", "updated_at"])
        counts["suspended"] += 1
    number = decision_number(claim, "TD")
    record_event(claim, ClaimAction.SUSPENDED, month=last.number, decision_number=number)
    audit.record(actor=None, action="unemployment.claim_suspend", obj=claim, changes={"month": last.number})
    notify_person(
        claim.person,
        messages.SUSPENDED,
        {"decision": number, "number": last.number, "closes": last.notify_until.strftime("%d/%m/%Y")},
    )


def suspended_by_history(claim: BenefitClaim) -> bool:
    """Whether the claim's latest suspension came after its latest notification or continuation: the
    status a claim returns to after a move between provinces."""
    latest = (
        claim.events.filter(action__in=[ClaimAction.SUSPENDED, ClaimAction.CONTINUED, ClaimAction.NOTIFIED])
        .order_by("-at", "-id")
        .values_list("action", flat=True)
        .first()
    )
    return latest == ClaimAction.SUSPENDED


def _missed_in_a_row(claim: BenefitClaim) -> int:
    streak = 0
    for status in (
        claim.months.exclude(status=MonthStatus.WAITING).order_by("-number").values_list("status", flat=True)
    ):
        if status != MonthStatus.MISSED:
            break
        streak += 1
    return streak


def send_window_reminders(today: date | None = None) -> int:
    """Tell each claimant 3 working days before a window opens and on its first day; once each."""
    today = today or timezone.localdate()
    soon_until = workdays.add_working_days(today, rules.NOTIFY_WORKING_DAYS)
    sent = 0
    waiting = BenefitMonth.objects.filter(
        status=MonthStatus.WAITING, claim__status__in=[ClaimStatus.PAYING, ClaimStatus.TRANSFERRING]
    ).select_related("claim__person")
    soon = waiting.filter(notify_from__gt=today, notify_from__lte=soon_until, reminded_on__isnull=True)
    opening = waiting.filter(
        notify_from__lte=today, notify_until__gte=today, opening_reminded_on__isnull=True
    )
    for month in soon:
        with transaction.atomic():
            if BenefitMonth.objects.filter(pk=month.pk, reminded_on__isnull=True).update(reminded_on=today):
                notify_person(month.claim.person, messages.WINDOW_SOON, _reminder_context(month))
                sent += 1
    for month in opening:
        with transaction.atomic():
            if BenefitMonth.objects.filter(pk=month.pk, opening_reminded_on__isnull=True).update(
                opening_reminded_on=today
            ):
                notify_person(month.claim.person, messages.WINDOW_OPEN, _reminder_context(month))
                sent += 1
    return sent


def _reminder_context(month: BenefitMonth) -> dict[str, Any]:
    return {
        "number": month.number,
        "opens": month.notify_from.strftime("%d/%m/%Y"),
        "closes": month.notify_until.strftime("%d/%m/%Y"),
    }
