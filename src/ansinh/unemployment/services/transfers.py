"""Moving the benefit to another province (Decree 374 Art 20, Mẫu 19-22): the claimant files the transfer
dossier at the paying centre; its approval sends the claim on (the origin stops paying); the destination
centre receives it and continues. The claim keeps its months and history; only the managing centre and
the scope change."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.accounts.models import Organisation
from ansinh.core import audit
from ansinh.core.errors import NotFound, ValidationFailed
from ansinh.dossiers import effects
from ansinh.dossiers.models import Dossier
from ansinh.geo.models import Province
from ansinh.notify.services import notify_person
from ansinh.unemployment import messages, selectors
from ansinh.unemployment.errors import NoOpenClaim, TransferNotAllowed
from ansinh.unemployment.models import BenefitClaim, ClaimAction, ClaimStatus, MonthStatus
from ansinh.unemployment.procedures import BENEFIT_TRANSFER
from ansinh.unemployment.services.claims import decision_number, locked_claim, months_received, record_event
from ansinh.unemployment.services.months import suspended_by_history


def _claim_of_applicant(dossier: Dossier) -> BenefitClaim:
    claim = selectors.current_claim_of(dossier.applicant_person_id)
    if claim is None:
        raise NoOpenClaim()
    return BenefitClaim.objects.select_for_update().select_related("person").get(pk=claim.pk)


def _destination(dossier: Dossier, claim: BenefitClaim) -> Organisation:
    province = Province.objects.filter(code=dossier.form_data.get("new_province", "")).first()
    if province is None:
        raise ValidationFailed.single("new_province", _("Choose the province."))
    if province.pk == claim.province_id:
        raise ValidationFailed.single("new_province", _("The benefit is already paid in this province."))
    centre = selectors.centre_of_province(province.pk)
    if centre is None:
        raise ValidationFailed.single(
            "new_province", _("This province has no employment service centre yet.")
        )
    return centre


def on_transfer_step(dossier: Dossier, step: str, actor: Any) -> None:
    if step in ("submit", "resubmit"):
        claim = _claim_of_applicant(dossier)
        if claim.status != ClaimStatus.PAYING or months_received(claim) < 1:
            raise TransferNotAllowed()
        _destination(dossier, claim)
    elif step == "approve":
        claim = _claim_of_applicant(dossier)
        if claim.status != ClaimStatus.PAYING:
            raise TransferNotAllowed()
        centre = _destination(dossier, claim)
        claim.status = ClaimStatus.TRANSFERRING
        claim.transfer_to = centre
        claim.save(update_fields=["status", "transfer_to", "updated_at"])
        number = decision_number(claim, "GT")
        record_event(claim, ClaimAction.TRANSFER_OUT, actor=actor, decision_number=number, note=centre.name)
        audit.record(actor=actor, action="unemployment.transfer_out", obj=claim, changes={"to": centre.pk})


def claim_transfer_receive(*, actor: Any, claim_id: int, today: date | None = None) -> BenefitClaim:
    """The destination centre takes the claim over (Mẫu 22): the following months are its to pay."""
    today = today or timezone.localdate()
    with transaction.atomic():
        claim = locked_claim(actor, claim_id)
        centre = claim.transfer_to
        if claim.status != ClaimStatus.TRANSFERRING or centre is None:
            raise NotFound()
        if not selectors.grant_covers_centre(actor, centre):
            raise NotFound()  # the origin sees the claim too, but only the destination receives it
        claim.centre = centre
        claim.org_path = centre.path
        claim.province_id = centre.province_id or claim.province_id
        # A month missed while the file was on its way leaves the benefit suspended until the claimant
        # notifies at the new centre.
        claim.status = ClaimStatus.SUSPENDED if suspended_by_history(claim) else ClaimStatus.PAYING
        claim.transfer_to = None
        claim.save(update_fields=["centre", "org_path", "province", "status", "transfer_to", "updated_at"])
        following = claim.months.filter(status=MonthStatus.WAITING).order_by("number").first()
        number = following.number if following else claim.benefit_months
        record_event(claim, ClaimAction.TRANSFER_IN, actor=actor, month=number, note=centre.name)
        audit.record(
            actor=actor, action="unemployment.transfer_in", obj=claim, changes={"from_month": number}
        )
        notify_person(claim.person, messages.TRANSFERRED, {"centre": centre.name, "number": number})
    return claim


effects.register(BENEFIT_TRANSFER, effects.Effects(before_step=on_transfer_step))
