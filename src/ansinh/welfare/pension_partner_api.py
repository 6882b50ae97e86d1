"""The pension partner API: the social-insurance agency sends its pensioners, reads the arrangements the
pensioners made (how and where to pay them) and says when it applied them, and reads the pension months
paid in cash at service points with the social-security card (so it never pays them again). Mounted under
`/api/v1/partner` and authenticated like the unemployment partner API (the partner's token, optionally an
HMAC signature), then the agency check: only a partner listed as the social-insurance agency's system
(`UNEMPLOYMENT_PAYER_PARTNERS`) may call, and one of a province reads only that province."""

from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from ansinh.dossiers.models import Partner
from ansinh.unemployment.partner_api import PartnerToken
from ansinh.welfare import pension_selectors
from ansinh.welfare.models import BenefitPayment, Pension, PensionArrangement
from ansinh.welfare.pension_partner_schemas import (
    PensionAcknowledgeIn,
    PensionAcknowledgeOut,
    PensionArrangementsPartnerOut,
    PensionPaymentAcknowledgeIn,
    PensionPaymentAcknowledgeOut,
    PensionPaymentsPartnerOut,
    PensionsIn,
    PensionsOut,
)
from ansinh.welfare.services import pensions

_AUTH_HELP = (
    "Authenticate with `Authorization: Bearer <partner token>` (not a user token). Optionally sign the "
    "request: `X-Ansinh-Timestamp: <Unix seconds>` and `X-Ansinh-Signature: sha256=<hex HMAC-SHA256 of "
    "'<timestamp>.<raw body>' with the partner secret>`; a signature that is sent must be right and at most "
    "5 minutes old. Refusals answer 401 with code `partner.unauthenticated`. Only the social-insurance "
    "agency's systems may call; another partner is refused with 403 `welfare.not_the_pension_agency`."
)


class PensionAgencyToken(PartnerToken):
    """The partner authentication, then the agency check (403), before the body is read."""

    def __call__(self, request: HttpRequest) -> Partner:
        partner = super().__call__(request)
        pension_selectors.agency_provinces(partner)
        return partner


router = Router(tags=["partner"], auth=PensionAgencyToken())


def _partner(request: HttpRequest) -> Partner:
    partner = request.auth  # type: ignore[attr-defined]
    assert isinstance(partner, Partner)
    return partner


def _place(obj: Any) -> dict[str, str] | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def _arrangement(row: PensionArrangement) -> dict[str, Any]:
    person = row.pension.person
    return {
        "id": row.pk,
        "social_insurance_code": row.pension.social_insurance_code,
        "personal_id": person.personal_id,
        "full_name": person.full_name,
        "method": row.method,
        "valid_from": row.valid_from,
        "province": _place(row.province),
        "bank_name": row.bank_name,
        "bank_account": row.bank_account,
        "account_holder": row.account_holder,
        "service_point": _place(row.service_point),
        "delivery_address": row.delivery_address,
        "delivery_reason": row.delivery_reason,
        "created_at": row.created_at,
        "acknowledged_at": row.acknowledged_at,
    }


@router.post(
    "/pensions",
    response={200: PensionsOut},
    summary="Send pensioners (a batch, idempotent)",
    description=(
        "The pensions as the agency holds them, at most 500 records a call, each social-insurance code "
        "once. The whole batch is checked first and written in one transaction: any bad record answers 422 "
        "`validation.invalid` naming each bad field (`records.3.monthly_amount`) and nothing is written. "
        "A pension already held is updated when its kind, amount, start or status differs and left alone "
        "otherwise: sending a batch again changes nothing. The person is found by the 12-digit personal ID "
        "number; a number not registered yet needs `full_name`. On first receipt the method, province and "
        "account or service point sent become the pension's first arrangement; afterwards the pensioner "
        "chooses, and the changes are read from `GET /partner/pension-arrangements`. An agency of one "
        "province sends only pensions paid in it. " + _AUTH_HELP
    ),
)
def pensions_send(request: HttpRequest, payload: PensionsIn) -> dict[str, Any]:
    done = pensions.pensions_receive(
        partner=_partner(request), records=[record.model_dump() for record in payload.records]
    )
    return asdict(done)


@router.get(
    "/pension-arrangements",
    response=PensionArrangementsPartnerOut,
    summary="The pension arrangements the pensioners changed, to apply",
    description=(
        "How and where each pensioner chose to receive the pension, from `valid_from` on; by default only "
        "those not acknowledged yet (`pending_only=false`: all), optionally those made at or after `since` "
        "(ISO date-time). Oldest id first; page with `after` (the `next_after` of the previous page) and "
        "`limit` (at most 500). Acknowledge what you applied. A pensioner moving province is read by the "
        "agency of the new province. " + _AUTH_HELP
    ),
)
def arrangements_list(
    request: HttpRequest,
    after: int = Query(0, ge=0, le=2**62),
    limit: int = Query(pension_selectors.PARTNER_PAGE_DEFAULT, ge=1, le=pension_selectors.PARTNER_PAGE_MAX),
    since: datetime | None = Query(None),  # noqa: B008 - ninja's way to document a query parameter
    pending_only: bool = Query(True),
) -> dict[str, Any]:
    rows, next_after = pension_selectors.arrangements_for_partner(
        _partner(request), after=after, limit=limit, since=since, pending_only=pending_only
    )
    return {"items": [_arrangement(row) for row in rows], "next_after": next_after}


@router.post(
    "/pension-arrangements/acknowledge",
    response={200: PensionAcknowledgeOut},
    summary="Say which arrangements you applied (idempotent)",
    description=(
        "Marks the arrangements as applied: they leave the pending list. At most 500 ids a call. An id "
        "acknowledged before counts as `already`; an id that does not exist or is not in your provinces "
        "is listed in `not_found`. " + _AUTH_HELP
    ),
)
def arrangements_acknowledge(request: HttpRequest, payload: PensionAcknowledgeIn) -> dict[str, Any]:
    done = pensions.arrangements_acknowledge(partner=_partner(request), ids=payload.ids)
    return asdict(done)


# --- the pension months paid at service points -----------------------------------------------------------

_MONTH = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"


def _payment(row: BenefitPayment, pensions_by_id: dict[int, Pension]) -> dict[str, Any]:
    pension = pensions_by_id.get(row.benefit_id)
    return {
        "id": row.pk,
        # A pension is never deleted while a payment refers to it in practice; "" rather than a 500 if so.
        "social_insurance_code": pension.social_insurance_code if pension is not None else "",
        "personal_id": row.person.personal_id,
        "month": f"{row.period:%Y-%m}",
        "amount": int(row.amount),
        "receipt_number": row.receipt_number,
        "service_point": {"code": row.service_point.code, "name": row.service_point.name},
        "province_code": row.province.code,
        "paid_at": row.recorded_at.astimezone(UTC),
        "acknowledged_at": row.reported_at.astimezone(UTC) if row.reported_at else None,
    }


@router.get(
    "/pension-payments",
    response=PensionPaymentsPartnerOut,
    summary="Pension months paid in cash at service points (do not pay them again)",
    description=(
        "The pension months a service point paid in cash against the pensioner's social-security card, in "
        "any province: each is paid, and must be struck from your payee lists. You see those of pensions "
        "paid in your provinces now and those of months your payee list held (the province of the "
        "arrangement in force for the month), so a pensioner who moves is reported to both provinces. "
        "Oldest id first; page with `after` (the `next_after` of the previous page, or the last id you "
        "stored) and `limit` (1 to 500). A payment is listed two minutes after it is recorded, once its id "
        "order is final: keep your `after` between calls and nothing is skipped. To reconcile, read again "
        "from `after=0`, optionally for one `month` (YYYY-MM) or only what you have not acknowledged "
        "(`pending_only=true`). Payments are never changed or withdrawn; "
        "confirm what you received with `POST /partner/pension-payments/acknowledge`. " + _AUTH_HELP
    ),
)
def pension_payments_list(
    request: HttpRequest,
    after: int = Query(0, ge=0, le=2**62),
    limit: int = Query(pension_selectors.PARTNER_PAGE_DEFAULT, ge=1, le=pension_selectors.PARTNER_PAGE_MAX),
    month: str | None = Query(None, pattern=_MONTH, description="Only this month paid (YYYY-MM)"),
    pending_only: bool = Query(False, description="Only the payments you have not acknowledged yet"),
) -> dict[str, Any]:
    period = date.fromisoformat(f"{month}-01") if month else None
    page = pensions.pension_payments_read(
        partner=_partner(request), after=after, limit=limit, month=period, pending_only=pending_only
    )
    return {
        "items": [_payment(row, page.pensions) for row in page.payments],
        "next_after": page.next_after,
    }


@router.post(
    "/pension-payments/acknowledge",
    response={200: PensionPaymentAcknowledgeOut},
    summary="Confirm the pension payments you received (idempotent)",
    description=(
        "Confirms that you received these payments and will not pay their months again; the confirmation "
        "is stored on each payment (`acknowledged_at` in the list). At most 500 ids a call. An id "
        "confirmed for the first time counts as `acknowledged`, one confirmed before as `already` (sending "
        "it again changes nothing); an id that does not exist or is not of your provinces is listed in "
        "`not_found`. List only what you have not confirmed yet with `pending_only=true`. " + _AUTH_HELP
    ),
)
def pension_payments_acknowledge(
    request: HttpRequest, payload: PensionPaymentAcknowledgeIn
) -> dict[str, Any]:
    done = pensions.pension_payments_acknowledge(partner=_partner(request), ids=payload.ids)
    return asdict(done)
