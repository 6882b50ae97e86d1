"""The overseas-labour pages' forms: what a person types, read into plain values (whole đồng, dates, codes).
No rule lives here: the services check everything and their errors are put back beside the fields
(`ansinh.web.forms.apply_domain_error`)."""

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ansinh.geo.models import Country, Occupation, Province
from ansinh.overseas import lifecycle, rules
from ansinh.overseas.models import ContractKind, LicenceAction, WorkerStatus
from ansinh.overseas.permissions import DELEGABLE

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]  # the date picker sends the first; people type the second
MAX_MONEY_DIGITS = 15

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_CURRENCY = re.compile(r"(vnđ|vnd|đồng|đ)$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")


def parse_money(text: str) -> int | None:
    """'40.000.000', '40,000,000', '40 000 000 đ', '40000000' -> 40000000; anything else -> None."""
    value = _CURRENCY.sub("", _SPACES.sub("", text.strip()))
    if value.isdigit() or _GROUPED.match(value):
        digits = value.replace(".", "").replace(",", "")
        if len(digits) <= MAX_MONEY_DIGITS:
            return int(digits)
    return None


class MoneyField(forms.CharField):
    """An amount in đồng, typed with or without thousands separators."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 30}),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        amount = parse_money(text) if len(text) <= 40 else None
        if amount is None:
            raise forms.ValidationError(_("Write the amount in đồng, for example 8.000.000."), code="invalid")
        return amount


def _date(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def province_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(p.code, p.name) for p in Province.objects.order_by("name")]


def country_choices() -> list[tuple[str, str]]:
    return [("", "—")] + [(c.iso2, c.name) for c in Country.objects.order_by("name_vi")]


def occupation_choices() -> list[tuple[str, str]]:
    """The ISCO-08 minor groups (three digits): fine enough for a contract, short enough for a phone."""
    return [("", "—")] + [(o.code, str(o)) for o in Occupation.objects.filter(level=3).order_by("code")]


def delegable_choices() -> list[tuple[str, Any]]:
    return [(name, rules.DELEGABLE_FUNCTIONS.get(name, name)) for name in DELEGABLE]


class EnterpriseInfoForm(forms.Form):
    """The enterprise's own information (seed 002), as it registers or keeps it current."""

    name = forms.CharField(label=_("Enterprise name"), max_length=255)
    head_office = forms.CharField(label=_("Head office address"), max_length=255)
    charter_capital = MoneyField(label=_("Charter capital (VND)"))
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.attrs.update({"type": "tel", "autocomplete": "tel"})
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})


class EnterpriseRegisterForm(EnterpriseInfoForm):
    tax_code = forms.CharField(
        label=_("Tax code"),
        max_length=14,
        help_text=_("10 digits, or 10 digits, a dash and 3 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    province = forms.ChoiceField(label=_("Province of the head office"))
    admin_username = forms.CharField(
        label=_("Username of the enterprise's administrator"),
        max_length=40,
        help_text=_("3 to 40 lower-case letters, digits, dots, dashes or underscores."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    field_order = [
        "tax_code",
        "name",
        "head_office",
        "province",
        "charter_capital",
        "legal_representative",
        "phone",
        "email",
        "website",
        "admin_username",
    ]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = province_choices()  # type: ignore[attr-defined]


class BranchForm(forms.Form):
    name = forms.CharField(label=_("Branch name"), max_length=255)
    province = forms.ChoiceField(label=_("Province of the branch"))
    staff_username = forms.CharField(
        label=_("Username of the branch's staff account"),
        max_length=40,
        help_text=_("The account gets a one-time password, shown once, to change at the first sign-in."),
    )
    staff_email = forms.EmailField(label=_("Staff member's e-mail"), required=False)
    functions = forms.MultipleChoiceField(
        label=_("Functions delegated to the branch"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any):
        # Its own element ids: the portal shows it beside the enterprise's form, which also has a name.
        kwargs.setdefault("auto_id", "branch_%s")
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = province_choices()  # type: ignore[attr-defined]
        self.fields["functions"].choices = delegable_choices()  # type: ignore[attr-defined]


class ContractForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of contract"), choices=ContractKind.choices)
    number = forms.CharField(label=_("Contract number"), max_length=60)
    party_registration_number = forms.CharField(label=_("Foreign party's registration number"), max_length=60)
    party_name = forms.CharField(label=_("Foreign party's name"), max_length=255)
    country = forms.ChoiceField(label=_("Country"))
    occupation = forms.ChoiceField(label=_("Occupation"))
    workers_planned = forms.IntegerField(label=_("Number of workers"), min_value=1, max_value=100_000)
    monthly_salary = MoneyField(label=_("Monthly salary (VND)"))
    contract_months = forms.IntegerField(label=_("Contract length (months)"), min_value=1, max_value=240)
    internship_days = forms.IntegerField(
        label=_("Internship length (days)"),
        min_value=1,
        max_value=3_650,
        required=False,
        help_text=_(
            "Only for an internship: under 90 days it is registered with the province's department, 90 days "
            "or more with the Department of Overseas Labour (Law 69/2020 Art 39)."
        ),
    )
    service_fee = MoneyField(label=_("Service fee charged to the worker (VND)"), required=False)
    broker_fee = MoneyField(label=_("Broker fee paid by the enterprise (VND)"), required=False)
    broker_registration_number = forms.CharField(
        label=_("Broker's registration number"), max_length=60, required=False
    )
    broker_name = forms.CharField(
        label=_("Broker's name"),
        max_length=255,
        required=False,
        help_text=_("Only when a broker fee is paid."),
    )
    worker_deposit = MoneyField(label=_("Deposit asked of the worker (VND)"), required=False)
    airfare = MoneyField(label=_("One-way economy airfare (VND)"), required=False)
    signed_on = _date(_("Signed on"))

    # The service's field names for the foreign party, and this form's.
    PARTY_FIELDS = {
        "employer.registration_number": "party_registration_number",
        "employer.name": "party_name",
        "agency.registration_number": "party_registration_number",
        "agency.name": "party_name",
        "broker.registration_number": "broker_registration_number",
        "broker.name": "broker_name",
    }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()  # type: ignore[attr-defined]
        self.fields["occupation"].choices = occupation_choices()  # type: ignore[attr-defined]

    def terms(self) -> dict[str, Any]:
        """The cleaned form as `contracts.contract_submit` takes it."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "number": data["number"],
            "foreign_party": {
                "registration_number": data["party_registration_number"],
                "name": data["party_name"],
            },
            "country": data["country"],
            "occupation": data["occupation"],
            "workers_planned": data["workers_planned"],
            "monthly_salary": data["monthly_salary"],
            "contract_months": data["contract_months"],
            "internship_days": data["internship_days"],
            "service_fee": data["service_fee"] or 0,
            "broker_fee": data["broker_fee"] or 0,
            "broker": {
                "registration_number": data["broker_registration_number"],
                "name": data["broker_name"],
            },
            "worker_deposit": data["worker_deposit"] or 0,
            "airfare": data["airfare"] or 0,
            "signed_on": data["signed_on"],
        }


class WorkerStepForm(forms.Form):
    status = forms.ChoiceField(label=_("Step"))
    on = _date(_("Date"))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    employer_name = forms.CharField(
        label=_("New employer (when the worker changed employer)"), max_length=255, required=False
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["on"].widget.attrs["max"] = timezone.localdate().isoformat()
        allowed = lifecycle.NEXT_STEPS.get(current, frozenset())
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in WorkerStatus.choices if value in allowed
        ]


class LicenceGrantForm(forms.Form):
    number = forms.CharField(label=_("Licence number"), max_length=40)
    issued_on = _date(pgettext_lazy("licence", "Issued on"))


class LicenceChangeForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[(v, label) for v, label in LicenceAction.choices if v != LicenceAction.GRANTED],
    )
    on = _date(_("Date of the decision"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    reason = forms.CharField(
        label=pgettext_lazy("licence", "Ground"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reasons for the refusal"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WorkerListUploadForm(forms.Form):
    contract = forms.TypedChoiceField(label=_("Contract the workers go under"), coerce=int)
    file = forms.FileField(
        label=_("Worker list (.xlsx)"),
        required=False,  # a missing file is refused by the service, naming the field the same way
        help_text=_(
            "At most 100,000 rows and 20 MB. Nothing is saved until you confirm a list with no errors."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args: Any, contracts: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["contract"].choices = [("", _("— choose —")), *contracts]  # type: ignore[attr-defined]
