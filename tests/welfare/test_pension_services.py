"""The pension services on a real database: the agency's batch (upsert, idempotent, all or nothing, people
registered, the agency check and its provinces), the pensioner's change of arrangement (each method's
checks, when it applies, a move of province, notification and audit), and the agency's acknowledgement."""

from datetime import date

import pytest
from django.utils import timezone

from ansinh.accounts.models import Person
from ansinh.core.errors import ValidationFailed
from ansinh.core.models import AuditEntry
from ansinh.notify.models import Message
from ansinh.welfare import pension_calendar, pension_messages, pension_selectors
from ansinh.welfare.models import Pension, PensionArrangement, PensionStatus
from ansinh.welfare.pension_errors import (
    ArrangementUnchanged,
    NoSuchPension,
    NotThePensionAgency,
    PensionEnded,
)
from ansinh.welfare.services import pensions
from tests.dossiers.partner_support import make_partner
from tests.factories import PersonFactory, ProvinceFactory, UserFactory
from tests.welfare.pension_world import make_pensioner, make_service_point

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def agency_setting(settings):
    settings.UNEMPLOYMENT_PAYER_PARTNERS = ["bhxh", "bhxh-hn:H1"]


@pytest.fixture
def provinces(db):
    return ProvinceFactory(code="H1", name="Hà Nội"), ProvinceFactory(code="N2", name="Nghệ An")


@pytest.fixture
def agency(db):
    return make_partner(code="bhxh")[0]


def record(**overrides):
    return {
        "social_insurance_code": "0105501234",
        "id_number": "001055012345",
        "full_name": "Trần Thị Lan",
        "pension_kind": "retirement",
        "monthly_amount": 6_500_000,
        "starts_on": "2015-03-01",
        "status": "active",
        "province_code": "H1",
        "method": "bank",
        "bank_name": "Agribank",
        "bank_account": "1500 2051 23456",
        "account_holder": "TRAN THI LAN",
        **overrides,
    }


# --- the agency's batch --------------------------------------------------------------------------------


def test_first_receipt_registers_the_person_pension_and_first_arrangement(
    agency, provinces, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        done = pensions.pensions_receive(partner=agency, records=[record()])
    assert done == pensions.PensionReceipt(created=1, updated=0, unchanged=0, persons_created=1)
    pension = Pension.objects.get(social_insurance_code="0105501234")
    assert pension.person.personal_id == "001055012345"
    assert pension.partner == agency
    (first,) = pension.arrangements.all()
    assert (first.method, first.bank_account, first.valid_from) == (
        "bank",
        "150020512345 6".replace(" ", ""),
        date(2015, 3, 1),
    )
    assert first.acknowledged_at is not None  # the agency's own data: nothing for it to apply
    assert Message.objects.filter(
        recipient_person=pension.person, template=pension_messages.PENSION_RECEIVED
    ).exists()
    assert AuditEntry.objects.filter(action="welfare.pensions_receive").count() == 1


def test_sending_again_changes_nothing_and_a_correction_updates(agency, provinces):
    pensions.pensions_receive(partner=agency, records=[record()])
    again = pensions.pensions_receive(partner=agency, records=[record()])
    assert again == pensions.PensionReceipt(created=0, updated=0, unchanged=1, persons_created=0)
    assert AuditEntry.objects.filter(action="welfare.pensions_receive").count() == 1
    fixed = pensions.pensions_receive(
        partner=agency, records=[record(monthly_amount=6_800_000, method="post_office", province_code="N2")]
    )
    assert fixed.updated == 1
    pension = Pension.objects.get()
    assert pension.monthly_amount == 6_800_000
    # The arrangement is the pensioner's after the first receipt: the batch does not touch it.
    assert pension.province.code == "H1"
    assert pension.arrangements.count() == 1


def test_a_bad_batch_names_every_bad_field_and_writes_nothing(agency, provinces):
    bad = [
        record(),
        record(
            social_insurance_code="12AB",
            id_number="123",
            monthly_amount=-5,
            starts_on="2015-13-01",
            province_code="ZZ",
        ),
        record(social_insurance_code="0105501234", id_number="001055099999"),
        record(social_insurance_code="0200000001", method="bank", bank_account="12"),
        record(social_insurance_code="0200000002", method="home_delivery", delivery_address=""),
        record(social_insurance_code="0200000003", method="cheque", pension_kind="lottery", status="x"),
    ]
    with pytest.raises(ValidationFailed) as caught:
        pensions.pensions_receive(partner=agency, records=bad)
    fields = caught.value.details["fields"]
    assert set(fields) == {
        "records.1.social_insurance_code",
        "records.1.id_number",
        "records.1.monthly_amount",
        "records.1.starts_on",
        "records.1.province_code",
        "records.2.social_insurance_code",
        "records.3.bank_account",
        "records.4.delivery_address",
        "records.5.method",
        "records.5.pension_kind",
        "records.5.status",
    }
    assert not Pension.objects.exists()
    assert not Person.objects.exists()


def test_a_name_that_does_not_match_the_registered_person_is_refused(agency, provinces):
    PersonFactory(full_name="Lê Văn Hùng", personal_id="001055012345")
    with pytest.raises(ValidationFailed) as caught:
        pensions.pensions_receive(partner=agency, records=[record()])
    assert "records.0.full_name" in caught.value.details["fields"]
    assert not Pension.objects.exists()


def test_a_code_of_another_person_is_refused(agency, provinces):
    pensions.pensions_receive(partner=agency, records=[record()])
    with pytest.raises(ValidationFailed) as caught:
        pensions.pensions_receive(
            partner=agency, records=[record(id_number="001060054321", full_name="Phạm Văn Minh")]
        )
    assert "records.0.id_number" in caught.value.details["fields"]
    assert not Person.objects.filter(personal_id="001060054321").exists()


def test_only_the_agency_sends_and_a_provincial_agency_only_its_province(provinces):
    portal = make_partner(code="dvcqg")[0]
    with pytest.raises(NotThePensionAgency):
        pensions.pensions_receive(partner=portal, records=[record()])
    hanoi = make_partner(code="bhxh-hn")[0]
    assert pensions.pensions_receive(partner=hanoi, records=[record()]).created == 1
    with pytest.raises(ValidationFailed) as caught:
        pensions.pensions_receive(
            partner=hanoi,
            records=[
                record(social_insurance_code="0200000009", id_number="040060011111", province_code="N2")
            ],
        )
    assert "records.0.province_code" in caught.value.details["fields"]


# --- the pensioner changes the arrangement ------------------------------------------------------------


@pytest.fixture
def lan(provinces):
    hanoi, _nghe_an = provinces
    return make_pensioner(province=hanoi, service_point=make_service_point(hanoi))


def change(pensioner, **overrides):
    arguments = {
        "method": "bank",
        "province_id": pensioner.pension.province_id,
        "bank_name": "Vietcombank",
        "bank_account": "0011-0023-45678",
        "account_holder": "tran thi lan",
        **overrides,
    }
    return pensions.arrangement_change(actor=pensioner.user, pension_id=pensioner.pension.pk, **arguments)


def test_a_bank_account_in_the_pensioners_name_applies_from_the_calendar_month(
    lan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = change(lan)
    expected = pension_calendar.arrangement_takes_effect(timezone.localdate())
    assert (row.method, row.bank_account, row.valid_from, row.acknowledged_at) == (
        "bank",
        "001100234567 8".replace(" ", ""),
        expected,
        None,
    )
    assert row.created_by == lan.user
    # This month is still paid the old way; the new way from its month.
    this_month = pension_calendar.month_start(timezone.localdate())
    assert pension_selectors.arrangement_in_force(lan.pension, this_month) == lan.arrangement
    assert pension_selectors.arrangement_in_force(lan.pension, expected) == row
    assert Message.objects.filter(
        recipient_person=lan.person, template=pension_messages.ARRANGEMENT_CHANGED
    ).exists()
    entry = AuditEntry.objects.get(action="welfare.pension_arrangement_change")
    assert entry.changes["bank_account_end"] == "5678"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"bank_account": "12345"}, "bank_account"),
        ({"bank_account": "12345678901234567890"}, "bank_account"),
        ({"bank_account": "12AB5678"}, "bank_account"),
        ({"account_holder": "Nguyễn Văn Khác"}, "account_holder"),
        ({"account_holder": ""}, "account_holder"),
        ({"bank_name": ""}, "bank_name"),
        ({"method": "post_office", "service_point_id": None}, "service_point_id"),
        (
            {"method": "home_delivery", "delivery_address": "12 Hàng Bông", "delivery_reason": ""},
            "delivery_reason",
        ),
        (
            {"method": "home_delivery", "delivery_address": "", "delivery_reason": "Bedridden"},
            "delivery_address",
        ),
        ({"method": "cheque"}, "method"),
        ({"province_id": None}, "province_id"),
    ],
)
def test_each_method_needs_its_fields(lan, overrides, field):
    before = PensionArrangement.objects.count()
    with pytest.raises(ValidationFailed) as caught:
        change(lan, **overrides)
    assert field in caught.value.details["fields"]
    assert PensionArrangement.objects.count() == before


def test_a_service_point_must_be_active_and_in_the_chosen_province(lan, provinces):
    _hanoi, nghe_an = provinces
    vinh = make_service_point(nghe_an, name="Bưu điện Vinh")
    closed = make_service_point(nghe_an, name="Điểm đã đóng", is_active=False)
    for point in (vinh, closed):
        with pytest.raises(ValidationFailed) as caught:
            change(lan, method="post_office", service_point_id=point.pk)  # Hà Nội chosen
        assert "service_point_id" in caught.value.details["fields"]
    with pytest.raises(ValidationFailed):
        change(lan, method="post_office", province_id=nghe_an.pk, service_point_id=closed.pk)


def test_moving_province_updates_the_pension_for_the_new_agency(lan, provinces):
    _hanoi, nghe_an = provinces
    vinh = make_service_point(nghe_an, name="Bưu điện Vinh")
    row = change(lan, method="post_office", province_id=nghe_an.pk, service_point_id=vinh.pk)
    lan.pension.refresh_from_db()
    assert lan.pension.province == nghe_an
    assert row.service_point == vinh
    assert row.bank_account == ""
    assert row.account_holder == ""
    entry = AuditEntry.objects.get(action="welfare.pension_arrangement_change")
    assert entry.changes["moved_from"] == "H1"


def test_home_delivery_with_address_and_reason(lan):
    row = change(
        lan, method="home_delivery", delivery_address="12 Hàng Bông, Hoàn Kiếm", delivery_reason="Aged 85"
    )
    assert (row.method, row.delivery_reason, row.bank_name) == ("home_delivery", "Aged 85", "")


def test_the_same_arrangement_twice_is_refused(lan):
    change(lan)
    with pytest.raises(ArrangementUnchanged):
        change(lan)
    assert lan.pension.arrangements.count() == 2


def test_only_ones_own_pension_and_not_an_ended_one(lan, provinces):
    stranger = UserFactory(person=PersonFactory())
    with pytest.raises(NoSuchPension):
        pensions.arrangement_change(
            actor=stranger, pension_id=lan.pension.pk, method="home_delivery", province_id=provinces[0].pk,
            delivery_address="x", delivery_reason="y",
        )  # fmt: skip
    Pension.objects.filter(pk=lan.pension.pk).update(status=PensionStatus.ENDED)
    with pytest.raises(PensionEnded):
        change(lan)


# --- the agency acknowledges ------------------------------------------------------------------------------


def test_acknowledge_is_idempotent_and_scoped(lan, provinces, agency):
    row = change(lan)
    rows, _next = pension_selectors.arrangements_for_partner(agency)
    assert rows == [row]
    done = pensions.arrangements_acknowledge(partner=agency, ids=[row.pk, 999_999])
    assert done == pensions.AcknowledgeReceipt(acknowledged=1, already=0, not_found=[999_999])
    assert pensions.arrangements_acknowledge(partner=agency, ids=[row.pk]).already == 1
    assert pension_selectors.arrangements_for_partner(agency)[0] == []
    assert AuditEntry.objects.filter(action="welfare.pension_arrangements_acknowledge").count() == 1
    _hanoi, nghe_an = provinces
    moved = change(
        lan, method="home_delivery", province_id=nghe_an.pk, delivery_address="Vinh", delivery_reason="ill"
    )
    hanoi_agency = make_partner(code="bhxh-hn")[0]
    assert pension_selectors.arrangements_for_partner(hanoi_agency)[0] == []
    assert pensions.arrangements_acknowledge(partner=hanoi_agency, ids=[moved.pk]).not_found == [moved.pk]


def test_the_arrangement_in_force_is_the_latest_started(lan):
    later = PensionArrangement.objects.create(
        pension=lan.pension, method="bank", province=lan.pension.province, valid_from=date(2020, 1, 1),
        bank_account="123456", bank_name="B", account_holder="x",
    )  # fmt: skip
    assert pension_selectors.arrangement_in_force(lan.pension, date(2019, 12, 1)) == lan.arrangement
    assert pension_selectors.arrangement_in_force(lan.pension, date(2020, 1, 1)) == later
    assert pension_selectors.arrangement_in_force(lan.pension, date(2015, 2, 1)) is None
