"""Page forms: field presence and shape only. The rules live in services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(forms.Form):
    """`ask_date_of_birth`: a first sign-in whose password is not a secret must also give the date of birth
    (the field exists only then)."""

    old_password = forms.CharField(
        label=_("Current password"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 10 characters; not only digits; not your username, "
            "ID or passport number; not a common password."
        ),
    )
    new_password_again = forms.CharField(
        label=_("New password again"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    date_of_birth = forms.DateField(
        label=_("Your date of birth"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d"),
        help_text=_("As in your passport. We ask it because your first password is known to others."),
    )

    def __init__(self, *args: Any, ask_date_of_birth: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not ask_date_of_birth:
            del self.fields["date_of_birth"]
        else:
            # The date goes first: it is what the person is asked to prove.
            self.fields["old_password"].help_text = _("The password you have just signed in with.")
            self.order_fields(["date_of_birth", "old_password", "new_password", "new_password_again"])

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("new_password") and data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("The two new passwords do not match."))
        return data


class ResetRequestForm(forms.Form):
    identifier = forms.CharField(label=_("Username, e-mail or phone"), max_length=150)
    channel = forms.ChoiceField(
        label=_("Send the code by"),
        choices=[("sms", _("SMS")), ("email", _("E-mail"))],
        widget=forms.RadioSelect,
        initial="sms",
    )


class ResetConfirmForm(forms.Form):
    identifier = forms.CharField(label=_("Username, e-mail or phone"), max_length=150)
    code = forms.CharField(
        label=_("Code"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
    new_password = forms.CharField(
        label=_("New password"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class OtpForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )
