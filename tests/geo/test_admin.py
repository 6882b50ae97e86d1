"""The reference lists in the admin: searchable the way people type, and not editable."""

import pytest

from ansinh.accounts.middleware import SESSION_2FA_KEY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference_data")]


@pytest.fixture
def staff_client(admin_client):
    session = admin_client.session
    session[SESSION_2FA_KEY] = True  # this test is about the admin, not about second factors
    session.save()
    return admin_client


def test_search_with_accents_and_type_word_finds_the_ward(staff_client):
    response = staff_client.get("/admin/geo/ward/", {"q": "Phường Ba Đình"})
    assert response.status_code == 200
    assert "Phường Ba Đình" in response.content.decode()
    assert "Phường Hoàn Kiếm" not in response.content.decode()


def test_rows_cannot_be_changed_in_the_admin(staff_client):
    assert staff_client.get("/admin/geo/province/add/").status_code == 403
    page = staff_client.get("/admin/geo/province/")
    assert page.status_code == 200
    assert "Thành phố Hà Nội" in page.content.decode()
