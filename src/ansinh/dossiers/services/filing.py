"""Opening a dossier: online by the applicant, at the counter by an officer, and saving the form."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.accounts.models import Organisation, Person
from ansinh.accounts.selectors import active_memberships, grant_for
from ansinh.core import audit
from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.core.text import normalise_search
from ansinh.dossiers import effects
from ansinh.dossiers import permissions as perms
from ansinh.dossiers.errors import InvalidTransition, NoReceivingBody, ProcedureNotFound
from ansinh.dossiers.forms_schema import clean_form_data
from ansinh.dossiers.models import Channel, Dossier, DossierEvent
from ansinh.dossiers.procedures import ProcedureVersion, State, version_named, version_on
from ansinh.dossiers.selectors import (
    counter_person_find,
    dossiers_for_applicant_side,
    grant_covers,
    org_in_grant,
)


def procedure_in_force(code: str, day: date | None = None) -> ProcedureVersion:
    """The version to file a new dossier under; procedures done elsewhere (a service page, or started by
    the body) cannot be filed as dossiers."""
    version = version_on(code, day or timezone.localdate())
    if version is None or not version.filed_as_dossier:
        raise ProcedureNotFound()
    return version


def procedure_of(dossier: Dossier) -> ProcedureVersion:
    version = version_named(dossier.procedure_code, dossier.procedure_version)
    if version is None:  # a version is never removed from the code while dossiers use it
        raise ProcedureNotFound()
    return version


def receiving_body(
    procedure: ProcedureVersion, province_id: int | None, ward_id: int | None = None
) -> Organisation:
    """The body that receives a new dossier: the one national body, the body of the province, or (level
    "commune") the commune people's committee serving the applicant's ward."""
    orgs = Organisation.objects.filter(kind=procedure.receiving_kind, is_active=True)
    if procedure.level == "commune":
        org = orgs.filter(ward__pk=ward_id).order_by("id").first() if ward_id is not None else None
        if org is None:
            raise NoReceivingBody(
                _(
                    "No commune receives this procedure for your place of residence. Set your commune or "
                    "ward in your profile, or file at your commune's one-stop counter."
                ),
                details={"ward": ward_id},
            )
        return org
    if procedure.level == "province":
        if province_id is None:
            raise ValidationFailed.single("province", _("Choose the province where you file."))
        orgs = orgs.filter(province__pk=province_id)
    org = orgs.order_by("id").first()
    if org is None:
        raise NoReceivingBody()
    return org


def deciding_body(procedure: ProcedureVersion, dossier: Dossier) -> Organisation:
    """The body that signs the decision: the receiving body itself, or the body of the deciding kind in the
    same province (an employment centre receives, the provincial department decides)."""
    receiver = dossier.receiving_organisation
    kind = effects.deciding_kind(dossier, procedure.deciding_kind)
    if receiver.kind == kind or procedure.level == "commune":
        return receiver  # a commune decides what it received (Decree 147/2025: the commune chairman)
    orgs = Organisation.objects.filter(kind=kind, is_active=True)
    if procedure.level == "province":
        orgs = orgs.filter(province=dossier.province)
    return orgs.order_by("id").first() or receiver


def _id_number(person: Person | None, organisation: Organisation | None) -> str:
    if person is not None:
        return person.personal_id or person.passport_number or ""
    return organisation.code if organisation is not None else ""


def new_dossier(
    *,
    actor: Any,
    procedure: ProcedureVersion,
    channel: str,
    receiver: Organisation,
    person: Person | None = None,
    organisation: Organisation | None = None,
    form_data: dict[str, Any] | None = None,
) -> Dossier:
    name = person.full_name if person is not None else (organisation.name if organisation else "")
    dossier = Dossier.objects.create(
        procedure_code=procedure.code,
        procedure_version=procedure.version,
        channel=channel,
        applicant_person=person,
        applicant_organisation=organisation,
        applicant_name=name,
        applicant_name_search=normalise_search(name),
        applicant_id_number=_id_number(person, organisation),
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        receiving_organisation=receiver,
        org_path=receiver.path,
        province_id=receiver.province_id,
        form_data=form_data or {},
        created_at=timezone.now(),  # read at the call, like every other time of a step
    )
    DossierEvent.objects.create(
        dossier=dossier,
        at=dossier.created_at,
        actor=dossier.submitted_by,
        actor_label=dossier.submitted_by.get_username() if dossier.submitted_by else "",
        action="create",
        to_state=State.DRAFT,
    )
    audit.record(
        actor=actor,
        action="dossier.create",
        obj=dossier,
        changes={"procedure": procedure.code, "version": procedure.version, "channel": channel},
    )
    return dossier


def dossier_start(
    *,
    actor: Any,
    procedure_code: str,
    form_data: dict[str, Any] | None = None,
    province_id: int | None = None,
    organisation_id: int | None = None,
) -> Dossier:
    """A draft filed online by the applicant: the signed-in person, or an organisation they belong to."""
    procedure = procedure_in_force(procedure_code)
    person, organisation = _online_applicant(actor, procedure, organisation_id)
    cleaned = clean_form_data(procedure.fields, form_data or {}, partial=True)
    if province_id is None:
        province_id = (person.province_id if person else None) or (
            organisation.province_id if organisation else None
        )
    receiver = receiving_body(procedure, province_id, person.ward_id if person else None)
    with transaction.atomic():
        return new_dossier(
            actor=actor,
            procedure=procedure,
            channel=Channel.ONLINE,
            receiver=receiver,
            person=person,
            organisation=organisation,
            form_data=cleaned,
        )


def _online_applicant(
    actor: Any, procedure: ProcedureVersion, organisation_id: int | None
) -> tuple[Person | None, Organisation | None]:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied()
    if procedure.applicant == "organisation":
        member_of = {m.organisation_id: m.organisation for m in active_memberships(actor)}
        if organisation_id not in member_of:
            raise ValidationFailed.single("organisation", _("Choose an organisation you belong to."))
        return None, member_of[organisation_id]
    if actor.person_id is None:
        raise ValidationFailed.single(
            "applicant", _("Your account is not linked to a personal record; ask the one-stop counter.")
        )
    return actor.person, None


def dossier_receive_at_counter(
    *,
    actor: Any,
    procedure_code: str,
    applicant_id_number: str,
    applicant_person_id: int | None = None,
    form_data: dict[str, Any] | None = None,
    organisation_id: int | None = None,
) -> Dossier:
    """An officer at the one-stop desk opens a dossier for a citizen who came in person.

    The citizen is named by the ID or passport number on the card they show (never a record id: the desk
    cannot browse the register); `applicant_person_id` only picks among several holders of one passport
    number. A desk serves whoever comes, wherever they live (a worker files where the benefit will be paid).
    """
    procedure = procedure_in_force(procedure_code)
    grant = grant_for(actor, perms.DOSSIER_RECEIVE)
    if grant.empty:
        raise PermissionDenied()
    desks = [
        m.organisation
        for m in active_memberships(actor)
        if m.organisation.kind == procedure.receiving_kind
        and (organisation_id is None or m.organisation_id == organisation_id)
        and org_in_grant(grant, m.organisation)
    ]
    if not desks:
        raise ValidationFailed.single("organisation", _("Your organisation does not receive this procedure."))
    people = counter_person_find(actor, applicant_id_number)
    if applicant_person_id is not None:
        people = [p for p in people if p.pk == applicant_person_id]
    if len(people) != 1:
        raise ValidationFailed.single("applicant", _("Choose the applicant's personal record."))
    cleaned = clean_form_data(procedure.fields, form_data or {}, partial=True)
    with transaction.atomic():
        return new_dossier(
            actor=actor,
            procedure=procedure,
            channel=Channel.COUNTER,
            receiver=desks[0],
            person=people[0],
            form_data=cleaned,
        )


def dossier_update_form(*, actor: Any, dossier_id: int, form_data: dict[str, Any]) -> Dossier:
    """Save the form of a draft, or of a dossier returned for completion (the applicant's side)."""
    with transaction.atomic():
        dossier = dossiers_for_applicant_side(actor).select_for_update().filter(pk=dossier_id).first()
        if dossier is None:
            raise NotFound()
        if dossier.state not in (State.DRAFT, State.RETURNED):
            raise InvalidTransition(details={"state": dossier.state, "action": "update"})
        procedure = procedure_of(dossier)
        merged = {**dossier.form_data, **form_data}
        dossier.form_data = clean_form_data(procedure.fields, merged, partial=True)
        dossier.save(update_fields=["form_data", "updated_at"])
        audit.record(actor=actor, action="dossier.update", obj=dossier, changes={"fields": sorted(form_data)})
    return dossier


def may_file_for(actor: Any, dossier: Dossier) -> bool:
    """Counter officers act on the applicant's side only for the dossiers their desk received."""
    return dossier.channel == Channel.COUNTER and grant_covers(
        grant_for(actor, perms.DOSSIER_RECEIVE), dossier
    )
