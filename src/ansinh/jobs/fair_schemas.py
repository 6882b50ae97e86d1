"""The job fairs' API schemas. A slot's video-call link appears only in the answers for its booth's writers
(`SlotOwnerOut`) and for the seeker who booked it (`BookingOut`), never in the public ones."""

from datetime import datetime

from ninja import Field, Schema


class FairIn(Schema):
    title: str = Field(max_length=300)
    kind: str = Field(description="online, in_person, mobile or hybrid")
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    centre_id: int | None = Field(None, description="The centre (the first of the officer's by default)")
    ward_id: int | None = Field(
        None, description="A mobile fair's ward or commune (of the centre's province)"
    )
    venue: str = Field("", description="Where an in-person, mobile or hybrid fair is held")
    online_url: str = Field("", description="An online or hybrid fair's stream or fan page (https)")


class FairPatch(Schema):
    title: str | None = None
    kind: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    description: str | None = None
    ward_id: int | None = None
    venue: str | None = None
    online_url: str | None = None


class FairOut(Schema):
    id: int
    title: str
    kind: str
    kind_label: str
    status: str
    description: str
    starts_at: datetime
    ends_at: datetime
    province: str
    ward: str | None
    venue: str
    online_url: str
    centre: str


class VacancyBrief(Schema):
    id: int
    title: str


class SlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    free: int


class SlotOwnerOut(SlotOut):
    booked: int
    video_link: str


class BoothOut(Schema):
    id: int
    fair_id: int
    employer: str
    vacancies: list[VacancyBrief]
    slots: list[SlotOut]


class FairDetailOut(FairOut):
    booths: list[BoothOut]


class BoothIn(Schema):
    vacancy_ids: list[int] = []
    tax_code: str = Field(
        "", description="A centre adds a booth for this employer; an employer leaves it empty"
    )


class VacanciesIn(Schema):
    vacancy_ids: list[int]


class SlotIn(Schema):
    starts_at: datetime
    ends_at: datetime
    capacity: int = 1
    video_link: str = ""


class RegistrationOut(Schema):
    id: int
    fair_id: int
    fair_title: str
    code: str
    checked_in_at: datetime | None


class BookingOut(Schema):
    id: int
    status: str
    fair_id: int
    fair_title: str
    employer: str
    starts_at: datetime
    ends_at: datetime
    video_link: str
    application_id: int | None


class MyFairsOut(Schema):
    registrations: list[RegistrationOut]
    bookings: list[BookingOut]


class BoothBookingOut(Schema):
    id: int
    slot_id: int
    starts_at: datetime
    status: str
    seeker_name: str
    application_id: int | None


class AttendanceIn(Schema):
    status: str = Field(description="attended or no_show")


class CheckInIn(Schema):
    code: str


class CheckInOut(Schema):
    registration_id: int
    person_name: str
    first: bool
    checked_in_at: datetime | None


class FairWalkInIn(Schema):
    full_name: str = ""
    phone: str = ""
    personal_id: str = ""


class BoothResultIn(Schema):
    booth_id: int
    interviews: int = 0
    offers: int = 0
    hires: int = 0


class ResultsIn(Schema):
    booths: list[BoothResultIn] = []
    close: bool = False


class BoothResultOut(Schema):
    booth_id: int
    employer: str
    booked: int
    attended: int
    interviews: int
    offers: int
    hires: int


class ResultsOut(Schema):
    fair_id: int
    status: str
    registered: int
    attended: int
    interviews: int
    offers: int
    hires: int
    booths: list[BoothResultOut]
