"""Vacancies: a verified employer posts, edits and closes its own; the deadline closes them as expired.

A vacancy abroad comes only from an enterprise whose licence is in force, on one of its own supply
contracts registered with the authorities: the country is the contract's, and the vacancy page shows the
contract's number and registration, so a worker can tell a lawful offer from a scam."""

import calendar
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ansinh.core import audit
from ansinh.core.errors import ValidationFailed
from ansinh.geo.models import Occupation, Province, Ward
from ansinh.jobs import selectors
from ansinh.jobs.errors import EmployerNotVerified, VacancyClosed
from ansinh.jobs.models import ContractType, Employer, EmployerStatus, Vacancy, VacancyStatus
from ansinh.jobs.services.employers import employer_current, licence_in_force, ward_in
from ansinh.jobs.texts import skills_normalised, vacancy_search_text
from ansinh.overseas.models import Contract, ContractStatus, Enterprise

# A month's pay in đồng: below the lowest hourly minimum wage for a short part-time job is a typo, and
# above two billion is one too (Decree 74/2024/ND-CP sets the regional minimums).
SALARY_MIN_VND = 500_000
SALARY_MAX_VND = 2_000_000_000
DEADLINE_MONTHS = 6
MAX_OPENINGS = 10_000
TEXT_LIMITS = {"title": 200, "description": 20_000, "requirements": 5_000}
SKILLS_CHARS = 500

FIELDS = (
    "title",
    "occupation",
    "description",
    "requirements",
    "province",
    "ward",
    "is_remote",
    "is_abroad",
    "supply_contract",
    "salary_min",
    "salary_max",
    "contract_type",
    "openings",
    "deadline",
)


def months_ahead(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _dotted(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def _text(value: Any) -> str:
    return str(value or "").strip()


def _int_or_none(value: Any) -> int | str | None:
    """An integer, None when blank, or the string "bad"."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "bad"
    if isinstance(value, int):
        return value
    text = _text(value)
    return int(text) if text.isdigit() else "bad"


def _skills(requirements: str) -> str:
    """The normalised skills, cut at a comma so the column never holds half a skill."""
    skills = skills_normalised(requirements)
    if len(skills) <= SKILLS_CHARS:
        return skills
    return skills[:SKILLS_CHARS].rsplit(",", 1)[0]


def _own_contract(employer: Employer, value: Any, errors: dict[str, list[str]]) -> Contract | None:
    """A registered supply contract of the employer's own licensed enterprise."""
    enterprise = Enterprise.objects.filter(organisation_id=employer.organisation_id).first()
    if enterprise is None or licence_in_force(enterprise) is None:
        errors["is_abroad"] = [
            _(
                "Only an enterprise licensed to send workers abroad, with its licence in force, "
                "posts work abroad."
            )
        ]
        return None
    contract_id = _int_or_none(value)
    contract = None
    if isinstance(contract_id, int):
        contract = (
            Contract.objects.filter(pk=contract_id, enterprise=enterprise, status=ContractStatus.REGISTERED)
            .select_related("country")
            .first()
        )
    if contract is None:
        errors["supply_contract"] = [_("Choose one of the enterprise's registered supply contracts.")]
    return contract


def _clean(
    employer: Employer, data: dict[str, Any], *, today: date, deadline_changed: bool
) -> dict[str, Any]:
    """Every field checked at once; the problems by field."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    for name, limit in TEXT_LIMITS.items():
        value = _text(data.get(name))
        if not value and name != "requirements":
            errors[name] = [_("This field is required.")]
        elif len(value) > limit:
            errors[name] = [_("Keep this under %(n)s characters.") % {"n": limit}]
        out[name] = value

    occupation = data.get("occupation")
    if not isinstance(occupation, Occupation):
        occupation = Occupation.objects.filter(code=_text(occupation), level=3).first()
    if occupation is None or occupation.level != 3:
        errors["occupation"] = [_("Choose the occupation (an ISCO-08 group of three digits).")]
    out["occupation"] = occupation

    is_abroad = bool(data.get("is_abroad"))
    out["is_abroad"] = is_abroad
    out["supply_contract"] = out["country"] = out["province"] = out["ward"] = None
    out["is_remote"] = False
    if is_abroad:
        contract = data.get("supply_contract")
        contract_id = contract.pk if isinstance(contract, Contract) else contract
        found = _own_contract(employer, contract_id, errors)
        if found is not None:
            out["supply_contract"], out["country"] = found, found.country
            if occupation is None and "occupation" in errors:
                out["occupation"] = found.occupation
                errors.pop("occupation")
    else:
        out["is_remote"] = bool(data.get("is_remote"))
        province = data.get("province")
        if not isinstance(province, Province):
            province = Province.objects.filter(code=_text(province)).first() if _text(province) else None
        if province is None and not out["is_remote"]:
            errors["province"] = [_("Choose the province of the workplace, or mark the work as remote.")]
        given = data.get("ward")
        ward = given if isinstance(given, Ward) else None
        if ward is None and _text(given):
            ward = ward_in(province, _text(given)) if province is not None else None
            if ward is None:
                errors["ward"] = [_("Choose a ward or commune of the chosen province.")]
        if ward is not None and (province is None or ward.province_id != province.pk):
            errors["ward"] = [_("Choose a ward or commune of the chosen province.")]
            ward = None
        out["province"], out["ward"] = province, ward

    salaries: dict[str, int | None] = {}
    for name in ("salary_min", "salary_max"):
        amount = _int_or_none(data.get(name))
        if not (amount is None or isinstance(amount, int)) or (
            isinstance(amount, int) and not SALARY_MIN_VND <= amount <= SALARY_MAX_VND
        ):
            errors[name] = [
                _("Enter a monthly salary in đồng between %(low)s and %(high)s, or leave it blank.")
                % {"low": _dotted(SALARY_MIN_VND), "high": _dotted(SALARY_MAX_VND)}
            ]
            amount = None
        salaries[name] = amount if isinstance(amount, int) else None
    low, high = salaries["salary_min"], salaries["salary_max"]
    if isinstance(low, int) and isinstance(high, int) and low > high:
        errors["salary_max"] = [_("The highest salary cannot be below the lowest.")]
    out["salary_min"], out["salary_max"] = low, high

    contract_type = _text(data.get("contract_type"))
    if contract_type not in ContractType.values:
        errors["contract_type"] = [_("Choose the type of labour contract.")]
    out["contract_type"] = contract_type

    openings = _int_or_none(data.get("openings"))
    if not isinstance(openings, int) or not 1 <= openings <= MAX_OPENINGS:
        errors["openings"] = [_("Enter how many people you will hire: 1 to %(n)s.") % {"n": MAX_OPENINGS}]
    out["openings"] = openings

    deadline = data.get("deadline")
    if isinstance(deadline, str):
        try:
            deadline = date.fromisoformat(deadline)
        except ValueError:
            deadline = None
    if not isinstance(deadline, date):
        errors["deadline"] = [_("Enter the last day to apply.")]
    elif deadline_changed and deadline < today:
        errors["deadline"] = [_("The last day to apply cannot be in the past.")]
    elif deadline_changed and deadline > months_ahead(today, DEADLINE_MONTHS):
        errors["deadline"] = [
            _("The last day to apply can be at most %(n)s months from today.") % {"n": DEADLINE_MONTHS}
        ]
    out["deadline"] = deadline
    if errors:
        raise ValidationFailed(errors)
    return out


def _apply(vacancy: Vacancy, employer: Employer, cleaned: dict[str, Any]) -> None:
    for name, value in cleaned.items():
        setattr(vacancy, name, value)
    vacancy.skills_search = _skills(vacancy.requirements)
    vacancy.search_text = search_text_of(vacancy, employer)


def search_text_of(vacancy: Vacancy, employer: Employer) -> str:
    """What a vacancy is found by (see `jobs.texts`): its occupation in both languages, its employer and
    its places (province and ward, or the country abroad; "remote" for remote work)."""
    occupation = vacancy.occupation
    places: list[str] = []
    if vacancy.province is not None:
        places += [vacancy.province.name, vacancy.province.name_en]
    if vacancy.ward is not None:
        places.append(vacancy.ward.name)
    if vacancy.country is not None:
        places += [vacancy.country.name_vi, vacancy.country.name_en]
    if vacancy.is_remote:
        places += ["làm việc từ xa", "remote"]
    return vacancy_search_text(
        title=vacancy.title,
        occupation=f"{occupation.name_vi} {occupation.name_en}",
        employer=employer.organisation.name,
        places=places,
        skills=vacancy.requirements,
        description=vacancy.description,
    )


def _posting_employer(actor: Any) -> Employer:
    employer = employer_current(actor=actor)
    if employer.status != EmployerStatus.VERIFIED:
        raise EmployerNotVerified()
    return employer


@transaction.atomic
def vacancy_post(*, actor: Any, **fields: Any) -> Vacancy:
    """A verified employer posts a vacancy."""
    employer = _posting_employer(actor)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationFailed({name: [_("Unknown field.")] for name in sorted(unknown)})
    today = timezone.localdate()
    cleaned = _clean(employer, fields, today=today, deadline_changed=True)
    vacancy = Vacancy(employer=employer, org_path=employer.org_path, created_by=actor)
    _apply(vacancy, employer, cleaned)
    vacancy.save()
    audit.record(
        actor=actor,
        action="jobs.vacancy_post",
        obj=vacancy,
        changes={"title": vacancy.title, "abroad": vacancy.is_abroad, "contract": vacancy.supply_contract_id},
    )
    return vacancy


def _current_values(vacancy: Vacancy) -> dict[str, Any]:
    return {
        "title": vacancy.title,
        "occupation": vacancy.occupation,
        "description": vacancy.description,
        "requirements": vacancy.requirements,
        "province": vacancy.province,
        "ward": vacancy.ward,
        "is_remote": vacancy.is_remote,
        "is_abroad": vacancy.is_abroad,
        "supply_contract": vacancy.supply_contract_id,
        "salary_min": vacancy.salary_min,
        "salary_max": vacancy.salary_max,
        "contract_type": vacancy.contract_type,
        "openings": vacancy.openings,
        "deadline": vacancy.deadline,
    }


@transaction.atomic
def vacancy_update(*, actor: Any, vacancy_id: int, **fields: Any) -> Vacancy:
    """The employer edits one of its open vacancies; the fields not given keep their values."""
    employer = _posting_employer(actor)
    found = selectors.vacancy_get_for_employer(actor, vacancy_id)
    vacancy = Vacancy.objects.select_for_update().get(pk=found.pk)
    if vacancy.status != VacancyStatus.OPEN:
        raise VacancyClosed()
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationFailed({name: [_("Unknown field.")] for name in sorted(unknown)})
    data = _current_values(found)
    data.update(fields)
    if "province" in fields and "ward" not in fields:
        data["ward"] = None
    deadline_changed = "deadline" in fields and fields["deadline"] != vacancy.deadline
    cleaned = _clean(employer, data, today=timezone.localdate(), deadline_changed=deadline_changed)
    _apply(vacancy, employer, cleaned)
    vacancy.save()
    audit.record(actor=actor, action="jobs.vacancy_update", obj=vacancy, changes={"fields": sorted(fields)})
    return vacancy


@transaction.atomic
def vacancy_close(*, actor: Any, vacancy_id: int) -> Vacancy:
    """The employer closes one of its vacancies (it has hired, or changed its mind). Closing a vacancy that
    is no longer open changes nothing."""
    found = selectors.vacancy_get_for_employer(actor, vacancy_id)
    vacancy = Vacancy.objects.select_for_update().get(pk=found.pk)
    if vacancy.status != VacancyStatus.OPEN:
        return vacancy
    vacancy.status = VacancyStatus.CLOSED
    vacancy.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action="jobs.vacancy_close", obj=vacancy)
    return vacancy


@transaction.atomic
def vacancies_expire(*, today: date) -> int:
    """Open vacancies whose last day to apply is before `today` close as expired. Returns how many; safe to
    run twice (the second run finds none)."""
    count = Vacancy.objects.filter(status=VacancyStatus.OPEN, deadline__lt=today).update(
        status=VacancyStatus.EXPIRED, updated_at=timezone.now()
    )
    if count:
        audit.record(
            actor=None,
            action="jobs.vacancies_expire",
            object_type="jobs.vacancy",
            changes={"count": count, "before": today.isoformat()},
        )
    return count
