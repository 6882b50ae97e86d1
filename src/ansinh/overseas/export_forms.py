"""The form of the worker-list export pages: the filters and the purpose, read into plain values. No rule
lives here: `worker_exports.workers_export` checks the purpose and the filters, and its errors are put back
beside the fields (`ansinh.web.forms.apply_domain_error`)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ansinh.overseas.forms import DATE_INPUTS
from ansinh.overseas.models import WorkerStatus
from ansinh.overseas.worker_exports import MAX_DETAIL, ExportFilters, ExportPurpose


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class WorkerExportForm(forms.Form):
    """`contracts` are the (id, number) pairs to choose from (the enterprise's pages); without them the
    contract is typed by its number (the department's pages: too many contracts for a list)."""

    contract_id = forms.TypedChoiceField(label=_("Contract"), required=False, coerce=int, empty_value=None)
    contract_number = forms.CharField(
        label=_("Contract number"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    country = forms.ChoiceField(label=_("Country of destination"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    departed_from = _date(_("Departed from"))
    departed_to = _date(_("Departed until"))
    province = forms.ChoiceField(label=_("Province of origin"), required=False)
    purpose = forms.ChoiceField(
        label=_("Purpose of the export"),
        required=False,  # the export names the missing purpose itself, in its own words
        choices=ExportPurpose.choices,
        widget=forms.RadioSelect,
    )
    purpose_detail = forms.CharField(
        label=_("Describe the purpose"),
        required=False,
        help_text=_("Required for another purpose; for example the authority and the request it answers."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_DETAIL}),
    )

    # The filters, in the order shown; a link may carry them to prefill the form (the worker list's own).
    FILTERS = (
        "contract_id",
        "contract_number",
        "country",
        "status",
        "departed_from",
        "departed_to",
        "province",
    )

    def __init__(
        self,
        *args: Any,
        contracts: list[tuple[int, str]] | None,
        countries: list[tuple[str, str]],
        provinces: list[tuple[str, str]],
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if contracts is None:
            del fields["contract_id"]
        else:
            del fields["contract_number"]
            fields["contract_id"].choices = [("", _("All contracts")), *contracts]
        fields["country"].choices = [("", _("All countries")), *countries]
        fields["status"].choices = [("", _("All statuses")), *WorkerStatus.choices]
        fields["province"].choices = [("", _("All provinces you may see")), *provinces]

    def filter_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FILTERS if name in self.fields]

    def filters(self) -> ExportFilters:
        data = self.cleaned_data
        return ExportFilters(
            contract_id=data.get("contract_id"),
            contract_number=(data.get("contract_number") or "").strip(),
            country=data.get("country") or "",
            status=data.get("status") or "",
            departed_from=data.get("departed_from"),
            departed_to=data.get("departed_to"),
            province=data.get("province") or "",
        )
