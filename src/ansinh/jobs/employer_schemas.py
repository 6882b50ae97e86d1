"""In and out schemas of the employers' API."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class EmployerRegisterIn(Schema):
    tax_code: str = Field(max_length=20)
    name: str = Field(max_length=255)
    province: str = Field(max_length=10, description="Province code of the seat")
    ward: str = Field("", max_length=100, description="Ward code or name (optional)")
    address: str = Field(max_length=255)
    contact_name: str = Field(max_length=150)
    phone: str = Field(max_length=20)
    email: str = Field(max_length=254)
    website: str = Field("", max_length=200)
    admin_username: str = Field(max_length=40)


class EmployerRegisteredOut(Schema):
    id: int
    tax_code: str
    status: str
    username: str
    one_time_password: str = Field(description="Shown once; must be changed at the first sign-in")


class EmployerOut(Schema):
    id: int
    name: str = Field(alias="organisation.name")
    tax_code: str
    province: str = Field(alias="province.code")
    address: str
    contact_name: str
    phone: str
    email: str
    website: str
    status: str
    decision_note: str
    verified_at: datetime | None
    created_at: datetime


class VerifyIn(Schema):
    approve: bool
    reason: str = Field("", max_length=500)


class VacancyIn(Schema):
    title: str = Field(max_length=200)
    occupation: str = Field(max_length=4, description="ISCO-08 code of three digits")
    description: str = Field(max_length=20_000)
    requirements: str = Field("", max_length=5_000, description="Skills, separated by commas")
    province: str = Field("", max_length=10, description="Province code (domestic work)")
    ward: str = Field("", max_length=100, description="Ward code or name (optional)")
    is_remote: bool = False
    is_abroad: bool = False
    supply_contract: int | None = Field(None, description="A registered supply contract (work abroad)")
    salary_min: int | None = Field(None, description="VND a month")
    salary_max: int | None = Field(None, description="VND a month")
    contract_type: str = Field(max_length=20)
    openings: int = 1
    deadline: date


class VacancyUpdateIn(Schema):
    title: str | None = Field(None, max_length=200)
    occupation: str | None = Field(None, max_length=4)
    description: str | None = Field(None, max_length=20_000)
    requirements: str | None = Field(None, max_length=5_000)
    province: str | None = Field(None, max_length=10)
    ward: str | None = Field(None, max_length=100)
    is_remote: bool | None = None
    is_abroad: bool | None = None
    supply_contract: int | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    contract_type: str | None = Field(None, max_length=20)
    openings: int | None = None
    deadline: date | None = None


class ContractRefOut(Schema):
    id: int
    number: str
    country: str = Field(alias="country.iso2")
    status: str


class VacancyOut(Schema):
    id: int
    title: str
    occupation: str = Field(alias="occupation.code")
    description: str
    requirements: str
    province: str | None = None
    ward: str | None = None
    is_remote: bool
    is_abroad: bool
    country: str | None = None
    supply_contract: ContractRefOut | None = None
    salary_min: int | None
    salary_max: int | None
    contract_type: str
    openings: int
    deadline: date
    status: str
    published_at: datetime
    applicants: dict[str, int] | None = Field(None, description="Applications by status (lists only)")

    @staticmethod
    def resolve_province(obj: Any) -> str | None:
        return obj.province.code if obj.province_id else None

    @staticmethod
    def resolve_ward(obj: Any) -> str | None:
        return obj.ward.code if obj.ward_id else None

    @staticmethod
    def resolve_country(obj: Any) -> str | None:
        return obj.country.iso2 if obj.country_id else None

    @staticmethod
    def resolve_applicants(obj: Any) -> dict[str, int] | None:
        if not hasattr(obj, "n_total"):
            return None
        counts = {key[2:]: value for key, value in vars(obj).items() if key.startswith("n_")}
        return counts


class ApplicantOut(Schema):
    """An application as the employer sees it: the name and contacts only where the seeker showed them
    (they applied and have not withdrawn, or chose full visibility)."""

    id: int
    vacancy_id: int
    status: str
    created_at: datetime
    status_changed_at: datetime
    cover_note: str
    headline: str
    education: str
    skills: str
    experience_years: int
    expected_salary: int | None
    full_name: str | None = None
    phone: str | None = None
    email: str | None = None


class ApplicantPageOut(Schema):
    items: list[ApplicantOut]
    count: int
    page: int
    page_size: int
    pages: int


class StatusIn(Schema):
    status: str = Field(max_length=20, description="interview | offer | hired | rejected")
    note: str = Field("", max_length=500)
