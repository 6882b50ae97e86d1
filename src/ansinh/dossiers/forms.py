"""Page forms for a procedure's form schema. Django renders the fields (labels, help, errors); the values are
checked by `forms_schema.clean_form_data`, the same code the API uses, and its errors are put back here."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ansinh.core.errors import ValidationFailed
from ansinh.dossiers.procedures import FieldType, FormField


def _field(spec: FormField) -> forms.Field:
    attrs: dict[str, Any] = {"aria-required": "true"} if spec.required else {}
    common: dict[str, Any] = {"label": spec.label, "help_text": spec.help_text, "required": False}
    if spec.type == FieldType.BOOLEAN:
        return forms.BooleanField(**common)
    if spec.type == FieldType.CHOICE:
        choices = [("", _("— choose —")), *((c.value, c.label) for c in spec.choices)]
        return forms.ChoiceField(choices=choices, widget=forms.Select(attrs=attrs), **common)
    if spec.type == FieldType.LONG_TEXT:
        widget: forms.Widget = forms.Textarea(attrs={**attrs, "rows": 4, "maxlength": spec.max_length})
    elif spec.type == FieldType.DATE:
        widget = forms.DateInput(attrs={**attrs, "type": "date"})
    elif spec.type == FieldType.MONTH:
        widget = forms.TextInput(attrs={**attrs, "type": "month", "placeholder": "YYYY-MM"})
    elif spec.type in (FieldType.INTEGER, FieldType.MONEY, FieldType.PERSONAL_ID):
        widget = forms.TextInput(attrs={**attrs, "inputmode": "numeric"})
    elif spec.type == FieldType.EMAIL:
        widget = forms.EmailInput(attrs={**attrs, "autocomplete": "email"})
    elif spec.type == FieldType.PHONE:
        widget = forms.TextInput(attrs={**attrs, "type": "tel", "autocomplete": "tel"})
    else:
        widget = forms.TextInput(attrs={**attrs, "maxlength": spec.max_length})
    return forms.CharField(widget=widget, **common)


def organisation_field(organisations: list[tuple[int, str]]) -> forms.Field:
    """For a procedure an organisation files: which of the user's organisations files it (chosen already
    when there is one)."""
    choices: list[tuple[str, Any]] = [(str(pk), name) for pk, name in organisations]
    if len(choices) != 1:
        choices = [("", _("— choose —")), *choices]
    return forms.ChoiceField(
        label=_("Filed for the organisation"),
        choices=choices,
        required=False,
        widget=forms.Select(attrs={"aria-required": "true"}),
    )


def procedure_form(
    fields: tuple[FormField, ...],
    data: Any = None,
    initial: dict[str, Any] | None = None,
    *,
    extra: dict[str, forms.Field] | None = None,
) -> forms.Form:
    declared = {**(extra or {}), **{spec.name: _field(spec) for spec in fields}}
    form_class = type("ProcedureForm", (forms.Form,), declared)
    form = form_class(data=data, initial=initial)
    if data is not None:
        form.is_valid()  # fills cleaned_data so that domain errors can be added below
    return form


def raw_values(fields: tuple[FormField, ...], post: Any) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in fields:
        if spec.type == FieldType.BOOLEAN:
            values[spec.name] = spec.name in post
        else:
            values[spec.name] = post.get(spec.name, "")
    return values


def show_errors(form: forms.Form, exc: ValidationFailed) -> None:
    for name, messages in exc.details.get("fields", {}).items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)
