"""Forms of the employer's pages and of the centres' verification. They only shape what a person types
(codes, whole đồng, dates); the services check everything and their errors are put back beside the fields."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Occupation, Province
from ansinh.jobs.models import ApplicationStatus, ContractType
from ansinh.overseas.forms import MoneyField

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]  # the date picker sends the first; people type the second


def province_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(p.code, p.name) for p in Province.objects.order_by("name_search", "code")]


def occupation_choices() -> list[tuple[str, str]]:
    """ISCO-08 minor groups (three digits): fine enough to match people with jobs, short enough for a
    phone."""
    return [("", "—")] + [
        (o.code, f"{o.code} · {o}") for o in Occupation.objects.filter(level=3).order_by("code")
    ]


class EmployerRegisterForm(forms.Form):
    tax_code = forms.CharField(
        label=_("Tax code"),
        max_length=14,
        help_text=_("10 digits, or 10 digits, a dash and 3 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Employer name"), max_length=255)
    province = forms.ChoiceField(label=_("Province or city"))
    ward = forms.CharField(
        label=_("Ward or commune"),
        max_length=100,
        required=False,
        help_text=_("Optional. Type its name, for example Bến Thành."),
    )
    address = forms.CharField(label=_("Address"), max_length=255, help_text=_("House number and street."))
    contact_name = forms.CharField(label=_("Contact person"), max_length=150)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    admin_username = forms.CharField(
        label=_("Username of the account's administrator"),
        max_length=40,
        help_text=_("3 to 40 lower-case letters, digits, dots, dashes or underscores."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = province_choices()  # type: ignore[attr-defined]


class VacancyForm(forms.Form):
    title = forms.CharField(label=_("Job title"), max_length=200)
    occupation = forms.ChoiceField(label=_("Occupation (ISCO-08)"))
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the work is, the hours, the place, and what you offer."),
    )
    requirements = forms.CharField(
        label=_("Skills and requirements"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Separate the skills with commas, for example: Excel, kế toán thuế, tiếng Anh."),
    )
    is_remote = forms.BooleanField(label=_("Remote work"), required=False)
    province = forms.ChoiceField(label=_("Province of the workplace"), required=False)
    ward = forms.CharField(
        label=_("Ward or commune"),
        max_length=100,
        required=False,
        help_text=_("Optional. Type its name, for example Bến Thành."),
    )
    is_abroad = forms.BooleanField(label=_("Work abroad"), required=False)
    supply_contract = forms.TypedChoiceField(
        label=_("Registered supply contract"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Work abroad is offered only on a supply contract registered with the authorities."),
    )
    salary_min = MoneyField(label=_("Salary from (VND a month)"), required=False)
    salary_max = MoneyField(
        label=_("Salary up to (VND a month)"),
        required=False,
        help_text=_("Leave both blank if the salary is agreed with the person."),
    )
    contract_type = forms.ChoiceField(label=_("Contract type"), choices=ContractType.choices)
    openings = forms.IntegerField(label=_("Number of openings"), min_value=1, initial=1)
    deadline = forms.DateField(
        label=_("Last day to apply"),
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("At most 6 months from today."),
    )

    def __init__(self, *args: Any, contracts: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["occupation"].choices = occupation_choices()  # type: ignore[attr-defined]
        self.fields["province"].choices = province_choices()  # type: ignore[attr-defined]
        contracts = list(contracts)
        if contracts:
            self.fields["supply_contract"].choices = [("", "—")] + [  # type: ignore[attr-defined]
                (c.pk, f"{c.number} · {c.country}") for c in contracts
            ]
        else:  # a domestic employer offers no work abroad
            del self.fields["is_abroad"]
            del self.fields["supply_contract"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Move the application to"),
        choices=[
            (ApplicationStatus.INTERVIEW, _("Invite to an interview")),
            (ApplicationStatus.OFFER, _("Offer the job")),
            (ApplicationStatus.HIRED, _("Hired")),
            (ApplicationStatus.REJECTED, _("Not selected")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the application's history, for example the interview's time and place."),
    )


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("verify", _("Verify the employer")), ("reject", _("Do not verify"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed when the employer is not verified; the employer reads it."),
    )
