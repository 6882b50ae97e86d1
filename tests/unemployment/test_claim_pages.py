"""The claimant's page and the centre's pages through the Django test client, on a real database."""

from datetime import date

import pytest

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.unemployment.models import BenefitClaim, ClaimStatus, MonthStatus, ProvinceDelegation
from ansinh.unemployment.services import months
from tests.unemployment.test_claims import decided_claim

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    """Staff who read personal data have passed the second factor (accounts.middleware)."""
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()


def test_before_a_claim_the_page_checks_eligibility_on_the_own_record(client, world, frozen_today):
    frozen_today(date(2026, 4, 6))
    client.force_login(world.citizen)
    page = client.get("/unemployment/")
    assert page.status_code == 200
    assert 'id="id_termination_date"' in page.content.decode()
    checked = client.get("/unemployment/?termination_date=2026-03-31")
    assert 'data-eligible="yes"' in checked.content.decode()
    wrong = client.get("/unemployment/?termination_date=31-03-2026")
    assert 'id="check-error"' in wrong.content.decode()


def test_the_claimant_sees_the_next_step_and_notifies_online(client, world, frozen_today, run_on_commit):
    claim = decided_claim(world, frozen_today)
    frozen_today(date(2026, 4, 13))  # inside month 1's window
    client.force_login(world.citizen)
    page = client.get("/unemployment/").content.decode()
    assert 'id="notify-form"' in page
    assert 'data-status="paying"' in page
    assert "4.800.000" in page
    # Without ticking "I have not found a job" nothing is recorded.
    client.post("/unemployment/notify/", {"activities": "Nộp hồ sơ"})
    assert claim.months.get(number=1).status == MonthStatus.WAITING
    response = client.post("/unemployment/notify/", {"activities": "Nộp hồ sơ", "still_unemployed": "on"})
    assert response.status_code == 302
    assert claim.months.get(number=1).status == MonthStatus.NOTIFIED
    page = client.get("/unemployment/").content.decode()
    assert 'id="notify-form"' not in page  # the next window is in May
    assert 'data-month="1" data-status="notified"' in page


def test_a_suspended_claimant_continues_from_the_page(client, world, frozen_today, run_on_commit):
    claim = decided_claim(world, frozen_today)
    months.sweep_benefit_months(date(2026, 4, 16))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUSPENDED
    frozen_today(date(2026, 4, 20))
    client.force_login(world.citizen)
    assert 'id="notify-form"' in client.get("/unemployment/").content.decode()
    client.post("/unemployment/notify/", {"activities": "Phỏng vấn", "still_unemployed": "on"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PAYING


def test_centre_pages_list_show_and_act_in_scope_only(client, world, frozen_today, run_on_commit):
    claim = decided_claim(world, frozen_today)
    sign_in(client, world.officer)
    listing = client.get("/staff/unemployment/").content.decode()
    assert claim.decision_number in listing
    detail = client.get(f"/staff/unemployment/claims/{claim.pk}/")
    assert detail.status_code == 200
    assert 'id="refer-form"' in detail.content.decode()
    client.post(
        f"/staff/unemployment/claims/{claim.pk}/act/",
        {"act": "refer", "employer_name": "Công ty May 10", "job_title": "Thợ may"},
    )
    assert claim.referrals.count() == 1
    # A bad act names the field and writes nothing.
    client.post(f"/staff/unemployment/claims/{claim.pk}/act/", {"act": "refer", "employer_name": ""})
    assert claim.referrals.count() == 1
    # Another province's officer: not found; a citizen: forbidden.
    sign_in(client, world.outsider_officer)
    assert client.get(f"/staff/unemployment/claims/{claim.pk}/").status_code == 404
    assert claim.decision_number not in client.get("/staff/unemployment/").content.decode()
    client.force_login(world.citizen)
    assert client.get("/staff/unemployment/").status_code == 403


def test_the_province_sets_who_decides(client, world):
    sign_in(client, world.decider)
    page = client.get("/staff/unemployment/delegation/")
    assert page.status_code == 200
    province = world.centre.province
    client.post("/staff/unemployment/delegation/", {"province": province.pk, "decider": "centre"})
    assert ProvinceDelegation.objects.get(province=province).decider == "centre"
    # Not another province.
    other = world.other_centre.province
    client.post("/staff/unemployment/delegation/", {"province": other.pk, "decider": "centre"})
    assert not ProvinceDelegation.objects.filter(province=other).exists()
    sign_in(client, world.officer)
    assert client.get("/staff/unemployment/delegation/").status_code == 403
    assert BenefitClaim.objects.count() == 0


def test_a_new_job_in_the_contribution_data_is_shown_to_the_centre_ready_to_terminate(
    client, world, frozen_today, run_on_commit
):
    from ansinh.unemployment.models import ContributionMonth

    claim = decided_claim(world, frozen_today)
    sign_in(client, world.officer)
    assert 'id="new-jobs"' not in client.get(f"/staff/unemployment/claims/{claim.pk}/").content.decode()
    # The social-insurance agency reports May 2026 contributions from a new employer.
    ContributionMonth.objects.create(
        person=world.person, month=date(2026, 5, 1), wage=9_000_000, employer_name="Công ty Hoa Sen"
    )
    frozen_today(date(2026, 6, 1))
    sign_in(client, world.officer)  # the staff session ended while the clock moved on
    response = client.get(f"/staff/unemployment/claims/{claim.pk}/")
    assert response.status_code == 200, response
    page = response.content.decode()
    assert 'id="new-jobs"' in page
    assert "Công ty Hoa Sen" in page
    assert '<option value="new_job" selected>' in page
    assert 'value="2026-05-01"' in page
    client.post(
        f"/staff/unemployment/claims/{claim.pk}/act/",
        {"act": "terminate", "ground": "new_job", "on": "2026-05-01"},
    )
    claim.refresh_from_db()
    assert (claim.status, claim.close_reason) == (ClaimStatus.TERMINATED, "new_job")
