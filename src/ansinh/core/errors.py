"""Domain errors: each has a stable code, an HTTP status and a message translated at render time.

The API error handler and the page layer both map these to `{"code", "message", "details"}`.
"""

from typing import Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    default_message: ClassVar[str | Promise] = _("The request could not be completed.")

    def __init__(self, message: str | Promise | None = None, *, details: dict[str, Any] | None = None):
        self.message = message if message is not None else self.default_message
        self.details = details or {}
        super().__init__(str(self.code))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": self.details}


class ValidationFailed(DomainError):
    """Bad input. `details["fields"]` maps each field name to a list of messages."""

    code = "validation.invalid"
    status = 422
    default_message = _("Some fields are not valid.")

    def __init__(self, fields: dict[str, list[str]], message: str | Promise | None = None):
        super().__init__(message, details={"fields": fields})

    @classmethod
    def single(cls, field: str, message: str | Promise) -> "ValidationFailed":
        return cls({field: [str(message)]})


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("What you asked for does not exist or you may not see it.")


class PermissionDenied(DomainError):
    code = "permission.denied"
    status = 403
    default_message = _("You do not have permission to do this.")


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = _("This conflicts with the current state of the record.")


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429
    default_message = _("Too many requests. Please wait a moment and try again.")
