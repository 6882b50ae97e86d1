"""Pydantic schemas of the unemployment partner API: the payment orders the social-insurance agency reads,
its confirmation that it paid, and the contribution records it sends."""

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import StrictBool, StrictInt

# The agency's own payment reference: letters, digits and . _ : / - (as on its payment orders).
PAYMENT_REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$"


class PayeeOut(Schema):
    full_name: str
    personal_id: str | None = Field(None, description="12-digit personal ID number")
    date_of_birth: date | None = None


class PlaceOut(Schema):
    code: str
    name: str


class DecisionOut(Schema):
    decision_number: str = Field(..., description="The benefit decision (Mẫu 12) copied to the agency")
    decided_on: date
    monthly_benefit: int = Field(..., description="VND")
    benefit_months: int
    start_date: date
    end_date: date
    status: str = Field(..., description="The benefit now: paying, suspended, transferring, finished, ...")


class PaymentOrderOut(Schema):
    month_id: int = Field(..., description="Use it to confirm the payment")
    month_number: int
    period_start: date
    period_end: date
    amount: int = Field(..., description="To pay, in VND")
    handed_off_at: datetime
    pay_by: date = Field(
        ..., description="Decree 374/2025 Art 16.2: 5 working days after the month's notification deadline"
    )
    bank_account: str = Field(..., description="Empty: paid in cash at the agency")
    decision: DecisionOut
    person: PayeeOut
    centre: PlaceOut = Field(..., description="The employment service centre managing the benefit")
    province: PlaceOut


class PaymentOrdersOut(Schema):
    items: list[PaymentOrderOut]
    next_after: int | None = Field(
        ..., description="Pass as `after` for the next page; null: no more orders now"
    )


class PaymentPaidIn(Schema):
    paid_on: date = Field(..., description="The day the agency paid (YYYY-MM-DD)")
    reference: str = Field(
        ...,
        min_length=1,
        max_length=100,
        pattern=PAYMENT_REFERENCE_PATTERN,
        description="Your payment reference",
    )


class PaymentPaidOut(Schema):
    month_id: int
    paid_on: date
    handed_off_at: datetime
    already_recorded: bool = Field(
        ..., description="True when this payment was confirmed before with the same date: nothing changed"
    )


# --- the contribution record ----------------------------------------------------------------------------

# As `services.contributions.MAX_RECORDS` (which refuses more; the schema only documents it).
CONTRIBUTION_RECORDS_MAX = 1_000


class ContributionRecordIn(Schema):
    id_number: str = Field(
        ..., max_length=20, description="The person's 12-digit personal ID number", examples=["001090012345"]
    )
    month: str = Field(
        ..., max_length=7, description="The month contributed for: YYYY-MM", examples=["2026-05"]
    )
    wage: StrictInt = Field(
        ..., description="Wage declared for unemployment insurance that month, integer VND, before caps"
    )
    region: str = Field(
        ..., max_length=3, description="Minimum-wage region of the workplace: I, II, III or IV"
    )
    state_pay_scale: StrictBool = Field(False, description="Paid on the State pay scale that month")
    employer_name: str = Field("", max_length=255, description="The employer that declared the month")
    full_name: str | None = Field(
        None,
        max_length=150,
        description=(
            "Needed when no person is registered with this ID number yet: it registers them. Given for a "
            "registered person, it must match their name (case and diacritics aside)."
        ),
    )


class ContributionsIn(Schema):
    records: list[ContributionRecordIn] = Field(
        ...,
        description="At most 1,000 records; one (ID number, month) once",
        json_schema_extra={"maxItems": CONTRIBUTION_RECORDS_MAX},
    )


class ContributionsOut(Schema):
    created: int = Field(..., description="Months not held before")
    updated: int = Field(..., description="Months held with another value, now replaced (corrections)")
    unchanged: int = Field(..., description="Months already held exactly as sent")
    persons_created: int = Field(..., description="People registered from the records' names")
