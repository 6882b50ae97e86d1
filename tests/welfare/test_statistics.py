"""The social-security figures (`welfare.statistics`, `GET /api/v1/welfare/figures` and the page
`/staff/social/figures/`): a province's officer counts its province, the ministry the country, a commune's
chair its commune; every figure is a grouped query, so the count of queries does not grow with the rows."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.accounts.models import User
from ansinh.core.errors import PermissionDenied, ValidationFailed
from ansinh.welfare import allowance_rules as rules
from ansinh.welfare.models import (
    BenefitKind,
    SocialSecurityCard,
)
from ansinh.welfare.statistics import welfare_figures_for
from tests.api_client import ApiClient
from tests.factories import PersonFactory
from tests.welfare import card_world
from tests.welfare.statistics_world import (
    FiguresWorld,
    build_figures_world,
    figures_allowance,
    figures_payment,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/welfare/figures"
PAGE = "/staff/social/figures/"


@pytest.fixture
def world(db) -> FiguresWorld:
    return build_figures_world()


def _count(lines, key: str) -> int:
    return next(line.count for line in lines if line.key == key)


def _amount(lines, key: str):
    return next(line.amount for line in lines if line.key == key)


def this_month_amount(coefficient: str) -> int:
    return rules.amount_in_month(Decimal(coefficient), card_world.months_ago(0))


def test_the_province_officer_counts_only_the_province(world):
    found = welfare_figures_for(world.provincial_officer, year=timezone.localdate().year)
    assert found.allowances_total.count == 3  # Lan, Minh (suspended), the other commune's
    assert _count(found.allowances_by_status, "active") == 2
    assert _count(found.allowances_by_status, "suspended") == 1
    # Suspended pays nothing; the changed allowance pays its old coefficient (1.5) this month.
    assert found.allowances_total.amount == 2 * this_month_amount("1.50")
    assert _amount(found.allowances_by_status, "suspended") == 0
    assert [line.key for line in found.allowances_by_group] == ["elderly_80"]
    assert found.changes_waiting == 1
    # Lan's allowance collected in province B counts for A (A decided it), under B's province line.
    assert found.payments_total.count == 1
    assert [(p.code, p.count, p.amount) for p in found.payments_by_province] == [("CB", 1, 810_000)]
    assert _count(found.cards, "active") == 1
    assert _count(found.cards, "revoked") == 0
    assert _count(found.medicine_by_status, "requested") == 1
    assert found.pensions_total.count == 1
    assert _count(found.pensions_by_method, "post_office") == 1
    assert found.scope.nation is False


def test_the_ministry_counts_every_province_and_may_narrow_to_one(world):
    year = timezone.localdate().year
    found = welfare_figures_for(world.ministry_officer, year=year)
    assert found.allowances_total.count == 4
    assert _count(found.allowances_by_group, "disability_severe") == 1
    assert found.payments_total.count == 3
    assert found.payments_total.amount == 2 * 810_000 + card_world.PENSION_AMOUNT
    kinds = {line.key: (line.count, line.amount) for line in found.payments_by_kind}
    assert kinds[BenefitKind.PENSION] == (1, card_world.PENSION_AMOUNT)
    this_month = [m for m in found.payments_by_month if m.total.count]
    assert [m.month for m in this_month] == [card_world.months_ago(0)]
    assert len(found.payments_by_month) == 12
    assert _count(found.cards, "active") == 2
    assert _count(found.cards, "revoked") == 1
    assert found.medicine.total == 2
    assert found.pensions_total.count == 2
    assert _count(found.pensions_by_method, "home_delivery") == 1

    only_b = welfare_figures_for(world.ministry_officer, year=year, province_id=world.card.province_b.pk)
    assert only_b.province == world.card.province_b
    assert only_b.allowances_total.count == 1
    # Every payment was made at B's service point, Lan's allowance of province A included.
    assert only_b.payments_total.count == 3
    assert only_b.medicine.total == 1
    assert only_b.pensions_total.count == 1

    one_month = welfare_figures_for(world.ministry_officer, year=year, month=timezone.localdate().month)
    assert len(one_month.payments_by_month) == 1
    assert one_month.payments_total.count == 3


def test_the_commune_chair_counts_the_commune(world):
    found = welfare_figures_for(world.commune_chair, year=timezone.localdate().year)
    assert found.allowances_total.count == 2  # Lan and Minh; not the other commune of the province
    assert found.allowances_total.amount == this_month_amount("1.50")
    assert found.changes_waiting == 1
    assert found.payments_total.count == 1  # Lan's, collected in province B
    assert _count(found.cards, "active") == 1  # Lan lives in the commune's ward
    assert found.pensions_total.count == 1
    assert found.medicine.total == 0  # no clinic under the commune
    assert found.scope.organisations == (world.card.commune.display_name,)


def test_refusals_and_bad_input(world):
    year = timezone.localdate().year
    for actor in (world.card.lan_user, world.card.cashier_a, world.card.commune_officer):
        with pytest.raises(PermissionDenied):
            welfare_figures_for(actor, year=year)
    with pytest.raises(ValidationFailed) as bad:
        welfare_figures_for(
            world.provincial_officer, year="20x6", month=13, province_id=world.card.province_b.pk
        )
    assert set(bad.value.details["fields"]) == {"year", "month", "province_id"}


def test_amounts_before_the_first_base_level_are_not_given(world):
    found = welfare_figures_for(world.ministry_officer, year=2020)
    assert found.amounts_month == date(2020, 12, 1)
    assert found.allowances_total.amount is None
    assert found.payments_total.count == 0


def test_the_number_of_queries_does_not_grow_with_the_rows(world):
    def queries() -> int:
        actor = User.objects.get(pk=world.ministry_officer.pk)  # memberships not cached yet
        with CaptureQueriesContext(connection) as captured:
            welfare_figures_for(actor, year=timezone.localdate().year)
        return len(captured)

    before = queries()
    for n in range(15):
        person = PersonFactory(province=world.card.province_b, ward=world.commune_b.ward)
        allowance = figures_allowance(
            world.commune_b, person, group="elderly_poor", coefficient=("1.50", "2.00")[n % 2]
        )
        figures_payment(world.card, allowance, kind=BenefitKind.SOCIAL_ALLOWANCE, point=world.card.point_a,
              cashier=world.card.cashier_a, amount=810_000)  # fmt: skip
        SocialSecurityCard.objects.create(person=person, number=f"2000000000{n:02d}", key_id="k")
    after = queries()
    assert after == before
    assert after <= 12, after  # whatever the rows: about one grouped query per table


# --- API --------------------------------------------------------------------------------------------------


def test_the_api_answers_the_figures_of_the_scope(world):
    api = ApiClient(Client()).as_user(world.provincial_officer)
    answer = api.get(API, year=timezone.localdate().year)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["allowances"]["total"]["count"] == 3
    assert body["allowances"]["changes_waiting"] == 1
    assert body["payments"]["by_province"][0]["code"] == "CB"
    assert body["scope"]["province_ids"] == [world.card.province_a.pk]
    assert len(body["payments"]["by_month"]) == 12

    refused = api.get(API, province_id=world.card.province_b.pk)
    assert refused.status_code == 422
    assert set(refused.json()["details"]["fields"]) == {"province_id"}
    assert api.get(API, month=13).status_code == 422
    assert api.get(API, year=1999).status_code == 422

    ministry = ApiClient(Client()).as_user(world.ministry_officer)
    narrowed = ministry.get(API, province_id=world.card.province_b.pk, month=timezone.localdate().month)
    assert narrowed.status_code == 200
    assert narrowed.json()["allowances"]["total"]["count"] == 1
    assert narrowed.json()["month"] == timezone.localdate().month

    citizen = ApiClient(Client()).as_user(world.card.lan_user)
    assert citizen.get(API).json()["code"] == "permission.denied"
    assert ApiClient(Client()).get(API).status_code == 401


# --- the page ---------------------------------------------------------------------------------------------


def sign_in(client, user):
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_page_shows_the_tables_with_their_captions(client, world):
    sign_in(client, world.ministry_officer)
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Social-security figures" in text
    assert "<caption>Allowances by status</caption>" in text
    assert "<caption>Payments by province of the service point</caption>" in text
    assert 'scope="row"' in text
    assert 'scope="col"' in text
    assert 'name="province_id"' in text  # the nation may choose a province
    assert "Thành phố Thử B" in text
    assert "Figures of the whole country." in text

    bad = client.get(PAGE, {"year": "2026", "month": "14"})
    assert bad.status_code == 422
    assert "Month: choose a month from 1 to 12" in bad.content.decode()

    download = client.get("/staff/social/figures.xlsx", {"year": timezone.localdate().year})
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download.content[:2] == b"PK"


def test_the_province_page_has_no_province_choice_and_the_citizen_is_refused(client, world):
    sign_in(client, world.provincial_officer)
    text = client.get(PAGE).content.decode()
    assert 'name="province_id"' not in text
    assert "Figures of Tỉnh Thử A." in text
    client.logout()
    sign_in(client, world.card.lan_user)
    assert client.get(PAGE).status_code == 403
