"""In and out schemas of the overseas-labour API."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class EnterpriseRegisterIn(Schema):
    tax_code: str = Field(max_length=20)
    name: str = Field(max_length=255)
    head_office: str = Field(max_length=255)
    province: str = Field(max_length=10, description="Province code of the head office")
    charter_capital: int = Field(description="VND")
    legal_representative: str = Field(max_length=150)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    website: str = Field("", max_length=200)
    admin_username: str = Field(max_length=40)
    admin_email: str = Field("", max_length=254)


class EnterpriseRegisteredOut(Schema):
    id: int
    tax_code: str
    username: str
    one_time_password: str = Field(description="Shown once; must be changed at the first sign-in")


class EnterpriseUpdateIn(Schema):
    name: str | None = Field(None, max_length=255)
    head_office: str | None = Field(None, max_length=255)
    charter_capital: int | None = None
    legal_representative: str | None = Field(None, max_length=150)
    phone: str | None = Field(None, max_length=20)
    email: str | None = Field(None, max_length=254)
    website: str | None = Field(None, max_length=200)


class EnterpriseOut(Schema):
    id: int
    tax_code: str
    name: str = Field(alias="organisation.name")
    head_office: str
    province: str = Field(alias="province.code")
    charter_capital: int
    legal_representative: str
    website: str
    status: str


class LicenceGrantIn(Schema):
    number: str = Field(max_length=40)
    issued_on: date


class LicenceChangeIn(Schema):
    action: str = Field(description="amended | suspended | reinstated | revoked")
    on: date
    reason: str = Field(max_length=2000)
    decision_number: str = Field("", max_length=60)


class LicenceOut(Schema):
    id: int
    number: str
    issued_on: date
    status: str


class BranchIn(Schema):
    name: str = Field(max_length=255)
    province: str = Field(max_length=10)
    functions: list[str] = Field(
        default_factory=list, description="worker_registration, worker_update, reports, read"
    )


class BranchFunctionsIn(Schema):
    functions: list[str]


class BranchOut(Schema):
    id: int
    code: str
    name: str
    functions: list[str]


class ForeignPartyIn(Schema):
    registration_number: str = Field(max_length=60)
    name: str = Field(max_length=255)
    address: str = Field("", max_length=255)


class ContractIn(Schema):
    kind: str = Field("supply", description="supply | internship | investment")
    number: str = Field(max_length=60)
    foreign_party: ForeignPartyIn
    country: str = Field(max_length=2, description="ISO 3166 alpha-2")
    programme: str = Field("", max_length=40)
    occupation: str = Field(max_length=4, description="ISCO-08 code")
    workers_planned: int
    monthly_salary: int = Field(description="VND a month")
    contract_months: int
    internship_days: int | None = Field(None, description="An internship's length in days (required then)")
    service_fee: int = 0
    broker_fee: int = 0
    broker: ForeignPartyIn | None = Field(
        None, description="The broker the broker fee is paid to (required then)"
    )
    worker_broker_fee: int = 0
    worker_deposit: int = 0
    airfare: int = Field(0, description="One-way economy airfare, VND (for the deposit cap of other markets)")
    seafarer: bool = False
    signed_on: date


class ContractDecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=2000)


class ContractOut(Schema):
    id: int
    kind: str
    number: str
    country: str = Field(alias="country.iso2")
    occupation: str = Field(alias="occupation.code")
    foreign_party: str = Field(alias="foreign_party.name")
    broker: str = Field("", description="The broker's name; empty when there is none")
    workers_planned: int
    monthly_salary: int
    contract_months: int
    service_fee: int
    broker_fee: int
    worker_deposit: int
    status: str
    reply_due: date
    refusal_reason: str
    signed_by: str = Field(description="The organisation the verified signature names; empty until signed")
    signed_at: datetime | None

    @staticmethod
    def resolve_broker(contract: Any) -> str:
        return contract.broker.name if contract.broker_id else ""


class WorkerIn(Schema):
    contract_id: int
    personal_id: str = Field(max_length=20)
    passport_number: str = Field(max_length=20)
    full_name: str = Field(max_length=150)
    date_of_birth: date
    sex: str = Field(max_length=4, description="M | F")
    phone: str = Field("", max_length=20)
    employer_name: str = Field("", max_length=255)


class WorkerStepIn(Schema):
    status: str
    on: date
    note: str = Field("", max_length=500)
    employer_name: str = Field("", max_length=255)


class WorkerOut(Schema):
    id: int
    worker_code: str
    full_name: str = Field(alias="person.full_name")
    passport_number: str
    contract: str = Field(alias="contract.number")
    country: str = Field(alias="country.iso2")
    employer_name: str
    status: str
    departure_date: date | None
    return_date: date | None
    created_at: datetime


class EnterpriseCountOut(Schema):
    name: str
    workers: int = Field(description="departures in the year")


class WorkersStatisticsOut(Schema):
    year: int
    deployed: int = Field(description="workers who departed in the year")
    by_month: list[int] = Field(description="departures, January to December")
    by_country: dict[str, int] = Field(description="ISO 3166 code -> departures")
    by_occupation: dict[str, int] = Field(description="ISCO-08 major group -> departures")
    by_province: dict[str, int] = Field(description="province of origin (code; empty: unknown) -> departures")
    by_sex: dict[str, int] = Field(description="M, F (empty: unknown) -> departures")
    abroad_now: dict[str, int] = Field(description="ISO code -> workers abroad today")
    early_returns: dict[str, int] = Field(description="ISO code -> workers who came back before the term")
    enterprises: list[EnterpriseCountOut] = Field(description="the largest senders of the year")

    @staticmethod
    def resolve_enterprises(obj: Any) -> list[dict[str, Any]]:
        return [{"name": name, "workers": workers} for name, workers in obj.enterprises]
