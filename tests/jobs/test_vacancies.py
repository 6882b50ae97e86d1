"""Vacancies: only a verified employer posts; every field is checked; work abroad only on the enterprise's
own registered supply contract; the deadline expires them."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.core.text import normalise_search
from ansinh.jobs import selectors
from ansinh.jobs.errors import EmployerNotVerified, VacancyClosed
from ansinh.jobs.models import Vacancy, VacancyStatus
from ansinh.jobs.services import vacancies
from ansinh.jobs.tasks import expire_vacancies
from ansinh.overseas.services import contracts, signatures
from tests.jobs.test_employers import licensed_enterprise
from tests.overseas.world import contract_terms

pytestmark = pytest.mark.django_db


def post_fields(**overrides):
    fields = {
        "title": "Nhân viên kế toán thuế",
        "occupation": "241",
        "description": "Lập tờ khai thuế, theo dõi công nợ, báo cáo tài chính hằng tháng.",
        "requirements": "Kế toán thuế, Excel; Tiếng Anh",
        "province": "79",
        "salary_min": 9_000_000,
        "salary_max": 14_000_000,
        "contract_type": "indefinite",
        "openings": 2,
        "deadline": timezone.localdate() + timedelta(days=30),
    }
    fields.update(overrides)
    return fields


def test_a_verified_employer_posts_a_vacancy_found_without_diacritics(world):
    ward = world.hcm.wards.order_by("code").first()
    vacancy = vacancies.vacancy_post(actor=world.admin_a, **post_fields(ward=ward.code))
    assert vacancy.status == VacancyStatus.OPEN
    assert vacancy.employer == world.employer_a
    assert vacancy.org_path == world.employer_a.org_path
    assert vacancy.created_by == world.admin_a
    assert vacancy.skills_search == "ke toan thue, excel, tieng anh"
    for words in ("ke toan thue", "cong ty tnhh ke toan sai gon", normalise_search(world.hcm.name), "excel"):
        assert words in vacancy.search_text, words
    assert normalise_search(vacancy.occupation.name_en) in vacancy.search_text
    assert normalise_search(ward.name) in vacancy.search_text
    assert not vacancy.is_abroad
    assert vacancy.country is None


def test_a_pending_employer_cannot_post(world):
    with pytest.raises(EmployerNotVerified):
        vacancies.vacancy_post(actor=world.admin_pending, **post_fields())
    assert not Vacancy.objects.filter(employer=world.employer_pending).exists()


def test_people_who_are_no_employer_cannot_post(world):
    with pytest.raises(PermissionDenied):
        vacancies.vacancy_post(actor=world.centre_officer, **post_fields())
    with pytest.raises(PermissionDenied):
        vacancies.vacancy_post(actor=world.seeker_full.person.user, **post_fields())


def test_every_field_is_checked_and_named(world):
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as refused:
        vacancies.vacancy_post(
            actor=world.admin_a,
            **post_fields(
                title="",
                occupation="2",  # a major group, not a three-digit one
                description="",
                province="",
                salary_min=20_000_000,
                salary_max=10_000_000,
                contract_type="forever",
                openings=0,
                deadline=today - timedelta(days=1),
            ),
        )
    assert set(refused.value.details["fields"]) == {
        "title",
        "occupation",
        "description",
        "province",
        "salary_max",
        "contract_type",
        "openings",
        "deadline",
    }
    assert Vacancy.objects.filter(employer=world.employer_a).count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"salary_min": 100}, "salary_min"),
        ({"salary_max": 5_000_000_000}, "salary_max"),
        ({"salary_min": "nhiều"}, "salary_min"),
        ({"deadline": date(2000, 1, 1)}, "deadline"),
        ({"deadline": "31/12"}, "deadline"),
        ({"openings": 100_000}, "openings"),
        ({"ward": "99999"}, "ward"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_values_are_refused(world, overrides, field):
    with pytest.raises(ValidationFailed) as refused:
        vacancies.vacancy_post(actor=world.admin_a, **post_fields(**overrides))
    assert list(refused.value.details["fields"]) == [field]


def test_the_deadline_is_at_most_six_months_ahead(world):
    today = timezone.localdate()
    limit = vacancies.months_ahead(today, 6)
    assert vacancies.vacancy_post(actor=world.admin_a, **post_fields(deadline=limit)).deadline == limit
    assert vacancies.vacancy_post(actor=world.admin_a, **post_fields(deadline=today)).deadline == today
    with pytest.raises(ValidationFailed) as refused:
        vacancies.vacancy_post(actor=world.admin_a, **post_fields(deadline=limit + timedelta(days=1)))
    assert list(refused.value.details["fields"]) == ["deadline"]


def test_months_ahead_keeps_the_day_or_the_months_end():
    assert vacancies.months_ahead(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert vacancies.months_ahead(date(2026, 1, 15), 6) == date(2026, 7, 15)
    assert vacancies.months_ahead(date(2026, 11, 30), 6) == date(2027, 5, 30)


def test_remote_work_needs_no_province_and_negotiable_salary_no_figures(world):
    vacancy = vacancies.vacancy_post(
        actor=world.admin_a, **post_fields(province="", is_remote=True, salary_min=None, salary_max="")
    )
    assert vacancy.is_remote
    assert vacancy.province is None
    assert vacancy.salary_min is None
    assert vacancy.salary_max is None
    assert "remote" in vacancy.search_text


def test_the_employer_edits_and_closes_its_own_vacancy_only(world):
    vacancy = world.vacancy_a
    edited = vacancies.vacancy_update(
        actor=world.admin_a, vacancy_id=vacancy.pk, title="Kế toán trưởng", salary_max=30_000_000
    )
    assert edited.title == "Kế toán trưởng"
    assert edited.salary_max == 30_000_000
    assert "ke toan truong" in edited.search_text
    assert edited.salary_min == vacancy.salary_min
    assert edited.deadline == vacancy.deadline
    with pytest.raises(NotFound):
        vacancies.vacancy_update(actor=world.admin_b, vacancy_id=vacancy.pk, title="Của B")
    with pytest.raises(NotFound):
        vacancies.vacancy_close(actor=world.admin_b, vacancy_id=vacancy.pk)
    closed = vacancies.vacancy_close(actor=world.admin_a, vacancy_id=vacancy.pk)
    assert closed.status == VacancyStatus.CLOSED
    with pytest.raises(VacancyClosed):
        vacancies.vacancy_update(actor=world.admin_a, vacancy_id=vacancy.pk, title="Mở lại")
    assert vacancies.vacancy_close(actor=world.admin_a, vacancy_id=vacancy.pk).status == VacancyStatus.CLOSED
    vacancy.refresh_from_db()
    assert vacancy.title == "Kế toán trưởng"


def test_an_old_deadline_may_stay_while_other_fields_change(world):
    vacancy = world.vacancy_a
    Vacancy.objects.filter(pk=vacancy.pk).update(deadline=timezone.localdate() + timedelta(days=250))
    edited = vacancies.vacancy_update(actor=world.admin_a, vacancy_id=vacancy.pk, openings=5)
    assert edited.openings == 5
    with pytest.raises(ValidationFailed):
        vacancies.vacancy_update(
            actor=world.admin_a, vacancy_id=vacancy.pk, deadline=timezone.localdate() + timedelta(days=260)
        )


def test_vacancies_past_their_deadline_expire_once(world):
    today = timezone.localdate()
    Vacancy.objects.filter(pk=world.vacancy_a.pk).update(deadline=today - timedelta(days=1))
    Vacancy.objects.filter(pk=world.vacancy_b.pk).update(deadline=today)
    assert vacancies.vacancies_expire(today=today) == 1
    assert vacancies.vacancies_expire(today=today) == 0
    world.vacancy_a.refresh_from_db()
    world.vacancy_b.refresh_from_db()
    assert world.vacancy_a.status == VacancyStatus.EXPIRED
    assert world.vacancy_b.status == VacancyStatus.OPEN
    Vacancy.objects.filter(pk=world.vacancy_b.pk).update(deadline=today - timedelta(days=3))
    assert expire_vacancies() == 1


def test_the_public_page_reads_open_and_recently_closed_vacancies_of_verified_employers(world):
    assert selectors.vacancy_public_get(world.vacancy_a.pk) == world.vacancy_a
    Vacancy.objects.filter(pk=world.vacancy_a.pk).update(status=VacancyStatus.EXPIRED)
    assert selectors.vacancy_public_get(world.vacancy_a.pk).status == VacancyStatus.EXPIRED
    Vacancy.objects.filter(pk=world.vacancy_a.pk).update(updated_at=timezone.now() - timedelta(days=200))
    with pytest.raises(NotFound):
        selectors.vacancy_public_get(world.vacancy_a.pk)
    Vacancy.objects.filter(pk=world.vacancy_b.pk).update(status=VacancyStatus.WITHDRAWN)
    with pytest.raises(NotFound):
        selectors.vacancy_public_get(world.vacancy_b.pk)


# --- work abroad -------------------------------------------------------------------------------------------


def registered_contract(admin, officer, number: str = "HD-2026-001"):
    contract = contracts.contract_submit(actor=admin, **contract_terms(number=number))
    signatures.contract_sign(actor=admin, contract_id=contract.pk)
    return contracts.contract_decide(actor=officer, contract_id=contract.pk, approve=True)


def abroad_fields(contract, **overrides):
    fields = post_fields(
        title="Thợ hàn làm việc tại Hàn Quốc",
        occupation="721",
        requirements="Hàn điện, tiếng Hàn sơ cấp",
        province="",
        is_abroad=True,
        supply_contract=contract.pk,
        salary_min=38_000_000,
        salary_max=45_000_000,
        contract_type="fixed_term",
    )
    fields.update(overrides)
    return fields


@pytest.fixture
def enterprise_world(world):
    enterprise, admin, officer = licensed_enterprise()
    contract = registered_contract(admin, officer)
    _other, other_admin, _officer = licensed_enterprise(
        tax_code="0200000002", username="binhan", province="01"
    )
    other_contract = registered_contract(other_admin, officer, number="HD-2026-777")
    return enterprise, admin, officer, contract, other_admin, other_contract


def test_a_licensed_enterprise_posts_work_abroad_on_its_registered_contract(enterprise_world):
    enterprise, admin, _officer, contract, _other_admin, _other_contract = enterprise_world
    vacancy = vacancies.vacancy_post(actor=admin, **abroad_fields(contract))
    assert vacancy.is_abroad
    assert vacancy.supply_contract == contract
    assert vacancy.country == contract.country
    assert vacancy.province is None
    assert vacancy.employer.organisation == enterprise.organisation
    assert "han quoc" in vacancy.search_text
    assert "korea" in vacancy.search_text
    public = selectors.vacancy_public_get(vacancy.pk)
    assert public.supply_contract.number == "HD-2026-001"
    assert public.supply_contract.decided_at is not None


def test_another_enterprises_contract_or_an_unregistered_one_is_refused(enterprise_world):
    _enterprise, admin, _officer, _contract, _other_admin, other_contract = enterprise_world
    with pytest.raises(ValidationFailed) as refused:
        vacancies.vacancy_post(actor=admin, **abroad_fields(other_contract))
    assert list(refused.value.details["fields"]) == ["supply_contract"]
    pending = contracts.contract_submit(actor=admin, **contract_terms(number="HD-2026-002"))
    with pytest.raises(ValidationFailed) as refused:
        vacancies.vacancy_post(actor=admin, **abroad_fields(pending))
    assert list(refused.value.details["fields"]) == ["supply_contract"]
    assert not Vacancy.objects.filter(is_abroad=True).exists()


def test_a_domestic_employer_posts_no_work_abroad(enterprise_world, world):
    _enterprise, _admin, _officer, contract, _other_admin, _other_contract = enterprise_world
    with pytest.raises(ValidationFailed) as refused:
        vacancies.vacancy_post(actor=world.admin_a, **abroad_fields(contract))
    assert list(refused.value.details["fields"]) == ["is_abroad"]


def test_a_suspended_licence_stops_posting(enterprise_world):
    from ansinh.overseas.models import Licence
    from ansinh.overseas.services import enterprises

    enterprise, admin, officer, contract, _other_admin, _other_contract = enterprise_world
    vacancies.vacancy_post(actor=admin, **abroad_fields(contract))
    licence = Licence.objects.get(enterprise=enterprise)
    enterprises.licence_change(
        actor=officer, licence_id=licence.pk, action="suspended", on=date(2026, 1, 5), reason="Vi phạm"
    )
    with pytest.raises(EmployerNotVerified):
        vacancies.vacancy_post(actor=admin, **abroad_fields(contract))
