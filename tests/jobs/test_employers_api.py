"""The employers' API through HTTP: registering, verification, vacancies and applicants."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from ansinh.jobs.models import ApplicationStatus, Employer, EmployerStatus, Vacancy, VacancyStatus
from ansinh.jobs.services import applications
from tests.api_client import ApiClient
from tests.jobs.test_employers import REGISTRATION, licensed_enterprise
from tests.jobs.test_vacancies import registered_contract

pytestmark = pytest.mark.django_db


def api(client, user=None):
    return ApiClient(client).as_user(user) if user is not None else ApiClient(client)


def vacancy_body(**overrides):
    body = {
        "title": "Nhân viên kế toán thuế",
        "occupation": "241",
        "description": "Lập tờ khai thuế hằng tháng.",
        "requirements": "Kế toán thuế, Excel",
        "province": "79",
        "salary_min": 9_000_000,
        "salary_max": 14_000_000,
        "contract_type": "indefinite",
        "openings": 2,
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    body.update(overrides)
    return body


def test_an_employer_registers_without_signing_in(client, world):
    cache.clear()
    response = api(client).post("jobs/employers", REGISTRATION)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "pending"
    assert data["username"] == "phuloi"
    assert len(data["one_time_password"]) >= 12
    again = api(client).post("jobs/employers", {**REGISTRATION, "admin_username": "khac"})
    assert again.status_code == 422
    assert again.json()["code"] == "validation.invalid"
    assert list(again.json()["details"]["fields"]) == ["tax_code"]


def test_the_centre_lists_and_verifies_in_its_scope(client, world):
    centre = api(client, world.centre_officer)
    listed = centre.get("jobs/employers")
    assert listed.status_code == 200
    assert [e["id"] for e in listed.json()["items"]] == [world.employer_pending.pk]
    refused = centre.post(f"jobs/employers/{world.employer_pending.pk}/verification", {"approve": False})
    assert refused.status_code == 422
    assert "reason" in refused.json()["details"]["fields"]
    done = centre.post(f"jobs/employers/{world.employer_pending.pk}/verification", {"approve": True})
    assert done.status_code == 200
    assert done.json()["status"] == "verified"
    other = api(client, world.other_centre_officer).post(
        f"jobs/employers/{world.employer_a.pk}/verification", {"approve": True}
    )
    assert other.status_code == 404


def test_a_verified_employer_posts_edits_lists_and_closes(client, world):
    employer = api(client, world.admin_a)
    posted = employer.post("jobs/employer/vacancies", vacancy_body())
    assert posted.status_code == 201, posted.content
    vacancy = posted.json()
    assert vacancy["province"] == "79"
    assert vacancy["occupation"] == "241"
    assert vacancy["status"] == "open"
    edited = employer.call(
        "PATCH",
        f"/api/v1/jobs/employer/vacancies/{vacancy['id']}",
        {"title": "Kế toán trưởng", "salary_min": None},
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["title"] == "Kế toán trưởng"
    assert edited.json()["salary_min"] is None
    listed = employer.get("jobs/employer/vacancies")
    assert listed.status_code == 200
    items = {item["id"]: item for item in listed.json()["items"]}
    assert set(items) == {vacancy["id"], world.vacancy_a.pk}
    assert items[world.vacancy_a.pk]["applicants"]["total"] == 0
    closed = employer.post(f"jobs/employer/vacancies/{vacancy['id']}/close")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"


def test_bad_vacancies_are_refused_naming_the_fields(client, world):
    response = api(client, world.admin_a).post(
        "jobs/employer/vacancies",
        vacancy_body(salary_min=20_000_000, salary_max=1_000_000, deadline="2001-01-01"),
    )
    assert response.status_code == 422
    assert set(response.json()["details"]["fields"]) == {"salary_max", "deadline"}


def test_a_pending_employer_cannot_post(client, world):
    response = api(client, world.admin_pending).post("jobs/employer/vacancies", vacancy_body())
    assert response.status_code == 409
    assert response.json()["code"] == "jobs.employer_not_verified"
    assert not Vacancy.objects.filter(employer=world.employer_pending).exists()


def test_the_employer_reads_its_applicants_and_moves_them_on(
    client, world, django_capture_on_commit_callbacks
):
    lan = applications.application_submit(
        actor=world.seeker_anonymous.person.user, vacancy_id=world.vacancy_a.pk
    )
    employer = api(client, world.admin_a)
    listed = employer.get(f"jobs/employer/vacancies/{world.vacancy_a.pk}/applications")
    assert listed.status_code == 200
    (item,) = listed.json()["items"]
    assert item["full_name"] == "Trần Thị Lan"
    assert item["phone"] == "+84912345678"
    assert item["status"] == "sent"
    opened = employer.get(f"jobs/employer/applications/{lan.pk}")
    assert opened.json()["status"] == "viewed"
    with django_capture_on_commit_callbacks(execute=True):
        moved = employer.post(
            f"jobs/employer/applications/{lan.pk}/status", {"status": "interview", "note": "9 giờ thứ Hai"}
        )
    assert moved.status_code == 200
    assert moved.json()["status"] == "interview"
    wrong = employer.post(f"jobs/employer/applications/{lan.pk}/status", {"status": "sent"})
    assert wrong.status_code == 409
    assert wrong.json()["code"] == "jobs.status_change"
    counts = employer.get("jobs/employer/vacancies").json()["items"]
    row = next(item for item in counts if item["id"] == world.vacancy_a.pk)
    assert row["applicants"]["interview"] == 1
    assert row["applicants"]["total"] == 1


def test_a_withdrawn_applicant_is_shown_without_name_or_contacts(client, world):
    lan_user = world.seeker_anonymous.person.user
    lan = applications.application_submit(actor=lan_user, vacancy_id=world.vacancy_a.pk)
    applications.application_withdraw(actor=lan_user, application_id=lan.pk)
    (item,) = (
        api(client, world.admin_a)
        .get(f"jobs/employer/vacancies/{world.vacancy_a.pk}/applications")
        .json()["items"]
    )
    assert item["status"] == ApplicationStatus.WITHDRAWN
    assert item["full_name"] is None
    assert item["phone"] is None
    assert item["email"] is None


def test_employer_b_sees_nothing_of_employer_a(client, world):
    lan = applications.application_submit(
        actor=world.seeker_anonymous.person.user, vacancy_id=world.vacancy_a.pk
    )
    other = api(client, world.admin_b)
    for path in (
        f"jobs/employer/vacancies/{world.vacancy_a.pk}",
        f"jobs/employer/vacancies/{world.vacancy_a.pk}/applications",
        f"jobs/employer/applications/{lan.pk}",
    ):
        assert other.get(path).status_code == 404, path
    assert other.post(f"jobs/employer/applications/{lan.pk}/status", {"status": "hired"}).status_code == 404
    assert other.post(f"jobs/employer/vacancies/{world.vacancy_a.pk}/close").status_code == 404
    lan.refresh_from_db()
    world.vacancy_a.refresh_from_db()
    assert lan.status == ApplicationStatus.SENT
    assert world.vacancy_a.status == VacancyStatus.OPEN


def test_a_licensed_enterprise_posts_work_abroad_through_the_api(client, world):
    _enterprise, admin, officer = licensed_enterprise()
    contract = registered_contract(admin, officer)
    enterprise = api(client, admin)
    me = enterprise.get("jobs/employer")
    assert me.status_code == 200
    assert me.json()["status"] == EmployerStatus.VERIFIED
    posted = enterprise.post(
        "jobs/employer/vacancies",
        vacancy_body(
            occupation="721", province="", is_abroad=True, supply_contract=contract.pk, salary_max=45_000_000
        ),
    )
    assert posted.status_code == 201, posted.content
    data = posted.json()
    assert data["country"] == "KR"
    assert data["supply_contract"]["number"] == "HD-2026-001"
    assert Employer.objects.filter(organisation=_enterprise.organisation).count() == 1
