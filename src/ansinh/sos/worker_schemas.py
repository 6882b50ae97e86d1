"""Schemas of the workers' API (profile, provisioning, import, the desk's answer check)."""

from datetime import date

from ninja import Field, Schema


class ProfileOut(Schema):
    passport_number: str
    full_name: str
    country: str
    programme: str
    employer: str
    phone: str
    security_question: str
    has_security_answer: bool
    language: str
    suggested_questions: list[str] = Field(description="Questions the app may offer; any other is accepted")


class ProfileIn(Schema):
    phone: str = Field(
        "", max_length=30, description="E.164; foreign numbers start with + and the country code"
    )
    security_question: str = Field("", max_length=200)
    security_answer: str = Field(
        "", max_length=200, description="Stored hashed, never returned; empty keeps the current answer"
    )
    language: str = Field(..., max_length=5, description="vi or en")


class WorkerIn(Schema):
    passport_number: str = Field(..., max_length=30)
    full_name: str = Field(..., max_length=150)
    date_of_birth: date
    country: str = Field(..., max_length=2, description="ISO 3166 alpha-2, e.g. KR")
    programme: str = Field("", max_length=40)
    employer: str = Field("", max_length=255)
    enterprise: str = Field("", max_length=255)
    contract_number: str = Field("", max_length=60)
    departure_date: date | None = None
    contract_end: date | None = None
    phone: str = Field("", max_length=30)


class WorkerOut(Schema):
    id: int
    passport_number: str
    full_name: str
    date_of_birth: date | None
    country: str
    programme: str
    employer: str
    enterprise: str
    contract_number: str
    departure_date: date | None
    contract_end: date | None
    phone: str
    source: str
    must_change_password: bool = Field(
        description="True until the worker has signed in and chosen a password"
    )


class ImportOut(Schema):
    created: int
    updated: int


class AnswerIn(Schema):
    answer: str = Field(..., min_length=1, max_length=200)


class AnswerOut(Schema):
    match: bool
