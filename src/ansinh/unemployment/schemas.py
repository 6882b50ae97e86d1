"""The estimator's contract (issue 5): what outside checks send and read back."""

import re
from datetime import date, datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field, field_validator

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
MAX_MONTHS = 600  # fifty years of contributions: more is not a history, it is an attack


class ContributionIn(BaseModel):
    month: str = Field(description="YYYY-MM", examples=["2025-12"])
    wage: int = Field(description="Salary declared for unemployment insurance that month, VND, before caps")
    region: str = Field("I", description="Minimum-wage region of the workplace that month: I, II, III or IV")

    @field_validator("month")
    @classmethod
    def _month(cls, value: str) -> str:
        if not _MONTH.match(value):
            raise ValueError("month")
        return value

    def first_day(self) -> date:
        return date.fromisoformat(self.month + "-01")


class PreviousClaimIn(BaseModel):
    termination_date: date
    reserved_months: int


class EstimateIn(BaseModel):
    as_of: date | None = Field(None, description="Decision day: picks the rule set (default today)")
    termination_date: date
    contract_months: int | None = Field(None, description="Length of the last contract; null = indefinite")
    pay_regime: Literal["employer", "state"] = "employer"
    contributions: list[ContributionIn] = Field(max_length=MAX_MONTHS)
    previous_claim: PreviousClaimIn | None = None
    months_already_received: int = 0
    benefit_start_date: date | None = None


class PeriodOut(BaseModel):
    start: date
    end: date


class StepOut(BaseModel):
    step: str
    value: int | str | date
    legal_basis: str
    unit: str = Field("", description="vnd | months | date | rule_set: how the value reads")


class EstimateOut(BaseModel):
    eligible: bool
    reasons: list[str]
    rule_set: str
    contribution_months: int
    average_wage: int
    monthly_benefit: int
    benefit_cap: int
    benefit_months: int
    reserved_months: int
    start_date: date | None
    periods: list[PeriodOut]
    explanation: list[StepOut]


# --- claims -------------------------------------------------------------------------------------------------


class BenefitMonthOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: int
    start: date
    end: date
    notify_from: date
    notify_until: date
    status: str
    amount: int
    notified_channel: str
    handed_off_at: datetime | None
    paid_on: date | None


class ClaimEventOut(Schema):
    at: datetime
    action: str
    month_number: int | None
    decision_number: str
    centre: str

    @staticmethod
    def resolve_centre(obj: Any) -> str:
        return str(obj.centre.name)


class ClaimOut(Schema):
    id: int
    decision_number: str
    status: str
    person_name: str
    centre: str
    transfer_to: str | None
    decided_on: date
    rule_set: str
    termination_date: date
    contribution_months: int
    average_wage: int
    monthly_benefit: int
    benefit_months: int
    reserved_months: int
    start_date: date
    end_date: date
    close_reason: str

    @staticmethod
    def resolve_person_name(obj: Any) -> str:
        return str(obj.person.full_name)

    @staticmethod
    def resolve_centre(obj: Any) -> str:
        return str(obj.centre.name)

    @staticmethod
    def resolve_transfer_to(obj: Any) -> str | None:
        return obj.transfer_to.name if obj.transfer_to_id else None


class ClaimDetailOut(BaseModel):
    claim: ClaimOut
    months: list[BenefitMonthOut]
    events: list[ClaimEventOut]
    next_step: str = Field(description="notify_now | suspended | wait | transferring | last_month | closed")
    next_window: BenefitMonthOut | None


class NotificationIn(BaseModel):
    activities: str = Field(max_length=2000)
    still_unemployed: bool = Field(description="The claimant has not found a job (must be true)")


class CounterNotificationIn(BaseModel):
    activities: str = Field(max_length=2000)


class ReferralIn(BaseModel):
    employer_name: str = Field(max_length=255)
    job_title: str = Field(max_length=255)
    vacancy_reference: str = Field("", max_length=60)


class ReferralOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    referred_on: date
    employer_name: str
    job_title: str
    vacancy_reference: str
    outcome: str
    reason: str


class ReferralAnswerIn(BaseModel):
    outcome: Literal["accepted", "refused_reason", "refused"]
    reason: str = Field("", max_length=1000)


class TerminationIn(BaseModel):
    ground: str = Field(max_length=40)
    on: date
    note: str = Field("", max_length=500)


class CancellationIn(BaseModel):
    note: str = Field(max_length=500)
