"""The monthly social allowance's API contract (names prefixed: schema names are unique in the OpenAPI
document)."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field


class AllowanceBaseLevelOut(Schema):
    valid_from: date
    amount: int
    source: str
    confirmed: bool


class AllowanceBandOut(Schema):
    min_age: int | None
    below_age: int | None
    coefficient: Decimal
    amount: int
    article: str
    age_source: str


class AllowanceGroupOut(Schema):
    code: str
    name: str
    name_vi: str
    name_en: str
    article: str
    age_rule: str
    per_child: bool
    confirmed: bool
    bands: list[AllowanceBandOut]


class AllowanceRulesOut(Schema):
    on: date
    base_level: int
    base_level_from: date
    base_level_source: str
    base_level_confirmed: bool
    coefficients_confirmed: bool
    history: list[AllowanceBaseLevelOut]
    groups: list[AllowanceGroupOut]
    processing_days: int
    processing_source: str


class AllowanceEstimateIn(Schema):
    groups: list[str] = Field(min_length=1, max_length=12, description="Group codes; the highest applies")
    birth_date: date | None = Field(None, description="Needed by the groups defined by age")
    on: date | None = Field(None, description="The day (default today)")
    children: int = Field(1, ge=1, le=20, description="Single parents: the children raised")


class AllowanceAmountOut(Schema):
    group: str
    coefficient: Decimal
    base_level: int
    amount: int
    explanation: list[str]
    sources: list[str]
    confirmed: bool
    unconfirmed: list[str]


class AllowanceMonthOut(Schema):
    month: date
    amount: int
    paid: bool
    paid_at: datetime | None
    paid_amount: int | None
    service_point: str
    receipt_number: str


class AllowanceOut(Schema):
    id: int
    person_id: int
    person_name: str
    dossier_id: int
    group: str
    group_name: str
    coefficient: Decimal
    base_level: int
    monthly_amount: int = Field(
        ..., description="This month's amount in VND (base level in force × coefficient)"
    )
    starts_on: date
    ends_on: date | None
    status: str
    payment_method: str
    commune_id: int
    commune_name: str
    decided_at: datetime
    end_reason: str


class AllowanceDetailOut(AllowanceOut):
    explanation: list[str]
    explanation_confirmed: bool | None
    decision_short_code: str | None
    decision_url: str | None
    schedule: list[AllowanceMonthOut]


class AllowanceReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=500)


class AllowanceEndIn(AllowanceReasonIn):
    last_month: date | None = Field(None, description="The last month paid (default this month)")


class AllowanceChangeIn(Schema):
    kind: str = Field(max_length=12)
    description: str = Field(min_length=1, max_length=2000)
    happened_on: date


class AllowanceChangeOut(Schema):
    id: int
    allowance_id: int
    kind: str
    description: str
    happened_on: date
    reported_at: datetime
    status: str
    handled_at: datetime | None
    outcome: str
    effect: dict


class AllowanceChangeAcceptIn(Schema):
    outcome: str = Field(min_length=1, max_length=500)
    new_group: str = Field("", max_length=40)
    children: int | None = Field(None, ge=1, le=20)
    payment_method: str = Field("", max_length=20)
    bank_account: str = Field("", max_length=40)


class AllowanceChangeRejectIn(Schema):
    outcome: str = Field(min_length=1, max_length=500)


class AllowanceUncollectedOut(Schema):
    id: int = Field(..., description="The allowance")
    person_id: int
    person_name: str
    commune_id: int
    starts_on: date
    unpaid_months: list[date] = Field(
        ..., description="The complete months not collected in a row, oldest first"
    )
    consecutive_months: int
    legal_basis: str
    suggested_reason: str = Field(..., description="The reason to give when suspending (Vietnamese)")
