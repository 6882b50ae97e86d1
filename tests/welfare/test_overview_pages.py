"""The My services page in Vietnamese and English, for a person with everything, a person with nothing and an
account without a person; and signing in: a citizen lands on My services, staff on the home page as before,
and `next=` still wins."""

import pytest
from django.conf import settings

from ansinh.accounts.middleware import SESSION_2FA_KEY
from tests.factories import PASSWORD, PersonFactory, UserFactory, make_staff
from tests.welfare.test_overview import everything_for

pytestmark = pytest.mark.django_db

URL = "/my-services/"


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def test_the_page_in_english_lists_the_next_steps_and_every_service(client, reference_data):
    data = everything_for()
    english(client)
    client.force_login(data.user)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Next steps" in html
    assert 'id="next-steps"' in html
    for key in ("unemployment", "allowance", "pension", "medicine", "card", "dossiers", "jobs", "inbox"):
        assert f'id="service-{key}"' in html, key
    assert "Your medicine is ready to collect" in html
    assert "4.800.000" in html  # the benefit, as money
    assert 'href="/unemployment/"' in html
    assert f'href="/dossiers/{data.dossier.pk}/"' in html
    assert "QĐ-0002" not in html
    assert "Của người khác" not in html
    assert "My services" in html  # the navigation link


def test_the_page_is_vietnamese_by_default(client, reference_data):
    data = everything_for()
    client.force_login(data.user)
    html = client.get(URL).content.decode()
    assert '<html lang="vi">' in html
    assert 'id="next-steps"' in html
    assert 'id="service-medicine"' in html


def test_a_person_with_nothing_is_offered_the_services(client, db):
    english(client)
    client.force_login(UserFactory(person=PersonFactory()))
    html = client.get(URL).content.decode()
    assert 'id="nothing-to-do"' in html
    assert 'id="no-services"' in html
    assert 'data-offer="jobs"' in html
    assert 'href="/unemployment/estimate/"' in html


def test_an_account_without_a_person_gets_a_clear_message(client, db):
    english(client)
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="no-person"' in html
    assert "not linked to a citizen record" in html


def test_the_page_costs_a_bounded_number_of_queries(client, reference_data, django_assert_max_num_queries):
    data = everything_for()
    client.force_login(data.user)
    with django_assert_max_num_queries(40):
        assert client.get(URL).status_code == 200


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get(URL)["Location"] == f"/accounts/login/?next={URL}"


class TestAfterSignIn:
    def test_a_citizen_lands_on_my_services(self, client, db):
        UserFactory(username="dan", person=PersonFactory())
        signed_in = client.post("/accounts/login/", {"username": "dan", "password": PASSWORD})
        assert signed_in["Location"] == "/my-services/start/"
        assert client.get(signed_in["Location"])["Location"] == URL
        assert client.get("/").status_code == 200  # the home page stays reachable

    def test_next_still_wins(self, client, db):
        UserFactory(username="dan", person=PersonFactory())
        answer = client.post("/accounts/login/", {"username": "dan", "password": PASSWORD, "next": "/jobs/"})
        assert answer["Location"] == "/jobs/"

    def test_staff_land_on_the_home_page_as_before(self, client, db):
        for staff in (make_staff("provincial_officer", username="officer"), UserFactory(is_superuser=True)):
            client.force_login(staff)
            session = client.session
            session[SESSION_2FA_KEY] = True
            session.save()
            assert client.get("/").status_code == 200

    def test_the_after_login_address_routes_by_role(self, client, db):
        client.force_login(UserFactory(person=PersonFactory()))
        assert client.get("/my-services/start/")["Location"] == URL
        officer = make_staff("provincial_officer")
        client.force_login(officer)
        session = client.session
        session[SESSION_2FA_KEY] = True
        session.save()
        assert client.get("/my-services/start/")["Location"] == "/"
