"""A centre refers an unemployment-benefit claimant to a vacancy: recorded on the claim (where the answer and
its consequence live), offered on the centre's match page only for its own claimants, told to the claimant."""

from datetime import timedelta

import pytest
from django.utils import timezone

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.core.errors import PermissionDenied
from ansinh.dossiers.models import Dossier
from ansinh.jobs.errors import AlreadyReferred, NotAClaimant, VacancyClosed
from ansinh.jobs.models import VacancyStatus
from ansinh.jobs.services import referrals
from ansinh.notify.models import Message
from ansinh.unemployment.models import BenefitClaim, ClaimStatus, JobReferral
from ansinh.unemployment.services.referrals import referral_answer

pytestmark = pytest.mark.django_db


def open_claim(centre, person, status: str = ClaimStatus.PAYING) -> BenefitClaim:
    """A benefit the centre pays the person (the records by hand: the claim's own journey is tested in
    tests/unemployment)."""
    today = timezone.localdate()
    dossier = Dossier.objects.create(
        receipt_code=f"{centre.code}-{Dossier.objects.count() + 1:06d}",
        procedure_code="tctn-huong",
        procedure_version="2015",
        state="approved",
        applicant_person=person,
        applicant_name=person.full_name,
        receiving_organisation=centre,
        org_path=centre.path,
        province_id=centre.province_id,
    )
    return BenefitClaim.objects.create(
        dossier=dossier,
        person=person,
        centre=centre,
        org_path=centre.path,
        province_id=centre.province_id,
        status=status,
        decision_number=f"{dossier.receipt_code}/QĐ-TCTN",
        decided_on=today - timedelta(days=20),
        decided_month=(today - timedelta(days=20)).replace(day=1),
        rule_set="law-38-2013",
        termination_date=today - timedelta(days=60),
        contribution_months=36,
        average_wage=9_000_000,
        monthly_benefit=5_400_000,
        benefit_months=3,
        reserved_months=0,
        start_date=today - timedelta(days=19),
        end_date=today + timedelta(days=70),
    )


def test_a_claimant_is_referred_once_and_told(world, django_capture_on_commit_callbacks):
    lan = world.seeker_anonymous
    claim = open_claim(world.centre_hcm, lan.person)
    with django_capture_on_commit_callbacks(execute=True):
        referral = referrals.referral_to_vacancy(
            actor=world.centre_officer, vacancy_id=world.vacancy_a.pk, seeker_id=lan.pk
        )
    assert referral.claim == claim
    assert referral.job_title == world.vacancy_a.title
    assert referral.employer_name == world.employer_a.organisation.name
    assert referral.exchange_vacancy_id == world.vacancy_a.pk
    told = Message.objects.get(recipient_person=lan.person, template="jobs.referral")
    assert told.link == f"/jobs/vacancies/{world.vacancy_a.pk}/"
    with pytest.raises(AlreadyReferred):
        referrals.referral_to_vacancy(
            actor=world.centre_officer, vacancy_id=world.vacancy_a.pk, seeker_id=lan.pk
        )
    # The answer is the unemployment benefit's: a refusal without a good reason counts there.
    referral_answer(actor=world.centre_officer, referral_id=referral.pk, outcome="refused")
    assert JobReferral.objects.get(pk=referral.pk).outcome == "refused"


def test_only_an_open_claim_of_the_officers_own_centre_is_referred(world):
    lan, minh = world.seeker_anonymous, world.seeker_full
    open_claim(world.centre_hanoi, minh.person)  # Hà Nội's claimant: not Hồ Chí Minh City's to refer
    open_claim(world.centre_hcm, world.seeker_private.person, status=ClaimStatus.FINISHED)
    for seeker in (lan, minh, world.seeker_private):
        with pytest.raises(NotAClaimant):
            referrals.referral_to_vacancy(
                actor=world.centre_officer, vacancy_id=world.vacancy_a.pk, seeker_id=seeker.pk
            )
    assert referrals.claimant_seeker_ids(world.centre_officer, [lan.pk, minh.pk]) == set()
    assert referrals.claimant_seeker_ids(world.other_centre_officer, [lan.pk, minh.pk]) == {minh.pk}
    with pytest.raises(PermissionDenied):
        referrals.referral_to_vacancy(actor=world.admin_a, vacancy_id=world.vacancy_a.pk, seeker_id=minh.pk)
    assert not JobReferral.objects.exists()


def test_a_closed_vacancy_is_not_referred(world):
    lan = world.seeker_anonymous
    open_claim(world.centre_hcm, lan.person)
    world.vacancy_a.status = VacancyStatus.CLOSED
    world.vacancy_a.save()
    with pytest.raises(VacancyClosed):
        referrals.referral_to_vacancy(
            actor=world.centre_officer, vacancy_id=world.vacancy_a.pk, seeker_id=lan.pk
        )


def _sign_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True  # as after the second factor
    session.save()


def test_the_match_page_offers_the_referral_for_the_centres_claimants_only(world, client):
    lan = world.seeker_anonymous
    open_claim(world.centre_hcm, lan.person)
    _sign_in(client, world.centre_officer)
    page = client.get(f"/staff/jobs/vacancies/{world.vacancy_a.pk}/matches/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'name="seeker_id" value="{lan.pk}"' in html
    assert html.count('name="seeker_id"') == 1
    sent = client.post(f"/staff/jobs/vacancies/{world.vacancy_a.pk}/refer/", {"seeker_id": lan.pk})
    assert sent.status_code == 302
    assert JobReferral.objects.filter(claim__person=lan.person).count() == 1
    again = client.post(
        f"/staff/jobs/vacancies/{world.vacancy_a.pk}/refer/", {"seeker_id": lan.pk}, follow=True
    )
    assert "already been referred" in again.content.decode() or "đã được giới thiệu" in again.content.decode()
    assert JobReferral.objects.count() == 1
    # An employer cannot use the centre's referral.
    _sign_in(client, world.admin_b)
    refused = client.post(f"/staff/jobs/vacancies/{world.vacancy_a.pk}/refer/", {"seeker_id": lan.pk})
    assert refused.status_code == 403
    assert JobReferral.objects.count() == 1
