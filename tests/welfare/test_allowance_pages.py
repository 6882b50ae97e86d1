"""The allowance pages: the public page with the amounts and the calculator, the citizen's allowance with
its schedule and change reports, and the commune's pages."""

from datetime import date

import pytest
from django.conf import settings
from django.utils import timezone

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.welfare.models import AllowanceChange, AllowanceStatus, BenefitKind, BenefitPayment, ChangeStatus
from ansinh.welfare.services import allowance_changes
from tests.welfare.allowance_world import allowance_world, approved_allowance

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return allowance_world()


def sign_in(client, user, *, second_factor=False):
    client.force_login(user, backend="ansinh.accounts.backends.LockoutAwareBackend")
    if second_factor:
        session = client.session
        session[SESSION_2FA_KEY] = True
        session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_public_page_shows_the_amounts_in_force_and_computes(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/social/allowance/").content.decode()
    assert "Groups and amounts in force" in page
    assert 'data-group="disability_severe"' in page
    assert "Decree 20/2021/NĐ-CP Art 5.6" in page
    assert 'data-group="elderly_80"' not in page  # moved to the social pension in 2025
    response = client.get(
        "/social/allowance/", {"groups": ["disability_severe", "elderly_poor"], "birth_date": "1950-01-01"}
    )
    page = response.content.decode()
    assert 'id="estimate"' in page
    assert "× coefficient 2" in page  # an older person with a severe disability
    if timezone.localdate() >= date(2026, 7, 1):
        assert "unconfirmed figure" in page


def test_the_calculator_names_the_field_when_the_group_does_not_apply(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/social/allowance/", {"groups": ["elderly_poor"], "birth_date": "1990-01-01"})
    text = page.content.decode()
    assert 'id="estimate"' not in text
    assert "this group does not apply" in text
    page = client.get("/social/allowance/", {"groups": ["nope"]}).content.decode()
    assert "field--error" in page


def test_my_allowance_with_explanation_schedule_and_decision(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        allowance = approved_allowance(world)
    BenefitPayment.objects.create(
        person=world.person,
        kind=BenefitKind.SOCIAL_ALLOWANCE,
        benefit_id=allowance.pk,
        period=allowance.starts_on,
        amount=allowance.monthly_amount,
        service_point=world.commune,
        org_path=world.commune.path,
        province=world.province,
        recorded_by=world.officer,
        receipt_number="BL-TEST-1",
    )
    page = sign_in(client, world.citizen).get("/social/allowance/").content.decode()
    assert 'id="my-allowance"' in page
    assert 'data-status="active"' in page
    assert 'id="explanation"' in page
    assert f'data-month="{allowance.starts_on:%Y-%m}" data-paid="1"' in page
    assert 'id="decision-link"' in page
    assert 'id="apply-button"' not in page  # already receiving


def test_a_citizen_without_an_allowance_is_offered_to_apply(client, world):
    page = sign_in(client, world.citizen).get("/social/allowance/").content.decode()
    assert 'id="apply-button"' in page
    assert "/procedures/tcxh-hang-thang/file/" in page


def test_reporting_a_change_from_the_page(client, world):
    allowance = approved_allowance(world)
    sign_in(client, world.citizen)
    url = f"/social/allowance/{allowance.pk}/changes/"
    bad = client.post(url, {"kind": "income", "description": "", "happened_on": "2026-01-01"})
    assert bad.status_code == 422
    assert "field--error" in bad.content.decode()
    assert not AllowanceChange.objects.exists()
    today = timezone.localdate().isoformat()
    done = client.post(url, {"kind": "income", "description": "Con tôi đã đi làm.", "happened_on": today})
    assert done.status_code == 302
    assert AllowanceChange.objects.get().status == ChangeStatus.REPORTED
    assert 'id="changes"' in client.get("/social/allowance/").content.decode()
    other = sign_in(client, world.stranger).post(
        url, {"kind": "income", "description": "x", "happened_on": today}
    )
    assert other.status_code == 404


def test_the_commune_sees_its_allowances_and_queue_and_acts(client, world):
    allowance = approved_allowance(world)
    change = allowance_changes.change_report(
        actor=world.citizen,
        allowance_id=allowance.pk,
        kind="health",
        description="Khuyết tật đặc biệt nặng.",
        happened_on=timezone.localdate(),
    )
    sign_in(client, world.officer, second_factor=True)
    page = client.get("/social/allowance/commune/").content.decode()
    assert f'data-allowance="{allowance.pk}"' in page
    assert f'data-change="{change.pk}"' in page
    assert f'for="accept-{change.pk}-outcome"' in page
    detail = client.get(f"/social/allowance/commune/{allowance.pk}/").content.decode()
    assert 'id="suspend-form"' in detail
    response = client.post(f"/social/allowance/commune/changes/{change.pk}/accept/", {"outcome": ""})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.REPORTED  # the outcome is required
    client.post(
        f"/social/allowance/commune/changes/{change.pk}/accept/",
        {"outcome": "Đã xác minh.", "new_group": "disability_extreme"},
    )
    change.refresh_from_db()
    assert change.status == ChangeStatus.ACCEPTED
    client.post(f"/social/allowance/commune/{allowance.pk}/suspend/", {"reason": "Không nhận 3 tháng."})
    allowance.refresh_from_db()
    assert allowance.status == AllowanceStatus.SUSPENDED
    assert allowance.group == "disability_extreme"
    client.post(f"/social/allowance/commune/{allowance.pk}/end/", {"reason": "Chuyển đi nơi khác."})
    allowance.refresh_from_db()
    assert allowance.status == AllowanceStatus.ENDED


def test_another_commune_cannot_see_or_act(client, world):
    allowance = approved_allowance(world)
    sign_in(client, world.other_officer, second_factor=True)
    assert f'data-allowance="{allowance.pk}"' not in client.get("/social/allowance/commune/").content.decode()
    assert client.get(f"/social/allowance/commune/{allowance.pk}/").status_code == 404
    assert (
        client.post(f"/social/allowance/commune/{allowance.pk}/suspend/", {"reason": "x"}).status_code == 404
    )
    allowance.refresh_from_db()
    assert allowance.status == AllowanceStatus.ACTIVE
    sign_in(client, world.citizen)
    assert client.get("/social/allowance/commune/").status_code == 403
