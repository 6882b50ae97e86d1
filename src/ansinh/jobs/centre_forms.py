"""Forms of the centres' pages and of the satisfaction survey. They only shape the input: the services
check it (and their errors are shown beside the fields)."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ansinh.accounts.models import Organisation
from ansinh.geo.models import Ward
from ansinh.jobs.models import AppointmentStatus, Indicator

CHANNELS = [("in_person", _("At the centre")), ("phone", _("By phone")), ("video", _("Video call"))]


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class BookForm(forms.Form):
    """A person books counselling."""

    centre_id = forms.TypedChoiceField(label=_("Employment service centre"), coerce=int)
    starts_at = forms.DateTimeField(
        label=_("Date and time"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    channel = forms.ChoiceField(
        label=_("How"), choices=CHANNELS, widget=forms.RadioSelect, initial="in_person"
    )
    topic = forms.CharField(label=_("What I would like advice on"), max_length=300)

    def __init__(self, *args: Any, centres: Iterable[Organisation] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["centre_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(c.pk, c.name) for c in centres]


class PersonFields(forms.Form):
    personal_id = forms.CharField(
        label=_("Personal ID number"),
        max_length=20,
        help_text=_("12 digits, as on the citizen identity card."),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        required=False,
        help_text=_("Needed only for a person not yet on record."),
    )


class WalkInForm(PersonFields):
    channel = forms.ChoiceField(label=_("How"), choices=CHANNELS, initial="in_person")
    topic = forms.CharField(label=_("What the person would like advice on"), max_length=300)


class RecordForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What happened"),
        choices=[
            (AppointmentStatus.DONE, _("Held: the advice is recorded below")),
            (AppointmentStatus.NO_SHOW, _("The person did not come")),
            (AppointmentStatus.CANCELLED, _("Cancelled")),
        ],
        widget=forms.RadioSelect,
        initial=AppointmentStatus.DONE,
    )
    advice = forms.CharField(
        label=_("Record of advice"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )


class TalkForm(forms.Form):
    school = forms.CharField(label=_("School"), max_length=255)
    ward_id = forms.TypedChoiceField(label=_("Ward or commune"), coerce=int, required=False, empty_value=None)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    attendees = forms.IntegerField(label=_("Students attending"), min_value=1)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, wards: Iterable[Ward] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ward_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Not recorded")), *[(w.pk, w.name) for w in wards]]


class TicketForm(forms.Form):
    purpose = forms.CharField(label=_("What the person came for"), max_length=40)
    personal_id = forms.CharField(label=_("Personal ID number (optional)"), max_length=20, required=False)
    full_name = forms.CharField(
        label=_("Full name (for a person not yet on record)"), max_length=150, required=False
    )


class CallForm(forms.Form):
    desk = forms.CharField(label=_("Your desk"), max_length=20)


class ServeForm(forms.Form):
    personal_id = forms.CharField(label=_("Personal ID number (optional)"), max_length=20, required=False)
    full_name = forms.CharField(
        label=_("Full name (for a person not yet on record)"), max_length=150, required=False
    )


class PlacementForm(PersonFields):
    employer_name = forms.CharField(label=_("Employer"), max_length=255)
    job_title = forms.CharField(label=_("Job"), max_length=200)
    started_on = forms.DateField(label=_("Starts work on"), widget=DateInput(), required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why it is not confirmed"), max_length=500)


class TargetsForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for indicator in Indicator:
            self.fields[indicator.value] = forms.IntegerField(
                label=indicator.label, min_value=0, required=False
            )


SCORES = [
    (5, _("5 — Very satisfied")),
    (4, _("4 — Satisfied")),
    (3, _("3 — Neither satisfied nor unsatisfied")),
    (2, _("2 — Unsatisfied")),
    (1, _("1 — Very unsatisfied")),
]


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you with the service?"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Anything you would like to tell the centre (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        required=False,
    )
