"""Allowances not collected for 3 months or more (Circular 02/2021/TT-BLĐTBXH Art 2.3.a): the rule, the
commune's list (scope, cash only, complete months, bounded queries), the pages (the list, the suspension's
reason filled in) and the API."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.accounts.models import OrganisationKind
from ansinh.core.text import normalise_search
from ansinh.geo.models import Ward
from ansinh.welfare import allowance_rules as rules
from ansinh.welfare import allowance_selectors as selectors
from ansinh.welfare.models import (
    AllowanceChange,
    AllowanceStatus,
    BenefitKind,
    BenefitPayment,
    ChangeStatus,
    SocialAllowance,
)
from tests.api_client import ApiClient
from tests.factories import OrganisationFactory, PersonFactory, make_staff
from tests.welfare.card_world import build_card_world, give_allowance, months_ago

TODAY = date(2026, 11, 14)  # the complete months before it: ... 08/2026, 09/2026, 10/2026
REASON = "Không nhận trợ cấp liên tục từ 03 tháng trở lên (Thông tư 02/2021/TT-BLĐTBXH Điều 2 khoản 3 điểm a)"


# --- the rule (pure) ----------------------------------------------------------------------------------------


def test_the_rule_is_three_months_with_its_source():
    assert rules.SUSPEND_AFTER_UNCOLLECTED_MONTHS == 3
    assert rules.UNCOLLECTED_SOURCE == "Circular 02/2021/TT-BLĐTBXH Art 2.3.a"
    assert rules.UNCOLLECTED_REASON == REASON


def _months(*pairs):
    return [date(y, m, 1) for y, m in pairs]


@pytest.mark.parametrize(
    ("starts_on", "last_collected", "collectable_from", "expected"),
    [
        # Collected last month: nothing in a row.
        (date(2026, 1, 1), date(2026, 10, 1), None, []),
        # Collected in July: August to October.
        (date(2026, 1, 1), date(2026, 7, 1), None, _months((2026, 8), (2026, 9), (2026, 10))),
        # Never collected: from the first month.
        (date(2026, 6, 1), None, None, _months((2026, 6), (2026, 7), (2026, 8), (2026, 9), (2026, 10))),
        # Started two months ago: two complete months only.
        (date(2026, 9, 1), None, None, _months((2026, 9), (2026, 10))),
        # Paid by bank until September: cash months from October only.
        (date(2026, 1, 1), None, date(2026, 10, 1), _months((2026, 10))),
    ],
)
def test_the_months_not_collected_in_a_row(starts_on, last_collected, collectable_from, expected):
    months = rules.uncollected_months(
        starts_on, None, last_collected=last_collected, collectable_from=collectable_from, today=TODAY
    )
    assert months == expected
    assert rules.suspension_due(months) is (len(expected) >= 3)


def test_the_rule_across_the_new_year_and_after_the_last_month():
    months = rules.uncollected_months(
        date(2026, 1, 1), None, last_collected=date(2026, 9, 1), collectable_from=None, today=date(2027, 1, 5)
    )
    assert months == _months((2026, 10), (2026, 11), (2026, 12))
    # The allowance ended before the last complete month: no run up to now.
    ended = rules.uncollected_months(
        date(2026, 1, 1), date(2026, 9, 1), last_collected=None, collectable_from=None, today=TODAY
    )
    assert ended == []


# --- the commune's list (database) --------------------------------------------------------------------------


@pytest.fixture
def world(db):
    return build_card_world()


def _person(world, name):
    return PersonFactory(full_name=name, province=world.province_a, ward=world.ward)


def _paid(world, allowance, month):
    return BenefitPayment.objects.create(
        person=allowance.person,
        kind=BenefitKind.SOCIAL_ALLOWANCE,
        benefit_id=allowance.pk,
        period=month,
        amount=allowance.monthly_amount,
        service_point=world.point_a,
        org_path=world.point_a.path,
        province=world.province_a,
        recorded_by=world.cashier_a,
        receipt_number=f"BL-{allowance.pk}-{month:%Y%m}",
    )


def _other_commune(world):
    ward = Ward.objects.create(
        code="CA002", name="Xã Thử Khác", unit_type="xa", province=world.province_a,
        name_search=normalise_search("Xã Thử Khác"),
    )  # fmt: skip
    return OrganisationFactory(
        name="Ủy ban nhân dân xã Thử Khác",
        kind=OrganisationKind.COMMUNE,
        province=world.province_a,
        ward=ward,
    )


def _moved_to(allowance, commune):
    SocialAllowance.objects.filter(pk=allowance.pk).update(commune=commune, org_path=commune.path)


def test_the_commune_sees_the_allowances_not_collected_for_three_months(world):
    paid_last_month = give_allowance(world, _person(world, "A Đã nhận"), starts_on=date(2026, 1, 1))
    _paid(world, paid_last_month, date(2026, 10, 1))
    three = give_allowance(world, _person(world, "B Ba tháng"), starts_on=date(2026, 5, 1))
    for month in (date(2026, 5, 1), date(2026, 6, 1), date(2026, 7, 1), date(2026, 11, 1)):
        _paid(world, three, month)  # this month's payment does not count: the month is not over
    never = give_allowance(world, _person(world, "C Chưa nhận"), starts_on=date(2026, 3, 1))
    recent = give_allowance(world, _person(world, "D Mới"), starts_on=date(2026, 9, 1))
    bank = give_allowance(world, _person(world, "E Ngân hàng"), starts_on=date(2026, 1, 1), method="bank")
    suspended = give_allowance(world, _person(world, "F Tạm dừng"), starts_on=date(2026, 1, 1))
    SocialAllowance.objects.filter(pk=suspended.pk).update(status=AllowanceStatus.SUSPENDED)
    elsewhere = give_allowance(world, _person(world, "G Xã khác"), starts_on=date(2026, 1, 1))
    other = _other_commune(world)
    _moved_to(elsewhere, other)

    rows = selectors.uncollected_allowances(world.commune_officer, TODAY)

    assert [row.allowance.pk for row in rows] == [never.pk, three.pk]  # the longest run first
    by_id = {row.allowance.pk: row for row in rows}
    assert by_id[three.pk].unpaid_months == _months((2026, 8), (2026, 9), (2026, 10))
    assert by_id[three.pk].consecutive_months == 3
    assert by_id[never.pk].consecutive_months == 8  # March to October
    assert {paid_last_month.pk, recent.pk, bank.pk, suspended.pk, elsewhere.pk}.isdisjoint(by_id)
    # The other commune's officer sees its own, never this commune's.
    other_officer = make_staff("commune_officer", other, username="cb-khac")
    assert [r.allowance.pk for r in selectors.uncollected_allowances(other_officer, TODAY)] == [elsewhere.pk]
    # One allowance asked about.
    [one] = selectors.uncollected_allowances(world.commune_officer, TODAY, allowance_id=three.pk)
    assert one.allowance.pk == three.pk
    assert selectors.uncollected_allowances(world.commune_officer, TODAY, allowance_id=recent.pk) == []


def test_months_paid_by_bank_before_a_switch_to_cash_are_not_counted(world):
    switched = give_allowance(world, _person(world, "H Đổi cách nhận"), starts_on=date(2026, 1, 1))
    AllowanceChange.objects.create(
        allowance=switched,
        org_path=switched.org_path,
        kind="bank",
        description="Nhận tiền mặt.",
        happened_on=date(2026, 9, 1),
        status=ChangeStatus.ACCEPTED,
        handled_at=datetime.combine(date(2026, 9, 20), time(9), tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        effect={"payment_method": ["bank", "service_point"]},
    )
    assert selectors.uncollected_allowances(world.commune_officer, TODAY) == []
    [later] = selectors.uncollected_allowances(world.commune_officer, date(2027, 1, 10))
    assert later.unpaid_months == _months((2026, 10), (2026, 11), (2026, 12))


def test_the_list_reads_a_bounded_number_of_queries(world, django_assert_max_num_queries):
    def grow(count):
        for index in range(count):
            allowance = give_allowance(world, _person(world, f"Người {index}"), starts_on=date(2026, 1, 1))
            _paid(world, allowance, date(2026, 2, 1))
            _paid(world, allowance, date(2026, 3, 1))

    grow(2)
    selectors.uncollected_allowances(world.commune_officer, TODAY)  # the officer's memberships, read once
    with django_assert_max_num_queries(3):
        assert len(selectors.uncollected_allowances(world.commune_officer, TODAY)) == 2
    grow(20)
    with django_assert_max_num_queries(3):
        assert len(selectors.uncollected_allowances(world.commune_officer, TODAY)) == 22


# --- pages and API (today's real months) --------------------------------------------------------------------


def _sign_in(client, user):
    client.force_login(user, backend="ansinh.accounts.backends.LockoutAwareBackend")
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def live(world):
    """Relative to today: `uncollected` last collected four months ago, `collected` last month."""
    uncollected = give_allowance(world, _person(world, "Lê Văn Quá Hạn"), starts_on=months_ago(6))
    _paid(world, uncollected, months_ago(4))
    collected = give_allowance(world, _person(world, "Phạm Thị Đúng Hẹn"), starts_on=months_ago(6))
    _paid(world, collected, months_ago(1))
    return uncollected, collected


def test_the_commune_page_lists_them_with_the_legal_basis(client, world, live):
    uncollected, collected = live
    page = _sign_in(client, world.commune_officer).get("/social/allowance/commune/").content.decode()
    section = page[page.index('id="uncollected"') : page.index('id="allowances"')]
    assert "Not collected for 3 months or more" in section
    assert "Circular 02/2021/TT-BLĐTBXH Art 2.3.a" in section
    assert f'data-uncollected="{uncollected.pk}"' in section
    assert f'href="/social/allowance/commune/{uncollected.pk}/"' in section
    assert months_ago(3).strftime("%m/%Y") in section
    assert months_ago(1).strftime("%m/%Y") in section
    assert f'data-uncollected="{collected.pk}"' not in section


def test_the_allowance_page_fills_in_the_reason_only_when_it_qualifies(client, world, live):
    uncollected, collected = live
    _sign_in(client, world.commune_officer)
    page = client.get(f"/social/allowance/commune/{uncollected.pk}/").content.decode()
    assert 'id="uncollected"' in page
    assert f">{REASON}</textarea>" in page
    other = client.get(f"/social/allowance/commune/{collected.pk}/").content.decode()
    assert 'id="uncollected"' not in other
    assert 'name="reason" rows="2" maxlength="500" required></textarea>' in other
    # The officer suspends in one step with the reason as filled in.
    response = client.post(f"/social/allowance/commune/{uncollected.pk}/suspend/", {"reason": REASON})
    assert response.status_code == 302
    uncollected.refresh_from_db()
    assert uncollected.status == AllowanceStatus.SUSPENDED


def test_the_api_lists_them_for_the_commune_only(client, world, live):
    uncollected, _collected = live
    api = ApiClient(client).as_user(world.commune_officer)
    response = api.get("welfare/allowances/uncollected")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"]) == (1, 1)
    [row] = body["items"]
    assert row["id"] == uncollected.pk
    assert row["person_name"] == "Lê Văn Quá Hạn"
    assert row["unpaid_months"] == [months_ago(n).isoformat() for n in (3, 2, 1)]
    assert row["consecutive_months"] == 3
    assert row["legal_basis"] == "Circular 02/2021/TT-BLĐTBXH Art 2.3.a"
    assert row["suggested_reason"] == REASON
    # The suggested reason is what the suspension takes.
    done = api.post(f"welfare/allowances/{uncollected.pk}/suspend", {"reason": row["suggested_reason"]})
    assert done.json()["status"] == "suspended"
    assert api.get("welfare/allowances/uncollected").json()["count"] == 0
    refused = ApiClient(client).as_user(world.lan_user).get("welfare/allowances/uncollected")
    assert refused.status_code == 403
    assert refused.json()["code"] == "permission.denied"
    assert ApiClient(client).get("welfare/allowances/uncollected").status_code == 401
