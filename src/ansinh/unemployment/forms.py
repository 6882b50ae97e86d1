"""The estimator page's form: what a worker types, read into plain values (dates, whole numbers, đồng).

Two ways to give the contributions: the simple figures (months in a row up to the termination, one monthly
wage, one region) or, when the "month by month" box is filled, one line per month: `YYYY-MM wage region`.
The rules themselves are checked by `rules.validate` through the selector; this form only reads the input.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ansinh.unemployment import rules

MAX_MONTHS = 600  # fifty years, as the API (schemas.MAX_MONTHS)
MAX_HISTORY_CHARS = 40_000  # 600 lines of about 60 characters
MAX_WAGE_DIGITS = 13  # under ten thousand billion đồng: anything longer is a typing slip
FIRST_DAY = date(2009, 1, 1)  # unemployment insurance began on 1 January 2009 (Law 71/2006)
DATE_INPUTS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]  # the date picker sends the first
REGION_CHOICES = [(code, code) for code in rules.REGIONS]
ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_CURRENCY = re.compile(r"(vnđ|vnd|đồng|đ|d)$", re.IGNORECASE)
_GROUPED = re.compile(r"^\d{1,3}([.,]\d{3})+$")
_MONTH_ISO = re.compile(r"^(\d{4})-(\d{1,2})$")
_MONTH_VN = re.compile(r"^(\d{1,2})/(\d{4})$")


def parse_money(text: str) -> int | None:
    """'8.000.000', '8,000,000', '8 000 000 đ', '8000000' -> 8000000; anything else -> None."""
    value = _SPACES.sub("", text.strip())
    value = _CURRENCY.sub("", value)
    if value.isdigit() or _GROUPED.match(value):
        digits = value.replace(".", "").replace(",", "")
        if len(digits) <= MAX_WAGE_DIGITS:
            return int(digits)
    return None


def parse_month(text: str) -> date | None:
    """'2025-06' (or '06/2025', as people write it in Vietnam) -> date(2025, 6, 1); else None."""
    found = _MONTH_ISO.match(text) or _MONTH_VN.match(text)
    if found is None:
        return None
    year, month = (found[1], found[2]) if found.re is _MONTH_ISO else (found[2], found[1])
    if not 1 <= int(month) <= 12:
        return None
    return date(int(year), int(month), 1)


@dataclass(frozen=True)
class HistoryLine:
    line: int  # 1-based, counting blank lines, as the person sees the box
    contribution: rules.Contribution


def parse_history(text: str, default_region: str, today: date) -> list[HistoryLine]:
    """The month-by-month box: one line per month, `YYYY-MM wage [region]`; blank lines are skipped.
    Raises a ValidationError naming the first bad line."""
    parsed: list[HistoryLine] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        words = raw.split()
        if not words:
            continue

        def bad(message: str, number: int = number) -> forms.ValidationError:
            return forms.ValidationError(
                gettext("Line %(line)d: %(problem)s") % {"line": number, "problem": message}, code="line"
            )

        if len(words) not in (2, 3):
            raise bad(gettext("write the month, the wage and the region, for example 2025-06 8.000.000 I."))
        month = parse_month(words[0])
        if month is None:
            raise bad(gettext("write the month as YYYY-MM, for example 2025-06."))
        if month < FIRST_DAY:
            raise bad(gettext("unemployment insurance began in January 2009."))
        if month > today:
            raise bad(gettext("this month is in the future."))
        wage = parse_money(words[1])
        if wage is None:
            raise bad(gettext("write the wage in đồng, for example 8.000.000."))
        region = ROMAN.get(words[2], words[2].upper()) if len(words) == 3 else default_region
        if region not in rules.REGIONS:
            raise bad(gettext("the region is I, II, III or IV."))
        parsed.append(HistoryLine(number, rules.Contribution(month, wage, region)))
        if len(parsed) > MAX_MONTHS:
            raise bad(gettext("at most 600 months can be listed."))
    return parsed


class MoneyField(forms.CharField):
    """An amount in đồng, typed with or without thousands separators."""

    def __init__(self, **kwargs: Any):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "off", "size": 14, "maxlength": 40}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        amount = parse_money(text) if len(text) <= 60 else None
        if amount is None:
            raise forms.ValidationError(_("Write the amount in đồng, for example 8.000.000."), code="invalid")
        return amount


def _date(label: Any, help_text: Any = "", required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=required,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date."),
            "invalid": _("Enter a real date, for example 31/12/2025."),
        },
    )


def _whole(label: Any, help_text: Any, low: int, high: int, required: bool = False) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=low,
        max_value=high,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 5}),
        error_messages={
            "required": _("Enter a number."),
            "invalid": _("Write a whole number, for example 12."),
            "min_value": _("The smallest possible number is %(limit_value)s."),
            "max_value": _("The largest possible number is %(limit_value)s."),
        },
    )


class EstimateForm(forms.Form):
    """Read by GET: the page's address can be kept and shared."""

    termination_date = _date(
        _("Day your job ended"),
        _("The last day of your labour contract or job."),
        required=True,
    )
    contract_months = _whole(
        _("Length of your last contract, in months"),
        _("Leave empty if the contract had no end date."),
        1,
        1200,
    )
    pay_regime = forms.ChoiceField(
        label=_("Who set your wage"),
        choices=[(rules.EMPLOYER, _("The employer")), (rules.STATE, _("The State pay scale"))],
        initial=rules.EMPLOYER,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one."), "invalid_choice": _("Choose one of the answers.")},
    )
    region = forms.ChoiceField(
        label=_("Minimum-wage region of your workplace"),
        help_text=_("Region I is the big cities. Your employer or your labour contract can tell you."),
        choices=REGION_CHOICES,
        initial="I",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one."), "invalid_choice": _("Choose I, II, III or IV.")},
    )
    months = _whole(
        _("Months you paid unemployment insurance in a row"),
        _(
            "Count back from the month your job ended, that month included. If some months were missed, "
            "list your months one by one below instead."
        ),
        1,
        MAX_MONTHS,
    )
    wage = MoneyField(
        label=_("Monthly wage declared for unemployment insurance, in đồng"),
        help_text=_("The wage on your social-insurance book, for example 8.000.000."),
        required=False,
    )
    history = forms.CharField(
        label=_("Your contributions month by month"),
        help_text=_(
            "One line per month: the month, the wage and the region, for example 2025-06 8.000.000 I. "
            "When this box is filled, it is used instead of the months and wage above."
        ),
        required=False,
        max_length=MAX_HISTORY_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "autocomplete": "off", "spellcheck": "false"}),
        error_messages={"max_length": _("This is too long: at most 600 lines.")},
    )
    decided_on = _date(
        _("Day you file your claim"),
        _("Leave empty for today. The law in force on the day the claim is decided applies."),
    )
    months_already_received = _whole(
        _("Benefit months you already received for this claim"),
        _("Leave empty if you have not received any yet."),
        0,
        rules.MAX_BENEFIT_MONTHS,
    )
    previous_termination_date = _date(
        _("Day the job of your earlier claim ended"),
        _("Only if you received unemployment benefit before."),
    )
    previous_reserved_months = _whole(
        _("Months kept (reserved) from that claim"),
        _("Written on the earlier decision or your social-insurance book."),
        0,
        MAX_MONTHS,
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.today = today
        self.lines: list[HistoryLine] = []

    @property
    def detailed(self) -> bool:
        """The month-by-month box is used (its text, cleaned or not)."""
        return bool(self.data.get("history", "").strip()) if self.is_bound else False

    def _check_day(self, name: str, latest: date) -> None:
        day = self.cleaned_data.get(name)
        if day is None:
            return
        if day < FIRST_DAY:
            self.add_error(name, gettext("Unemployment insurance began on 1/1/2009: enter a later date."))
        elif day > latest:
            self.add_error(
                name, gettext("Enter a date up to %(day)s.") % {"day": latest.strftime("%d/%m/%Y")}
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        latest = self.today + timedelta(days=366)
        for name in ("termination_date", "decided_on", "previous_termination_date"):
            self._check_day(name, latest)
        termination, decided = data.get("termination_date"), data.get("decided_on")
        if termination and decided and decided < termination:
            self.add_error("decided_on", gettext("This day cannot be before the day your job ended."))
        if self.detailed:
            for ignored in ("months", "wage"):  # the box is used instead of them
                self.errors.pop(ignored, None)
            if "history" in data and "region" in data:
                try:
                    self.lines = parse_history(data["history"], data["region"], self.today)
                except forms.ValidationError as exc:
                    self.add_error("history", exc)
        else:
            if termination and rules.month_of(termination) > rules.month_of(self.today):
                self.add_error(
                    "termination_date",
                    gettext(
                        "The months up to this day are not paid yet. Enter the day your job ended, "
                        "or list the months already paid one by one."
                    ),
                )
            if data.get("months") is None and "months" not in self.errors:
                self.add_error("months", gettext("Enter the number of months."))
            if (data.get("wage") is None and "wage" not in self.errors) or data.get("wage") == 0:
                self.add_error("wage", gettext("Enter the monthly wage."))
        previous_day = data.get("previous_termination_date")
        previous_months = data.get("previous_reserved_months")
        if (
            previous_day is not None
            and previous_months is None
            and "previous_reserved_months" not in self.errors
        ):
            self.add_error("previous_reserved_months", gettext("Enter the months kept from that claim."))
        if (
            previous_months is not None
            and previous_day is None
            and "previous_termination_date" not in self.errors
        ):
            self.add_error("previous_termination_date", gettext("Enter the day that job ended."))
        return data
