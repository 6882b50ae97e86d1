"""The pensioner's page: the pension, how it is paid now and from when a change applies, the calendar,
the change form (each method's fields, errors beside their fields, the service points of a province), the
history; and the plain message when the person has no pension."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from ansinh.welfare import pension_calendar
from ansinh.welfare.models import PensionArrangement
from tests.factories import PersonFactory, ProvinceFactory, UserFactory
from tests.welfare.pension_world import make_pensioner, make_service_point

pytestmark = pytest.mark.django_db

HOME = "/social/pension/"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def hanoi(db):
    return ProvinceFactory(code="H1", name="Hà Nội")


@pytest.fixture
def lan(hanoi):
    return make_pensioner(province=hanoi, service_point=make_service_point(hanoi, name="Bưu điện Hàng Bông"))


def test_url_names():
    assert reverse("welfare_pension:home") == HOME
    assert reverse("welfare_pension:change", args=[7]) == "/social/pension/7/arrangement/"


def test_sign_in_first(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_no_pension_says_so_and_where_the_data_comes_from(english):
    english.force_login(UserFactory(person=PersonFactory()))
    page = english.get(HOME).content.decode()
    assert "No pension is recorded for you here." in page
    assert "social-insurance agency" in page
    assert 'id="change-form"' not in page


def test_the_pension_page(english, lan):
    english.force_login(lan.user)
    response = english.get(HOME)
    assert response.status_code == 200
    page = response.content.decode()
    assert "6.500.000\u00a0đ" in page
    assert 'id="in-force" data-method="post_office"' in page
    assert "Bưu điện Hàng Bông" in page
    month = pension_calendar.month_start(timezone.localdate())
    assert f'data-period="{month:%Y-%m}"' in page
    applies = pension_calendar.arrangement_takes_effect(timezone.localdate())
    assert date_format(applies, "m/Y") in page
    for fieldset in ("bank-fields", "post-office-fields", "home-delivery-fields"):
        assert f'id="{fieldset}"' in page
    assert f'data-arrangement="{lan.arrangement.pk}"' in page
    assert '<label for="id_bank_account">' in page


def test_change_to_home_delivery(english, lan, hanoi):
    english.force_login(lan.user)
    response = english.post(
        reverse("welfare_pension:change", args=[lan.pension.pk]),
        {
            "method": "home_delivery",
            "province_id": hanoi.pk,
            "delivery_address": "12 Hàng Bông, Hoàn Kiếm",
            "delivery_reason": "I am 86 and cannot walk far",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{HOME}?pension={lan.pension.pk}"
    row = PensionArrangement.objects.latest("id")
    assert row.method == "home_delivery"
    assert row.created_by == lan.user
    page = english.get(response["Location"]).content.decode()
    assert "Your choice is saved." in page
    assert 'id="coming" data-method="home_delivery"' in page


def test_errors_are_shown_beside_their_fields(english, lan, hanoi):
    english.force_login(lan.user)
    response = english.post(
        reverse("welfare_pension:change", args=[lan.pension.pk]),
        {"method": "bank", "province_id": hanoi.pk, "bank_name": "Agribank", "bank_account": "12"},
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_bank_account_error"' in page
    assert "6 to 19 digits" in page
    assert 'id="id_account_holder_error"' in page
    assert PensionArrangement.objects.count() == 1


def test_service_points_of_another_province(english, lan):
    vinh = ProvinceFactory(code="N2", name="Nghệ An")
    make_service_point(vinh, name="Bưu điện Vinh")
    english.force_login(lan.user)
    page = english.get(HOME, {"pension": lan.pension.pk, "province": vinh.pk}).content.decode()
    form = page.split('id="change-form"')[1].split('id="history"')[0]
    assert "Bưu điện Vinh" in form
    assert "Bưu điện Hàng Bông" not in form


def test_another_persons_pension_cannot_be_changed(english, lan, hanoi):
    stranger = UserFactory(person=PersonFactory())
    english.force_login(stranger)
    response = english.post(
        reverse("welfare_pension:change", args=[lan.pension.pk]),
        {"method": "home_delivery", "province_id": hanoi.pk, "delivery_address": "x", "delivery_reason": "y"},
    )
    assert response.status_code == 404
    assert PensionArrangement.objects.count() == 1
