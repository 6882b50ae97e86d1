"""The allowance pages' forms: they read the input; the rules and services check it."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ansinh.welfare import allowance_rules as rules
from ansinh.welfare.models import ChangeKind
from ansinh.welfare.procedures import PAYMENT_METHODS

DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y"]  # the date picker sends the first


def _date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUTS,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def group_choices() -> list[tuple[str, str]]:
    return [(g.code, g.name) for g in rules.groups_in_force(timezone.localdate())]


class AllowanceEstimateForm(forms.Form):
    groups = forms.MultipleChoiceField(
        label=_("Which groups describe you"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick every group that applies: the highest amount is paid."),
    )
    birth_date = _date_field(_("Date of birth"), required=False)
    children = forms.IntegerField(
        label=_("Number of children you raise (single parents only)"),
        required=False,
        min_value=1,
        max_value=rules.MAX_CHILDREN,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = group_choices()  # type: ignore[attr-defined]


class AllowanceChangeReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What changed"), choices=ChangeKind.choices)
    happened_on = _date_field(_("Date of the change"))
    description = forms.CharField(
        label=_("Describe the change"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The commune checks it and tells you what it decides."),
    )


class AllowanceReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AllowanceEndForm(AllowanceReasonForm):
    last_month = _date_field(
        _("Last month paid"), required=False, help_text=_("Any day of that month; empty: this month.")
    )


class AllowanceChangeAcceptForm(forms.Form):
    outcome = forms.CharField(
        label=_("What the commune decided"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    new_group = forms.ChoiceField(label=_("New group (the amount changes from next month)"), required=False)
    children = forms.IntegerField(
        label=_("Number of children (single parents)"),
        required=False,
        min_value=1,
        max_value=rules.MAX_CHILDREN,
    )
    payment_method = forms.ChoiceField(label=_("New way of payment"), required=False)
    bank_account = forms.CharField(label=_("Bank and account number"), required=False, max_length=40)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_group"].choices = [  # type: ignore[attr-defined]
            ("", _("No change of group")),
            *group_choices(),
        ]
        self.fields["payment_method"].choices = [  # type: ignore[attr-defined]
            ("", _("No change of payment")),
            *[(c.value, c.label) for c in PAYMENT_METHODS],
        ]


class AllowanceChangeRejectForm(forms.Form):
    outcome = forms.CharField(
        label=_("Why it is not accepted"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
