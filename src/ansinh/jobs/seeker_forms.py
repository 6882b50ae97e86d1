"""The job seeker's forms. They only shape the input for the pages; every rule is checked by the services
(`jobs.services.seekers`, `jobs.services.saved_searches`), whose errors are shown beside their fields."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from ansinh.jobs.models import EducationLevel, SeekerProfile, Visibility
from ansinh.jobs.seeker_selectors import occupation_choices, province_choices

VISIBILITY_HELP = _(
    "Private: employers do not see you unless you apply to them. Anonymous: employers can find your "
    "profile, but not your name or phone, until you apply. Full: employers can find you and call you."
)


def _set_choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class RegisterForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = forms.CharField(
        label=_("Mobile phone number"),
        max_length=20,
        help_text=_("You sign in with this number. A number abroad starts with + and the country code."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    password = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    province = forms.ChoiceField(label=_("Province or city where you live"))

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set_choices(self, "province", [("", _("Choose…")), *province_choices()])
        self.fields["password"].help_text = " ".join(password_validation.password_validators_help_texts())


class StartForm(forms.Form):
    headline = forms.CharField(
        label=_("What work are you looking for?"),
        max_length=200,
        required=False,
        help_text=_("For example: accountant, welder, shop assistant."),
    )


class ProfileForm(forms.Form):
    headline = forms.CharField(
        label=_("What work are you looking for?"),
        max_length=200,
        help_text=_("For example: accountant, welder, shop assistant."),
    )
    occupations = forms.MultipleChoiceField(
        label=_("Occupations you want (up to 5)"),
        required=False,
        help_text=_("Hold Ctrl (or Command) to choose more than one on a computer."),
    )
    provinces = forms.MultipleChoiceField(
        label=_("Where you want to work (up to 5 provinces)"),
        required=False,
        help_text=_("Choose none if you can work anywhere."),
    )
    province = forms.ChoiceField(label=_("Province or city where you live"), required=False)
    education = forms.ChoiceField(label=_("Education"), choices=EducationLevel.choices)
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=2000,
        help_text=_("Separate skills with commas, for example: Excel, forklift driving, Korean."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    experience = forms.CharField(
        label=_("Work experience"),
        required=False,
        max_length=5000,
        help_text=_("Where you worked, what you did, and for how long."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    experience_years = forms.IntegerField(label=_("Years of experience"), min_value=0, max_value=60)
    expected_salary = forms.CharField(
        label=_("Expected salary (đồng a month)"),
        required=False,
        max_length=15,
        help_text=_("For example 9000000. Leave empty if you prefer not to say."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    wants_abroad = forms.BooleanField(label=_("I would also work abroad"), required=False)
    wants_remote = forms.BooleanField(label=_("I would also work from home (remote)"), required=False)
    visibility = forms.ChoiceField(
        label=_("Who may see my profile"),
        choices=Visibility.choices,
        widget=forms.RadioSelect,
        help_text=VISIBILITY_HELP,
    )
    is_looking = forms.BooleanField(label=_("I am looking for work now"), required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        provinces = province_choices()
        _set_choices(self, "occupations", occupation_choices())
        _set_choices(self, "provinces", provinces)
        _set_choices(self, "province", [("", _("Choose…")), *provinces])
        self.fields["occupations"].widget.attrs["size"] = 8
        self.fields["provinces"].widget.attrs["size"] = 8

    @classmethod
    def initial_of(cls, profile: SeekerProfile) -> dict[str, Any]:
        return {
            "headline": profile.headline,
            "occupations": [row.occupation.code for row in profile.wanted_occupations.all()],
            "provinces": [row.province.code for row in profile.wanted_provinces.all()],
            "province": profile.province.code if profile.province else "",
            "education": profile.education,
            "skills": profile.skills,
            "experience": profile.experience,
            "experience_years": profile.experience_years,
            "expected_salary": profile.expected_salary or "",
            "wants_abroad": profile.wants_abroad,
            "wants_remote": profile.wants_remote,
            "visibility": profile.visibility,
            "is_looking": profile.is_looking,
        }


class ApplyForm(forms.Form):
    cover_note = forms.CharField(
        label=_("A short message to the employer (optional)"),
        required=False,
        max_length=2000,
        help_text=_("Say why you fit the job. The employer sees your profile with your name and phone."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class SavedSearchNameForm(forms.Form):
    name = forms.CharField(label=_("Name of the saved search"), max_length=100, required=False)
