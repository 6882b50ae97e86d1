"""An account whose first password is not a secret (`first_login_check`): the forced change also asks the
date of birth, wrong dates count on the sign-in lockout, and the first password's cheap hash is replaced
by a full one at the first sign-in."""

from datetime import date

import pytest

from ansinh.accounts import services
from ansinh.accounts.errors import AccountLocked
from ansinh.accounts.models import FirstLoginCheck, LoginThrottle
from ansinh.core.errors import ValidationFailed
from ansinh.core.models import AuditEntry
from tests.factories import PASSWORD, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

BORN = date(1990, 7, 1)
NEW = "Song-Lam-xanh-bien-2026"


@pytest.fixture
def first_timer():
    return UserFactory(
        username="b7654321",
        person=PersonFactory(date_of_birth=BORN),
        must_change_password=True,
        first_login_check=FirstLoginCheck.DATE_OF_BIRTH,
    )


def change(user, born=None, old=PASSWORD):
    return services.password_change(user=user, old_password=old, new_password=NEW, date_of_birth=born)


def test_the_date_of_birth_is_required_and_checked(first_timer):
    with pytest.raises(ValidationFailed) as missing:
        change(first_timer)
    assert "date_of_birth" in missing.value.details["fields"]
    with pytest.raises(ValidationFailed) as wrong:
        change(first_timer, date(1990, 1, 7))
    assert list(wrong.value.details["fields"]) == ["date_of_birth"]
    throttle = LoginThrottle.objects.get(username_key="b7654321")
    assert throttle.failures == 1
    assert AuditEntry.objects.filter(action="auth.first_login_check_failed").count() == 1
    change(first_timer, BORN)
    first_timer.refresh_from_db()
    assert first_timer.check_password(NEW)
    assert (first_timer.must_change_password, first_timer.first_login_check) == (False, "")
    assert not LoginThrottle.objects.filter(username_key="b7654321").exists()


def test_wrong_dates_lock_the_account_like_wrong_passwords(first_timer):
    for day in range(1, 5):
        with pytest.raises(ValidationFailed):
            change(first_timer, date(1990, 1, day))
    with pytest.raises(AccountLocked):
        change(first_timer, date(1990, 1, 5))
    with pytest.raises(AccountLocked):
        change(first_timer, BORN)  # locked: not even the right date is looked at
    with pytest.raises(AccountLocked):
        services.sign_in(username="B7654321", password=PASSWORD)
    first_timer.refresh_from_db()
    assert first_timer.must_change_password is True


def test_an_account_without_the_check_is_not_asked(first_timer):
    ordinary = UserFactory(must_change_password=True, person=PersonFactory(date_of_birth=BORN))
    change(ordinary)  # no date needed
    first_timer.first_login_check = FirstLoginCheck.NONE
    first_timer.save()
    change(first_timer, date(2000, 1, 1))  # a date given anyway is ignored
    assert not LoginThrottle.objects.exists()


def test_a_person_without_a_date_of_birth_cannot_pass_the_check(first_timer):
    first_timer.person.date_of_birth = None
    first_timer.person.save()
    with pytest.raises(ValidationFailed):
        change(first_timer, BORN)


def test_provisioned_first_password_is_hashed_cheaply_then_upgraded(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    person = PersonFactory(date_of_birth=BORN)
    user, created = services.account_provision(
        actor=None,
        username="C1234567",
        person=person,
        first_password="C1234567",
        first_login_check=FirstLoginCheck.DATE_OF_BIRTH,
    )
    assert created is True
    assert "m=1024,t=1,p=1" in user.password
    assert (user.must_change_password, user.first_login_check) == (True, "date_of_birth")
    signed_in = services.sign_in(username="c1234567", password="C1234567")
    signed_in.refresh_from_db()
    assert "m=1024,t=1,p=1" not in signed_in.password  # re-hashed with the full parameters
    assert signed_in.check_password("C1234567")
    again, created = services.account_provision(
        actor=None, username="C1234567", person=person, first_password="C1234567"
    )
    assert (again.pk, created) == (user.pk, False)
    with pytest.raises(ValidationFailed):
        services.account_provision(
            actor=None, username="c1234567", person=PersonFactory(), first_password="C1234567"
        )


def test_the_token_says_what_the_first_change_needs(first_timer, api_client):
    data = api_client.login("b7654321")
    assert data["first_login_check"] == "date_of_birth"
    assert api_client.get("me").status_code == 403
    wrong = api_client.post(
        "auth/password", {"old_password": PASSWORD, "new_password": NEW, "date_of_birth": "not a date"}
    )
    assert wrong.status_code == 422
    assert "date_of_birth" in wrong.json()["details"]["fields"]


def test_the_gate_brings_back_the_page_asked_for_but_not_a_sign_in_page(client):
    client.force_login(UserFactory(must_change_password=True))
    change = "/accounts/password/change/"
    assert client.get("/notices/?country=KR")["Location"] == f"{change}?next=/notices/%3Fcountry%3DKR"
    assert client.get("/accounts/login/?next=/staff/")["Location"] == change
    assert client.post("/notices/")["Location"] == change  # a form posted is not sent again
    changed = client.post(
        f"{change}?next=/notices/%3Fcountry%3DKR",
        {"old_password": PASSWORD, "new_password": NEW, "new_password_again": NEW},
    )
    assert changed["Location"] == "/notices/?country=KR"
