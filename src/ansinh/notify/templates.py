"""The message templates: one registry for every app's notifications.

An app registers its templates once, at import time of the module that sends them, with
`register_template("dossiers.received", subject, body)`: the code is "<app>.<name>", unique across apps.

Subject and body are lazy translations with `{placeholders}`: English source text, Vietnamese (and any
other language) in the catalogue. `render` translates first, in the recipient's language, and fills the
placeholders afterwards, so the translated text may move them around. Values in the context should be
plain text or numbers; a lazy translation among them is translated in the same language.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
_SPACE = re.compile(r"\s+")


class UnknownTemplate(LookupError):
    """A programming error: the code was never registered (a typo, or the registering module not imported)."""


@dataclass(frozen=True)
class MessageTemplate:
    code: str
    subject: str | Promise
    body: str | Promise


_REGISTRY: dict[str, MessageTemplate] = {}


def register_template(code: str, subject: str | Promise, body: str | Promise) -> MessageTemplate:
    """Adds a template. Registering the same code again with the same text is allowed (a module imported
    twice); with different text it is refused, so two apps can never silently share a code."""
    if not _CODE.match(code):
        raise ValueError(f"template code {code!r} must look like 'app.name'")
    template = MessageTemplate(code, subject, body)
    existing = _REGISTRY.get(code)
    if existing is not None and (str(existing.subject), str(existing.body)) != (str(subject), str(body)):
        raise ValueError(f"template code {code!r} is already registered with other text")
    _REGISTRY[code] = template
    return template


def get_template(code: str) -> MessageTemplate:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise UnknownTemplate(code) from None


def registered_codes() -> list[str]:
    return sorted(_REGISTRY)


def supported_language(language: str | None) -> str:
    """The language to render in: the one asked for when the site speaks it, else the site default."""
    base = (language or "").lower().split("-")[0]
    return base if base in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render(code: str, context: Mapping[str, Any], language: str) -> tuple[str, str]:
    """The subject and body of template `code` in `language`, with the placeholders filled.

    A placeholder missing from `context` raises KeyError in the caller: a template and its caller that
    disagree are a bug to see at once, not a message with a hole in it. The subject is one line, since
    it becomes an e-mail header and a notification title."""
    template = get_template(code)
    with translation.override(supported_language(language)):
        subject = str(template.subject).format(**context)
        body = str(template.body).format(**context)
    return _SPACE.sub(" ", subject).strip(), body.strip()


# For callers (and tests) whose text is already written: the subject and body are passed in the context.
GENERIC = register_template("notify.generic", _("{subject}"), _("{body}"))

# Sent when a device starts receiving someone's push notifications: the new device shows at once that it
# works, and a device the person does not recognise shows up in the inbox and the e-mail.
PUSH_ENABLED = register_template(
    "notify.push_enabled",
    _("Notifications are on for a new device"),
    _(
        "On {when}, a new device started receiving your ansinh notifications. "
        "If this was not you, change your password."
    ),
)
