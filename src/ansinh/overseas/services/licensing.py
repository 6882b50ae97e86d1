"""What the licence application's steps mean for the database (`dossiers.effects`): only a registered
enterprise applies; the conditions of the law are checked when it submits (a condition not met refuses the
submission, naming it, and nothing is written); the department's approval grants the licence with the next
number of the year, in the approval's own transaction."""

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.core.errors import ValidationFailed
from ansinh.dossiers import effects
from ansinh.dossiers.models import Dossier
from ansinh.overseas import rules
from ansinh.overseas.errors import BreaksTheLaw, LicenceStateInvalid
from ansinh.overseas.models import Enterprise, Licence, LicenceStatus
from ansinh.overseas.procedures import LICENCE_APPLICATION
from ansinh.overseas.services.enterprises import grant_licence


def _enterprise(dossier: Dossier) -> Enterprise:
    organisation_id = dossier.applicant_organisation_id
    enterprise = (
        Enterprise.objects.filter(organisation_id=organisation_id).first() if organisation_id else None
    )
    if enterprise is None:
        raise ValidationFailed.single(
            "organisation", _("Register the enterprise's information first, then apply for the licence.")
        )
    return enterprise


def _application(form: dict[str, Any], applied_on: date) -> rules.LicenceApplication:
    staff = [
        rules.StaffMember(
            activity=activity,
            education=rules.STAFF_EDUCATION,
            relevant_field=True,
            experience_months=rules.STAFF_OTHER_FIELD_EXPERIENCE_MONTHS,
            insured_labour_contract=True,
        )
        for activity in rules.STAFF_ACTIVITIES
        for _n in range(int(form.get(f"staff_{activity}") or 0))
    ]
    lease_ends = form.get("lease_ends_on")
    return rules.LicenceApplication(
        applied_on=applied_on,
        charter_capital_vnd=int(form.get("charter_capital") or 0),
        all_owners_domestic=bool(form.get("all_owners_domestic")),
        deposit_vnd=int(form.get("deposit") or 0),
        assigned_branches=int(form.get("assigned_branches") or 0),
        legal_representative=rules.LegalRepresentative(
            nationality="VN" if form.get("representative_vietnamese") else "XX",
            education=str(form.get("representative_education") or "none"),
            experience_months=int(form.get("representative_experience_months") or 0),
            clean_record=bool(form.get("representative_clean_record")),
        ),
        staff=staff,
        facility=rules.Facility(
            trainee_capacity=int(form.get("trainee_capacity") or 0),
            classroom_m2=int(form.get("classroom_m2") or 0),
            dormitory_capacity=int(form.get("dormitory_capacity") or 0),
            dormitory_m2=int(form.get("dormitory_m2") or 0),
            largest_room_occupants=int(form.get("largest_room_occupants") or 0),
            separated_by_sex=bool(form.get("separated_by_sex")),
            owned=bool(form.get("facility_owned")),
            lease_ends_on=date.fromisoformat(lease_ends) if lease_ends else None,
        ),
        website=str(form.get("website") or ""),
    )


def conditions_not_met(form: dict[str, Any], applied_on: date) -> list[rules.Violation]:
    try:
        return rules.check_licence_conditions(_application(form, applied_on))
    except rules.InvalidTerms as exc:
        raise ValidationFailed.single(exc.field, exc.message) from exc


def next_licence_number(year: int) -> str:
    """ "<n>/<year>/GP-QLLĐNN": numbered in the order granted, from 1 each year. Two approvals at the same
    moment would draw the same number: the unique number refuses the second, which is taken again."""
    suffix = f"/{year}/GP-QLLĐNN"
    return f"{Licence.objects.filter(number__endswith=suffix).count() + 1:03d}{suffix}"


def on_licence_step(dossier: Dossier, step: str, actor: Any) -> None:
    if step in ("submit", "resubmit"):
        enterprise = _enterprise(dossier)
        if enterprise.licences.exclude(status=LicenceStatus.REVOKED).exists():
            raise LicenceStateInvalid()
        violations = conditions_not_met(dossier.form_data, timezone.localdate())
        if violations:
            raise BreaksTheLaw(details={"violations": [v.as_dict() for v in violations]})
    elif step == "approve":
        enterprise = _enterprise(dossier)
        today = timezone.localdate()
        grant_licence(
            actor=actor,
            enterprise=enterprise,
            number=next_licence_number(today.year),
            issued_on=today,
            dossier=dossier,
        )


def licence_decision_facts(dossier: Dossier) -> list[tuple[str, str]]:
    """What the approval (the licence) states; in Vietnamese like the document."""
    licence = Licence.objects.filter(dossier=dossier).select_related("enterprise__organisation").first()
    if licence is None:
        return []
    enterprise = licence.enterprise
    return [
        ("Số giấy phép", licence.number),
        ("Doanh nghiệp", enterprise.organisation.name),
        ("Mã số thuế", enterprise.tax_code),
        ("Trụ sở chính", enterprise.head_office),
        ("Người đại diện theo pháp luật", enterprise.legal_representative),
    ]


effects.register(
    LICENCE_APPLICATION, effects.Effects(before_step=on_licence_step, decision_facts=licence_decision_facts)
)
