"""Matching: for a vacancy, the job seekers who fit it best; for a seeker, the open vacancies that fit best.
Every match carries its score and the reasons, in plain words, that make it up.

The score (0-100) adds four parts:

- occupation: the seeker wants the vacancy's ISCO group (40), or one of the same sub-major group (15);
- skills: the share of the vacancy's skills the seeker has (up to 30), compared on the normalised,
  comma-separated lists (`jobs.texts.skills_normalised`);
- place (20): the seeker wants to work in the vacancy's province, or the vacancy is remote and the seeker
  would work remotely, or it is abroad and the seeker would go abroad;
- salary (10): the seeker expects no more than the vacancy pays at most.

Scale (a million seekers, a million vacancies). The candidates are never all read: they are cut by indexed
equalities first, then scored and sorted in SQL, and only the best `limit` rows come back. For a vacancy
the cut is the union of four slices, each read backwards along an index (the most recent profiles first)
and capped: the seekers who want its occupation and its province, those who want its occupation, those who
want an occupation of its sub-major group and its province, and those who want one of the group. Where a
slice holds more seekers than its cap (an occupation wanted by tens of thousands), the most recent profiles
of the slice are the ones scored: they are the likeliest to be still looking, and the work per match stays
bounded whatever the size of the register. For a seeker the cut is the same over open vacancies (their
occupations, near occupations, provinces, remote or abroad work), the newest first.

Who sees what. An employer's staff (`jobs_vacancy.manage`) match their own employer's vacancies only (any
other is "not found"); they never see private profiles, see anonymous ones without name or contacts, and
see the name and contacts of full profiles and of seekers who applied to the employer
(`rules.contacts_visible_to_employer`). A centre officer (`jobs_centre.operate`) matches any employer's
vacancy (centres place people wherever the work is) and sees every profile with its contacts, private
ones included ("only I and the centres see my profile"). Only seekers looking for work now are matched.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Combinable, RawSQL
from django.db.models.functions import Concat, Length, Replace
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ansinh.accounts.selectors import grant_for, require_permission, scope_q
from ansinh.core.errors import NotFound
from ansinh.geo.models import Occupation
from ansinh.jobs import rules
from ansinh.jobs.errors import NoSeekerProfile
from ansinh.jobs.models import (
    Application,
    EmployerStatus,
    SeekerProfile,
    SeekerProvince,
    Vacancy,
    VacancyStatus,
    Visibility,
)
from ansinh.jobs.permissions import CENTRE_OPERATE, VACANCY_MANAGE
from ansinh.jobs.texts import skill_set, skills_normalised

DEFAULT_LIMIT = 20
MAX_LIMIT = 100

# The parts of the score.
OCCUPATION_EXACT = 40
OCCUPATION_NEAR = 15
SKILLS = 30
PLACE = 20
SALARY = 10

# How many candidates each slice of the cut contributes at most (see the module's docstring).
CAP_OCCUPATION_PLACE = 2000
CAP_OCCUPATION = 800
CAP_GROUP_PLACE = 600
CAP_GROUP = 300
CAP_VACANCIES = 1000


@dataclass
class SeekerMatch:
    seeker_id: int
    score: int
    reasons: list[str]
    headline: str
    education: str
    experience_years: int
    skills: str
    lives_in: str
    expected_salary: int | None
    visibility: str
    applied: bool = False
    # None where the viewer may not see them.
    name: str | None = None
    phone: str | None = None
    email: str | None = None

    @property
    def contacts_shown(self) -> bool:
        return self.name is not None


@dataclass
class VacancyMatch:
    vacancy: Vacancy
    score: int
    reasons: list[str] = field(default_factory=list)


def money(amount: int) -> str:
    """9000000 -> "9.000.000" in Vietnamese, "9,000,000" in English."""
    return formats.number_format(amount, force_grouping=True)


def _skills_padded(column: str) -> Concat:
    """ ", han dien, han mig," : every skill of the comma list between ", " and ",", so one LIKE finds a whole
    skill and never a part of another."""
    return Concat(Value(", "), F(column), Value(","))


def _sum(parts: list[Any]) -> Any:
    if not parts:
        return Value(0)
    total = parts[0]
    for part in parts[1:]:
        total = total + part
    return total


def _skill_hits(padded: str, skills: list[str]) -> Any:
    """In SQL: how many of `skills` the padded comma list holds."""
    return _sum(
        [
            Case(When(**{f"{padded}__contains": f", {skill},"}, then=Value(1)), default=Value(0))
            for skill in skills
        ]
    )


# --- for a vacancy: the seekers ----------------------------------------------------------------------------


def match_vacancy_get_for(actor: Any, vacancy_id: int) -> tuple[Vacancy, bool]:
    """The vacancy to match and whether the actor matches as a centre (True) or as its employer (False).

    A centre officer may match any employer's vacancy; an employer's staff only their own (another's is
    "not found"). Raises PermissionDenied for anyone else."""
    vacancies = Vacancy.objects.select_related("employer__organisation", "occupation", "province", "country")
    if not grant_for(actor, CENTRE_OPERATE).empty:
        found = vacancies.filter(pk=vacancy_id).first()
        as_centre = True
    else:
        grant = require_permission(actor, VACANCY_MANAGE)
        found = vacancies.filter(scope_q(grant, org_path="org_path"), pk=vacancy_id).first()
        as_centre = False
    if found is None:
        raise NotFound()
    return found, as_centre


# The slices of the cut, as SQL over constant table names; every value is a parameter.
_BY_OCCUPATION_AND_PROVINCE = (
    "SELECT o.seeker_id FROM jobs_seekeroccupation o JOIN jobs_seekerprovince p ON p.seeker_id = o.seeker_id "
    "WHERE o.occupation_id = %s AND p.province_id = %s ORDER BY o.seeker_id DESC LIMIT %s"
)
_BY_GROUP_AND_PROVINCE = (
    "SELECT o.seeker_id FROM jobs_seekeroccupation o JOIN jobs_seekerprovince p ON p.seeker_id = o.seeker_id "
    "WHERE o.sub_major_group = %s AND p.province_id = %s AND o.occupation_id <> %s "
    "ORDER BY o.seeker_id DESC LIMIT %s"
)
_BY_OCCUPATION = (
    "SELECT o.seeker_id FROM jobs_seekeroccupation o WHERE o.occupation_id = %s "
    "ORDER BY o.seeker_id DESC LIMIT %s"
)
_BY_GROUP = (
    "SELECT o.seeker_id FROM jobs_seekeroccupation o WHERE o.sub_major_group = %s AND o.occupation_id <> %s "
    "ORDER BY o.seeker_id DESC LIMIT %s"
)


def _union(column: str, parts: list[str]) -> str:
    """The slices' ids, each slice in a sub-select of its own (SQLite refuses ORDER BY and LIMIT on a member
    of a UNION)."""
    return " UNION ".join(f"SELECT {column} FROM ({part}) s{n}" for n, part in enumerate(parts))  # noqa: S608


def _seeker_candidates_sql(vacancy: Vacancy) -> tuple[str, list[Any]]:
    """The cut: the capped slices' seeker ids, each slice read backwards along an index, each id with
    `near` = 1 when it came through a slice of the sub-major group (the occupation itself is checked
    again when scoring)."""
    group = vacancy.occupation.code[:2]
    parts: list[str] = []
    params: list[Any] = []
    if vacancy.province_id is not None and not vacancy.is_abroad:
        parts += [_BY_OCCUPATION_AND_PROVINCE, _BY_GROUP_AND_PROVINCE]
        params += [vacancy.occupation_id, vacancy.province_id, CAP_OCCUPATION_PLACE]
        params += [group, vacancy.province_id, vacancy.occupation_id, CAP_GROUP_PLACE]
    parts += [_BY_OCCUPATION, _BY_GROUP]
    params += [vacancy.occupation_id, CAP_OCCUPATION, group, vacancy.occupation_id, CAP_GROUP]
    union = " UNION ALL ".join(
        f"SELECT seeker_id, {int(part in (_BY_GROUP, _BY_GROUP_AND_PROVINCE))} AS near FROM ({part}) s{n}"  # noqa: S608
        for n, part in enumerate(parts)
    )
    return f"SELECT seeker_id, MAX(near) AS near FROM ({union}) slices GROUP BY seeker_id", params  # noqa: S608


def _like(skill: str) -> str:
    """The LIKE pattern that finds a whole skill in a padded list (`ESCAPE '\\'`)."""
    escaped = skill.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%, {escaped},%"


def _scoring_sql(vacancy: Vacancy, *, as_centre: bool, limit: int) -> tuple[str, list[Any]]:
    """One statement: the cut (a CTE); for each candidate the occupation itself (a left join on the unique
    (seeker, occupation) index) or a near one (from the cut), the province wanted (a left join on the unique
    (seeker, province) index), the skills and the salary; sorted by the score, the `limit` best. Left
    joins on unique keys rather than EXISTS sub-queries: PostgreSQL may answer those by hashing the whole
    index of an occupation or a province."""
    cut, params = _seeker_candidates_sql(vacancy)
    wanted = sorted(skill_set(vacancy.skills_search))
    sql = ["WITH cut AS (", cut, ")"]
    province = vacancy.province_id is not None and not vacancy.is_abroad
    hits = " + ".join(
        "CASE WHEN (', ' || p.skills_search || ',') LIKE %s ESCAPE '\\' THEN 1 ELSE 0 END" for _ in wanted
    )
    place = ["r.seeker_id IS NOT NULL" if province else "1 = 0"]
    if vacancy.is_remote:
        place.append("p.wants_remote = %s")
    if vacancy.is_abroad:
        place.append("p.wants_abroad = %s")
    salary = "CASE WHEN p.expected_salary <= %s THEN %s ELSE 0 END" if vacancy.salary_max is not None else "0"
    join = "LEFT JOIN jobs_seekerprovince r ON r.seeker_id = p.id AND r.province_id = %s " if province else ""
    private = "" if as_centre else "AND p.visibility <> %s"
    columns = (
        f"CASE WHEN {place[0]} THEN 1 ELSE 0 END AS province_fit, "
        f"CASE WHEN {' OR '.join(place)} THEN 1 ELSE 0 END AS place_fit, "
        f"{hits or '0'} AS skill_hits, {salary} AS salary_score"
    )
    sql += [
        "SELECT id, occupation_score, province_fit, place_fit, skill_hits, "
        "occupation_score + place_fit * %s + skill_hits * %s / %s + salary_score AS score FROM (",
        "SELECT p.id, CASE WHEN x.seeker_id IS NOT NULL THEN %s WHEN cut.near = 1 THEN %s ELSE 0 END "
        "AS occupation_score,",
        columns,
        "FROM cut JOIN jobs_seekerprofile p ON p.id = cut.seeker_id LEFT JOIN jobs_seekeroccupation x "
        "ON x.seeker_id = p.id AND x.occupation_id = %s",
        join,
        "WHERE p.is_looking = %s",
        private,
        ") scored ORDER BY score DESC, id DESC LIMIT %s",
    ]
    params += [PLACE, SKILLS, max(1, len(wanted)), OCCUPATION_EXACT, OCCUPATION_NEAR]
    params += [True] * (len(place) - 1)
    params += [_like(skill) for skill in wanted]
    if vacancy.salary_max is not None:
        params += [vacancy.salary_max, SALARY]
    params.append(vacancy.occupation_id)
    if province:
        params.append(vacancy.province_id)
    params.append(True)
    if not as_centre:
        params.append(Visibility.PRIVATE)
    params.append(limit)
    return " ".join(sql), params


def seekers_for(
    actor: Any, vacancy: Vacancy, *, as_centre: bool, limit: int = DEFAULT_LIMIT
) -> list[SeekerMatch]:
    """The best seekers for a vacancy already read by `match_vacancy_get_for`."""
    limit = max(1, min(limit, MAX_LIMIT))
    sql, params = _scoring_sql(vacancy, as_centre=as_centre, limit=limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        scored = cursor.fetchall()
    if not scored:
        return []
    ids = [row[0] for row in scored]
    profiles = SeekerProfile.objects.select_related("person", "province").in_bulk(ids)
    applied = set(
        Application.objects.filter(vacancy__employer_id=vacancy.employer_id, seeker_id__in=ids).values_list(
            "seeker_id", flat=True
        )
    )
    wanted = skill_set(vacancy.skills_search)
    out = []
    for seeker_id, occupation_score, province_fit, _place, _hits, score in scored:
        out.append(
            _seeker_match(
                profiles[seeker_id],
                vacancy,
                wanted,
                Scored(int(score), int(occupation_score), bool(province_fit)),
                as_centre=as_centre,
                applied=seeker_id in applied,
            )
        )
    return out


@dataclass(frozen=True)
class Scored:
    score: int
    occupation: int
    province_fit: bool


def seekers_for_vacancy(actor: Any, vacancy_id: int, *, limit: int = DEFAULT_LIMIT) -> list[SeekerMatch]:
    """The best seekers for the vacancy, with their reasons (see the module's docstring for who sees what)."""
    vacancy, as_centre = match_vacancy_get_for(actor, vacancy_id)
    return seekers_for(actor, vacancy, as_centre=as_centre, limit=limit)


def _matched_skills(raw: str, wanted: set[str]) -> list[str]:
    """The seeker's own words for the skills the vacancy asks for ("Hàn điện", not "han dien")."""
    out = []
    for part in raw.replace(";", ",").replace("\n", ",").split(","):
        if part.strip() and skills_normalised(part) in wanted:
            out.append(part.strip())
    return list(dict.fromkeys(out))


def _skills_reason(matched: list[str], total: int) -> str | None:
    if not matched or not total:
        return None
    return ngettext(
        "%(matched)d of %(total)d skill: %(skills)s",
        "%(matched)d of %(total)d skills: %(skills)s",
        total,
    ) % {"matched": len(matched), "total": total, "skills": ", ".join(matched)}


def _place_reason(vacancy: Vacancy, *, province_fit: bool, remote_fit: bool, abroad_fit: bool) -> str | None:
    if province_fit and vacancy.province is not None:
        return _("Wants to work in %(province)s") % {"province": vacancy.province}
    if remote_fit:
        return _("Would work remotely")
    if abroad_fit:
        return _("Would work abroad")
    return None


def _salary_reason(expected: int | None, salary_max: int | None, *, seeker_side: bool = False) -> str | None:
    if expected is None or salary_max is None:
        return None
    if seeker_side:
        if expected <= salary_max:
            return _("Pays up to %(amount)s VND, you expect %(expected)s VND") % {
                "amount": money(salary_max),
                "expected": money(expected),
            }
        return _("Pays up to %(amount)s VND, less than you expect") % {"amount": money(salary_max)}
    if expected <= salary_max:
        return _("Expects %(amount)s VND, within the range") % {"amount": money(expected)}
    return _("Expects %(amount)s VND, above the range") % {"amount": money(expected)}


def _seeker_match(
    row: SeekerProfile, vacancy: Vacancy, wanted: set[str], scored: Scored, *, as_centre: bool, applied: bool
) -> SeekerMatch:
    reasons: list[str] = []
    occupation_score = scored.occupation
    if occupation_score == OCCUPATION_EXACT:
        reasons.append(_("Wants this occupation"))
    elif occupation_score == OCCUPATION_NEAR:
        reasons.append(_("Wants a related occupation"))
    skills = _skills_reason(_matched_skills(row.skills, wanted), len(wanted))
    if skills:
        reasons.append(skills)
    place = _place_reason(
        vacancy,
        province_fit=scored.province_fit,
        remote_fit=vacancy.is_remote and row.wants_remote,
        abroad_fit=vacancy.is_abroad and row.wants_abroad,
    )
    if place:
        reasons.append(place)
    salary = _salary_reason(row.expected_salary, vacancy.salary_max)
    if salary:
        reasons.append(salary)
    if applied:
        reasons.append(_("Has applied to your vacancies"))
    show = as_centre or rules.contacts_visible_to_employer(
        visibility=row.visibility, applied_to_employer=applied
    )
    person = row.person
    return SeekerMatch(
        seeker_id=row.pk,
        score=scored.score,
        reasons=reasons,
        headline=row.headline,
        education=row.get_education_display(),
        experience_years=row.experience_years,
        skills=row.skills,
        lives_in=str(row.province) if row.province else "",
        expected_salary=row.expected_salary,
        visibility=row.visibility,
        applied=applied,
        name=person.full_name if show else None,
        phone=(person.phone or "") if show else None,
        email=(person.email or "") if show else None,
    )


# --- for a seeker: the vacancies ---------------------------------------------------------------------------


def _open_vacancies() -> QuerySet[Vacancy]:
    return Vacancy.objects.filter(
        status=VacancyStatus.OPEN,
        deadline__gte=timezone.localdate(),
        employer__status=EmployerStatus.VERIFIED,
    )


def _vacancy_candidates_sql(
    exact: list[int], near: list[int], provinces: list[int], *, remote: bool, abroad: bool
) -> tuple[str, list[Any]]:
    """The union of the capped slices of open vacancies (ids), the newest first."""
    parts: list[str] = []
    params: list[Any] = []

    def slice_(where: str, values: list[Any]) -> None:
        parts.append(
            "SELECT v.id FROM jobs_vacancy v WHERE v.status = %s AND "  # noqa: S608 - placeholders only
            + where
            + " ORDER BY v.published_at DESC LIMIT %s"
        )
        params.extend([VacancyStatus.OPEN, *values, CAP_VACANCIES])

    def in_(column: str, values: list[int]) -> str:
        return f"{column} IN ({', '.join(['%s'] * len(values))})"

    jobs = exact + near
    if jobs and provinces:
        slice_(f"{in_('v.occupation_id', jobs)} AND {in_('v.province_id', provinces)}", [*jobs, *provinces])
    if exact:
        slice_(in_("v.occupation_id", exact), exact)
    if near:
        slice_(in_("v.occupation_id", near), near)
    if provinces and not jobs:
        slice_(in_("v.province_id", provinces), provinces)
    if remote:
        slice_("v.is_remote = %s", [True])
    if abroad:
        slice_("v.is_abroad = %s", [True])
    if not parts:
        return "SELECT v.id FROM jobs_vacancy v WHERE 1 = 0", []
    return _union("id", parts), params


def vacancies_for_seeker(actor: Any, *, limit: int = DEFAULT_LIMIT) -> list[VacancyMatch]:
    """The open vacancies that fit the signed-in seeker best, with the reasons. Raises NoSeekerProfile
    for a user without a seeker profile."""
    person_id = getattr(actor, "person_id", None)
    profile = (
        SeekerProfile.objects.filter(person_id=person_id)
        .prefetch_related(
            "wanted_occupations",
            Prefetch("wanted_provinces", queryset=SeekerProvince.objects.select_related("province")),
        )
        .first()
        if person_id
        else None
    )
    if profile is None:
        raise NoSeekerProfile()
    limit = max(1, min(limit, MAX_LIMIT))
    exact = sorted({o.occupation_id for o in profile.wanted_occupations.all()})
    groups = sorted({o.sub_major_group for o in profile.wanted_occupations.all()})
    group_q = Q(pk__in=[])
    for group in groups:
        group_q |= Q(code__startswith=group)
    near = (
        sorted(set(Occupation.objects.filter(group_q).values_list("pk", flat=True)) - set(exact))
        if groups
        else []
    )
    provinces = sorted({p.province_id for p in profile.wanted_provinces.all()})
    names = {p.province_id: str(p.province) for p in profile.wanted_provinces.all()}
    mine = skill_set(profile.skills_search)
    sql, params = _vacancy_candidates_sql(
        exact, near, provinces, remote=profile.wants_remote, abroad=profile.wants_abroad
    )

    occupation = Case(
        When(occupation_id__in=exact or [0], then=Value(OCCUPATION_EXACT)),
        When(occupation_id__in=near or [0], then=Value(OCCUPATION_NEAR)),
        default=Value(0),
        output_field=IntegerField(),
    )
    place_q = Q(province_id__in=provinces or [0])
    if profile.wants_remote:
        place_q |= Q(is_remote=True)
    if profile.wants_abroad:
        place_q |= Q(is_abroad=True)
    salary: Combinable = Value(0)
    if profile.expected_salary is not None:
        salary = Case(
            When(salary_max__gte=profile.expected_salary, then=Value(SALARY)),
            default=Value(0),
            output_field=IntegerField(),
        )
    # Skills: the share of the vacancy's own skills the seeker has; a vacancy's count of skills is its
    # commas plus one.
    count = Case(
        When(skills_search="", then=Value(1)),
        default=Length("skills_search") - Length(Replace("skills_search", Value(","), Value(""))) + 1,
        output_field=IntegerField(),
    )
    vacancies = (
        _open_vacancies()
        .filter(pk__in=RawSQL(sql, params))  # noqa: S611 - constant SQL, every value a parameter
        .annotate(
            occupation_score=occupation,
            place_fit=Case(When(place_q, then=Value(1)), default=Value(0), output_field=IntegerField()),
            skills_padded=_skills_padded("skills_search"),
            skill_count=count,
        )
        .annotate(skill_hits=_skill_hits("skills_padded", sorted(mine)) if mine else Value(0))
        .annotate(
            score=F("occupation_score")
            + F("place_fit") * PLACE
            + F("skill_hits") * SKILLS / F("skill_count")
            + salary
        )
        .select_related("employer__organisation", "occupation", "province", "country")
        .order_by("-score", "-published_at", "-pk")[:limit]
    )
    out = []
    for vacancy in vacancies:
        reasons: list[str] = []
        if vacancy.occupation_score == OCCUPATION_EXACT:
            reasons.append(
                _("An occupation you want: %(occupation)s") % {"occupation": vacancy.occupation.name}
            )
        elif vacancy.occupation_score == OCCUPATION_NEAR:
            reasons.append(
                _("Close to an occupation you want: %(occupation)s") % {"occupation": vacancy.occupation.name}
            )
        theirs = skill_set(vacancy.skills_search)
        matched = _matched_skills(profile.skills, theirs)
        skills = _skills_reason(matched, len(theirs))
        if skills:
            reasons.append(skills)
        if vacancy.place_fit:
            if vacancy.province_id in names and not vacancy.is_abroad:
                reasons.append(
                    _("In a province you want: %(province)s") % {"province": names[vacancy.province_id]}
                )
            elif vacancy.is_remote:
                reasons.append(_("Remote work, as you want"))
            elif vacancy.is_abroad:
                reasons.append(_("Work abroad, as you want"))
        salary_reason = _salary_reason(profile.expected_salary, vacancy.salary_max, seeker_side=True)
        if salary_reason:
            reasons.append(salary_reason)
        out.append(VacancyMatch(vacancy=vacancy, score=int(vacancy.score), reasons=reasons))
    return out
