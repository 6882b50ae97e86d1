from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema


class TokenIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    password: str = Field(..., min_length=1, max_length=256)
    otp: str | None = Field(
        None, max_length=10, description="Code from the authenticator app (staff with 2FA)"
    )
    name: str = Field("", max_length=100, description="Which device or system holds this token")


class TokenOut(Schema):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    must_change_password: bool
    first_login_check: Literal["", "date_of_birth"] = Field(
        "", description="What the password change must also be given (the date of birth, for a worker)"
    )


class PasswordChangeIn(Schema):
    old_password: str = Field(..., min_length=1, max_length=256)
    new_password: str = Field(..., min_length=1, max_length=256)
    date_of_birth: date | None = Field(
        None,
        description="Required at the first change when the token answered first_login_check=date_of_birth",
    )


class ResetRequestIn(Schema):
    identifier: str = Field(..., min_length=1, max_length=150, description="Username, e-mail or phone")
    channel: Literal["sms", "email"]


class ResetConfirmIn(Schema):
    identifier: str = Field(..., min_length=1, max_length=150)
    code: str = Field(..., min_length=4, max_length=10)
    new_password: str = Field(..., min_length=1, max_length=256)


class MessageOut(Schema):
    code: str
    message: str


class MembershipOut(Schema):
    organisation_id: int
    organisation_code: str
    organisation_name: str
    role: str
    role_name: str
    scope: str


class MeOut(Schema):
    id: int
    username: str
    language: str
    must_change_password: bool
    first_login_check: str
    two_factor_required: bool
    person_id: int | None
    full_name: str | None
    memberships: list[MembershipOut]
    permissions: list[str]


class PersonOut(Schema):
    id: int
    full_name: str
    date_of_birth: date | None
    sex: str
    personal_id: str | None
    passport_number: str
    phone: str
    email: str
    address: str
    province_code: str | None
    ward_code: str | None

    @staticmethod
    def resolve_province_code(obj: Any) -> str | None:
        return obj.province.code if obj.province_id else None

    @staticmethod
    def resolve_ward_code(obj: Any) -> str | None:
        return obj.ward.code if obj.ward_id else None


class OrganisationOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    kind: str
    parent_id: int | None
    province_code: str | None

    @staticmethod
    def resolve_province_code(obj: Any) -> str | None:
        return obj.province.code if obj.province_id else None


class PasswordReissueOut(Schema):
    user_id: int
    username: str
    one_time_password: str
