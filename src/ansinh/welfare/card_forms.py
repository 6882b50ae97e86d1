"""The card pages' forms: plain fields with labels, so a page works without JavaScript and a USB QR scanner
(which types like a keyboard) fills the QR field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ansinh.welfare.card_signing import MAX_PAYLOAD
from ansinh.welfare.models import RevokeReason

QR_HELP = _(
    "Scan the QR code on the card with the scanner (it types into this box), or paste the card's code."
)


class ScanForm(forms.Form):
    qr = forms.CharField(
        label=_("Card QR code"),
        max_length=MAX_PAYLOAD + 50,
        help_text=QR_HELP,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "data-card-qr": "1",
            }
        ),
    )


class PayForm(forms.Form):
    """One "Record payment" button: the card's QR again (the service re-checks it), the item, and the
    request key made when the page was shown (a double click records once)."""

    qr = forms.CharField(max_length=MAX_PAYLOAD + 50, widget=forms.HiddenInput)
    item = forms.RegexField(
        regex=r"^[a-z_]{1,20}:\d{1,18}:\d{4}-\d{2}-\d{2}$", max_length=60, widget=forms.HiddenInput
    )
    request_key = forms.RegexField(regex=r"^[A-Za-z0-9_-]{8,64}$", widget=forms.HiddenInput)


class RevokeForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RevokeReason.choices)


class CardSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Personal ID number, card number or name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
