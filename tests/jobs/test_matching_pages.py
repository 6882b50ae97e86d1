"""The matching pages and API: what the employer, the centre and the seeker see, in the HTML and the JSON."""

import pytest
from django.conf import settings
from django.utils import translation

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.jobs.models import Visibility
from tests.api_client import ApiClient
from tests.jobs.world import make_seeker, make_vacancy

pytestmark = pytest.mark.django_db

EMPLOYER_PAGE = "/jobs/employer/vacancies/{}/matches/"
CENTRE_PAGE = "/staff/jobs/vacancies/{}/matches/"
FOR_YOU = "/jobs/for-you/"


def sign_in(client, user):
    client.force_login(user, backend="ansinh.accounts.backends.LockoutAwareBackend")
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()


@pytest.fixture
def anonymous_welder(world):
    """An anonymous welder in Hà Nội: fits B's welding vacancy; B must not learn who it is."""
    return make_seeker(
        full_name="Đỗ Văn Ẩn Danh",
        username="an-danh",
        province=world.hanoi,
        headline="Thợ hàn bậc 3",
        occupations=["721"],
        skills="Hàn điện",
    )


@pytest.fixture
def private_welder(world):
    return make_seeker(
        full_name="Hoàng Thị Riêng Tư",
        username="rieng-tu",
        province=world.hanoi,
        headline="Thợ hàn kín",
        occupations=["721"],
        skills="Hàn điện",
        visibility=Visibility.PRIVATE,
    )


def test_employer_page_lists_candidates_with_reasons_and_hides_what_it_must(
    world, anonymous_welder, private_welder, client
):
    sign_in(client, world.admin_b)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(EMPLOYER_PAGE.format(world.vacancy_b.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-seeker="{anonymous_welder.pk}"' in html
    assert "Thợ hàn bậc 3" in html
    assert "Wants this occupation" in html
    # Anonymous: no name, no phone, no e-mail.
    assert "Đỗ Văn Ẩn Danh" not in html
    assert "an-danh@example.vn" not in html
    # Full: the name and contacts.
    assert "Lê Văn Minh" in html
    assert "seeker-minh@example.vn" in html
    assert "+84912345678" in html  # Minh's (every world seeker has this phone; the anonymous one's is hidden)
    # Private: not at all.
    assert "Thợ hàn kín" not in html
    assert f'data-seeker="{private_welder.pk}"' not in html


def test_anonymous_phone_is_not_in_the_page(world, client):
    anonymous = make_seeker(
        full_name="Ngô Thị Ẩn", username="an2", province=world.hanoi, headline="Thợ hàn", occupations=["721"]
    )
    anonymous.person.phone = "+84987654321"
    anonymous.person.save()
    sign_in(client, world.admin_b)
    html = client.get(EMPLOYER_PAGE.format(world.vacancy_b.pk)).content.decode()
    assert f'data-seeker="{anonymous.pk}"' in html
    assert "+84987654321" not in html
    assert "Ngô Thị Ẩn" not in html


def test_another_employers_vacancy_is_not_found(world, client):
    sign_in(client, world.admin_a)
    assert client.get(EMPLOYER_PAGE.format(world.vacancy_b.pk)).status_code == 404


def test_centre_page_shows_private_profiles_with_contacts(world, private_welder, client):
    sign_in(client, world.centre_officer)
    response = client.get(CENTRE_PAGE.format(world.vacancy_b.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hoàng Thị Riêng Tư" in html
    assert "rieng-tu@example.vn" in html
    # The centre's page is not the employer's: an employer is refused there.
    client.logout()
    sign_in(client, world.admin_b)
    assert client.get(CENTRE_PAGE.format(world.vacancy_b.pk)).status_code == 403


def test_employer_page_query_count_is_bounded(world, client, django_assert_max_num_queries):
    for n in range(12):
        make_seeker(
            full_name=f"Thợ {n}",
            username=f"tho-{n}",
            province=world.hanoi,
            headline="Thợ hàn",
            occupations=["721"],
            visibility=Visibility.FULL if n % 2 else Visibility.ANONYMOUS,
        )
    sign_in(client, world.admin_b)
    client.get(EMPLOYER_PAGE.format(world.vacancy_b.pk))  # warm the session and caches
    with django_assert_max_num_queries(14):
        response = client.get(EMPLOYER_PAGE.format(world.vacancy_b.pk))
    assert response.content.decode().count("data-seeker=") == 13


def test_for_you_page(world, client):
    near = make_vacancy(world.employer_a, title="Thợ rèn khuôn", occupation_code="722", province=world.hanoi)
    sign_in(client, world.seeker_full.person.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(FOR_YOU)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(f'data-vacancy="{world.vacancy_b.pk}"') < html.index(f'data-vacancy="{near.pk}"')
    assert "Thợ hàn điện" in html
    with translation.override("en"):
        assert "An occupation you want" in html


def test_for_you_without_a_profile(world, client):
    sign_in(client, world.admin_a)
    response = client.get(FOR_YOU)
    assert response.status_code == 200
    assert 'id="no-profile"' in response.content.decode()


def test_for_you_needs_a_sign_in(client, world):
    response = client.get(FOR_YOU)
    assert response.status_code == 302
    assert "/login" in response["Location"]


# --- the API -----------------------------------------------------------------------------------------------


def test_api_employer_matches_hide_anonymous_contacts(world, anonymous_welder, private_welder, client):
    api = ApiClient(client).as_user(world.admin_b)
    response = api.get(f"jobs/vacancies/{world.vacancy_b.pk}/matches", language="en")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["vacancy"] == {"id": world.vacancy_b.pk, "title": "Thợ hàn điện"}
    items = {item["seeker_id"]: item for item in body["items"]}
    assert private_welder.pk not in items
    hidden = items[anonymous_welder.pk]
    assert (hidden["name"], hidden["phone"], hidden["email"], hidden["contacts_shown"]) == (
        None,
        None,
        None,
        False,
    )
    assert "Đỗ Văn Ẩn Danh" not in response.content.decode()
    assert "an-danh@example.vn" not in response.content.decode()
    shown = items[world.seeker_full.pk]
    assert shown["name"] == "Lê Văn Minh"
    assert shown["contacts_shown"] is True
    assert shown["reasons"][0] == "Wants this occupation"
    assert body["items"][0]["score"] >= body["items"][-1]["score"]


def test_api_other_employer_gets_404_and_limit_is_checked(world, client):
    api = ApiClient(client).as_user(world.admin_a)
    response = api.get(f"jobs/vacancies/{world.vacancy_b.pk}/matches")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert api.get(f"jobs/vacancies/{world.vacancy_a.pk}/matches", limit=1000).status_code == 422
    assert len(api.get(f"jobs/vacancies/{world.vacancy_a.pk}/matches", limit=1).json()["items"]) == 1


def test_api_centre_sees_private(world, private_welder, client):
    api = ApiClient(client).as_user(world.centre_officer)
    items = api.get(f"jobs/vacancies/{world.vacancy_b.pk}/matches").json()["items"]
    assert {item["seeker_id"]: item["name"] for item in items}[private_welder.pk] == "Hoàng Thị Riêng Tư"


def test_api_seeker_matches(world, client):
    api = ApiClient(client).as_user(world.seeker_full.person.user)
    response = api.get("jobs/me/matches", language="en")
    assert response.status_code == 200, response.content
    first = response.json()["items"][0]
    assert first["id"] == world.vacancy_b.pk
    assert first["score"] == 100
    assert "1 of 1 skill: Hàn điện" in first["reasons"]
    no_profile = ApiClient(client).as_user(world.admin_a).get("jobs/me/matches")
    assert no_profile.status_code == 409
    assert no_profile.json()["code"] == "jobs.no_profile"
