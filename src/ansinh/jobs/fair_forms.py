"""The job fairs' page forms: they parse what was typed; the services check it and name the field."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Ward
from ansinh.jobs.models import FairKind

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any):
        super().__init__(format=LOCAL_INPUT, **kwargs)


class FairForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of fair"), choices=FairKind.choices)
    starts_at = forms.DateTimeField(label=_("Starts"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=LocalDateTimeInput())
    ward_id = forms.ModelChoiceField(
        label=_("Ward or commune (mobile fairs)"),
        queryset=Ward.objects.none(),
        required=False,
    )
    venue = forms.CharField(
        label=_("Venue"),
        max_length=255,
        required=False,
        help_text=_("For fairs held in person, mobile or hybrid: the address where people come."),
    )
    online_url = forms.CharField(
        label=_("Online link"),
        max_length=200,
        required=False,
        help_text=_("For online and hybrid fairs: the stream or fan page, starting with https://."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, province_id: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["ward_id"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Ward.objects.filter(province_id=province_id or 0).order_by("name")

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        ward = data.pop("ward_id", None)
        data["ward_id"] = ward.pk if ward else None
        return data


class BoothVacanciesForm(forms.Form):
    vacancy_ids = forms.MultipleChoiceField(
        label=_("Vacancies presented at the booth"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, vacancies: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["vacancy_ids"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(v.pk), v.title) for v in vacancies]


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=LocalDateTimeInput())
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=50, initial=1)
    video_link = forms.CharField(
        label=_("Video call link"),
        max_length=200,
        required=False,
        help_text=_("Online and hybrid fairs: starting with https://. Only the seekers who book see it."),
    )


class AddBoothForm(forms.Form):
    tax_code = forms.CharField(label=_("Employer's tax code"), max_length=14)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Registration code"),
        max_length=40,
        help_text=_("Type the code under the QR, or scan the QR with a scanner: it fills this box."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "autocapitalize": "characters"}
        ),
    )


class WalkInForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    personal_id = forms.CharField(
        label=_("Personal ID number (if they have it)"),
        max_length=12,
        required=False,
        help_text=_("A person already on record is found by it; otherwise enter the name and phone."),
    )


class ResultsForm(forms.Form):
    """Three numbers for each booth, named `booth_<id>_<figure>`."""

    FIGURES = ("interviews", "offers", "hires")

    def __init__(self, *args: Any, figures: Any = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        labels = {"interviews": _("Interviews"), "offers": _("Job offers"), "hires": _("Hires")}
        self.rows: list[tuple[Any, list[str]]] = []
        for row in figures:
            names = []
            for figure in self.FIGURES:
                name = f"booth_{row.booth.pk}_{figure}"
                self.fields[name] = forms.IntegerField(
                    label=labels[figure], min_value=0, initial=getattr(row, figure)
                )
                names.append(name)
            self.rows.append((row, names))

    def results(self) -> dict[int, dict[str, Any]]:
        return {
            row.booth.pk: {
                figure: self.cleaned_data[f"booth_{row.booth.pk}_{figure}"] for figure in self.FIGURES
            }
            for row, _names in self.rows
        }

    def bound_rows(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(row, [self[name] for name in names]) for row, names in self.rows]
