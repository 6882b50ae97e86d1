"""Schemas of `GET /api/v1/me/services` (names prefixed `MyServices`: unique in the OpenAPI document)."""

from datetime import date

from ninja import Schema


class MyServicesStepOut(Schema):
    service: str
    text: str
    on: date | None
    url: str


class MyServicesItemOut(Schema):
    title: str
    status: str
    status_label: str
    detail: str
    on: date | None
    amount: int | None
    url: str


class MyServicesSectionOut(Schema):
    key: str
    title: str
    count: int
    items: list[MyServicesItemOut]
    next_step: MyServicesStepOut | None
    see_all_url: str


class MyServicesOfferOut(Schema):
    key: str
    title: str
    url: str


class MyServicesOut(Schema):
    has_person: bool
    person_name: str
    today: date
    unread: int
    next_steps: list[MyServicesStepOut]
    sections: list[MyServicesSectionOut]
    offers: list[MyServicesOfferOut]
