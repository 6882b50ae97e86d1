"""The pension partner API: the social-insurance agency sends its pensioners, reads the arrangements the
pensioners made (how and where to pay them) and says when it applied them. Mounted under
`/api/v1/partner` and authenticated like the unemployment partner API (the partner's token, optionally an
HMAC signature), then the agency check: only a partner listed as the social-insurance agency's system
(`UNEMPLOYMENT_PAYER_PARTNERS`) may call, and one of a province reads only that province."""

from dataclasses import asdict
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from ansinh.dossiers.models import Partner
from ansinh.unemployment.partner_api import PartnerToken
from ansinh.welfare import pension_selectors
from ansinh.welfare.models import PensionArrangement
from ansinh.welfare.pension_partner_schemas import (
    PensionAcknowledgeIn,
    PensionAcknowledgeOut,
    PensionArrangementsPartnerOut,
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
