"""The enterprises' obligations that are overdue, as the enterprise's and the department's dashboards list
them: contracts of returned workers not liquidated within 180 days (Law 69/2020 Art 26), contract
registrations not answered within 5 working days (Circular 21/2021 Art 13), deposits used and not restored
within 30 days (Decree 112/2021 Art 23), annual reports not submitted by their due date (Circular 21/2021
Art 15). Reads only, through the actor's scope; the deadlines are the rules'.
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from ansinh.core import workdays
from ansinh.overseas import annual_report, rules, selectors
from ansinh.overseas import permissions as perms
from ansinh.overseas.models import ContractStatus, DepositKind, DepositMovement, WorkerStatus

# Dashboards show the worst cases first; a longer list is for the exports, not a page.
LIMIT = 200
_BACK_FROM = (WorkerStatus.RETURNED, WorkerStatus.RETURNED_EARLY, WorkerStatus.DECEASED)


@dataclass(frozen=True)
class Obligation:
    overdue: rules.Overdue
    enterprise: str
    subject: str  # the contract number, or the worker's code and name

    @property
    def message(self) -> str:
        return self.overdue.message


def overdue_for(actor: Any, today: date) -> list[Obligation]:
    found = [
        *_unliquidated(actor, today),
        *_unanswered(actor, today),
        *_deposits_not_restored(actor, today),
        *_annual_reports_missing(actor, today),
    ]
    found.sort(key=lambda o: (-o.overdue.days, o.overdue.deadline.due))
    return found[:LIMIT]


def _unliquidated(actor: Any, today: date) -> list[Obligation]:
    cutoff = today - timedelta(days=rules.LIQUIDATION_DAYS)
    workers = (
        selectors.workers_in_scope(actor, perms.READ)
        .filter(status__in=_BACK_FROM, return_date__lt=cutoff)
        .select_related("person", "enterprise__organisation")
        .order_by("return_date")[:LIMIT]
    )
    result = []
    for worker in workers:
        assert worker.return_date is not None
        late = rules.overdue_obligations(
            [(rules.liquidation_deadline(worker.return_date), None)], today=today
        )
        result += [
            Obligation(
                o, worker.enterprise.organisation.name, f"{worker.worker_code} {worker.person.full_name}"
            )
            for o in late
        ]
    return result


def _unanswered(actor: Any, today: date) -> list[Obligation]:
    contracts = (
        selectors.contracts_in_scope(actor, perms.READ)
        .filter(status=ContractStatus.SUBMITTED, reply_due__lt=today)
        .select_related("enterprise__organisation")
        .order_by("reply_due")[:LIMIT]
    )
    result = []
    for contract in contracts:
        # The due day as recorded at submission (the calendar may have changed since).
        computed = rules.supply_contract_reply_deadline(
            contract.submitted_at.date(), workdays.add_working_days
        )
        deadline = replace(computed, due=contract.reply_due)
        result += [
            Obligation(o, contract.enterprise.organisation.name, contract.number)
            for o in rules.overdue_obligations([(deadline, None)], today=today)
        ]
    return result


def _deposits_not_restored(actor: Any, today: date) -> list[Obligation]:
    """A use of the deposit is restored by top-ups made after it, up to its amount."""
    enterprises = selectors.enterprises_in_scope(actor, perms.READ).select_related("organisation")
    uses = DepositMovement.objects.filter(
        enterprise__in=enterprises,
        kind=DepositKind.USED,
        on__lt=today - timedelta(days=rules.DEPOSIT_RESTORE_DAYS),
    ).select_related("enterprise__organisation")[:LIMIT]
    result = []
    for use in uses:
        restored = sum(
            DepositMovement.objects.filter(
                enterprise_id=use.enterprise_id, kind=DepositKind.TOP_UP, on__gte=use.on
            ).values_list("amount", flat=True)
        )
        if restored >= -use.amount:
            continue
        result += [
            Obligation(o, use.enterprise.organisation.name, rules.format_vnd(-use.amount))
            for o in rules.overdue_obligations([(rules.deposit_restore_deadline(use.on), None)], today=today)
        ]
    return result


def _annual_reports_missing(actor: Any, today: date) -> list[Obligation]:
    """Each year whose report is past due and that an enterprise in scope owes and has not submitted (the
    years the platform can know: from Circular 21's first report, and only those due once the enterprise
    was on the platform: `annual_report.expected_from`). One query per year, a handful of years."""
    result: list[Obligation] = []
    for year in range(annual_report.FIRST_YEAR, today.year + 1):
        deadline = rules.annual_report_deadline(year)
        if deadline.due >= today:
            continue
        owing = (
            annual_report.missing_in_scope(actor, year)
            .select_related("organisation")
            .order_by("organisation__name", "pk")[:LIMIT]
        )
        subject = str(_("Annual report %(year)d")) % {"year": year}
        for enterprise in owing:
            result += [
                Obligation(o, enterprise.organisation.name, subject)
                for o in rules.overdue_obligations([(deadline, None)], today=today)
            ]
    return result
