"""The pensioner's form to change how and where the pension is paid. The fields are named as the service's
arguments, so its errors land beside their fields; the service checks what each method needs."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ansinh.geo.models import Province
from ansinh.welfare import pension_selectors
from ansinh.welfare.models import PaymentMethod


def _none_or_int(value: Any) -> int | None:
    return int(value) if value not in (None, "") else None


class PensionArrangementForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How do you want to receive your pension?"),
        choices=PaymentMethod.choices,
        widget=forms.RadioSelect,
    )
    province_id = forms.TypedChoiceField(
        label=_("Province where you receive it"),
        coerce=int,
        help_text=_("If you move to another province, choose the new one."),
    )
    bank_name = forms.CharField(label=_("Bank"), max_length=100, required=False)
    bank_account = forms.CharField(
        label=_("Account number"),
        max_length=40,
        required=False,
        help_text=_("6 to 19 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    account_holder = forms.CharField(
        label=_("Account holder"),
        max_length=150,
        required=False,
        help_text=_("The account must be in your own name, as on your ID card."),
    )
    service_point_id = forms.TypedChoiceField(
        label=_("Post office or service point"),
        coerce=int,
        empty_value=None,
        required=False,
    )
    delivery_address = forms.CharField(
        label=_("Delivery address"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    delivery_reason = forms.CharField(
        label=_("Why you cannot travel"),
        max_length=255,
        required=False,
        help_text=_("For example: aged 80 or over, ill, or with a disability."),
    )

    def __init__(self, *args: Any, province_id: int | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        provinces = Province.objects.order_by("name").values_list("pk", "name")
        self.fields["province_id"].choices = [("", _("Choose a province")), *provinces]  # type: ignore[attr-defined]
        points = pension_selectors.service_points_in(province_id)
        self.service_points = list(points)
        self.fields["service_point_id"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose a service point")),
            *((p.pk, p.name) for p in self.service_points),
        ]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "method": data.get("method") or "",
            "province_id": _none_or_int(data.get("province_id")),
            "bank_name": data.get("bank_name") or "",
            "bank_account": data.get("bank_account") or "",
            "account_holder": data.get("account_holder") or "",
            "service_point_id": _none_or_int(data.get("service_point_id")),
            "delivery_address": data.get("delivery_address") or "",
            "delivery_reason": data.get("delivery_reason") or "",
        }
