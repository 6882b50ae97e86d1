"""The unemployment-insurance API: the benefit estimator (no login)."""

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from ansinh.unemployment import rules, selectors
from ansinh.unemployment.schemas import EstimateIn, EstimateOut

router = Router(tags=["unemployment"])


def claim_from(payload: EstimateIn) -> rules.Claim:
    previous = payload.previous_claim
    return rules.Claim(
        termination_date=payload.termination_date,
        contributions=[rules.Contribution(c.first_day(), c.wage, c.region) for c in payload.contributions],
        pay_regime=payload.pay_regime,
        contract_months=payload.contract_months,
        decided_on=payload.as_of,
        previous_claim=rules.PreviousClaim(previous.termination_date, previous.reserved_months)
        if previous
        else None,
        months_already_received=payload.months_already_received,
        benefit_start_date=payload.benefit_start_date,
    )


@router.post(
    "/unemployment/estimate",
    auth=None,
    response=EstimateOut,
    summary="Estimate an unemployment benefit (no login): eligibility, amount, months, with legal basis",
)
def estimate(request: HttpRequest, payload: EstimateIn) -> dict[str, Any]:
    result = selectors.benefit_estimate(claim_from(payload), today=timezone.localdate())
    return asdict(result)
