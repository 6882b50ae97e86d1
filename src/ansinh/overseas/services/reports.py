"""The enterprise submits its annual report, signed with its organisation certificate (Circular 21/2021
Art 15; seed 002: the enterprise signs its submissions).

Only the enterprise itself submits: a branch with the "reports" function prepares and downloads its own
records' report, but the report filed with the authority is the enterprise's and carries its signature (Law
69/2020 Art 17). The form is rendered as a PDF from the figures counted now, signed (PAdES) exactly like a
contract registration (`services.signatures`), verified against the trusted authorities at once, and kept
with its hash, the signer the certificate names and the figures it shows.

Resubmitting: until the due date a corrected report replaces the one submitted (the earlier one stays in
`history`, its file in storage); after the due date a submitted report is the record and is not replaced
(`overseas.report_closed`). A first submission after the due date is accepted, and shows as late.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ansinh.core import audit
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.overseas import annual_report, rules
from ansinh.overseas.errors import ReportClosed
from ansinh.overseas.models import AnnualReport, Enterprise
from ansinh.overseas.services.signatures import sign_as

REASON = "Báo cáo tình hình đưa người lao động đi làm việc ở nước ngoài theo hợp đồng"


def _check_period_ended(year: int, today: date) -> None:
    _start, end = rules.annual_report_period(year)
    if today <= end:
        raise ValidationFailed.single(
            "year",
            _(
                "The report of %(year)d covers the period to %(end)s: it can be submitted from %(from)s, "
                "once the period has ended. You can already see and download its figures."
            )
            % {
                "year": year,
                "end": end.strftime("%d/%m/%Y"),
                "from": date.fromordinal(end.toordinal() + 1).strftime("%d/%m/%Y"),
            },
        )


@transaction.atomic
def annual_report_submit(*, actor: Any, year: Any, today: date | None = None) -> AnnualReport:
    today = today or timezone.localdate()
    enterprise, branch = annual_report.acting_unit(actor)
    if branch is not None:
        raise PermissionDenied(
            _(
                "Only the enterprise itself submits and signs the annual report; a branch prepares its own "
                "figures."
            )
        )
    year = annual_report.check_year(year, today)
    _check_period_ended(year, today)
    # One submission at a time per enterprise: the lock serialises a double click and two staff at once.
    enterprise = (
        Enterprise.objects.select_for_update(of=("self",))
        .select_related("organisation", "province")
        .get(pk=enterprise.pk)
    )
    existing = AnnualReport.objects.filter(enterprise=enterprise, year=year).first()
    if existing is not None and today > rules.annual_report_due(year):
        raise ReportClosed()
    with translation.override("vi"):
        figures = annual_report.compute(enterprise, year, today=today)
    paper = sign_as(enterprise.organisation, annual_report.pdf(figures), REASON)
    report = existing or AnnualReport(
        enterprise=enterprise, year=year, org_path=enterprise.org_path, province_id=enterprise.province_id
    )
    if existing is not None:
        report.history = [*existing.history, _kept(existing)]
        report.version = existing.version + 1
    report.figures = figures.as_json()
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    paper.keep_on(report, f"{enterprise.tax_code}-{year}-v{report.version}")
    report.save()
    audit.record(
        actor=actor,
        action="overseas.annual_report_submit",
        obj=report,
        changes={
            "year": year,
            "version": report.version,
            "sha256": report.signature_sha256,
            "signer": report.signed_by,
            "replaced": existing is not None,
        },
    )
    return report


def _kept(report: AnnualReport) -> dict[str, Any]:
    """What stays of a submission a correction replaced (its file stays in storage)."""
    return {
        "version": report.version,
        "file": report.signed_file.name,
        "sha256": report.signature_sha256,
        "signed_by": report.signed_by,
        "signed_at": report.signed_at.isoformat(),
        "submitted_at": report.submitted_at.isoformat(),
        "submitted_by": report.submitted_by_id,
    }


def days_late(report: AnnualReport) -> int:
    """Calendar days after the due date the report was submitted; 0 when on time. (A correction is only
    accepted until the due date, so a report with earlier versions was on time.)"""
    submitted = timezone.localtime(report.submitted_at).date()
    return rules.days_overdue(rules.annual_report_due(report.year), today=submitted)
