"""Out schemas of the worker-list import API."""

from datetime import datetime

from ninja import Field, Schema


class ImportErrorOut(Schema):
    row: int | None = Field(description="The row number in the sheet; empty for the file as a whole")
    column: str = Field(description="The column's header as written in the file")
    field: str
    value: str = Field(description="The cell as it was written")
    message: str = Field(description="The reason, in Vietnamese")


class ImportOut(Schema):
    id: int
    contract_id: int
    filename: str
    status: str = Field(description="checking | has_errors | ready | saved | failed")
    status_label: str
    rows_total: int = Field(description="Rows in the file (an estimate, or 0 when unknown, while checking)")
    rows_checked: int
    error_count: int
    errors_listed: int = Field(description="Errors kept for the report (at most 5,000)")
    saved_count: int
    created_at: datetime
    checked_at: datetime | None
    saved_at: datetime | None
    signed_by: str = Field(description="The organisation the verified signature of the saved list names")
    signed_at: datetime | None


class ImportDetailOut(ImportOut):
    errors: list[ImportErrorOut] = Field(
        description="The first errors (at most 50); all kept ones in the report"
    )
