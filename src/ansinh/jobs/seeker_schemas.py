"""Schemas of the job seeker's API: signing up, the profile and CV, my applications, saved searches."""

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class SignUpIn(Schema):
    full_name: str = Field(..., max_length=150)
    phone: str = Field(..., max_length=30, description="Also the username; a foreign number starts with +")
    password: str = Field(..., max_length=200, description="Chosen by the person; the password rules apply")
    province: str = Field(..., max_length=8, description="Province code where the person lives, e.g. 79")


class SignUpOut(Schema):
    id: int = Field(description="The seeker profile")
    username: str = Field(description="The phone number in international form: sign in with it")


class StartIn(Schema):
    headline: str = Field("", max_length=200)


class SeekerProfileIn(Schema):
    headline: str = Field(..., max_length=200)
    education: str = Field("upper_secondary", max_length=30)
    skills: str = Field("", max_length=2000, description="Comma separated")
    experience: str = Field("", max_length=5000)
    experience_years: int = Field(0, ge=0, le=60)
    occupations: list[str] = Field(default_factory=list, description="ISCO-08 minor groups, up to 5")
    provinces: list[str] = Field(default_factory=list, description="Province codes, up to 5")
    province: str = Field("", max_length=8, description="Where the seeker lives")
    expected_salary: int | None = Field(None, ge=0, description="VND a month")
    wants_abroad: bool = False
    wants_remote: bool = False
    visibility: str = Field("anonymous", description="private, anonymous or full")
    is_looking: bool = True


class SeekerProfileOut(Schema):
    id: int
    full_name: str
    phone: str
    headline: str
    education: str
    skills: str
    experience: str
    experience_years: int
    occupations: list[str]
    provinces: list[str]
    province: str | None
    expected_salary: int | None
    wants_abroad: bool
    wants_remote: bool
    visibility: str
    is_looking: bool
    updated_at: datetime


class ApplyIn(Schema):
    vacancy_id: int
    cover_note: str = Field("", max_length=2000)


class ApplicationEventOut(Schema):
    status: str
    note: str
    at: datetime


class ApplicationOut(Schema):
    id: int
    vacancy_id: int
    vacancy_title: str
    employer: str
    status: str
    status_label: str
    cover_note: str
    created_at: datetime
    status_changed_at: datetime
    can_withdraw: bool
    events: list[ApplicationEventOut]


class SavedSearchIn(Schema):
    name: str = Field("", max_length=100)
    query: str = Field("", max_length=200)
    filters: dict[str, Any] = Field(
        default_factory=dict, description="province, occupation, salary_min, contract_type, abroad"
    )
    alert: bool = True


class SavedSearchAlertIn(Schema):
    alert: bool


class SavedSearchOut(Schema):
    id: int
    name: str
    query: str
    filters: dict[str, Any]
    alert: bool
    last_alerted_at: datetime
    created_at: datetime
