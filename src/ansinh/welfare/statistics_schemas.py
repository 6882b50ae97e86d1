"""The JSON shapes of `GET /api/v1/welfare/figures` (names prefixed `WelfareFigures`: unique in the API)."""

from datetime import date, datetime

from ninja import Field, Schema


class WelfareFiguresLineOut(Schema):
    key: str = Field(..., description="status, group, kind or method code; 'total' for a total")
    label: str = Field(..., description="in the language of the request")
    count: int
    amount: int | None = Field(
        None, description="VND; null where no amount is meant or no base level is encoded for the month"
    )


class WelfareFiguresMonthOut(Schema):
    month: str = Field(..., description="YYYY-MM, the month the payments were recorded (Vietnam time)")
    kinds: list[WelfareFiguresLineOut] = Field(..., description="one line per benefit kind")
    total: WelfareFiguresLineOut


class WelfareFiguresProvinceOut(Schema):
    province_id: int
    code: str
    name: str
    count: int
    amount: int = Field(..., description="VND")


class WelfareFiguresScopeOut(Schema):
    nation: bool
    province_ids: list[int] = Field(..., description="the provinces one may choose with province_id")
    organisations: list[str] = Field(..., description="organisations whose own records are counted")


class WelfareFiguresAllowancesOut(Schema):
    amounts_month: date = Field(..., description="the month whose amounts due are given (first day)")
    by_status: list[WelfareFiguresLineOut]
    by_group: list[WelfareFiguresLineOut]
    total: WelfareFiguresLineOut
    changes_waiting: int = Field(..., description="reports of changes of circumstances not yet handled")
    oldest_change_waiting: datetime | None


class WelfareFiguresPaymentsOut(Schema):
    by_month: list[WelfareFiguresMonthOut]
    by_kind: list[WelfareFiguresLineOut]
    total: WelfareFiguresLineOut
    by_province: list[WelfareFiguresProvinceOut] = Field(..., description="by province of the service point")


class WelfareFiguresPensionsOut(Schema):
    by_method: list[WelfareFiguresLineOut] = Field(
        ..., description="pensions being paid, by the arrangement in force; amount: monthly amounts summed"
    )
    total: WelfareFiguresLineOut


class WelfareFiguresOut(Schema):
    year: int
    month: int | None
    province_id: int | None
    generated_at: datetime
    scope: WelfareFiguresScopeOut
    allowances: WelfareFiguresAllowancesOut
    payments: WelfareFiguresPaymentsOut
    cards: list[WelfareFiguresLineOut] = Field(..., description="cards by status (every issue)")
    medicine: list[WelfareFiguresLineOut] = Field(..., description="regular-medicine requests by status")
    pensions: WelfareFiguresPensionsOut
