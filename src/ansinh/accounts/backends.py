"""Authentication backend for Django's own login forms (the admin): the same lockout and audit as the
pages and the API, because it calls the same service."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from ansinh.accounts.models import User
from ansinh.core.errors import DomainError


class LockoutAwareBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        from ansinh.accounts.services import sign_in

        if not username or password is None:
            return None
        try:
            return sign_in(username=username, password=password)
        except DomainError:
            return None
