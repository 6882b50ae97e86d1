"""Password rules beyond Django's: not the username, not the person's ID or passport number
(seed 002 and the COLAB app: a passport number is a first password, never a lasting one)."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _squash(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", value.lower())


class NotUsernameValidator:
    def validate(self, password: str, user: Any = None) -> None:
        username = str(getattr(user, "username", "") or "")
        if username and _squash(username) in _squash(password):
            raise ValidationError(
                _("The password must not contain the username."), code="password_has_username"
            )

    def get_help_text(self) -> str:
        return _("The password must not contain the username.")


class NotIdentityNumberValidator:
    def validate(self, password: str, user: Any = None) -> None:
        person = getattr(user, "person", None) if user is not None else None
        if person is None:
            return
        squashed = _squash(password)
        for number in (person.personal_id, person.passport_number):
            if number and _squash(number) in squashed:
                raise ValidationError(
                    _("The password must not contain your ID or passport number."),
                    code="password_has_id_number",
                )

    def get_help_text(self) -> str:
        return _("The password must not contain your ID or passport number.")
