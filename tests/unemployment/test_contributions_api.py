"""The contribution record the social-insurance agency sends through the partner API, on a real database:
the service (upsert, idempotency, all or nothing, people registered from the records, payer check, a
concurrent batch), the endpoint through HTTP (tokens, HMAC, every kind of bad input), and the new jobs the
data show for a benefit being paid (a claim decided through the real dossier flow)."""

import json
import threading
import time
from datetime import date

import pytest
from django.db import IntegrityError, connection
from django.test import Client
from django.utils import translation

from ansinh.accounts.models import Person
from ansinh.core.errors import ValidationFailed
from ansinh.core.models import AuditEntry
from ansinh.dossiers.services.partners import signature_for
from ansinh.unemployment import contribution_selectors, selectors
from ansinh.unemployment.models import BenefitClaim, ClaimStatus, ContributionMonth
from ansinh.unemployment.partner_schemas import CONTRIBUTION_RECORDS_MAX
from ansinh.unemployment.payment_selectors import NotAPayer
from ansinh.unemployment.services import contributions, terminations
from ansinh.unemployment.services.contributions import MAX_RECORDS, ContributionReceipt
from tests.dossiers.partner_support import make_partner
from tests.unemployment.test_claims import decided_claim

pytestmark = pytest.mark.django_db

URL = "/api/v1/partner/unemployment/contributions"
TODAY = date(2026, 6, 15)
AN = "040090001234"  # world.person: 24 months at 8,000,000, region I, April 2024 - March 2026
NEW_ID = "001095012345"
RECEIVE = "unemployment.contributions_receive"


@pytest.fixture(autouse=True)
def payer_setting(settings):
    settings.UNEMPLOYMENT_PAYER_PARTNERS = ["bhxh", "bhxh-na:40"]


@pytest.fixture
def english():
    """The messages compared below are the English source; the default language is Vietnamese."""
    with translation.override("en"):
        yield


@pytest.fixture
def agency(db):
    partner, _token, _secret = make_partner(code="bhxh")
    return partner


def record(**overrides):
    return {
        "id_number": AN,
        "month": "2026-04",
        "wage": 9_000_000,
        "region": "I",
        "state_pay_scale": False,
        "employer_name": "Công ty TNHH May Hưng Yên",
        **overrides,
    }


def receipt(created=0, updated=0, unchanged=0, persons_created=0) -> ContributionReceipt:
    return ContributionReceipt(
        created=created, updated=updated, unchanged=unchanged, persons_created=persons_created
    )


def full_batch() -> list[dict]:
    """`MAX_RECORDS` good records: five people not registered yet, 200 months each from January 2009."""
    return [
        record(
            id_number=f"0010950{p:05d}", full_name=f"Người {p}", month=f"{2009 + m // 12}-{m % 12 + 1:02d}"
        )
        for p in range(5)
        for m in range(MAX_RECORDS // 5)
    ]


def audits(action: str = RECEIVE) -> int:
    return AuditEntry.objects.filter(action=action).count()


def fields_of(raised) -> dict[str, list[str]]:
    return raised.value.details["fields"]


# --- the service ----------------------------------------------------------------------------------------


def test_a_batch_creates_corrects_and_sending_it_again_changes_nothing(world, agency, frozen_today):
    frozen_today(TODAY)
    batch = [
        record(month="2026-04"),
        record(month="2026-05", region=" ii ", state_pay_scale=True),
        # Held exactly as sent (the seeded record: no employer): unchanged.
        record(month="2026-03", wage=8_000_000, employer_name=""),
        # A correction of a month held.
        record(month="2026-02", wage=8_500_000, employer_name="  Công ty\tcũ  "),
    ]
    done = contributions.contributions_receive(partner=agency, records=batch)
    assert done == receipt(created=2, updated=1, unchanged=1)

    rows = {
        r.month: r for r in ContributionMonth.objects.filter(person=world.person, month__gte="2026-02-01")
    }
    assert (rows[date(2026, 4, 1)].wage, rows[date(2026, 4, 1)].employer_name) == (
        9_000_000,
        "Công ty TNHH May Hưng Yên",
    )
    may = rows[date(2026, 5, 1)]
    assert (may.region, may.state_pay_scale) == ("II", True)
    assert (rows[date(2026, 2, 1)].wage, rows[date(2026, 2, 1)].employer_name) == (8_500_000, "Công ty cũ")
    march = rows[date(2026, 3, 1)]
    assert (march.wage, march.employer_name) == (8_000_000, "")
    entry = AuditEntry.objects.get(action=RECEIVE)
    assert entry.actor_id is None
    assert entry.changes["partner"] == "bhxh"
    assert (entry.changes["created"], entry.changes["updated"], entry.changes["unchanged"]) == (2, 1, 1)
    assert entry.changes["corrected"] == [
        {
            "id": rows[date(2026, 2, 1)].pk,
            "before": {"wage": 8_000_000, "region": "I", "state_pay_scale": False, "employer_name": ""},
        }
    ]

    # The same batch again: nothing changes, not even the time received, and no audit row.
    received = {r.pk: r.received_at for r in ContributionMonth.objects.all()}
    frozen_today(date(2026, 6, 16))
    assert contributions.contributions_receive(partner=agency, records=batch) == receipt(unchanged=4)
    assert {r.pk: r.received_at for r in ContributionMonth.objects.all()} == received
    assert audits() == 1
    assert ContributionMonth.objects.filter(person=world.person).count() == 26
    # An empty batch does nothing.
    assert contributions.contributions_receive(partner=agency, records=[]) == receipt()


def test_an_unknown_id_number_is_registered_from_the_name_or_refused(world, agency, frozen_today):
    frozen_today(TODAY)
    # Without a name anywhere in the batch: refused, naming each record of that number.
    with pytest.raises(ValidationFailed) as raised:
        contributions.contributions_receive(
            partner=agency, records=[record(id_number=NEW_ID), record(id_number=NEW_ID, month="2026-05")]
        )
    assert set(fields_of(raised)) == {"records.0.full_name", "records.1.full_name"}
    assert not Person.objects.filter(personal_id=NEW_ID).exists()

    # One record with the name registers the person (written with spaces and dots, as typed).
    done = contributions.contributions_receive(
        partner=agency,
        records=[
            record(id_number="001 095.012-345", full_name="  Trần   Thị Bình "),
            record(id_number=NEW_ID, month="2026-05"),
        ],
    )
    assert done == receipt(created=2, persons_created=1)
    person = Person.objects.get(personal_id=NEW_ID)
    assert person.full_name == "Trần Thị Bình"
    assert person.ui_contributions.count() == 2
    assert AuditEntry.objects.filter(action="person.create", object_id=str(person.pk)).count() == 1
    # Registered now: the name may be left out, or given without diacritics and in another case.
    again = contributions.contributions_receive(
        partner=agency, records=[record(id_number=NEW_ID, month="2026-03", full_name="TRAN THI BINH")]
    )
    assert again == receipt(created=1)


def test_a_name_that_does_not_match_refuses_the_batch(world, agency, frozen_today, english):
    frozen_today(TODAY)
    with pytest.raises(ValidationFailed) as raised:
        contributions.contributions_receive(
            partner=agency,
            records=[
                record(month="2026-04"),
                record(month="2026-05", full_name="Lê Văn Cường"),  # not world.person's name
                record(id_number=NEW_ID, full_name="Trần Thị Bình"),
                record(id_number=NEW_ID, month="2026-05", full_name="Trần Thị Hoa"),
            ],
        )
    assert fields_of(raised) == {
        "records.1.full_name": ["The name does not match the person registered with this ID number."],
        "records.3.full_name": ["The name differs from record 2 for the same ID number."],
    }
    # All or nothing: the good record is not written, the new person not registered.
    assert not ContributionMonth.objects.filter(month=date(2026, 4, 1)).exists()
    assert not Person.objects.filter(personal_id=NEW_ID).exists()
    assert audits() == 0


BAD_RECORDS = [
    # (the record's changes, the field named, the message)
    ({"id_number": "04009000123"}, "id_number", "A personal ID number has exactly 12 digits."),
    ({"id_number": "04009000123X"}, "id_number", "A personal ID number has exactly 12 digits."),
    ({"id_number": 40090001234}, "id_number", "A personal ID number has exactly 12 digits."),
    ({"month": "2026-07"}, "month", "This month is in the future."),
    ({"month": "2026-13"}, "month", "Enter the month as YYYY-MM."),
    ({"month": "05/2026"}, "month", "Enter the month as YYYY-MM."),
    ({"month": "2008-12"}, "month", "Unemployment insurance contributions start in January 2009."),
    ({"wage": -1}, "wage", "A wage cannot be negative."),
    ({"wage": "8000000"}, "wage", "Enter a number."),
    ({"wage": True}, "wage", "Enter a number."),
    ({"wage": 10**30}, "wage", "The value is too large."),
    ({"region": "V"}, "region", "The region is I, II, III or IV."),
    ({"region": None}, "region", "The region is I, II, III or IV."),
    ({"state_pay_scale": "yes"}, "state_pay_scale", "This value is not valid."),
    ({"employer_name": "x" * 256}, "employer_name", "Enter at most 255 characters."),
    ({"employer_name": 7}, "employer_name", "Enter text."),
    ({"full_name": "x" * 151}, "full_name", "Enter at most 150 characters."),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_RECORDS)
def test_each_bad_record_names_its_field_and_nothing_is_written(
    world, agency, frozen_today, english, change, field, message
):
    frozen_today(TODAY)
    before = ContributionMonth.objects.count()
    batch = [record(month="2026-04"), record(month="2026-05"), record(month="2026-03"), record(**change)]
    with pytest.raises(ValidationFailed) as raised:
        contributions.contributions_receive(partner=agency, records=batch)
    assert raised.value.code == "validation.invalid"
    assert raised.value.status == 422
    assert fields_of(raised) == {f"records.3.{field}": [message]}
    assert ContributionMonth.objects.count() == before
    assert audits() == 0


def test_duplicates_too_many_and_every_bad_field_at_once(world, agency, frozen_today, english):
    frozen_today(TODAY)
    with pytest.raises(ValidationFailed) as raised:
        contributions.contributions_receive(
            partner=agency,
            records=[
                record(month="2026-04"),
                record(month="2026-05"),
                record(id_number="040 090 001 234", month="2026-04", wage=1),  # the same person and month
                record(wage=-5, region="X", month="2030-01"),
                "not an object",
            ],
        )
    assert fields_of(raised) == {
        "records.2.month": ["This ID number and month are already in record 0."],
        "records.3.month": ["This month is in the future."],
        "records.3.wage": ["A wage cannot be negative."],
        "records.3.region": ["The region is I, II, III or IV."],
        "records.4": ["Send each record as an object."],
    }
    too_many = [*full_batch(), record()]
    with pytest.raises(ValidationFailed) as raised:
        contributions.contributions_receive(partner=agency, records=too_many)
    assert fields_of(raised) == {"records": [f"Send at most {MAX_RECORDS} records at a time."]}
    with pytest.raises(ValidationFailed):
        contributions.contributions_receive(partner=agency, records="2026-04")  # type: ignore[arg-type]
    assert not ContributionMonth.objects.filter(month__gte=date(2026, 4, 1)).exists()
    # A full batch is accepted.
    assert contributions.contributions_receive(partner=agency, records=full_batch()) == receipt(
        created=MAX_RECORDS, persons_created=5
    )


def test_characters_the_database_refuses_are_dropped_from_names(world, agency, frozen_today):
    frozen_today(TODAY)
    contributions.contributions_receive(
        partner=agency,
        records=[
            record(employer_name="Công ty\x00 A\ud800", month="2026-04"),
            record(id_number=NEW_ID, full_name="Trần\x07 Thị Bình"),
        ],
    )
    assert ContributionMonth.objects.get(person=world.person, month=date(2026, 4, 1)).employer_name == (
        "Công ty A"
    )
    assert Person.objects.get(personal_id=NEW_ID).full_name == "Trần Thị Bình"


def test_only_a_payer_partner_may_send(world, frozen_today, settings):
    frozen_today(TODAY)
    portal, _t, _s = make_partner(code="dvcqg")
    with pytest.raises(NotAPayer) as refused:
        contributions.contributions_receive(partner=portal, records=[record()])
    assert (refused.value.code, refused.value.status) == ("unemployment.not_a_payer", 403)
    with translation.override("en"):
        assert str(refused.value.message) == (
            "This partner system does not send unemployment-insurance contributions."
        )
    # A payer of one province only may send too: the record is national.
    local, _t, _s = make_partner(code="bhxh-na")
    assert contributions.contributions_receive(partner=local, records=[record()]).created == 1
    local.is_active = False
    with pytest.raises(NotAPayer):
        contributions.contributions_receive(partner=local, records=[record(month="2026-05")])
    assert not ContributionMonth.objects.filter(month=date(2026, 5, 1)).exists()


def test_a_decided_benefit_is_not_recomputed_from_a_corrected_month(
    world, agency, frozen_today, run_on_commit
):
    claim = decided_claim(world, frozen_today)
    figures = (claim.average_wage, claim.monthly_benefit, claim.contribution_months, claim.benefit_months)
    frozen_today(TODAY)
    corrected = [record(month=f"2025-{m:02d}", wage=20_000_000, employer_name="") for m in range(1, 13)]
    assert contributions.contributions_receive(partner=agency, records=corrected).updated == 12
    claim.refresh_from_db()
    assert (
        claim.average_wage,
        claim.monthly_benefit,
        claim.contribution_months,
        claim.benefit_months,
    ) == figures


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_write_each_month_once(world, agency):
    """Four identical batches at once (threads, each with its own connection), registering a new person
    and creating months: each month and the person exist once; every batch is answered."""
    batch = [
        record(id_number=NEW_ID, full_name="Trần Thị Bình", month=f"2025-{m:02d}") for m in range(1, 13)
    ] + [record(month="2026-04")]
    results: list[ContributionReceipt] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(contributions.contributions_receive(partner=agency, records=batch))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert sorted(r.created for r in results) == [0, 0, 0, 13]
    assert sum(r.persons_created for r in results) == 1
    assert all(r.created + r.unchanged == 13 for r in results)
    assert Person.objects.filter(personal_id=NEW_ID).count() == 1
    assert ContributionMonth.objects.filter(person__personal_id=NEW_ID).count() == 12
    assert audits() == 1


# --- the partner API through HTTP -----------------------------------------------------------------------


def send(client: Client, token: str | None, body, **headers):
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", headers=headers)


def test_the_endpoint_refuses_who_may_not_send(client, world, frozen_today):
    frozen_today(TODAY)
    _agency, token, secret = make_partner(code="bhxh")
    _portal, portal_token, _s = make_partner(code="dvcqg")
    body = {"records": [record()]}
    for response in (send(client, None, body), send(client, "wrong-token", body), send(client, "", body)):
        assert response.status_code == 401
        assert response.json()["code"] == "partner.unauthenticated"
        assert set(response.json()) == {"code", "message", "details"}
    # Another partner: 403 with the stable code, before its body is read (even a malformed one).
    for payload in (body, b"{not json", {"records": "x"}):
        refused = send(client, portal_token, payload)
        assert refused.status_code == 403
        assert refused.json()["code"] == "unemployment.not_a_payer"
    # Signed: the right signature is accepted, a tampered body refused.
    raw = json.dumps(body).encode()
    stamp = str(int(time.time()))
    signed = {"X-Ansinh-Timestamp": stamp, "X-Ansinh-Signature": signature_for(secret, stamp, raw)}
    tampered = send(client, token, raw + b" ", **signed)
    assert tampered.status_code == 401
    assert tampered.json()["details"]["reason"] == "invalid_signature"
    assert not ContributionMonth.objects.filter(month=date(2026, 4, 1)).exists()
    accepted = send(client, token, raw, **signed)
    assert accepted.status_code == 200, accepted.content
    assert accepted.json() == {"created": 1, "updated": 0, "unchanged": 0, "persons_created": 0}


def test_the_endpoint_upserts_and_answers_the_counts(client, world, frozen_today):
    frozen_today(TODAY)
    _agency, token, _secret = make_partner(code="bhxh")
    body = {
        "records": [
            record(month="2026-04"),
            record(month="2026-03", wage=8_100_000),
            # state_pay_scale and employer_name may be left out.
            {"id_number": AN, "month": "2026-02", "wage": 8_000_000, "region": "I"},
            {**record(id_number=NEW_ID, month="2026-05"), "full_name": "Trần Thị Bình"},
        ]
    }
    first = send(client, token, body)
    assert first.status_code == 200, first.content
    assert first.json() == {"created": 2, "updated": 1, "unchanged": 1, "persons_created": 1}
    again = send(client, token, body)
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 4, "persons_created": 0}
    assert audits() == 1


HTTP_BAD = [
    # (the record's changes, the field named): the schema's checks and the service's alike.
    ({"wage": "8000000"}, "records.1.wage"),
    ({"wage": 8_000_000.5}, "records.1.wage"),
    ({"wage": -1}, "records.1.wage"),
    ({"wage": True}, "records.1.wage"),
    ({"region": "V"}, "records.1.region"),
    ({"region": None}, "records.1.region"),
    ({"state_pay_scale": "maybe"}, "records.1.state_pay_scale"),
    ({"id_number": 40090001234}, "records.1.id_number"),
    ({"id_number": "0400900012"}, "records.1.id_number"),
    ({"id_number": "x" * 21}, "records.1.id_number"),
    ({"month": "2026-12"}, "records.1.month"),
    ({"month": "2026-4"}, "records.1.month"),
    ({"month": "2026-04-01"}, "records.1.month"),
    ({"month": "2026-03"}, "records.1.month"),  # the same ID number and month as record 0
    ({"employer_name": "x" * 256}, "records.1.employer_name"),
    ({"full_name": "Lê Văn Cường"}, "records.1.full_name"),
    ({"id_number": NEW_ID}, "records.1.full_name"),  # unknown, no name
]


@pytest.mark.parametrize(("change", "field"), HTTP_BAD)
def test_the_endpoint_names_the_bad_field_and_writes_nothing(client, world, frozen_today, change, field):
    frozen_today(TODAY)
    _agency, token, _secret = make_partner(code="bhxh")
    before = ContributionMonth.objects.count()
    response = send(client, token, {"records": [record(month="2026-03"), record(**change)]})
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["code"] == "validation.invalid"
    assert list(data["details"]["fields"]) == [field]
    assert all(isinstance(m, str) and m for m in data["details"]["fields"][field])
    assert ContributionMonth.objects.count() == before
    assert audits() == 0


def test_the_endpoint_refuses_bad_bodies_without_a_500(client, world, frozen_today):
    frozen_today(TODAY)
    _agency, token, _secret = make_partner(code="bhxh")
    for body, field in (
        ({}, "records"),
        ({"records": None}, "records"),
        ({"records": {"id_number": AN}}, "records"),
        ({"records": [None]}, "records.0.month"),
        ({"records": [{"id_number": AN}]}, "records.0.month"),
    ):
        response = send(client, token, body)
        assert response.status_code == 422, (body, response.content)
        assert field in response.json()["details"]["fields"]
    for raw in (b"{not json", b"[]", b'"records"', b"\xff\xfe"):
        response = send(client, token, raw)
        assert response.status_code in (400, 422), (raw, response.content)
        assert response.json()["code"] in ("validation.invalid", "bad_request")
    response = send(client, token, {"records": [*full_batch(), record()]})
    assert response.status_code == 422
    # In the partner's language by default, Vietnamese.
    assert response.json()["details"]["fields"] == {
        "records": [f"Mỗi lần chỉ được gửi tối đa {MAX_RECORDS} bản ghi."]
    }
    assert not ContributionMonth.objects.filter(month__gte=date(2026, 4, 1)).exists()
    assert not Person.objects.filter(personal_id__startswith="0010950").exists()
    # A lone surrogate (valid JSON, refused by the database) in a name: refused by the schema, not a 500.
    raw = json.dumps({"records": [record(month="2026-03", employer_name="A")]}).replace('"A"', '"A\\ud800"')
    response = send(client, token, raw.encode())
    assert response.status_code == 422, response.content
    assert list(response.json()["details"]["fields"]) == ["records.0.employer_name"]


def month_after(first: date, n: int) -> str:
    return f"{first.year + (first.month - 1 + n) // 12}-{(first.month - 1 + n) % 12 + 1:02d}"


@pytest.mark.parametrize(
    ("people", "months", "stagger"),
    [
        (99, 10, 0),  # a few months of many people: one condition per month
        (1000, 1, 0),  # one month of a thousand people (the monthly batch)
        (160, 6, 1),  # each person's months start a month later: one condition per person, in chunks
    ],
)
def test_a_full_batch_costs_a_bounded_number_of_queries(
    client, world, frozen_today, django_assert_max_num_queries, people, months, stagger
):
    frozen_today(TODAY)
    _agency, token, _secret = make_partner(code="bhxh")
    numbers = [f"0400900{n:05d}" for n in range(2000, 2000 + people)]
    Person.objects.bulk_create(Person(full_name=f"Người {n}", personal_id=n) for n in numbers)
    records = [
        record(id_number=number, month=month_after(date(2012, 1, 1), p * stagger + m), wage=7_000_000 + m)
        for p, number in enumerate(numbers)
        for m in range(months)
    ]
    assert len(records) <= MAX_RECORDS
    # Partner authentication, the people, the months held (one query per 100 conditions), the inserts in
    # batches of 500, the audit row (chain head, entry, head): not one query per record.
    with django_assert_max_num_queries(12):
        response = send(client, token, {"records": records})
    assert response.status_code == 200, response.content
    assert response.json() == {"created": len(records), "updated": 0, "unchanged": 0, "persons_created": 0}
    records[-1]["wage"] = 1
    with django_assert_max_num_queries(12):
        response = send(client, token, {"records": records})
    assert response.json() == {
        "created": 0,
        "updated": 1,
        "unchanged": len(records) - 1,
        "persons_created": 0,
    }
    assert ContributionMonth.objects.filter(person__personal_id__in=numbers).count() == len(records)


def test_a_batch_that_keeps_losing_a_race_answers_409(client, world, frozen_today, monkeypatch):
    frozen_today(TODAY)
    _agency, token, _secret = make_partner(code="bhxh")
    tries: list[int] = []

    def always_beaten(*args, **kwargs):
        tries.append(1)
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(contributions, "_store", always_beaten)
    response = send(client, token, {"records": [record()]})
    assert response.status_code == 409
    assert response.json()["code"] == "unemployment.contributions_busy"
    assert len(tries) == 3


def test_the_openapi_document_shows_the_endpoint_and_its_limit(client):
    spec = client.get("/api/v1/openapi.json").json()
    operation = spec["paths"][URL]["post"]
    assert "unemployment.not_a_payer" in operation["description"]
    schemas = spec["components"]["schemas"]
    assert schemas["ContributionsIn"]["properties"]["records"]["maxItems"] == MAX_RECORDS
    assert CONTRIBUTION_RECORDS_MAX == MAX_RECORDS
    assert set(schemas["ContributionsOut"]["properties"]) == {
        "created",
        "updated",
        "unchanged",
        "persons_created",
    }


# --- the new jobs the data show -------------------------------------------------------------------------


def test_a_month_after_the_benefit_began_shows_a_new_job_to_the_centre(
    world, agency, frozen_today, run_on_commit
):
    claim = decided_claim(world, frozen_today)
    start, end = claim.start_date, claim.end_date
    assert claim.termination_date == date(2026, 3, 31)
    assert start.month == 4
    frozen_today(TODAY)
    assert contribution_selectors.new_jobs_reported(claim) == []
    assert list(contribution_selectors.claims_with_new_job_for(world.officer)) == []

    contributions.contributions_receive(
        partner=agency,
        records=[
            # The last month of the job the benefit follows from: not a new job.
            record(month="2026-03", wage=8_000_000, employer_name="Công ty cũ"),
            record(month="2026-05", employer_name="Công ty Mới"),
            record(month="2026-06", employer_name="Công ty Mới"),
        ],
    )
    [report] = contribution_selectors.new_jobs_reported(claim)
    assert report.employer_name == "Công ty Mới"
    assert (report.from_month, report.to_month, report.months) == (date(2026, 5, 1), date(2026, 6, 1), 2)
    assert report.suggested_on == date(2026, 5, 1)
    assert report.received_at is not None

    # The centre's list, in scope: the centre and the provincial department see it, another province not.
    [flagged] = contribution_selectors.claims_with_new_job_for(world.officer)
    assert (flagged.pk, flagged.new_job_from) == (claim.pk, date(2026, 5, 1))
    assert [c.pk for c in contribution_selectors.claims_with_new_job_for(world.decider)] == [claim.pk]
    assert list(contribution_selectors.claims_with_new_job_for(world.outsider_officer)) == []
    annotated = contribution_selectors.with_new_job_reported(BenefitClaim.objects.filter(pk=claim.pk)).get()
    assert annotated.new_job_from == date(2026, 5, 1)

    # Nothing was terminated: the centre does it, with the ground the data give.
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAYING
    terminations.claim_terminate(
        actor=world.officer, claim_id=claim.pk, ground="new_job", on=report.suggested_on
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.TERMINATED
    assert contribution_selectors.new_jobs_reported(claim) == []
    assert list(contribution_selectors.claims_with_new_job_for(world.officer)) == []
    assert selectors.current_claim_of(world.person.pk) is None
    assert end >= date(2026, 6, 1)


def test_a_new_job_in_the_month_the_benefit_began_is_shown_and_one_after_it_ended_is_not(
    world, agency, frozen_today, run_on_commit
):
    claim = decided_claim(world, frozen_today)
    frozen_today(date(2026, 12, 10))
    after_end = claim.end_date.replace(day=1)
    after_end = date(after_end.year + (after_end.month == 12), after_end.month % 12 + 1, 1)
    contributions.contributions_receive(
        partner=agency,
        records=[
            record(month="2026-04", employer_name="Công ty A"),
            record(month=f"{after_end:%Y-%m}", employer_name="Công ty B"),
        ],
    )
    reports = contribution_selectors.new_jobs_reported(claim, today=date(2026, 12, 10))
    assert [(r.employer_name, r.from_month) for r in reports] == [("Công ty A", date(2026, 4, 1))]
    # The benefit began during April: the termination is offered from its first day, not before.
    assert reports[0].suggested_on == claim.start_date
    # Suspended: still shown; finished or cancelled: not.
    BenefitClaim.objects.filter(pk=claim.pk).update(status=ClaimStatus.SUSPENDED)
    claim.refresh_from_db()
    assert len(contribution_selectors.new_jobs_reported(claim)) == 1
    for status in (ClaimStatus.FINISHED, ClaimStatus.CANCELLED, ClaimStatus.TRANSFERRING):
        BenefitClaim.objects.filter(pk=claim.pk).update(status=status)
        claim.refresh_from_db()
        assert contribution_selectors.new_jobs_reported(claim) == []
        annotated = contribution_selectors.with_new_job_reported(
            BenefitClaim.objects.filter(pk=claim.pk)
        ).get()
        assert annotated.new_job_from is None
