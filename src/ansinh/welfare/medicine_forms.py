"""The regular-medicine page forms: they parse what was typed; the services check it and name the field."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from ansinh.accounts.models import Organisation
from ansinh.geo.models import Province
from ansinh.welfare import medicine_rules as rules
from ansinh.welfare.medicine_selectors import QUEUE_ALL, QUEUE_SCHEDULED, QUEUE_TO_CONFIRM, QUEUE_TODAY
from ansinh.welfare.models import MedicineMode, MedicineStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any):
        super().__init__(format="%H:%M", **kwargs)


class ClinicSearchForm(forms.Form):
    """Narrows the list of clinics to choose from (GET): a province and words of the clinic's name."""

    province = forms.ModelChoiceField(
        label=_("Province of the clinic"), queryset=Province.objects.order_by("name"), required=False
    )
    q = forms.CharField(label=_("Search the clinic by name"), max_length=100, required=False)


class MedicineRequestForm(forms.Form):
    clinic_id = forms.ModelChoiceField(
        label=_("Clinic where your health-insurance card is registered"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose the clinic"),
    )
    insurance_card_number = forms.CharField(
        label=_("Health-insurance card number"),
        max_length=30,
        help_text=_("The 15 characters printed on your card, for example DN4791234567890."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    condition = forms.CharField(
        label=_("Long-term condition"),
        max_length=200,
        help_text=_("For example: high blood pressure, diabetes."),
    )
    medicines = forms.CharField(
        label=_("Regular medicines (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The names and doses you take, as on your last prescription."),
    )
    mode = forms.ChoiceField(
        label=_("How do you want to receive it?"),
        choices=MedicineMode.choices,
        widget=forms.RadioSelect,
        initial=MedicineMode.PICKUP,
    )
    delivery_address = forms.CharField(
        label=_("Delivery address (for delivery)"), max_length=255, required=False
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("The clinic calls this number about the day and the delivery."),
    )

    def __init__(self, *args: Any, clinics: QuerySet[Organisation] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["clinic_id"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = clinics if clinics is not None else Organisation.objects.none()


class MedicineScheduleForm(forms.Form):
    scheduled_on = forms.DateField(label=_("Day"), widget=DateInput())
    window_start = forms.TimeField(label=_("Pick-up from"), required=False, widget=TimeInput())
    window_end = forms.TimeField(label=_("Pick-up until"), required=False, widget=TimeInput())
    days_supplied = forms.IntegerField(
        label=_("Days of medicine"),
        min_value=1,
        max_value=max(limit.max_days for limit in rules.MAX_DAYS_LIMITS),
        help_text=_(
            "At most 30 days, or up to 90 days for a long-term disease on the Ministry of Health's list."
        ),
    )
    note = forms.CharField(
        label=_("Note to the person (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MedicineDispenseForm(forms.Form):
    days_supplied = forms.IntegerField(
        label=_("Days of medicine handed over"),
        min_value=1,
        max_value=max(limit.max_days for limit in rules.MAX_DAYS_LIMITS),
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


class MedicineDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason the person will read"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


QUEUE_VIEW_CHOICES = [
    (QUEUE_TODAY, _("Today")),
    (QUEUE_TO_CONFIRM, _("To confirm")),
    (QUEUE_SCHEDULED, _("Scheduled")),
    (QUEUE_ALL, _("All")),
]


class MedicineQueueFilterForm(forms.Form):
    view = forms.ChoiceField(label=_("List"), choices=QUEUE_VIEW_CHOICES, required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *MedicineStatus.choices], required=False
    )
    day = forms.DateField(label=_("Scheduled day"), required=False, widget=DateInput())
    clinic = forms.ModelChoiceField(
        label=_("Clinic"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All my clinics"),
    )

    def __init__(self, *args: Any, clinics: QuerySet[Organisation] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["clinic"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = clinics if clinics is not None else Organisation.objects.none()
