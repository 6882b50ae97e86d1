"""Forms of the desk's pages (the services validate; these only carry the fields and their labels)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ansinh.sos.models import Audience, Programme


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    audience = forms.ChoiceField(label=_("Audience"), choices=Audience.choices)
    country = forms.CharField(label=_("Country (two letters, e.g. KR)"), max_length=2, required=False)
    programme = forms.ChoiceField(
        label=_("Programme"), choices=[("", "—"), *Programme.choices], required=False
    )
    employer = forms.CharField(label=_("Employer"), max_length=255, required=False)
    pinned = forms.BooleanField(label=_("Pinned at the top"), required=False)
    urgent = forms.BooleanField(label=_("Urgent (sent as a push notification)"), required=False)
    title_en = forms.CharField(label=_("English title (optional)"), max_length=200, required=False)
    body_en = forms.CharField(
        label=_("English text (optional)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
