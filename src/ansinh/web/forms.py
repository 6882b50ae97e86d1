from django import forms

from ansinh.core.errors import DomainError, ValidationFailed


def apply_domain_error(form: forms.Form, exc: DomainError) -> None:
    """Shows a service's error on the form: each field message beside its field, the rest on top."""
    if isinstance(exc, ValidationFailed):
        for field, messages in exc.details.get("fields", {}).items():
            target = field if field in form.fields else None
            for message in messages:
                form.add_error(target, message)
        return
    field = exc.details.get("field") if isinstance(exc.details, dict) else None
    form.add_error(field if field in form.fields else None, str(exc.message))


def error_text(exc: DomainError) -> str:
    """A domain error as one line for a page message: the field messages when it has them."""
    fields = exc.details.get("fields") if exc.details else None
    if fields:
        return "; ".join(message for messages in fields.values() for message in messages)
    return str(exc.message)
