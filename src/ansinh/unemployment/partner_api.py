"""The unemployment partner API: the provincial social-insurance agency reads the payment orders handed
off to it (with the benefit decision they follow from) and says when it paid each (Decree 374/2025 Art
16.2), and sends the unemployment-insurance contribution record the benefits are computed from. Mounted
under `/api/v1/partner` beside the dossier partner API, and authenticated the same way: the partner's own
token (and, when sent, its HMAC signature over the raw body), checked before anything else in the request
is read."""

from dataclasses import asdict
from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.security import HttpBearer

from ansinh.dossiers.models import Partner
from ansinh.dossiers.services import partners
from ansinh.unemployment import payment_selectors
from ansinh.unemployment.models import BenefitMonth
from ansinh.unemployment.partner_schemas import (
    ContributionsIn,
    ContributionsOut,
    PaymentOrdersOut,
    PaymentPaidIn,
    PaymentPaidOut,
)
from ansinh.unemployment.services import contributions, payments

_AUTH_HELP = (
    "Authenticate with `Authorization: Bearer <partner token>` (not a user token). Optionally sign the "
    "request: `X-Ansinh-Timestamp: <Unix seconds>` and `X-Ansinh-Signature: sha256=<hex HMAC-SHA256 of "
    "'<timestamp>.<raw body>' with the partner secret>`; a signature that is sent must be right and at most "
    "5 minutes old. Refusals answer 401 with code `partner.unauthenticated`. Only the social-insurance "
    "agency's systems receive payment orders and send contributions; another partner is refused with 403 "
    "`unemployment.not_a_payer`."
)


class PartnerToken(HttpBearer):
    """The dossier engine's partner authentication, as a ninja auth: a refusal is the engine's 401
    (`partner.unauthenticated`), answered before the request's parameters are validated."""

    def __call__(self, request: HttpRequest) -> Partner:
        return partners.partner_authenticate(
            authorization=request.headers.get("Authorization"),
            signature=request.headers.get("X-Ansinh-Signature"),
            timestamp=request.headers.get("X-Ansinh-Timestamp"),
            body=request.body,
        )

    def authenticate(self, request: HttpRequest, token: str) -> Partner:  # pragma: no cover - see __call__
        return self(request)


class PayerToken(PartnerToken):
    """The partner authentication, then the payer check (403 `unemployment.not_a_payer`): a partner that
    may not send is refused before its body is read."""

    def __call__(self, request: HttpRequest) -> Partner:
        partner = super().__call__(request)
        contributions.sender_check(partner)
        return partner


router = Router(tags=["partner"], auth=PartnerToken())


def _partner(request: HttpRequest) -> Partner:
    partner = request.auth  # type: ignore[attr-defined]
    assert isinstance(partner, Partner)
    return partner


def _order(month: BenefitMonth, pay_by: date) -> dict[str, Any]:
    claim = month.claim
    person = claim.person
    return {
        "month_id": month.pk,
        "month_number": month.number,
        "period_start": month.start,
        "period_end": month.end,
        "amount": month.amount,
        "handed_off_at": month.handed_off_at,
        "pay_by": pay_by,
        "bank_account": claim.bank_account,
        "decision": {
            "decision_number": claim.decision_number,
            "decided_on": claim.decided_on,
            "monthly_benefit": claim.monthly_benefit,
            "benefit_months": claim.benefit_months,
            "start_date": claim.start_date,
            "end_date": claim.end_date,
            "status": claim.status,
        },
        "person": {
            "full_name": person.full_name,
            "personal_id": person.personal_id,
            "date_of_birth": person.date_of_birth,
        },
        "centre": {"code": claim.centre.code, "name": claim.centre.name},
        "province": {"code": claim.province.code, "name": claim.province.name},
    }


@router.get(
    "/unemployment/payments",
    response=PaymentOrdersOut,
    summary="Unemployment benefit payment orders waiting to be paid",
    description=(
        "The months handed off for payment and not confirmed paid yet, oldest month id first, each with "
        "the benefit decision it follows from. Page with `after` (the `next_after` of the previous page) "
        "and `limit` (at most 500). A confirmed order leaves the list, and a month handed off later may "
        "have a smaller id than your last page: start each round from `after=0`. " + _AUTH_HELP
    ),
)
def payment_orders(
    request: HttpRequest,
    after: int = Query(0, ge=0, le=2**62),
    limit: int = Query(payment_selectors.PARTNER_PAGE_DEFAULT, ge=1, le=payment_selectors.PARTNER_PAGE_MAX),
) -> dict[str, Any]:
    rows, next_after = payment_selectors.payment_orders_for_partner(
        _partner(request), after=after, limit=limit
    )
    return {
        "items": [_order(month, due) for month, due in payment_selectors.with_pay_by(rows)],
        "next_after": next_after,
    }


@router.post(
    "/unemployment/payments/{month_id}/paid",
    response={200: PaymentPaidOut},
    summary="Confirm that a benefit month was paid (idempotent)",
    description=(
        "Records the day the month was paid. The same confirmation again answers 200 with "
        "`already_recorded` true and changes nothing; another date for a month already paid is 409 "
        "`unemployment.payment_already_confirmed`; a month not handed off is 409 "
        "`unemployment.payment_not_handed_off`. " + _AUTH_HELP
    ),
)
def payment_paid(
    request: HttpRequest, payload: PaymentPaidIn, month_id: int = Path(..., ge=1, le=2**62)
) -> dict[str, Any]:
    done = payments.payment_confirm(
        partner=_partner(request), month_id=month_id, paid_on=payload.paid_on, reference=payload.reference
    )
    month = done.month
    return {
        "month_id": month.pk,
        "paid_on": month.paid_on,
        "handed_off_at": month.handed_off_at,
        "already_recorded": done.already_recorded,
    }


@router.post(
    "/unemployment/contributions",
    auth=PayerToken(),
    response={200: ContributionsOut},
    summary="Send unemployment-insurance contribution months (a batch, idempotent)",
    description=(
        "The contribution record as the agency holds it, one record per person and month: at most 1,000 "
        "records a call, each (ID number, month) once. The whole batch is checked first and written in one "
        "transaction: any bad record answers 422 `validation.invalid` naming each bad field "
        "(`records.3.wage`) and nothing is written. A month already held is replaced when a value differs "
        "(`updated`) and left alone when every value is the same (`unchanged`): sending a batch again "
        "changes nothing. The person is found by the 12-digit personal ID number; a number not registered "
        "yet needs `full_name` in one of its records (it registers the person), and a name given must match "
        "the person registered. The benefits already decided are not recomputed from a corrected month. "
        "Two batches writing the same months at the same moment may answer 409 "
        "`unemployment.contributions_busy`: send the batch again. " + _AUTH_HELP
    ),
)
def contributions_send(request: HttpRequest, payload: ContributionsIn) -> dict[str, Any]:
    done = contributions.contributions_receive(
        partner=_partner(request), records=[record.model_dump() for record in payload.records]
    )
    return asdict(done)
