"""The demo's social-security services (`ansinh.web.demo.welfare`): the commune of the demo citizen's ward
with its officer and chairman, a clinic per demo province, service points in several provinces with their
cashiers, pensioners (source "demo"), allowances decided through the dossier engine, cards and payments; the
second accounts sign in with what the accounts page publishes, and a cashier of another province pays the
documented pensioner's month once."""

from datetime import date
from typing import Any

import pyotp
import pytest
from django.core.cache import cache

from ansinh.accounts.models import Organisation, OrganisationKind, Person, TotpDevice, User
from ansinh.accounts.selectors import needs_two_factor
from ansinh.core.audit import verify_chain
from ansinh.dossiers.models import Dossier
from ansinh.web.demo import builder
from ansinh.web.demo.report import accounts_markdown
from ansinh.web.demo.welfare import CASHIER2_USERNAME, PENSIONER_USERNAME, SECOND_ACCOUNTS
from ansinh.welfare.card_errors import AlreadyPaid
from ansinh.welfare.models import (
    BenefitKind,
    BenefitPayment,
    Pension,
    PensionArrangement,
    SocialAllowance,
    SocialSecurityCard,
)
from ansinh.welfare.procedures import ALLOWANCE_APPLICATION
from ansinh.welfare.services import card_payments

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 27)


@pytest.fixture
def loaded(reference_data):
    return builder.load(today=TODAY)


def test_the_demo_holds_the_social_security_bodies_and_their_accounts(loaded):
    citizen = Person.objects.get(user__username="demo.citizen")
    commune = Organisation.objects.get(kind=OrganisationKind.COMMUNE, ward=citizen.ward)
    assert commune.province_id == citizen.province_id
    for username, role in (("demo.commune", "commune_officer"), ("demo.chair", "commune_chair")):
        membership = User.objects.get(username=username).memberships.get()
        assert (membership.organisation, membership.role.code) == (commune, role)
    clinics = Organisation.objects.filter(kind=OrganisationKind.CLINIC)
    assert set(clinics.values_list("province__name", flat=True)) == set(loaded.provinces)
    clinic = User.objects.get(username="demo.clinic").memberships.get().organisation
    assert clinic.kind == OrganisationKind.CLINIC
    assert clinic.province_id == citizen.province_id
    points = Organisation.objects.filter(kind=OrganisationKind.SERVICE_POINT)
    assert points.values("province").distinct().count() >= 2
    assert all("điểm chi trả" in name for name in points.values_list("name", flat=True))
    first = User.objects.get(username="demo.cashier").memberships.get().organisation
    second = User.objects.get(username=CASHIER2_USERNAME).memberships.get().organisation
    assert first.kind == second.kind == OrganisationKind.SERVICE_POINT
    assert first.province_id == citizen.province_id != second.province_id


def test_second_accounts_sign_in_as_published(loaded, api_client):
    accounts = {a.username: a for a in loaded.second_accounts}
    assert set(accounts) == {username for username, _r, _o in SECOND_ACCOUNTS}
    page = accounts_markdown(loaded)
    for username, account in accounts.items():
        cache.clear()
        user = User.objects.get(username=username)
        assert user.person is not None
        assert user.must_change_password is False
        row = next(line for line in page.splitlines() if line.startswith(f"| `{username}` |"))
        assert f"`{account.password}`" in row
        otp = {}
        if needs_two_factor(user):
            assert account.totp_secret
            assert f"`{account.totp_secret}`" in row
            otp = {"otp": pyotp.TOTP(account.totp_secret).now()}
        else:
            assert not account.totp_secret
            assert not TotpDevice.objects.filter(user=user).exists()
        assert api_client.login(username, account.password, **otp)["must_change_password"] is False
    assert accounts[PENSIONER_USERNAME].role_code == "citizen"
    assert accounts[CASHIER2_USERNAME].totp_secret  # a cashier records payments: a second factor


def test_pensions_allowances_cards_and_payments(loaded):
    pensions = Pension.objects.all()
    assert pensions.count() == loaded.welfare.pensions >= 2
    assert set(pensions.values_list("source", flat=True)) == {"demo"}
    assert PensionArrangement.objects.filter(pension__in=pensions).count() == pensions.count()
    assert PensionArrangement.objects.values("method").distinct().count() == 3
    # The allowances were decided by the commune chairman on the engine's dossiers.
    allowances = SocialAllowance.objects.select_related("dossier", "commune")
    assert allowances.count() == loaded.welfare.allowances >= 2
    chair = User.objects.get(username="demo.chair")
    for allowance in allowances:
        assert allowance.dossier.procedure_code == ALLOWANCE_APPLICATION
        assert allowance.dossier.state == "approved"
        assert allowance.decided_by == chair
        assert allowance.commune.ward_id == allowance.person.ward_id
    assert Dossier.objects.filter(procedure_code=ALLOWANCE_APPLICATION).count() == allowances.count()
    assert SocialSecurityCard.objects.count() == loaded.welfare.cards == allowances.count() + 1
    assert BenefitPayment.objects.count() == loaded.welfare.payments
    assert not BenefitPayment.objects.filter(period__gte=TODAY.replace(day=1)).exists()
    assert verify_chain().ok


def test_a_cashier_of_another_province_pays_the_pensioners_month_once(loaded, monkeypatch):
    from django.utils import timezone

    from ansinh.web.demo.welfare import _qr

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    pensioner = Person.objects.get(user__username=PENSIONER_USERNAME)
    card = SocialSecurityCard.objects.select_related("person").get(person=pensioner)
    cashier = User.objects.get(username=CASHIER2_USERNAME)
    scan = card_payments.card_scan(actor=cashier, qr=_qr(card))
    assert [(d.kind, d.period) for d in scan.due] == [(BenefitKind.PENSION, TODAY.replace(day=1))]
    item = scan.due[0]
    payment, created = card_payments.payment_record(
        actor=cashier, qr=_qr(card), kind=item.kind, benefit_id=item.benefit_id, period=item.period,
        request_key="test-second-province-1",
    )  # fmt: skip
    assert created
    assert payment.province_id != pensioner.province_id
    with pytest.raises(AlreadyPaid):
        card_payments.payment_record(
            actor=User.objects.get(username="demo.cashier"), qr=_qr(card), kind=item.kind,
            benefit_id=item.benefit_id, period=item.period, request_key="test-second-province-2",
        )  # fmt: skip


def test_same_seed_same_welfare_story(reference_data):
    """Two loads with the same seed and day make the same pensions and allowances (ids aside)."""
    from django.db import transaction

    class Rollback(Exception):
        pass

    def story() -> tuple[list[Any], list[Any]]:
        try:
            with transaction.atomic():
                builder.load(today=TODAY)
                pensions = list(
                    Pension.objects.order_by("social_insurance_code").values_list(
                        "social_insurance_code",
                        "person__personal_id",
                        "monthly_amount",
                        "arrangements__method",
                    )
                )
                allowances = list(
                    SocialAllowance.objects.order_by("person__personal_id").values_list(
                        "person__personal_id", "group", "monthly_amount", "starts_on"
                    )
                )
                raise Rollback
        except Rollback:
            pass
        return pensions, allowances

    assert story() == story()
