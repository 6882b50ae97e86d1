import logging

import pytest

from tests.factories import PASSWORD, UserFactory, make_staff

pytestmark = pytest.mark.django_db


def test_home_is_vietnamese_by_default_even_for_an_english_browser(client):
    response = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    assert b'<html lang="vi">' in response.content
    assert response["Content-Language"] == "vi"


def test_language_switch_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert b'<html lang="en">' in client.get("/").content
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert b'<html lang="vi">' in client.get("/").content


def test_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response  # only over HTTPS
    assert response["X-Request-ID"]


def test_hsts_when_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_page_references_another_host(client):
    import re

    for url in ["/", "/accounts/login/", "/accounts/password/reset/", "/api/v1/docs"]:
        html = client.get(url).content.decode()
        external = re.findall(r'(?:src|href)="(https?:)?//', html)
        assert external == [], url


def test_friendly_404_page_and_json_404(client):
    page = client.get("/khong-co-trang-nay/")
    assert page.status_code == 404
    assert b'<html lang="vi">' in page.content
    api = client.get("/api/v1/khong-co/")
    assert api.status_code == 404
    assert api.json()["code"] == "not_found"


@pytest.mark.urls("tests.web.boom_urls")
def test_500_page_has_request_id_and_no_stack_trace(client, caplog):
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        response = client.get("/boom/", headers={"X-Request-ID": "req-12345678"})
    assert response.status_code == 500
    body = response.content.decode()
    assert "req-12345678" in body
    for leak in ("Traceback", "RuntimeError", "087084000999"):
        assert leak not in body
    assert any(getattr(r, "request_id", "") == "req-12345678" for r in caplog.records)


@pytest.mark.urls("tests.web.boom_urls")
def test_500_json_for_api(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert response.json()["details"]["request_id"]


def test_csrf_failure_is_a_friendly_page(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/login/", {"username": "a", "password": "b"})
    assert response.status_code == 403
    assert b'<html lang="vi">' in response.content


def test_healthz_and_readyz(client):
    assert client.get("/healthz").json()["status"] == "ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["database"] == "ok"


class TestSecurityGate:
    def test_issued_account_is_sent_to_password_change_from_every_page(self, client):
        user = UserFactory(must_change_password=True)
        client.force_login(user)
        for url in ["/", "/staff/", "/accounts/2fa/"]:
            response = client.get(url)
            if url == "/accounts/2fa/":
                continue  # the gate's own pages stay open
            assert response.status_code == 302
            # The page asked for comes back after the change (the home page is where it goes anyway).
            assert response["Location"] == "/accounts/password/change/" + (
                "" if url == "/" else f"?next={url}"
            )
        assert client.get("/accounts/password/change/").status_code == 200

    def test_login_page_then_forced_change(self, client):
        UserFactory(username="moi.cap", must_change_password=True)
        response = client.post("/accounts/login/", {"username": "moi.cap", "password": PASSWORD})
        assert response.status_code == 302
        assert client.get("/")["Location"] == "/accounts/password/change/"
        changed = client.post(
            "/accounts/password/change/",
            {
                "old_password": PASSWORD,
                "new_password": "Nui-cao-song-dai-2026",
                "new_password_again": "Nui-cao-song-dai-2026",
            },
        )
        assert changed.status_code == 302
        # Through the gate: a citizen's first page after signing in is My services.
        assert changed["Location"] == "/my-services/start/"
        assert client.get(changed["Location"])["Location"] == "/my-services/"
        assert client.get("/").status_code == 200

    def test_password_change_errors_name_the_field(self, client):
        user = UserFactory(must_change_password=True)
        client.force_login(user)
        response = client.post(
            "/accounts/password/change/",
            {"old_password": PASSWORD, "new_password": "123", "new_password_again": "123"},
        )
        assert response.status_code == 422
        assert response.context["form"].errors["new_password"]

    def test_official_reading_personal_data_must_pass_two_factor(self, client):
        officer = make_staff("provincial_officer")
        client.force_login(officer)
        response = client.get("/staff/")
        assert response.status_code == 302
        assert response["Location"] == "/accounts/2fa/"
        page = client.get("/accounts/2fa/")
        assert page.status_code == 200
        assert b"<svg" in page.content  # the enrolment QR code, drawn inline

    def test_lockout_message_on_the_login_page(self, client):
        UserFactory(username="quen")
        for _ in range(5):
            response = client.post("/accounts/login/", {"username": "quen", "password": "sai-mat-khau"})
        assert response.status_code == 429
        assert "15" in response.content.decode()


def test_language_choice_is_remembered_on_the_account(client):
    user = UserFactory()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    fresh = type(client)()
    fresh.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert b'<html lang="en">' in fresh.get("/").content


def test_a_fields_help_text_is_the_one_its_input_points_to(client):
    """Django's widgets say `aria-describedby="<id>_helptext"`: the help paragraph must carry that id."""
    import re

    from tests.factories import UserFactory

    client.force_login(UserFactory())
    html = client.get("/accounts/password/change/").content.decode()
    described = set(re.findall(r'aria-describedby="([^"]+)"', html))
    helps = set(re.findall(r'<p class="help" id="([^"]+)"', html))
    assert helps, "the page has help texts"
    assert helps <= {part for value in described for part in value.split()}
