"""The job seeker's pages through the test client: signing up, the profile, applying from a vacancy page,
my applications with their timeline and the withdraw button, and saved searches."""

import pytest

from ansinh.accounts.models import User
from ansinh.jobs.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    SavedSearch,
    SeekerProfile,
)
from ansinh.jobs.services import applications
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "full_name": "Đỗ Văn Nam",
    "phone": "0903 111 222",
    "password": "bien-xanh-may-trang-9",
    "province": "01",
}


def test_signing_up_signs_in_and_opens_the_profile(world, client):
    page = client.get("/jobs/register/")
    assert page.status_code == 200
    assert 'autocomplete="new-password"' in page.content.decode()
    response = client.post("/jobs/register/", SIGN_UP)
    assert response.status_code == 302
    assert response["Location"] == "/jobs/profile/"
    user = User.objects.get(username="+84903111222")
    assert SeekerProfile.objects.filter(person=user.person).exists()
    profile_page = client.get("/jobs/profile/")
    assert profile_page.status_code == 200
    assert "Đỗ Văn Nam" in profile_page.content.decode()
    # Signed in, the sign-up page sends the person to the profile.
    assert client.get("/jobs/register/")["Location"] == "/jobs/profile/"


def test_sign_up_problems_show_beside_their_fields(world, client):
    response = client.post("/jobs/register/", {**SIGN_UP, "phone": "123", "password": "12345"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"phone", "password"}
    assert not User.objects.filter(person__full_name="Đỗ Văn Nam").exists()


def test_sign_up_answers_429_when_an_address_signs_up_too_often(world, client, monkeypatch):
    from ansinh.jobs.services import seekers

    monkeypatch.setattr(seekers, "SIGNUPS_PER_CLIENT_HOUR", 0)
    response = client.post("/jobs/register/", SIGN_UP)
    assert response.status_code == 429
    assert not User.objects.filter(username="+84903111222").exists()


def test_a_citizen_with_an_account_starts_a_profile_then_fills_it_in(world, client):
    user = UserFactory(person=PersonFactory(full_name="Hồ Thị Mai", province=world.hcm))
    client.force_login(user)
    start = client.get("/jobs/profile/")
    assert 'id="start-form"' in start.content.decode()
    assert client.post("/jobs/profile/start/", {"headline": "Thu ngân"})["Location"] == "/jobs/profile/"
    profile = SeekerProfile.objects.get(person=user.person)
    assert profile.headline == "Thu ngân"
    form = client.get("/jobs/profile/")
    assert 'id="profile-form"' in form.content.decode()
    response = client.post(
        "/jobs/profile/",
        {
            "headline": "Thu ngân siêu thị",
            "occupations": ["522", "523"],
            "provinces": ["79"],
            "province": "79",
            "education": "upper_secondary",
            "skills": "Tính tiền, giao tiếp",
            "experience": "",
            "experience_years": "2",
            "expected_salary": "7.500.000",
            "visibility": "full",
            "is_looking": "on",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.expected_salary == 7_500_000
    assert profile.visibility == "full"
    assert profile.is_looking
    assert sorted(profile.wanted_occupations.values_list("sub_major_group", flat=True)) == ["52", "52"]
    assert profile.skills_search == "tinh tien, giao tiep"


def test_profile_errors_are_shown_beside_their_fields(world, client):
    client.force_login(world.seeker_anonymous.person.user)
    response = client.post(
        "/jobs/profile/",
        {
            "headline": "Kế toán",
            "occupations": ["241", "242", "243", "251", "261", "331"],
            "education": "university",
            "experience_years": "3",
            "expected_salary": "mười triệu",
            "visibility": "anonymous",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"occupations", "expected_salary"}
    assert 'role="alert"' in response.content.decode()


def test_applying_from_the_vacancy_page_then_following_and_withdrawing(
    world, client, django_assert_max_num_queries
):
    user = world.seeker_anonymous.person.user
    client.force_login(user)
    response = client.post(
        f"/jobs/vacancies/{world.vacancy_a.pk}/apply/", {"cover_note": "Tôi có 3 năm kinh nghiệm."}
    )
    assert response["Location"] == "/jobs/applications/"
    application = Application.objects.get(seeker=world.seeker_anonymous, vacancy=world.vacancy_a)
    applications.application_set_status(
        actor=world.admin_a,
        application_id=application.pk,
        status=ApplicationStatus.INTERVIEW,
        note="Thứ Hai 9 giờ",
    )
    # Twice: the second application shows a bounded number of queries for the list.
    applications.application_submit(actor=user, vacancy_id=world.vacancy_b.pk)
    with django_assert_max_num_queries(12):
        page = client.get("/jobs/applications/")
    text = page.content.decode()
    assert "Kế toán tổng hợp" in text
    assert "Thợ hàn điện" in text
    assert "Thứ Hai 9 giờ" in text
    assert f"/jobs/applications/{application.pk}/withdraw/" in text
    response = client.post(f"/jobs/applications/{application.pk}/withdraw/")
    assert response["Location"] == "/jobs/applications/"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert list(
        ApplicationEvent.objects.filter(application=application).values_list("status", flat=True)
    ) == [
        "sent",
        "interview",
        "withdrawn",
    ]
    assert (
        f"/jobs/applications/{application.pk}/withdraw/"
        not in client.get("/jobs/applications/").content.decode()
    )
    # Applying twice is refused with a message on the vacancy page.
    again = client.post(f"/jobs/vacancies/{world.vacancy_a.pk}/apply/", {"cover_note": ""}, follow=True)
    assert "already applied" in again.content.decode() or "đã ứng tuyển" in again.content.decode()


def test_a_seeker_cannot_withdraw_someone_elses_application(world, client):
    other = applications.application_submit(
        actor=world.seeker_full.person.user, vacancy_id=world.vacancy_b.pk
    )
    client.force_login(world.seeker_anonymous.person.user)
    assert client.post(f"/jobs/applications/{other.pk}/withdraw/").status_code == 404
    other.refresh_from_db()
    assert other.status == ApplicationStatus.SENT


def test_saving_a_search_from_the_search_page_then_switching_and_deleting(world, client):
    client.force_login(world.seeker_anonymous.person.user)
    search = client.get("/jobs/search/", {"q": "ke toan", "province": "79", "abroad": "0"})
    text = search.content.decode()
    assert 'id="save-search"' in text
    assert 'name="abroad" value="0"' in text
    response = client.post(
        "/jobs/saved-searches/",
        {"q": "ke toan", "province": "79", "abroad": "0", "name": "Kế toán ở Sài Gòn"},
    )
    assert response["Location"] == "/jobs/saved-searches/"
    saved = SavedSearch.objects.get(seeker=world.seeker_anonymous)
    assert (saved.name, saved.query, saved.filters) == (
        "Kế toán ở Sài Gòn",
        "ke toan",
        {"province": "79", "abroad": False},
    )
    listing = client.get("/jobs/saved-searches/").content.decode()
    assert "Kế toán ở Sài Gòn" in listing
    assert "/jobs/search/?q=ke+toan&amp;province=79&amp;abroad=0" in listing
    client.post(f"/jobs/saved-searches/{saved.pk}/alert/", {"alert": "off"})
    saved.refresh_from_db()
    assert saved.alert is False
    client.post(f"/jobs/saved-searches/{saved.pk}/delete/")
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()


def test_a_person_without_a_profile_is_sent_to_start_one(world, client):
    client.force_login(UserFactory(person=PersonFactory()))
    for url in ("/jobs/applications/", "/jobs/saved-searches/"):
        assert client.get(url)["Location"] == "/jobs/profile/"
    assert client.post(f"/jobs/vacancies/{world.vacancy_a.pk}/apply/", {})["Location"] == "/jobs/profile/"
    assert not Application.objects.filter(vacancy=world.vacancy_a).exists()
