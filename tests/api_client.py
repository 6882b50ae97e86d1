"""A thin wrapper over Django's test client for JSON calls to /api/v1 with a bearer token."""

import json
from typing import Any

from django.test import Client

from tests.factories import PASSWORD


class ApiClient:
    def __init__(self, client: Client):
        self.client = client
        self.token: str | None = None

    def _headers(self, language: str | None) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if language:
            headers["Accept-Language"] = language
        return headers

    def call(self, method: str, path: str, body: Any = None, *, language: str | None = None, **params: Any):
        url = path if path.startswith("/") else f"/api/v1/{path}"
        kwargs: dict[str, Any] = {"headers": self._headers(language)}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        elif params:
            kwargs["data"] = params
        return getattr(self.client, method.lower())(url, **kwargs)

    def get(self, path: str, **kw: Any):
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any = None, **kw: Any):
        return self.call("POST", path, body if body is not None else {}, **kw)

    def delete(self, path: str, **kw: Any):
        return self.call("DELETE", path, **kw)

    def login(self, username: str, password: str = PASSWORD, **extra: Any) -> dict[str, Any]:
        response = self.post("auth/token", {"username": username, "password": password, **extra})
        assert response.status_code == 200, response.content
        data = response.json()
        self.token = data["access_token"]
        return data

    def as_user(self, user: Any) -> "ApiClient":
        """Authenticates by issuing a token directly (no password round trip, no 2FA prompt)."""
        from ansinh.accounts.services import token_issue

        _, self.token = token_issue(user=user, two_factor_verified=True)
        return self
