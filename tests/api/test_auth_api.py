import pytest

from ansinh.core.audit import verify_chain
from ansinh.core.models import AuditEntry
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_token_then_me(api_client):
    user = UserFactory(username="nguyenvana")
    data = api_client.login("nguyenvana")
    assert data["token_type"] == "bearer"
    assert data["must_change_password"] is False
    response = api_client.get("me")
    assert response.status_code == 200
    assert response.json()["username"] == "nguyenvana"
    assert response.json()["id"] == user.pk


def test_issued_account_must_change_password_first(api_client):
    UserFactory(username="moi", must_change_password=True)
    data = api_client.login("moi")
    assert data["must_change_password"] is True
    blocked = api_client.get("me")
    assert blocked.status_code == 403
    assert blocked.json()["code"] == "auth.password_change_required"
    changed = api_client.post(
        "auth/password", {"old_password": PASSWORD, "new_password": "Hoa-sen-no-giua-dam"}
    )
    assert changed.status_code == 200, changed.content
    assert api_client.get("me").status_code == 200


def test_five_wrong_passwords_lock_the_account_and_are_audited(api_client):
    UserFactory(username="tranthib")
    for _ in range(4):
        response = api_client.post("auth/token", {"username": "tranthib", "password": "sai"})
        assert response.status_code == 401
        assert response.json()["code"] == "auth.invalid_credentials"
    fifth = api_client.post("auth/token", {"username": "tranthib", "password": "sai"})
    assert fifth.status_code == 429
    assert fifth.json()["code"] == "auth.locked"
    assert int(fifth["Retry-After"]) > 0
    # Even the right password is refused while locked.
    right = api_client.post("auth/token", {"username": "tranthib", "password": PASSWORD})
    assert right.json()["code"] == "auth.locked"
    assert AuditEntry.objects.filter(action="auth.lockout").count() == 1
    assert AuditEntry.objects.filter(action="auth.login_failed").count() == 5
    assert verify_chain().ok


def test_errors_follow_accept_language(api_client):
    UserFactory(username="lan")
    vi = api_client.post("auth/token", {"username": "lan", "password": "sai"}, language="vi")
    en = api_client.post("auth/token", {"username": "lan", "password": "sai"}, language="en")
    assert vi.json()["code"] == en.json()["code"] == "auth.invalid_credentials"
    assert vi.json()["message"] != en.json()["message"]
    assert en.json()["message"] == "The username or password is not correct."


def test_validation_error_names_the_field(api_client):
    response = api_client.post("auth/token", {"username": "x"}, language="en")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation.invalid"
    assert "password" in body["details"]["fields"]


def test_official_who_changed_an_issued_password_must_sign_in_again_with_the_second_factor(api_client):
    import pyotp

    from ansinh.accounts.services import totp_begin, totp_confirm
    from tests.factories import make_staff

    officer = make_staff("provincial_officer", must_change_password=True)
    device = totp_begin(user=officer)
    totp_confirm(user=officer, code=pyotp.TOTP(device.secret).now())
    first = api_client.login(officer.username)  # no code asked: the password must change first
    assert first["must_change_password"] is True
    new_password = "Cay-da-dau-lang-2026"
    assert (
        api_client.post("auth/password", {"old_password": PASSWORD, "new_password": new_password}).status_code
        == 200
    )
    refused = api_client.get("me")
    assert refused.status_code == 403
    assert refused.json()["code"] == "auth.otp_required"
    no_code = api_client.post("auth/token", {"username": officer.username, "password": new_password})
    assert no_code.json()["code"] == "auth.otp_required"
