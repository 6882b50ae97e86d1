"""Pydantic schemas of the pension partner API: the pensioners the social-insurance agency sends, the
arrangements it reads back, the pension months paid in cash at service points, and its acknowledgements."""

from datetime import date, datetime

from ninja import Field, Schema
from pydantic import StrictInt

# As `services.pensions.MAX_RECORDS` / `MAX_ACKNOWLEDGE` (which refuse more; the schema documents it).
PENSION_RECORDS_MAX = 500
ACKNOWLEDGE_MAX = 500


class PensionRecordIn(Schema):
    social_insurance_code: str = Field(
        ...,
        max_length=20,
        description="The 10-digit social-insurance code (mã số BHXH)",
        examples=["0101234567"],
    )
    id_number: str = Field(
        ...,
        max_length=20,
        description="The pensioner's 12-digit personal ID number",
        examples=["001050012345"],
    )
    full_name: str | None = Field(
        None,
        max_length=150,
        description=(
            "Needed when no person is registered with this ID number yet: it registers them. Given for a "
            "registered person, it must match their name (case and diacritics aside)."
        ),
    )
    pension_kind: str = Field(
        "retirement",
        max_length=40,
        description="retirement, work_capacity_loss, occupational or survivor",
    )
    monthly_amount: StrictInt = Field(..., description="The monthly amount, integer VND")
    starts_on: date = Field(..., description="Paid from (YYYY-MM-DD)")
    status: str = Field("active", max_length=10, description="active, suspended or ended")
    province_code: str = Field(..., max_length=10, description="The province where it is paid now")
    method: str = Field(
        "post_office",
        max_length=20,
        description=(
            "How it is paid now: bank, post_office or home_delivery. Used on first receipt only: from then "
            "on the pensioner chooses (read the changes from `GET /partner/pension-arrangements`)."
        ),
    )
    bank_name: str = Field("", max_length=100, description="With method bank")
    bank_account: str = Field("", max_length=40, description="With method bank: 6 to 19 digits")
    account_holder: str = Field("", max_length=150, description="With method bank")
    service_point_code: str = Field(
        "", max_length=32, description="With method post_office, optional: the service point's code"
    )
    delivery_address: str = Field("", max_length=255, description="With method home_delivery")


class PensionsIn(Schema):
    records: list[PensionRecordIn] = Field(
        ...,
        description="At most 500 records; one social-insurance code once",
        json_schema_extra={"maxItems": PENSION_RECORDS_MAX},
    )


class PensionsOut(Schema):
    created: int = Field(..., description="Pensions not held before (with their first arrangement)")
    updated: int = Field(..., description="Pensions held with another kind, amount, start or status")
    unchanged: int = Field(..., description="Pensions already held exactly as sent")
    persons_created: int = Field(..., description="People registered from the records' names")


class PensionPlaceOut(Schema):
    code: str
    name: str


class PensionArrangementPartnerOut(Schema):
    id: int = Field(..., description="Acknowledge it with this id")
    social_insurance_code: str
    personal_id: str | None = None
    full_name: str
    method: str = Field(..., description="bank, post_office or home_delivery")
    valid_from: date = Field(..., description="The first pension month paid this way")
    province: PensionPlaceOut
    bank_name: str
    bank_account: str
    account_holder: str
    service_point: PensionPlaceOut | None = None
    delivery_address: str
    delivery_reason: str
    created_at: datetime
    acknowledged_at: datetime | None = None


class PensionArrangementsPartnerOut(Schema):
    items: list[PensionArrangementPartnerOut]
    next_after: int | None = Field(..., description="Pass as `after` for the next page; null: no more now")


class PensionAcknowledgeIn(Schema):
    ids: list[StrictInt] = Field(
        ..., description="The arrangements applied", json_schema_extra={"maxItems": ACKNOWLEDGE_MAX}
    )


class PensionAcknowledgeOut(Schema):
    acknowledged: int = Field(..., description="Marked applied now")
    already: int = Field(..., description="Acknowledged before: nothing changed")
    not_found: list[int] = Field(..., description="Ids that do not exist or are not in your provinces")


# --- the pension months paid at service points -----------------------------------------------------------


class PensionPaymentPartnerOut(Schema):
    id: int = Field(..., description="The payment's id: page with it, acknowledge it with it")
    social_insurance_code: str = Field(..., description="The pension's 10-digit social-insurance code")
    personal_id: str | None = Field(None, description="The pensioner's 12-digit personal ID number")
    month: str = Field(..., description="The pension month paid (YYYY-MM)", examples=["2026-03"])
    amount: int = Field(..., description="The amount paid, integer VND")
    receipt_number: str = Field(
        ..., description="The receipt given to the pensioner", examples=["ASC-20260305-7K2M9QXD"]
    )
    service_point: PensionPlaceOut = Field(..., description="Where it was paid in cash")
    province_code: str = Field(..., description="The province of that service point")
    paid_at: datetime = Field(..., description="When it was paid (ISO 8601, UTC)")
    acknowledged_at: datetime | None = Field(
        None, description="When you acknowledged it (ISO 8601, UTC); null: not yet"
    )


class PensionPaymentsPartnerOut(Schema):
    items: list[PensionPaymentPartnerOut]
    next_after: int | None = Field(..., description="Pass as `after` for the next page; null: no more now")


class PensionPaymentAcknowledgeIn(Schema):
    ids: list[StrictInt] = Field(
        ..., description="The payments received", json_schema_extra={"maxItems": ACKNOWLEDGE_MAX}
    )


class PensionPaymentAcknowledgeOut(Schema):
    acknowledged: int = Field(..., description="Payments of yours confirmed received by this call")
    already: int = Field(
        ...,
        description=(
            "Always 0 for now: confirmations are recorded in the audit log only, not on the payment, so "
            "an id sent again counts as `acknowledged` again"
        ),
    )
    not_found: list[int] = Field(
        ..., description="Ids that are not pension payments or not of your provinces"
    )
