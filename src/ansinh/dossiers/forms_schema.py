"""A procedure's form as data: validation of what an applicant typed, and the JSON Schema the API publishes.

The page form (dossiers.forms) and the API both validate through `clean_form_data`, so a value refused on
the page is refused in the API with the same message. Values are stored as JSON: dates and months as ISO
text, money as integer VND.
"""

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ansinh.core.errors import ValidationFailed
from ansinh.core.identifiers import normalise_phone, parse_personal_id
from ansinh.dossiers.procedures import FieldType, FormField

_MONTH = re.compile(r"\A(\d{4})-(\d{2})\Z")
_TRUE = {"true", "on", "1", "yes"}
_FALSE = {"false", "off", "0", "no", ""}


class _Invalid(Exception):
    pass


def clean_form_data(
    fields: tuple[FormField, ...], data: dict[str, Any], *, partial: bool = False
) -> dict[str, Any]:
    """The cleaned values of `fields` from `data`, or ValidationFailed naming every bad field.

    Keys that are not fields of the form are refused too: a typo in an API call must not vanish silently.
    `partial` (a draft being saved) checks what was typed but not what is still missing.
    """
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    known = {f.name for f in fields}
    for extra in sorted(set(data) - known):
        errors[extra] = [_("This field is not part of the form.")]
    for spec in fields:
        raw = data.get(spec.name)
        if _is_blank(raw) and spec.type != FieldType.BOOLEAN:
            if spec.required and not partial:
                errors[spec.name] = [_("This field is required.")]
            continue
        try:
            cleaned[spec.name] = _clean(spec, raw)
        except _Invalid as exc:
            errors[spec.name] = [str(exc)]
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean(spec: FormField, raw: Any) -> Any:
    kind = spec.type
    if kind in (FieldType.TEXT, FieldType.LONG_TEXT):
        return _text(spec, raw)
    if kind in (FieldType.INTEGER, FieldType.MONEY):
        return _integer(spec, raw)
    if kind == FieldType.DATE:
        return _date(raw)
    if kind == FieldType.MONTH:
        return _month(raw)
    if kind == FieldType.CHOICE:
        value = str(raw)
        if value not in {c.value for c in spec.choices}:
            raise _Invalid(_("Choose one of the options."))
        return value
    if kind == FieldType.BOOLEAN:
        return _boolean(raw)
    if kind == FieldType.EMAIL:
        try:
            validate_email(str(raw).strip())
        except ValidationError as exc:
            raise _Invalid(_("Enter a valid e-mail address.")) from exc
        return str(raw).strip().lower()
    if kind == FieldType.PHONE:
        try:
            return normalise_phone(str(raw))
        except ValueError as exc:
            raise _Invalid(str(exc)) from exc
    if kind == FieldType.PERSONAL_ID:
        parsed = parse_personal_id(str(raw))
        if not parsed.valid:
            raise _Invalid(str(parsed.error))
        return parsed.number
    raise _Invalid(_("This field cannot be read."))


def _text(spec: FormField, raw: Any) -> str:
    if not isinstance(raw, str | int):
        raise _Invalid(_("Enter text."))
    value = str(raw).strip()
    if "\x00" in value:
        raise _Invalid(_("Enter text."))
    if len(value) > spec.max_length:
        raise _Invalid(_("At most %(n)d characters.") % {"n": spec.max_length})
    return value


def _integer(spec: FormField, raw: Any) -> int:
    if isinstance(raw, bool):
        raise _Invalid(_("Enter a whole number."))
    text = str(raw).strip().replace(".", "").replace(",", "") if isinstance(raw, str) else raw
    try:
        value = int(text)
    except (TypeError, ValueError) as exc:
        raise _Invalid(_("Enter a whole number.")) from exc
    if isinstance(raw, float) and raw != value:
        raise _Invalid(_("Enter a whole number."))
    if spec.min_value is not None and value < spec.min_value:
        raise _Invalid(_("The smallest allowed value is %(n)s.") % {"n": spec.min_value})
    if spec.max_value is not None and value > spec.max_value:
        raise _Invalid(_("The largest allowed value is %(n)s.") % {"n": spec.max_value})
    return value


def _date(raw: Any) -> str:
    try:
        return date.fromisoformat(str(raw).strip()).isoformat()
    except ValueError as exc:
        raise _Invalid(_("Enter a date as YYYY-MM-DD.")) from exc


def _month(raw: Any) -> str:
    match = _MONTH.match(str(raw).strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise _Invalid(_("Enter a month as YYYY-MM."))
    return match.group(0)


def _boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw if raw is not None else "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise _Invalid(_("Answer yes or no."))


_JSON_TYPES: dict[FieldType, dict[str, Any]] = {
    FieldType.TEXT: {"type": "string"},
    FieldType.LONG_TEXT: {"type": "string"},
    FieldType.INTEGER: {"type": "integer"},
    FieldType.MONEY: {"type": "integer", "description": "VND"},
    FieldType.DATE: {"type": "string", "format": "date"},
    FieldType.MONTH: {"type": "string", "pattern": r"^\d{4}-\d{2}$"},
    FieldType.CHOICE: {"type": "string"},
    FieldType.BOOLEAN: {"type": "boolean"},
    FieldType.EMAIL: {"type": "string", "format": "email"},
    FieldType.PHONE: {"type": "string"},
    FieldType.PERSONAL_ID: {"type": "string", "pattern": r"^\d{12}$"},
}


def json_schema(fields: tuple[FormField, ...]) -> dict[str, Any]:
    """JSON Schema (2020-12) of a procedure's form, with the labels in the current language."""
    properties: dict[str, Any] = {}
    for spec in fields:
        prop = dict(_JSON_TYPES[spec.type], title=str(spec.label))
        if spec.help_text:
            prop["description"] = str(spec.help_text)
        if spec.type in (FieldType.TEXT, FieldType.LONG_TEXT):
            prop["maxLength"] = spec.max_length
        if spec.choices:
            prop["enum"] = [c.value for c in spec.choices]
        if spec.min_value is not None:
            prop["minimum"] = spec.min_value
        if spec.max_value is not None:
            prop["maximum"] = spec.max_value
        properties[spec.name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": [f.name for f in fields if f.required and f.type != FieldType.BOOLEAN],
        "additionalProperties": False,
    }
