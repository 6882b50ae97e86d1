from datetime import datetime

from ninja import Field, Schema


class InboxMessageOut(Schema):
    id: int
    template: str
    subject: str
    body: str
    link: str = Field(description="A path on this site, or empty")
    created_at: datetime
    read_at: datetime | None
    unread: bool

    @staticmethod
    def resolve_unread(obj: object) -> bool:
        return getattr(obj, "read_at", None) is None


class UnreadCountOut(Schema):
    unread: int


class PushKeyOut(Schema):
    public_key: str = Field(
        description="The VAPID application server key (base64url, uncompressed P-256 point)"
    )


class PushKeysIn(Schema):
    p256dh: str = Field(..., min_length=1, max_length=200)
    auth: str = Field(..., min_length=1, max_length=100)


class PushSubscriptionIn(Schema):
    """The browser's `PushSubscription.toJSON()` as it is; `expirationTime` is accepted and ignored."""

    endpoint: str = Field(..., min_length=1, max_length=1000)
    keys: PushKeysIn
    expirationTime: float | None = None  # the browser's own name for it


class PushEndpointIn(Schema):
    endpoint: str = Field(..., min_length=1, max_length=1000)


class PushSubscriptionOut(Schema):
    id: int
    created_at: datetime
    user_agent: str
