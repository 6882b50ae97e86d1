"""The card pages: the citizen's card (get it, see it with its QR, lost, PDF), the service point's scan and
pay (a double click records once, a second service point is refused), the officer's page."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.welfare.card_signing import card_qr_verify
from ansinh.welfare.models import BenefitPayment, CardStatus, SocialSecurityCard
from tests.welfare.card_world import build_card_world, give_allowance

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = build_card_world()
    give_allowance(world)
    return world


def _sign_in(client, user, *, staff=False):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user, backend="ansinh.accounts.backends.LockoutAwareBackend")
    if staff:
        session = client.session
        session[SESSION_2FA_KEY] = True
        session.save()
    return client


def _qr_of(page) -> str:
    return re.search(r'data-qr="([^"]+)"', page.content.decode()).group(1)


def test_citizen_gets_and_sees_the_card(client, world, django_assert_max_num_queries):
    _sign_in(client, world.lan_user)
    page = client.get(reverse("welfare_card:home"))
    assert page.status_code == 200
    assert "Get my card" in page.content.decode()
    response = client.post(reverse("welfare_card:get"))
    assert response.status_code == 302
    with django_assert_max_num_queries(20):
        page = client.get(reverse("welfare_card:home"))
    text = page.content.decode()
    card = SocialSecurityCard.objects.get(person=world.lan)
    assert "<svg" in text
    assert card_qr_verify(_qr_of(page)).number == card.number
    assert 'id="qr-text"' in text
    assert "Social allowance, month" in text
    assert "810.000" in text  # 540,000 × 1.5
    pdf = client.get(reverse("welfare_card:pdf"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_citizen_reports_the_card_lost(client, world):
    _sign_in(client, world.lan_user)
    client.post(reverse("welfare_card:get"))
    response = client.post(reverse("welfare_card:lost"), {"reason": "lost"}, follow=True)
    assert "Your old card no longer works" in response.content.decode()
    assert list(SocialSecurityCard.objects.filter(person=world.lan).values_list("issue", "status")) == [
        (2, CardStatus.ACTIVE),
        (1, CardStatus.REVOKED),
    ]


def test_a_service_point_scans_pays_once_and_the_next_is_refused(client, world):
    from django.test import Client

    citizen = _sign_in(Client(), world.lan_user)
    citizen.post(reverse("welfare_card:get"))
    qr = _qr_of(citizen.get(reverse("welfare_card:home")))

    cashier = _sign_in(client, world.cashier_b, staff=True)
    assert "autofocus" in cashier.get(reverse("welfare_card:scan")).content.decode()
    page = cashier.post(reverse("welfare_card:scan"), {"qr": qr})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Nguyễn Thị Lan" in text
    assert "…2345" in text
    forms = re.findall(
        r'name="item" value="([^"]+)">\s*<input type="hidden" name="request_key" value="([^"]+)"', text
    )
    assert len(forms) == 3
    item, key = forms[0]
    paid = cashier.post(reverse("welfare_card:pay"), {"qr": qr, "item": item, "request_key": key})
    assert paid.status_code == 302
    assert "/receipts/" in paid["Location"]
    # A double click: the same request key again shows the same receipt.
    again = cashier.post(reverse("welfare_card:pay"), {"qr": qr, "item": item, "request_key": key})
    assert again["Location"] == paid["Location"]
    receipt = cashier.get(paid["Location"])
    assert "Payment recorded" in receipt.content.decode()
    assert BenefitPayment.objects.count() == 1

    other = _sign_in(Client(), world.cashier_a, staff=True)
    refused = other.post(
        reverse("welfare_card:pay"), {"qr": qr, "item": item, "request_key": "another-key-1"}
    )
    assert refused.status_code == 409
    assert "was already paid" in refused.content.decode()
    assert "Bưu điện Trung tâm B" in refused.content.decode()
    assert BenefitPayment.objects.count() == 1


def test_a_forged_card_is_refused_on_the_page(client, world):
    _sign_in(client, world.cashier_a, staff=True)
    page = client.post(
        reverse("welfare_card:scan"), {"qr": "ASC1.123456789012.1.NTL.20260101.AAAAAAAA." + "A" * 103}
    )
    assert page.status_code == 422
    # The refusal itself (the page also carries the sentence for its in-browser check, in a data attribute).
    refusal = page.content.decode().split('<p class="error" role="alert">')[1].split("</p>")[0]
    assert "not a genuine social-security card" in refusal


def test_the_officer_finds_a_person_and_reissues(client, world):
    _sign_in(client, world.commune_officer, staff=True)
    found = client.get(reverse("welfare_card:manage"), {"q": world.lan.personal_id})
    assert world.lan.full_name in found.content.decode()
    client.post(reverse("welfare_card:manage_issue", args=[world.lan.pk]))
    card = SocialSecurityCard.objects.get(person=world.lan)
    page = client.get(reverse("welfare_card:manage_person", args=[world.lan.pk]))
    assert "Revoke and issue a new card" in page.content.decode()
    client.post(
        reverse("welfare_card:manage_revoke", args=[world.lan.pk, card.pk]),
        {"reason": "damaged", "then": "reissue"},
    )
    assert SocialSecurityCard.objects.get(person=world.lan, status="active").issue == 2
