"""The employer's pages and the centres' verification page, through the test client."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.accounts.selectors import needs_two_factor
from ansinh.jobs.models import ApplicationStatus, Employer, EmployerStatus, Vacancy, VacancyStatus
from ansinh.jobs.services import applications
from tests.jobs.test_employers import REGISTRATION, licensed_enterprise
from tests.jobs.test_vacancies import registered_contract
from tests.jobs.world import make_seeker

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    client.force_login(user, backend="ansinh.accounts.backends.LockoutAwareBackend")
    if needs_two_factor(user):
        session = client.session
        session[SESSION_2FA_KEY] = True
        session.save()
    return client


def lan_user(world):
    return world.seeker_anonymous.person.user


def vacancy_form(**overrides):
    data = {
        "title": "Nhân viên kế toán thuế",
        "occupation": "241",
        "description": "Lập tờ khai thuế hằng tháng.",
        "requirements": "Kế toán thuế, Excel",
        "province": "79",
        "ward": "",
        "salary_min": "9.000.000",
        "salary_max": "14.000.000 đ",
        "contract_type": "indefinite",
        "openings": "2",
        "deadline": (timezone.localdate() + timedelta(days=30)).strftime("%d/%m/%Y"),
    }
    data.update(overrides)
    return data


def test_the_registration_page_shows_the_password_once(client, world):
    cache.clear()
    page = client.get(reverse("jobs_employer:register"))
    assert page.status_code == 200
    assert 'name="tax_code"' in page.content.decode()
    answer = client.post(reverse("jobs_employer:register"), REGISTRATION)
    assert answer.status_code == 200
    text = answer.content.decode()
    assert 'id="issued-password"' in text
    assert answer["Cache-Control"].startswith("max-age=0") or "no-cache" in answer["Cache-Control"]
    assert Employer.objects.get(tax_code="0312345678").status == EmployerStatus.PENDING


def test_a_refused_registration_shows_each_problem_beside_its_field(client, world):
    answer = client.post(reverse("jobs_employer:register"), {**REGISTRATION, "tax_code": "0301234567"})
    assert answer.status_code == 200
    form = answer.context["form"]
    assert list(form.errors) == ["tax_code"]
    assert 'id="issued-password"' not in answer.content.decode()


def test_the_portal_lists_the_vacancies_with_applicants_by_status(
    client, world, django_assert_max_num_queries
):
    applications.application_submit(actor=lan_user(world), vacancy_id=world.vacancy_a.pk)
    for n in range(5):
        Vacancy.objects.create(
            employer=world.employer_a,
            title=f"Vị trí {n}",
            occupation=world.vacancy_a.occupation,
            description="Mô tả",
            province=world.hcm,
            contract_type="indefinite",
            deadline=world.vacancy_a.deadline,
            org_path=world.employer_a.org_path,
        )
    sign_in(client, world.admin_a)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("jobs_employer:portal"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Kế toán tổng hợp" in text
    assert "Thợ hàn điện" not in text  # employer B's
    row = next(r for r in page.context["rows"] if r[0].pk == world.vacancy_a.pk)
    assert row[0].n_total == 1
    assert row[1][0] == 1  # sent
    assert 'href="/jobs/employer/vacancies/new/"' in text


def test_a_pending_employer_sees_its_status_and_cannot_open_the_form(client, world):
    sign_in(client, world.admin_pending)
    page = client.get(reverse("jobs_employer:portal"))
    assert page.status_code == 200
    assert 'id="pending-note"' in page.content.decode()
    assert reverse("jobs_employer:vacancy_new") not in page.content.decode()
    assert client.get(reverse("jobs_employer:vacancy_new")).status_code == 409
    answer = client.post(reverse("jobs_employer:vacancy_new"), vacancy_form())
    assert answer.status_code == 409
    assert not Vacancy.objects.filter(employer=world.employer_pending).exists()


def test_the_employer_posts_edits_and_closes_a_vacancy(client, world):
    sign_in(client, world.admin_a)
    form = client.get(reverse("jobs_employer:vacancy_new"))
    assert "is_abroad" not in form.context["form"].fields  # a domestic employer offers no work abroad
    answer = client.post(reverse("jobs_employer:vacancy_new"), vacancy_form())
    vacancy = Vacancy.objects.exclude(pk=world.vacancy_a.pk).get(employer=world.employer_a)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("jobs_employer:vacancy", args=[vacancy.pk])
    assert vacancy.salary_min == 9_000_000
    assert vacancy.salary_max == 14_000_000
    edit = client.get(reverse("jobs_employer:vacancy_edit", args=[vacancy.pk]))
    assert edit.context["form"].initial["title"] == "Nhân viên kế toán thuế"
    answer = client.post(
        reverse("jobs_employer:vacancy_edit", args=[vacancy.pk]), vacancy_form(title="Kế toán trưởng")
    )
    assert answer.status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.title == "Kế toán trưởng"
    client.post(reverse("jobs_employer:vacancy_close", args=[vacancy.pk]))
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.CLOSED


def test_a_refused_vacancy_is_shown_again_with_the_problems(client, world):
    sign_in(client, world.admin_a)
    answer = client.post(
        reverse("jobs_employer:vacancy_new"),
        vacancy_form(salary_min="20.000.000", salary_max="1.000.000", deadline="01/01/2001"),
    )
    assert answer.status_code == 200
    assert set(answer.context["form"].errors) == {"salary_max", "deadline"}
    assert Vacancy.objects.filter(employer=world.employer_a).count() == 1


def test_applicants_are_listed_with_names_and_opening_one_marks_it_viewed(
    client, world, django_assert_max_num_queries
):
    lan = applications.application_submit(
        actor=world.seeker_anonymous.person.user, vacancy_id=world.vacancy_a.pk
    )
    for n in range(4):
        seeker = make_seeker(
            full_name=f"Người {n}",
            username=f"nguoi{n}",
            province=world.hcm,
            headline="Kế toán",
            occupations=["241"],
        )
        applications.application_submit(actor=seeker.person.user, vacancy_id=world.vacancy_a.pk)
    sign_in(client, world.admin_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("jobs_employer:vacancy", args=[world.vacancy_a.pk]))
    text = page.content.decode()
    assert "Trần Thị Lan" in text
    assert "Người 3" in text
    opened = client.get(reverse("jobs_employer:application", args=[lan.pk]))
    assert opened.status_code == 200
    assert "+84912345678" in opened.content.decode()
    lan.refresh_from_db()
    assert lan.status == ApplicationStatus.VIEWED
    moved = client.post(
        reverse("jobs_employer:application_status", args=[lan.pk]),
        {"status": "interview", "note": "Thứ Hai 9 giờ"},
    )
    assert moved.status_code == 302
    lan.refresh_from_db()
    assert lan.status == ApplicationStatus.INTERVIEW
    assert lan.events.last().note == "Thứ Hai 9 giờ"


def test_a_bad_status_move_is_shown_on_the_form(client, world):
    lan = applications.application_submit(
        actor=world.seeker_anonymous.person.user, vacancy_id=world.vacancy_a.pk
    )
    sign_in(client, world.admin_a)
    client.post(reverse("jobs_employer:application_status", args=[lan.pk]), {"status": "rejected"})
    answer = client.post(reverse("jobs_employer:application_status", args=[lan.pk]), {"status": "hired"})
    assert answer.status_code == 422
    lan.refresh_from_db()
    assert lan.status == ApplicationStatus.REJECTED


def test_employer_b_gets_not_found_on_employer_as_pages(client, world):
    lan = applications.application_submit(
        actor=world.seeker_anonymous.person.user, vacancy_id=world.vacancy_a.pk
    )
    sign_in(client, world.admin_b)
    for url in (
        reverse("jobs_employer:vacancy", args=[world.vacancy_a.pk]),
        reverse("jobs_employer:vacancy_edit", args=[world.vacancy_a.pk]),
        reverse("jobs_employer:application", args=[lan.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("jobs_employer:vacancy_close", args=[world.vacancy_a.pk])).status_code == 404
    lan.refresh_from_db()
    assert lan.status == ApplicationStatus.SENT


def test_the_centre_verifies_on_its_page(client, world):
    sign_in(client, world.centre_officer)
    listed = client.get(reverse("jobs_employer:verify_list"))
    assert listed.status_code == 200
    assert "Công ty Mới Thành Lập" in listed.content.decode()
    url = reverse("jobs_employer:verify", args=[world.employer_pending.pk])
    refused = client.post(url, {"decision": "reject", "reason": ""})
    assert refused.status_code == 200
    assert list(refused.context["form"].errors) == ["reason"]
    done = client.post(url, {"decision": "verify"})
    assert done.status_code == 302
    world.employer_pending.refresh_from_db()
    assert world.employer_pending.status == EmployerStatus.VERIFIED


def test_an_enterprise_offers_its_registered_contracts_on_the_form(client, world):
    _enterprise, admin, officer = licensed_enterprise()
    contract = registered_contract(admin, officer)
    sign_in(client, admin)
    form = client.get(reverse("jobs_employer:vacancy_new"))
    assert form.status_code == 200
    assert contract.pk in dict(form.context["form"].fields["supply_contract"].choices)
    answer = client.post(
        reverse("jobs_employer:vacancy_new"),
        vacancy_form(occupation="721", province="", is_abroad="on", supply_contract=str(contract.pk)),
    )
    assert answer.status_code == 302, answer.context["form"].errors if answer.context else answer
    vacancy = Vacancy.objects.get(supply_contract=contract)
    page = client.get(reverse("jobs_employer:vacancy", args=[vacancy.pk]))
    assert "HD-2026-001" in page.content.decode()
