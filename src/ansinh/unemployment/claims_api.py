"""The benefit being paid, through the API: the claimant's own (`/unemployment/claims/mine`), and the
centre's claims in scope with the officer's acts. The same services and selectors as the pages."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from ansinh.accounts.selectors import require_permission
from ansinh.api.auth import current_user
from ansinh.api.pagination import PageNumber
from ansinh.core import audit
from ansinh.core.errors import ValidationFailed
from ansinh.unemployment import selectors
from ansinh.unemployment.errors import NoOpenClaim
from ansinh.unemployment.models import BenefitClaim, JobReferral
from ansinh.unemployment.permissions import CLAIM_HANDLE, CLAIM_READ
from ansinh.unemployment.schemas import (
    BenefitMonthOut,
    CancellationIn,
    ClaimDetailOut,
    ClaimOut,
    CounterNotificationIn,
    NotificationIn,
    ReferralAnswerIn,
    ReferralIn,
    ReferralOut,
    TerminationIn,
)
from ansinh.unemployment.services import claims, months, referrals, terminations, transfers

router = Router(tags=["unemployment"])


def _detail(claim: BenefitClaim) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "claim": claim,
        "months": list(claim.months.order_by("number")),
        "events": list(claim.events.select_related("centre").order_by("at")),
        "next_step": selectors.next_step(claim, today)["kind"],
        "next_window": selectors.next_window(claim, today),
    }


@router.get("/unemployment/claims/mine", response=ClaimDetailOut, summary="My benefit being paid")
def my_claim(request: HttpRequest) -> dict[str, Any]:
    user = current_user(request)
    claim = selectors.current_claim_of(user.person_id)
    if claim is None:
        raise NoOpenClaim()
    return _detail(claim)


@router.post(
    "/unemployment/claims/mine/notifications",
    response={201: BenefitMonthOut},
    summary="Notify my monthly job search (in the month's window; while suspended, to continue)",
)
def my_notification(request: HttpRequest, payload: NotificationIn) -> Status[Any]:
    if not payload.still_unemployed:
        raise ValidationFailed.single(
            "still_unemployed", _("If you have found a job, report it with the termination form instead.")
        )
    month = months.notification_record(actor=current_user(request), activities=payload.activities)
    return Status(201, month)


@router.get("/unemployment/claims", response=list[ClaimOut], summary="Benefits paid by the centres in scope")
@paginate(PageNumber)
def claim_list(request: HttpRequest, status: str = "", q: str = "") -> Any:
    """Newest first; `q` is an exact decision number or personal ID number (never a name)."""
    user = current_user(request)
    require_permission(user, CLAIM_READ)
    return selectors.claims_filtered(user, status=status[:20], search=q[:60]).order_by("-pk")


@router.get("/unemployment/claims/{claim_id}", response=ClaimDetailOut, summary="One benefit in scope")
def claim_detail(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    user = current_user(request)
    require_permission(user, CLAIM_READ)
    claim = selectors.claim_get_for_staff(user, claim_id)
    audit.record_read(actor=user, obj=claim, reason="unemployment.claim")
    return _detail(claim)


def _handler(request: HttpRequest) -> Any:
    user = current_user(request)
    require_permission(user, CLAIM_HANDLE)
    return user


@router.post(
    "/unemployment/claims/{claim_id}/notifications",
    response={201: BenefitMonthOut},
    summary="Record a job-search notification at the counter",
)
def counter_notification(request: HttpRequest, claim_id: int, payload: CounterNotificationIn) -> Status[Any]:
    month = months.notification_record(
        actor=_handler(request), claim_id=claim_id, activities=payload.activities
    )
    return Status(201, month)


@router.post(
    "/unemployment/claims/{claim_id}/referrals", response={201: ReferralOut}, summary="Refer to a job"
)
def referral_create(request: HttpRequest, claim_id: int, payload: ReferralIn) -> Status[JobReferral]:
    referral = referrals.referral_record(actor=_handler(request), claim_id=claim_id, **payload.model_dump())
    return Status(201, referral)


@router.post(
    "/unemployment/referrals/{referral_id}/answer", response=ReferralOut, summary="The claimant's answer"
)
def referral_answer(request: HttpRequest, referral_id: int, payload: ReferralAnswerIn) -> JobReferral:
    return referrals.referral_answer(actor=_handler(request), referral_id=referral_id, **payload.model_dump())


@router.post("/unemployment/claims/{claim_id}/terminate", response=ClaimOut, summary="Terminate on the data")
def claim_terminate(request: HttpRequest, claim_id: int, payload: TerminationIn) -> BenefitClaim:
    claim = terminations.claim_terminate(actor=_handler(request), claim_id=claim_id, **payload.model_dump())
    return claim


@router.post("/unemployment/claims/{claim_id}/cancel", response=ClaimOut, summary="Decision not collected")
def claim_cancel(request: HttpRequest, claim_id: int, payload: CancellationIn) -> BenefitClaim:
    return claims.claim_cancel(actor=_handler(request), claim_id=claim_id, note=payload.note)


@router.post(
    "/unemployment/claims/{claim_id}/receive",
    response=ClaimOut,
    summary="Receive a benefit moved to our centre",
)
def claim_receive(request: HttpRequest, claim_id: int) -> BenefitClaim:
    return transfers.claim_transfer_receive(actor=_handler(request), claim_id=claim_id)
