"""The estimator's contract (issue 5): what outside checks send and read back."""

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field, field_validator

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
