"""A centre refers an unemployment-benefit claimant to a vacancy on the exchange. The referral is the
unemployment app's own record (`unemployment.services.referrals`), so the claimant's answer and its
consequence (two refusals without a good reason end the benefit: Law 74/2025 Art 41.4.d) stay there; the
vacancy is named by `vacancy_reference` and the claimant gets a link to it."""

from typing import Any

from django.db import transaction
from django.urls import reverse

from ansinh.accounts.selectors import require_permission
from ansinh.core.errors import NotFound
from ansinh.jobs import messages
from ansinh.jobs import permissions as perms
from ansinh.jobs.errors import AlreadyReferred, NotAClaimant, VacancyClosed
from ansinh.jobs.models import SeekerProfile, Vacancy, VacancyStatus
from ansinh.notify.services import notify_person
from ansinh.unemployment.models import OPEN_CLAIM_STATUSES, BenefitClaim, JobReferral
from ansinh.unemployment.permissions import CLAIM_HANDLE
from ansinh.unemployment.selectors import claims_in_scope
from ansinh.unemployment.services.referrals import referral_record


def vacancy_reference(vacancy_id: int) -> str:
    return f"jobs.vacancy:{vacancy_id}"


def open_claims_of(actor: Any, person_ids: list[int]) -> dict[int, BenefitClaim]:
    """The open benefit claims, handled by the actor's centre, of these people (by person id)."""
    claims = claims_in_scope(actor, CLAIM_HANDLE).filter(
        person_id__in=person_ids, status__in=OPEN_CLAIM_STATUSES
    )
    return {claim.person_id: claim for claim in claims.order_by("id")}


def claimant_seeker_ids(actor: Any, seeker_ids: list[int]) -> set[int]:
    """Which of these seekers the actor's centre may refer as benefit claimants (a read beside the write
    that needs it: the match page offers the referral only to them)."""
    people = dict(SeekerProfile.objects.filter(pk__in=seeker_ids).values_list("person_id", "pk"))
    return {people[person_id] for person_id in open_claims_of(actor, list(people))}


@transaction.atomic
def referral_to_vacancy(*, actor: Any, vacancy_id: int, seeker_id: int) -> JobReferral:
    require_permission(actor, perms.CENTRE_OPERATE)
    vacancy = Vacancy.objects.select_related("employer__organisation").filter(pk=vacancy_id).first()
    seeker = SeekerProfile.objects.select_related("person").filter(pk=seeker_id).first()
    if vacancy is None or seeker is None:
        raise NotFound()
    if vacancy.status != VacancyStatus.OPEN:
        raise VacancyClosed()
    claim = open_claims_of(actor, [seeker.person_id]).get(seeker.person_id)
    if claim is None:
        raise NotAClaimant()
    reference = vacancy_reference(vacancy.pk)
    if JobReferral.objects.filter(claim=claim, vacancy_reference=reference).exists():
        raise AlreadyReferred()
    employer = vacancy.employer.organisation.name
    referral = referral_record(
        actor=actor,
        claim_id=claim.pk,
        employer_name=employer,
        job_title=vacancy.title,
        vacancy_reference=reference,
    )
    person = seeker.person
    context = {"vacancy": vacancy.title, "employer": employer}
    link = reverse("jobs_public:vacancy", kwargs={"vacancy_id": vacancy.pk})
    transaction.on_commit(lambda: notify_person(person, messages.REFERRAL, context, link=link))
    return referral
