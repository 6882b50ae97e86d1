"""The regular-medicine API schemas (names prefixed `Medicine`, unique across the project)."""

from datetime import date, datetime, time

from ninja import Field, Schema


class MedicineRequestIn(Schema):
    clinic_id: int = Field(ge=1, le=2**31 - 1)
    insurance_card_number: str = Field(max_length=30, description="15 characters, e.g. DN4791234567890")
    condition: str = Field(max_length=200)
    medicines: str = Field("", max_length=2000)
    mode: str = Field(description="pickup or delivery")
    delivery_address: str = Field("", max_length=255, description="Required for a delivery")
    phone: str = Field("", max_length=20, description="Empty: the phone of the person's record")


class MedicineRequestOut(Schema):
    id: int
    clinic_id: int
    clinic_name: str
    insurance_card_number: str
    condition: str
    medicines: str
    mode: str
    mode_label: str
    delivery_address: str
    phone: str
    status: str
    status_label: str
    scheduled_on: date | None
    window_start: time | None
    window_end: time | None
    days_supplied: int | None
    clinic_note: str
    requested_at: datetime
    scheduled_at: datetime | None
    closed_at: datetime | None
    next_request_from: date | None = Field(
        None, description="After a dispensing: the first day a new request may be sent"
    )


class MedicineQueueItemOut(MedicineRequestOut):
    person_id: int
    person_name: str
    usual_card_form: bool


class MedicineClinicOut(Schema):
    id: int
    name: str
    province_id: int
    province_name: str


class MedicineScheduleIn(Schema):
    scheduled_on: date
    window_start: time | None = Field(None, description="Required for a pick-up")
    window_end: time | None = Field(None, description="Required for a pick-up")
    days_supplied: int = Field(ge=1, le=365)
    note: str = Field("", max_length=500)


class MedicineDispenseIn(Schema):
    days_supplied: int | None = Field(None, ge=1, le=365, description="Empty: the days scheduled")
    note: str = Field("", max_length=500)


class MedicineDeclineIn(Schema):
    reason: str = Field(max_length=500)


class MedicineFiguresOut(Schema):
    by_status: dict[str, int]
    by_mode: dict[str, int]
    open: int
    total: int
    max_days_per_dispensing: int
