"""Hot pages and endpoints run a bounded number of SQL queries, whatever the number of rows."""

import pytest

from ansinh.accounts.middleware import SESSION_2FA_KEY
from tests.factories import OrganisationFactory, PersonFactory, ProvinceFactory, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_with_people():
    province = ProvinceFactory()
    officer = make_staff("provincial_officer", organisation=OrganisationFactory(province=province))
    PersonFactory.create_batch(120, province=province)
    return officer


@pytest.mark.parametrize("page_size", [10, 100])
def test_people_api_query_count_does_not_grow_with_the_page(
    api_client, officer_with_people, page_size, django_assert_max_num_queries
):
    api_client.as_user(officer_with_people)
    with django_assert_max_num_queries(5):
        response = api_client.get("people", page_size=page_size)
    assert response.status_code == 200
    assert len(response.json()["items"]) == page_size


def test_staff_people_page_query_count(client, officer_with_people, django_assert_max_num_queries):
    client.force_login(officer_with_people)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    with django_assert_max_num_queries(8):
        response = client.get("/staff/people/")
    assert response.status_code == 200
    assert response.content.count(b"/staff/people/") >= 50
