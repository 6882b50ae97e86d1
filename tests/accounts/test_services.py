from datetime import timedelta

import pyotp
import pytest
from django.contrib.auth.hashers import check_password
from django.core import mail
from django.utils import timezone

from ansinh.accounts import services
from ansinh.accounts.errors import AccountLocked, InvalidCredentials, OtpInvalid, ResetCodeInvalid
from ansinh.accounts.models import ApiToken, LoginThrottle, Role
from ansinh.core import sms
from ansinh.core.errors import NotFound, PermissionDenied, ValidationFailed
from ansinh.core.models import AuditEntry
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    PersonFactory,
    ProvinceFactory,
    UserFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db


def actions() -> list[str]:
    return list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))


class TestSignIn:
    def test_success_is_audited_and_case_insensitive(self):
        user = UserFactory(username="NguyenVanA")
        assert services.sign_in(username="nguyenvana", password=PASSWORD) == user
        assert actions() == ["auth.login"]

    def test_a_phone_username_may_be_typed_the_vietnamese_way(self):
        user = UserFactory(username="+84912345678")
        assert services.sign_in(username="0912 345 678", password=PASSWORD) == user
        assert services.sign_in(username="+84912345678", password=PASSWORD) == user
        with pytest.raises(InvalidCredentials):
            services.sign_in(username="0912 345 679", password=PASSWORD)
        # A username made of digits is matched as it is, before any reading as a phone number.
        digits = UserFactory(username="0987654321")
        assert services.sign_in(username="0987654321", password=PASSWORD) == digits

    def test_unknown_user_and_wrong_password_look_the_same(self):
        UserFactory(username="known")
        with pytest.raises(InvalidCredentials):
            services.sign_in(username="known", password="wrong")
        with pytest.raises(InvalidCredentials):
            services.sign_in(username="unknown", password="wrong")

    def test_fifth_failure_locks_with_time_left(self, settings):
        UserFactory(username="hoa")
        for _ in range(4):
            with pytest.raises(InvalidCredentials):
                services.sign_in(username="hoa", password="wrong")
        with pytest.raises(AccountLocked) as locked:
            services.sign_in(username="hoa", password="wrong")
        seconds = locked.value.details["retry_after_seconds"]
        assert 0 < seconds <= settings.LOCKOUT_MINUTES * 60 + 1
        assert "15" in str(locked.value.message)
        with pytest.raises(AccountLocked):
            services.sign_in(username="hoa", password=PASSWORD)
        assert actions().count("auth.lockout") == 1
        assert actions()[-1] == "auth.login_refused_locked"

    def test_lock_expires(self):
        UserFactory(username="binh")
        LoginThrottle.objects.create(
            username_key="binh", failures=5, locked_until=timezone.now() - timedelta(seconds=1)
        )
        assert services.sign_in(username="binh", password=PASSWORD).username == "binh"

    def test_inactive_account_cannot_sign_in(self):
        UserFactory(username="off", is_active=False)
        with pytest.raises(InvalidCredentials):
            services.sign_in(username="off", password=PASSWORD)


class TestPasswords:
    def test_change_clears_the_forced_change_flag(self):
        user = UserFactory(must_change_password=True)
        services.password_change(user=user, old_password=PASSWORD, new_password="Song-Hong-chay-ra-bien")
        user.refresh_from_db()
        assert not user.must_change_password
        assert user.check_password("Song-Hong-chay-ra-bien")
        assert "auth.password_change" in actions()

    @pytest.mark.parametrize(
        ("new_password", "field"),
        [("short1", "new_password"), ("1234567890123", "new_password"), ("password123", "new_password")],
    )
    def test_rules_refuse_weak_passwords(self, new_password, field):
        user = UserFactory()
        with pytest.raises(ValidationFailed) as exc:
            services.password_change(user=user, old_password=PASSWORD, new_password=new_password)
        assert field in exc.value.details["fields"]
        user.refresh_from_db()
        assert user.check_password(PASSWORD)

    def test_not_the_username_nor_the_passport_or_id_number(self):
        person = PersonFactory(personal_id="087084000999", passport_number="C1234567")
        user = UserFactory(username="thu.nguyen", person=person)
        for bad in ("Thu.Nguyen-2026-ok", "xx-C1234567-yy", "087084000999abc"):
            with pytest.raises(ValidationFailed):
                services.password_change(user=user, old_password=PASSWORD, new_password=bad)

    def test_wrong_current_password_names_the_field(self):
        user = UserFactory()
        with pytest.raises(ValidationFailed) as exc:
            services.password_change(user=user, old_password="nope", new_password="Song-Hong-chay-ra-bien")
        assert "old_password" in exc.value.details["fields"]

    def test_production_hasher_is_argon2(self):
        from django.conf import settings as django_settings
        from django.test import override_settings

        assert django_settings.PASSWORD_HASHERS  # the autouse fixture swapped it; the module keeps Argon2
        from ansinh.config import settings as project_settings

        assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
        with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
            user = UserFactory()
            assert user.password.startswith("argon2")
            assert check_password(PASSWORD, user.password)


class TestIssueAndReissue:
    def test_issued_account_must_change_password(self):
        admin = make_staff("system_admin")
        org = OrganisationFactory()
        user, one_time = services.account_issue(
            actor=admin,
            username="can.bo.moi",
            organisation=org,
            role=Role.objects.get(code="enterprise_staff"),
        )
        assert user.must_change_password
        assert services.sign_in(username="can.bo.moi", password=one_time) == user
        assert {"account.issue", "role.grant"} <= set(actions())

    def test_issue_requires_permission_and_writes_nothing_when_refused(self):
        clerk = make_staff("enterprise_staff")
        with pytest.raises(PermissionDenied):
            services.account_issue(actor=clerk, username="x.y")
        assert not AuditEntry.objects.filter(action="account.issue").exists()

    def test_reissue_by_provincial_officer_in_scope(self):
        org = OrganisationFactory(kind="provincial_department", province=ProvinceFactory())
        officer = make_staff("provincial_officer", organisation=org)
        member = make_staff("enterprise_staff", organisation=OrganisationFactory(parent=org))
        ApiToken.objects.create(
            user=member, key_hash="h" * 64, prefix="p", expires_at=timezone.now() + timedelta(1)
        )
        user, password = services.password_reissue(actor=officer, user_id=member.pk)
        assert user.must_change_password
        assert user.check_password(password)
        assert ApiToken.objects.get(user=member).revoked_at is not None
        assert "auth.password_reissue" in actions()

    def test_reissue_out_of_scope_is_not_found_and_changes_nothing(self):
        officer = make_staff(
            "provincial_officer", organisation=OrganisationFactory(province=ProvinceFactory())
        )
        stranger = make_staff(
            "enterprise_staff", organisation=OrganisationFactory(province=ProvinceFactory())
        )
        with pytest.raises(NotFound):
            services.password_reissue(actor=officer, user_id=stranger.pk)
        stranger.refresh_from_db()
        assert stranger.check_password(PASSWORD)


class TestResetByCode:
    def test_sms_code_resets_password(self, django_capture_on_commit_callbacks):
        user = UserFactory(username="lao.dong", phone="+84912345678")
        with django_capture_on_commit_callbacks(execute=True):
            services.password_reset_request(identifier="0912 345 678", channel="sms")
        phone, text = sms.outbox[-1]
        assert phone == "+84912345678"
        code = "".join(ch for ch in text if ch.isdigit())[:6]
        services.password_reset_confirm(identifier="lao.dong", code=code, new_password="Trang-vang-tren-bien")
        user.refresh_from_db()
        assert user.check_password("Trang-vang-tren-bien")
        with pytest.raises(ResetCodeInvalid):  # a code works once
            services.password_reset_confirm(
                identifier="lao.dong", code=code, new_password="Another-good-one-26"
            )

    def test_email_code(self, django_capture_on_commit_callbacks):
        UserFactory(username="mail.user", email="mail.user@example.vn")
        with django_capture_on_commit_callbacks(execute=True):
            services.password_reset_request(identifier="mail.user@example.vn", channel="email")
        assert mail.outbox[-1].to == ["mail.user@example.vn"]

    def test_unknown_account_gets_the_same_silence(self):
        services.password_reset_request(identifier="nobody", channel="sms")
        assert sms.outbox == []

    def test_too_many_wrong_codes_burn_the_code(self, django_capture_on_commit_callbacks):
        UserFactory(username="k", phone="+84912345678")
        with django_capture_on_commit_callbacks(execute=True):
            services.password_reset_request(identifier="k", channel="sms")
        code = "".join(ch for ch in sms.outbox[-1][1] if ch.isdigit())[:6]
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(services.MAX_CODE_ATTEMPTS):
            with pytest.raises(ResetCodeInvalid):
                services.password_reset_confirm(
                    identifier="k", code=wrong, new_password="Trang-vang-tren-bien"
                )
        with pytest.raises(ResetCodeInvalid):
            services.password_reset_confirm(identifier="k", code=code, new_password="Trang-vang-tren-bien")


class TestTwoFactor:
    def test_enrol_then_verify_and_refuse_replay(self):
        user = UserFactory()
        device = services.totp_begin(user=user)
        totp = pyotp.TOTP(device.secret)
        services.totp_confirm(user=user, code=totp.now())
        with pytest.raises(OtpInvalid):  # the same code cannot be used twice
            services.totp_verify(user=user, code=totp.now())
        next_code = totp.at(timezone.now() + timedelta(seconds=30))
        services.totp_verify(user=user, code=next_code)
        assert "auth.2fa_ok" in actions()

    def test_sensitive_roles_need_two_factor(self):
        from ansinh.accounts.selectors import needs_two_factor

        assert needs_two_factor(make_staff("provincial_officer"))
        # Enterprise staff read their workers' records (ovl.read): they need it too.
        assert needs_two_factor(make_staff("enterprise_staff"))
        assert not needs_two_factor(make_staff("social_insurance_partner"))


class TestPeople:
    def test_person_create_normalises_and_validates(self):
        admin = make_staff("system_admin")
        person = services.person_create(
            actor=admin,
            full_name="  Nguyễn   Văn  An ",
            personal_id="087 084 000 999",
            phone="0912345678",
            passport_number="c 1234567",
        )
        assert person.full_name == "Nguyễn Văn An"
        assert person.name_search == "nguyen van an"
        assert person.personal_id == "087084000999"
        assert person.phone == "+84912345678"
        assert person.passport_number == "C1234567"

    def test_every_bad_field_is_named_and_nothing_is_written(self):
        admin = make_staff("system_admin")
        with pytest.raises(ValidationFailed) as exc:
            services.person_create(
                actor=admin, full_name="", personal_id="123", phone="12", passport_number="!"
            )
        assert set(exc.value.details["fields"]) == {"full_name", "personal_id", "phone", "passport_number"}
        assert not AuditEntry.objects.filter(action="person.create").exists()
