"""The card API's schemas (names prefixed: OpenAPI names are global)."""

from datetime import date, datetime

from ninja import Field, Schema


class CardOut(Schema):
    id: int
    number: str = Field(description="12 digits (the last one a Luhn check digit)")
    number_display: str
    issue: int
    status: str
    issued_at: datetime
    revoked_at: datetime | None = None
    revoke_reason: str = ""
    qr: str | None = Field(None, description="The signed QR text (ASC1....); only for the valid card")


class CardDueOut(Schema):
    kind: str
    benefit_id: int
    period: date
    amount: int
    label: str
    legal_note: str


class CardPaymentOut(Schema):
    id: int
    receipt_number: str
    kind: str
    benefit_id: int
    period: date
    amount: int
    service_point: str
    province: str
    recorded_at: datetime


class MyCardOut(Schema):
    card: CardOut | None
    due: list[CardDueOut]
    payments: list[CardPaymentOut]


class CardLostIn(Schema):
    reason: str = Field("lost", max_length=10, description="lost, damaged or other")


class CardRevokeIn(Schema):
    reason: str = Field(..., max_length=10, description="lost, damaged, deceased, misuse or other")


class CardScanIn(Schema):
    qr: str = Field(..., max_length=400, description="The text the card's QR code holds")


class CardScanOut(Schema):
    card_number: str
    card_issue: int
    holder_name: str
    initials: str
    birth_year: int | None
    id_last4: str = Field(description="Last 4 digits of the personal ID number, to compare with the ID card")
    due: list[CardDueOut]


class CardPaymentIn(Schema):
    qr: str = Field(..., max_length=400)
    kind: str = Field(..., max_length=20, description="social_allowance, pension or unemployment")
    benefit_id: int = Field(..., ge=1, le=2**53)
    period: date
    request_key: str = Field(
        "", max_length=64, description="Idempotency key (or send the Idempotency-Key header instead)"
    )


class CardJwkOut(Schema):
    kty: str
    crv: str
    x: str
    y: str
    kid: str
    use: str
    alg: str


class CardKeysOut(Schema):
    keys: list[CardJwkOut]
