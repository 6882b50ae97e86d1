"""Job seekers: signing up (a person, an account and a seeker profile at once), starting a profile for a
person who already has an account, and keeping the profile and CV current.

The profile's normalised text (`search_text`, `skills_search`) and its wanted occupations and provinces
(`SeekerOccupation`, `SeekerProvince`) are rewritten together with the profile, in one transaction, so
matching never reads a profile whose rows disagree with it."""

import re
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ansinh.accounts.models import Person, User
from ansinh.accounts.services import person_create
from ansinh.core import audit
from ansinh.core.errors import RateLimited, ValidationFailed
from ansinh.core.identifiers import normalise_phone
from ansinh.core.text import normalise_search
from ansinh.geo.models import Occupation, Province
from ansinh.jobs.errors import NoSeekerProfile
from ansinh.jobs.models import (
    EducationLevel,
    SeekerOccupation,
    SeekerProfile,
    SeekerProvince,
    Visibility,
)
from ansinh.jobs.texts import seeker_search_text, skills_normalised

# Signing up is open to anyone. Many phones share one address behind a mobile carrier's NAT, so the limit
# per address is generous; it stops a script filling the register, not a family signing up together.
SIGNUPS_PER_CLIENT_HOUR = 20
MAX_OCCUPATIONS = 5
MAX_PROVINCES = 5
# A monthly salary above this is a typing mistake (an extra zero or two), not an expectation.
MAX_SALARY = 1_000_000_000
MAX_EXPERIENCE_YEARS = 60
OCCUPATION_LEVEL = 3  # ISCO-08 minor groups ("241" finance professionals, "721" welders...)


def _signup_allowed(client: str) -> bool:
    key = f"jobs-signup:{client}"
    cache.add(key, 0, 3600)
    try:
        return cache.incr(key) <= SIGNUPS_PER_CLIENT_HOUR
    except ValueError:  # expired between add and incr
        return True


def _province(code: Any, field: str = "province", *, required: bool = True) -> Province | None:
    code = str(code or "").strip()
    if not code:
        if required:
            raise ValidationFailed.single(field, _("Choose the province where you live."))
        return None
    province = Province.objects.filter(code=code).first()
    if province is None:
        raise ValidationFailed.single(field, _("Choose a province from the list."))
    return province


def _national_digits(phone: str) -> str:
    """ "+84912345678" -> "912345678": the digits a person types after the leading 0."""
    return phone[3:] if phone.startswith("+84") else phone.lstrip("+")


def _check_password(password: str, *, username: str, full_name: str, phone: str) -> list[str]:
    problems: list[str] = []
    candidate = User(username=username, phone=phone)
    candidate.person = Person(full_name=full_name, phone=phone)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        problems.extend(str(m) for m in exc.messages)
    if problems:
        return problems
    digits = _national_digits(phone)
    if phone and digits and digits in re.sub(r"\D", "", password):
        problems.append(_("The password must not contain your phone number."))
    name = _squash(full_name)
    if len(name) >= 4 and name in _squash(password):
        problems.append(_("The password must not contain your name."))
    return problems


def _squash(text: str) -> str:
    """Letters and digits only, without diacritics: "Nguyễn Thị Hoa" -> "nguyenthihoa"."""
    return re.sub(r"[^0-9a-z]", "", normalise_search(text))


@transaction.atomic
def seeker_register(
    *, full_name: str, phone: str, password: str, province: str, client: str = "", language: str = "vi"
) -> tuple[User, SeekerProfile]:
    """A person signs up as a job seeker (no sign-in yet). The phone number, in international form, is the
    username. Every field's problem is reported at once; nothing is written unless all are right."""
    if client and not _signup_allowed(client):
        raise RateLimited()
    errors: dict[str, list[str]] = {}
    name = " ".join(str(full_name or "").split())
    if not name:
        errors["full_name"] = [_("Enter your full name.")]
    elif len(name) > 150:
        errors["full_name"] = [_("Keep the name under 150 characters.")]
    number = ""
    try:
        number = normalise_phone(str(phone or ""))
    except ValueError as exc:
        errors["phone"] = [str(exc)]
    else:
        if User.objects.filter(Q(username__iexact=number) | Q(phone=number)).exists():
            errors["phone"] = [
                _("An account with this phone number already exists. Sign in, or reset the password.")
            ]
    if not password:
        errors["password"] = [_("Choose a password.")]
    else:
        problems = _check_password(str(password), username=number, full_name=name, phone=number)
        if problems:
            errors["password"] = problems
    place: Province | None = None
    try:
        place = _province(province)
    except ValidationFailed as exc:
        errors.update(exc.details["fields"])
    if errors:
        raise ValidationFailed(errors)
    person = person_create(actor=None, full_name=name, phone=number, province=place)
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    user = User(username=number, person=person, phone=number, language=language)
    user.set_password(str(password))
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:  # the same number signed up a moment ago
        raise ValidationFailed.single(
            "phone", _("An account with this phone number already exists. Sign in, or reset the password.")
        ) from None
    profile = SeekerProfile.objects.create(person=person, headline="", province=place)
    audit.record(actor=user, action="account.self_register", obj=user, changes={"service": "jobs"})
    audit.record(actor=user, action="jobs.seeker_register", obj=profile)
    return user, profile


def _person_of(actor: Any) -> Person:
    person_id = getattr(actor, "person_id", None)
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    if person is None:
        raise ValidationFailed.single(
            "person", _("Your account is not linked to a person, so it cannot have a job seeker profile.")
        )
    return person


@transaction.atomic
def seeker_profile_start(*, actor: Any, headline: str = "") -> SeekerProfile:
    """A signed-in person without a seeker profile (an unemployment claimant, a worker back from abroad)
    starts one. Starting again returns the profile they have."""
    person = _person_of(actor)
    existing = SeekerProfile.objects.filter(person=person).first()
    if existing is not None:
        return existing
    headline = " ".join(str(headline or "").split())[:200]
    try:
        with transaction.atomic():
            profile = SeekerProfile.objects.create(
                person=person, headline=headline, province_id=person.province_id
            )
    except IntegrityError:  # started twice at once
        return SeekerProfile.objects.get(person=person)
    audit.record(actor=actor, action="jobs.seeker_start", obj=profile)
    return profile


def _codes(values: Any) -> list[str]:
    if values is None:
        return []
    if isinstance(values, str):
        values = values.replace(";", ",").split(",")
    return list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))


def _whole_number(value: Any, field: str, *, maximum: int, message: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValidationFailed.single(field, message)
    try:
        number = int(str(value).replace(".", "").replace(",", "").replace(" ", ""))
    except ValueError:
        raise ValidationFailed.single(field, message) from None
    if number < 0 or number > maximum:
        raise ValidationFailed.single(field, message)
    return number


def _clean_profile(fields: dict[str, Any]) -> tuple[dict[str, Any], list[Occupation], list[Province]]:
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    headline = " ".join(str(fields.get("headline") or "").split())
    if not headline:
        errors["headline"] = [_("Say in a few words what work you are looking for.")]
    elif len(headline) > 200:
        errors["headline"] = [_("Keep it under 200 characters.")]
    cleaned["headline"] = headline
    education = str(fields.get("education") or EducationLevel.UPPER_SECONDARY)
    if education not in EducationLevel.values:
        errors["education"] = [_("Choose your education from the list.")]
    cleaned["education"] = education
    for name, limit in (("skills", 2000), ("experience", 5000)):
        text = str(fields.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = [_("Keep it under %(limit)s characters.") % {"limit": f"{limit:,}"}]
        cleaned[name] = text
    try:
        cleaned["experience_years"] = (
            _whole_number(
                fields.get("experience_years"),
                "experience_years",
                maximum=MAX_EXPERIENCE_YEARS,
                message=_("Enter the years of experience as a whole number from 0 to 60."),
            )
            or 0
        )
    except ValidationFailed as exc:
        errors.update(exc.details["fields"])
    try:
        cleaned["expected_salary"] = _whole_number(
            fields.get("expected_salary"),
            "expected_salary",
            maximum=MAX_SALARY,
            message=_("Enter the monthly salary in đồng as a whole number, for example 9000000."),
        )
    except ValidationFailed as exc:
        errors.update(exc.details["fields"])
    try:
        cleaned["province"] = _province(fields.get("province"), required=False)
    except ValidationFailed as exc:
        errors.update(exc.details["fields"])
    for flag in ("wants_abroad", "wants_remote", "is_looking"):
        cleaned[flag] = bool(fields.get(flag))
    visibility = str(fields.get("visibility") or Visibility.ANONYMOUS)
    if visibility not in Visibility.values:
        errors["visibility"] = [_("Choose who may see your profile.")]
    cleaned["visibility"] = visibility
    occupation_codes = _codes(fields.get("occupations"))
    occupations: list[Occupation] = []
    if len(occupation_codes) > MAX_OCCUPATIONS:
        errors["occupations"] = [_("Choose at most 5 occupations.")]
    elif occupation_codes:
        found = {
            o.code: o for o in Occupation.objects.filter(code__in=occupation_codes, level=OCCUPATION_LEVEL)
        }
        if len(found) != len(occupation_codes):
            errors["occupations"] = [_("Choose occupations from the list.")]
        occupations = [found[c] for c in occupation_codes if c in found]
    province_codes = _codes(fields.get("provinces"))
    provinces: list[Province] = []
    if len(province_codes) > MAX_PROVINCES:
        errors["provinces"] = [_("Choose at most 5 provinces.")]
    elif province_codes:
        places = {p.code: p for p in Province.objects.filter(code__in=province_codes)}
        if len(places) != len(province_codes):
            errors["provinces"] = [_("Choose provinces from the list.")]
        provinces = [places[c] for c in province_codes if c in places]
    if errors:
        raise ValidationFailed(errors)
    return cleaned, occupations, provinces


@transaction.atomic
def seeker_profile_update(*, actor: Any, **fields: Any) -> SeekerProfile:
    """The seeker writes their profile and CV. Occupations are ISCO-08 minor-group codes (3 digits, at
    most 5); provinces are province codes (at most 5; none means "anywhere")."""
    person_id = getattr(actor, "person_id", None)
    profile = (
        SeekerProfile.objects.select_for_update().filter(person_id=person_id).first() if person_id else None
    )
    if profile is None:
        raise NoSeekerProfile()
    cleaned, occupations, provinces = _clean_profile(fields)
    for name, value in cleaned.items():
        setattr(profile, name, value)
    profile.skills_search = skills_normalised(profile.skills)[:1000]
    profile.search_text = seeker_search_text(
        headline=profile.headline,
        skills=profile.skills,
        experience=profile.experience,
        occupations=[f"{o.name_vi} {o.name_en}" for o in occupations],
    )
    profile.save()
    SeekerOccupation.objects.filter(seeker=profile).delete()
    SeekerOccupation.objects.bulk_create(
        SeekerOccupation(seeker=profile, occupation=o, sub_major_group=o.code[:2]) for o in occupations
    )
    SeekerProvince.objects.filter(seeker=profile).delete()
    SeekerProvince.objects.bulk_create(SeekerProvince(seeker=profile, province=p) for p in provinces)
    audit.record(
        actor=actor,
        action="jobs.seeker_update",
        obj=profile,
        changes={"fields": sorted(fields)},
    )
    return profile
