from datetime import datetime

from ninja import Field, Schema


class NoticeOut(Schema):
    id: int
    title: str
    body: str
    published_at: datetime
    urgent: bool
    pinned: bool
    audience: str
    country: str
    programme: str


class NoticeIn(Schema):
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=20000)
    audience: str = Field("everyone", description="everyone, country, programme or employer")
    country: str = Field("", max_length=2)
    programme: str = Field("", max_length=40)
    employer: str = Field("", max_length=255)
    pinned: bool = False
    urgent: bool = False
    title_en: str = Field("", max_length=200)
    body_en: str = Field("", max_length=20000)


class HelpRequestIn(Schema):
    kind: str = Field(..., description="sos or support")
    phone: str = Field("", max_length=30)
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None
    location_text: str = Field("", max_length=500)
    category: str = Field("", max_length=20)
    message: str = Field("", max_length=4000)
    client_created_at: datetime | None = Field(None, description="When the phone recorded it (sent later)")


class HelpRequestCreatedOut(Schema):
    id: int
    reference: str
    kind: str
    status: str
    created_at: datetime


class RequestMessageOut(Schema):
    id: int
    from_operator: bool
    body: str
    created_at: datetime


class HelpRequestOut(HelpRequestCreatedOut):
    phone: str
    latitude: float | None
    longitude: float | None
    accuracy_m: int | None
    location_text: str
    category: str
    message: str
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    outcome_category: str
    outcome: str
    flagged: bool
    messages: list[RequestMessageOut]


class QueueItemOut(HelpRequestCreatedOut):
    waiting_seconds: int
    flagged: bool
    assigned_to: str | None


class MessageIn(Schema):
    body: str = Field(..., max_length=4000)


class ResolveIn(Schema):
    outcome_category: str = Field("", max_length=20, description="helped, referred, safe, advice, ...")
    outcome: str = Field("", max_length=500, description="A note; required when the category is 'other'")


class AssignIn(Schema):
    assignee_id: int
    note: str = Field("", max_length=2000)


class EscalateIn(Schema):
    mission_id: int | None = Field(None, description="A mission or agency from the directory")
    agency: str = Field("", max_length=200, description="Or the agency's name, when not in the directory")
    note: str = Field("", max_length=2000)


class ActionIn(Schema):
    kind: str = Field(..., description="call or note")
    body: str = Field(..., max_length=2000)


class ReopenIn(Schema):
    reason: str = Field(..., max_length=2000)


class ActionOut(Schema):
    id: int
    kind: str
    body: str
    actor: str | None
    mission: str | None
    assignee: str | None
    created_at: datetime


class MissionOut(Schema):
    id: int
    name: str
    kind: str
    country: str
    city: str
    phone_24h: str
    phone: str
    email: str


class DeskEventOut(Schema):
    sequence: int
    kind: str
    request: dict[str, object]
    at: datetime
