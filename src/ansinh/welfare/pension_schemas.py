"""Pydantic schemas of the pensioner's pension API (`/api/v1/welfare/pensions...`)."""

from datetime import date, datetime

from ninja import Field, Schema


class PensionPlaceRefOut(Schema):
    id: int
    code: str
    name: str


class PensionArrangementOut(Schema):
    id: int
    method: str = Field(..., description="bank, post_office or home_delivery")
    method_label: str
    valid_from: date = Field(..., description="The first pension month paid this way")
    province: PensionPlaceRefOut
    bank_name: str
    bank_account: str
    account_holder: str
    service_point: PensionPlaceRefOut | None = None
    delivery_address: str
    delivery_reason: str
    created_at: datetime
    acknowledged_at: datetime | None = Field(None, description="When the social-insurance agency applied it")


class PensionOut(Schema):
    id: int
    social_insurance_code: str
    pension_kind: str
    pension_kind_label: str
    monthly_amount: int = Field(..., description="VND")
    starts_on: date
    status: str
    status_label: str
    province: PensionPlaceRefOut
    arrangement: PensionArrangementOut | None = Field(None, description="In force this month")
    next_arrangement: PensionArrangementOut | None = Field(
        None, description="A change made, from a later month"
    )


class PensionCalendarMonthOut(Schema):
    period: date = Field(..., description="The pension month (its first day)")
    method: str | None = None
    opens: date | None = Field(None, description="The first payment day")
    closes: date | None = Field(None, description="The last payment day")
    fixed_points_until: date | None = Field(
        None,
        description="Cash: the last day of the fixed payment points; then at the post office until `closes`",
    )
    paid_at_service_point: bool = Field(False, description="Paid in cash with the social-security card")


class PensionCashPaymentOut(Schema):
    period: date
    amount: int
    service_point: str
    recorded_at: datetime
    receipt_number: str


class PensionDetailOut(PensionOut):
    history: list[PensionArrangementOut]
    calendar: list[PensionCalendarMonthOut]
    cash_payments: list[PensionCashPaymentOut]
    change_applies_from: date = Field(..., description="A change made today applies from this month")


class PensionArrangementIn(Schema):
    method: str = Field(..., max_length=20, description="bank, post_office or home_delivery")
    province_id: int = Field(..., ge=1, le=2**31 - 1)
    bank_name: str = Field("", max_length=200)
    bank_account: str = Field("", max_length=60, description="Bank: 6 to 19 digits")
    account_holder: str = Field("", max_length=300, description="Bank: your name, as on your ID card")
    service_point_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="Post office: the service point"
    )
    delivery_address: str = Field("", max_length=500, description="Home delivery")
    delivery_reason: str = Field("", max_length=500, description="Home delivery: why you cannot travel")


class PensionServicePointOut(Schema):
    id: int
    code: str
    name: str
