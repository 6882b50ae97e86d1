"""The public benefit estimator page (no login): the same selector as `POST /api/v1/unemployment/estimate`.

A GET form, so an estimate has an address that can be kept or shared. Bad input is answered with the form
again, each message next to its field, and status 422 (as the API); an estimate, eligible or not, is 200.
"""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ansinh.core.errors import ValidationFailed
from ansinh.unemployment import rules, selectors
from ansinh.unemployment.forms import EstimateForm, HistoryLine
from ansinh.web.templatetags.money import vnd

# The rules' error paths (as the API names them) -> the page's fields.
_FIELDS = {
    "previous_claim.termination_date": "previous_termination_date",
    "previous_claim.reserved_months": "previous_reserved_months",
}


def _rule_set_name(code: str) -> str:
    names = {
        rules.OLD_RULES: _("Law on Employment 38/2013 and Decree 28/2015"),
        rules.NEW_RULES: _("Law on Employment 74/2025 and Decree 374/2025"),
    }
    return names.get(code, code)


def _shown(step: rules.Step) -> str:
    value = step.value
    if step.unit == rules.DAY and isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if step.unit == rules.VND:
        return vnd(int(value))
    if step.unit == rules.RULE_SET:
        return _rule_set_name(str(value))
    return str(value)


def claim_from(form: EstimateForm) -> rules.Claim:
    data = form.cleaned_data
    termination: date = data["termination_date"]
    if form.detailed:
        contributions = [line.contribution for line in form.lines]
    else:
        last = rules.month_of(termination)
        contributions = [
            rules.Contribution(rules.add_months(last, -n), data["wage"], data["region"])
            for n in reversed(range(data["months"]))
        ]
    previous = None
    if data.get("previous_termination_date") is not None:
        previous = rules.PreviousClaim(data["previous_termination_date"], data["previous_reserved_months"])
    return rules.Claim(
        termination_date=termination,
        contributions=contributions,
        pay_regime=data["pay_regime"],
        contract_months=data.get("contract_months"),
        decided_on=data.get("decided_on"),
        previous_claim=previous,
        months_already_received=data.get("months_already_received") or 0,
    )


def _page_field(path: str, form: EstimateForm) -> str | None:
    if path.startswith("contributions"):
        if form.detailed:
            return "history"
        part = path.rsplit(".", 1)[-1]
        return part if part in ("wage", "region") else "termination_date"
    name = _FIELDS.get(path, path)
    return name if name in form.fields else None


def _line_of(path: str, lines: list[HistoryLine]) -> int | None:
    parts = path.split(".")
    if len(parts) >= 2 and parts[0] == "contributions" and parts[1].isdigit() and int(parts[1]) < len(lines):
        return lines[int(parts[1])].line
    return None


def show_errors(form: EstimateForm, exc: ValidationFailed) -> None:
    """The rules' errors next to the page's fields; in the month-by-month box, naming the line."""
    for path, messages in exc.details.get("fields", {}).items():
        name = _page_field(path, form)
        line = _line_of(path, form.lines) if name == "history" else None
        for message in messages:
            if line is not None:
                message = _("Line %(line)d: %(problem)s") % {"line": line, "problem": message}
            form.add_error(name, message)


def _present(result: rules.Estimate, claim: rules.Claim) -> dict[str, Any]:
    return {
        "eligible": result.eligible,
        "reasons": result.reasons,
        "rule_set": _rule_set_name(result.rule_set),
        "monthly_benefit": vnd(result.monthly_benefit),
        "monthly_benefit_value": result.monthly_benefit,
        "total": vnd(result.monthly_benefit * result.benefit_months),
        "benefit_months": result.benefit_months,
        "start_date": result.start_date,
        "reserved_months": result.reserved_months,
        "contribution_months": result.contribution_months,
        "average_wage": vnd(result.average_wage),
        "benefit_cap": vnd(result.benefit_cap),
        "months_listed": len(claim.contributions),
        "periods": result.periods,
        "steps": [(step.step, _shown(step), step.legal_basis) for step in result.explanation],
    }


@require_safe
def estimate(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    asked = any(name in request.GET for name in EstimateForm.base_fields)
    form = EstimateForm(request.GET if asked else None, today=today)
    context: dict[str, Any] = {"form": form, "result": None, "today": today}
    if asked and form.is_valid():
        claim = claim_from(form)
        try:
            result = selectors.benefit_estimate(claim, today=today)
        except ValidationFailed as exc:
            show_errors(form, exc)
        else:
            context["result"] = _present(result, claim)
    context["detailed_open"] = form.detailed or "history" in form.errors
    context["previous_open"] = bool(
        asked
        and (
            request.GET.get("previous_termination_date")
            or request.GET.get("previous_reserved_months")
            or {"previous_termination_date", "previous_reserved_months"} & set(form.errors)
        )
    )
    return render(request, "unemployment/estimate.html", context, status=422 if form.errors else 200)
