"""The normalised text that search and matching read (see `ansinh.core.text.normalise_search`).

One place builds it, so a vacancy written by the service, the demo or a benchmark's bulk loader is found
the same way."""

from collections.abc import Iterable

from ansinh.core.text import normalise_search

# A vacancy's description is long; the first part says what the job is, and keeping the column short
# keeps the full-text index small.
DESCRIPTION_CHARS = 600


def skills_normalised(skills: str) -> str:
    """ "Hàn điện, Tiếng Hàn;  lái xe" -> "han dien, tieng han, lai xe": a comma-separated list, each skill
    normalised, blanks and repeats dropped."""
    parts = [normalise_search(part) for part in skills.replace(";", ",").replace("\n", ",").split(",")]
    return ", ".join(dict.fromkeys(part for part in parts if part))


def skill_set(skills_search: str) -> set[str]:
    return {part.strip() for part in skills_search.split(",") if part.strip()}


def vacancy_search_text(
    *,
    title: str,
    occupation: str,
    employer: str,
    places: Iterable[str],
    skills: str,
    description: str,
) -> str:
    """What a vacancy is found by: its title, occupation, employer, places, skills and the start of its
    description, normalised."""
    parts = [title, occupation, employer, *places, skills, description[:DESCRIPTION_CHARS]]
    return normalise_search(" ".join(part for part in parts if part))


def seeker_search_text(*, headline: str, skills: str, experience: str, occupations: Iterable[str]) -> str:
    parts = [headline, skills, *occupations, experience[:DESCRIPTION_CHARS]]
    return normalise_search(" ".join(part for part in parts if part))
