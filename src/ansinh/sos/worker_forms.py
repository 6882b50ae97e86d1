"""Forms of the workers' pages: field presence and shape only; the rules live in services/workers.py."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from ansinh.sos.services.workers import SECURITY_QUESTIONS


class ProfileForm(forms.Form):
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_(
            "The number you use where you work now. Foreign numbers start with +, e.g. +82 10 1234 5678."
        ),
    )
    security_question = forms.ChoiceField(label=_("Security question"), required=False)
    security_answer = forms.CharField(
        label=_("Your answer"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
        help_text=_(
            "Something easy for you to remember and to say on the phone. The hotline asks it to know it is "
            "you. It is stored so that nobody can read it. Leave it empty to keep your answer."
        ),
    )
    # Each language in its own words: "English" for someone who cannot read Vietnamese, and the other way.
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES],
        widget=forms.RadioSelect,
        initial="vi",
    )

    def __init__(self, *args: Any, current_question: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        offered = [str(q) for q in SECURITY_QUESTIONS]
        if current_question and current_question not in offered:
            offered.insert(
                0, current_question
            )  # a question chosen earlier (in the app or the other language)
        field = self.fields["security_question"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a question")), *((q, q) for q in offered)]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
        help_text=_(
            "The first row holds the column names, as in the template. At most 20,000 workers per file."
        ),
    )
