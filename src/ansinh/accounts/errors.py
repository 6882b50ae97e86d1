"""Authentication and account errors with stable codes."""

from django.utils.translation import gettext_lazy as _

from ansinh.core.errors import DomainError


class InvalidCredentials(DomainError):
    code = "auth.invalid_credentials"
    status = 401
    default_message = _("The username or password is not correct.")


class AccountLocked(DomainError):
    code = "auth.locked"
    status = 429
    default_message = _("Too many wrong passwords. The account is locked for a while.")


class PasswordChangeRequired(DomainError):
    code = "auth.password_change_required"
    status = 403
    default_message = _("You must change your password before you continue.")


class AuthenticationRequired(DomainError):
    code = "auth.required"
    status = 401
    default_message = _("Please sign in.")


class OtpRequired(DomainError):
    code = "auth.otp_required"
    status = 403
    default_message = _("Enter the 6-digit code from your authenticator app.")


class OtpSetupRequired(DomainError):
    code = "auth.otp_setup_required"
    status = 403
    default_message = _("Your role lets you read personal data: set up two-factor sign-in on the web first.")


class OtpInvalid(DomainError):
    code = "auth.otp_invalid"
    status = 401
    default_message = _("The code is not correct or has expired.")


class ResetCodeInvalid(DomainError):
    code = "auth.reset_code_invalid"
    status = 400
    default_message = _("The code is not correct or has expired. Ask for a new code.")
