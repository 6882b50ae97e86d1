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
