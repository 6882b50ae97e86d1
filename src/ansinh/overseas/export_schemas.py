"""The worker-list export's request through the API."""

from datetime import date

from ninja import Field, Schema


class WorkersExportIn(Schema):
    purpose: str = Field(
        description=(
            "Why the list is exported (logged with the export): authority_report, contract_management, "
            "worker_support, inspection, or other (then purpose_detail is required)"
        ),
        max_length=40,
    )
    purpose_detail: str = Field("", description="The purpose in words (at most 500 characters)")
    contract_id: int | None = Field(None, description="Only the workers of this contract (one you see)")
    contract_number: str = Field(
        "", max_length=60, description="Only the workers of contracts with this number"
    )
    country: str = Field("", max_length=2, description="Destination country, ISO 3166-1 alpha-2 code")
    status: str = Field("", max_length=20, description="Only the workers with this status")
    departed_from: date | None = Field(None, description="Departed on or after this day")
    departed_to: date | None = Field(None, description="Departed on or before this day")
    province: str = Field("", max_length=8, description="Province of origin (code)")
