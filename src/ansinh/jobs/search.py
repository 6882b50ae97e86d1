"""Vacancy search: one selector, two backends.

`vacancy_search(query=..., province=..., ...)` answers a page of OPEN vacancies of VERIFIED employers whose
deadline has not passed, sorted by relevance, then newest. It is public (no actor): the exchange is open to
anyone looking for work.

What is searched. `Vacancy.search_text` holds the vacancy's title, occupation, employer, places, skills and
the start of its description, normalised by `ansinh.core.text.normalise_search` (lower case, no diacritics,
đ -> d; built by `jobs.texts.vacancy_search_text`, title first). The query is normalised the same way, in
Python, and split into words. Why in Python and not with PostgreSQL's `unaccent`: one definition of "the
same text". `unaccent` follows the server's rules file, which an operator may edit and which differs from
`normalise_search` in details (it maps "ß" to "ss" and "æ" to "ae", and does not lower-case or fold
spaces), SQLite has no `unaccent` at all, and a column normalised by one function and a query by another
can disagree on a single letter and miss (`unaccent` does turn đ into d). With both sides normalised by
`normalise_search`, "ke toan", "Kế toán" and "KẾ  TOÁN" are the same words on SQLite and PostgreSQL, and
both backends answer the same rows in the same order. (Migration 0003 still creates `unaccent`, for
operators' ad-hoc SQL and reports.)

Relevance is in tiers, then newest first (`published_at` desc, then id desc):

1. every word of the query is in the vacancy's title;
2. every word is somewhere in the search text (title, occupation, employer, place, skills, description);
3. only when 1 and 2 find nothing: every word of 3 letters or more is a part of a word of the search text
   ("marketing" in "telemarketing") - the fallback for run-together or partial words (`partial=True`).

The last word of the query is matched as a prefix when it has at least `PREFIX_MIN` letters (search as you
type: "ke toa" finds "ke toan"). The title is the first `char_length(title)` characters of `search_text`
(normalising never lengthens Vietnamese text), so no extra column is needed on either backend.

Why tiers and not a rank score: scoring every match of a common word ("nhan vien" is in a third of all
vacancies) means reading hundreds of thousands of rows for each query. With tiers, a page is the newest
matches of each tier in turn, which an index on `published_at` can give without reading the rest. bm25
(SQLite) and ts_rank (PostgreSQL) are not used, so the two backends order alike.

The total is counted up to `TOTAL_CAP` (1,000); above it `total` is None ("more than 1,000"). On PostgreSQL
it is not counted either when the newest `WINDOW` vacancies already hold `COUNT_SKIP` matches (then there
are thousands in all, and counting them through the index would cost more than the page). Pages stop at
`MAX_PAGES` (pages beyond answer no rows).

Backends (indexes, column and triggers by migration 0003_search_indexes):

- PostgreSQL: `search_vector @@ to_tsquery('simple', 'ke & toan:*')`; `search_vector` is a stored generated
  column, `to_tsvector('simple', search_text)`, with a GIN index (the model does not list it, PostgreSQL
  fills it); the title tier over a GIN index on the title's tsvector; the fallback tier
  `search_text LIKE '%word%'` over a GIN trigram index (pg_trgm). The 'simple' configuration: no stemming
  and no stop words, which Vietnamese syllables do not need. At a million vacancies the GIN index is slow
  for common words (intersecting lists of 100,000 entries takes tens of milliseconds) and the planner
  cannot tell common from rare (it multiplies the words' frequencies, and "dak" and "lak" always come
  together), so a search first reads the newest `WINDOW` open vacancies in index order and tests each row
  (`_newest_first`); only what the page still needs after them is asked of the GIN indexes, and then the
  words are rare enough for them to be fast. The answer is the same whatever the window's size.
- SQLite: an FTS5 table `jobs_vacancy_fts(title, body)` kept in step with `jobs_vacancy` by triggers;
  `MATCH 'title : ("ke" "toan"*)'` and `MATCH 'body : (...)'`; the fallback is a plain LIKE.

Measured by bench/jobs_search.py over 1,000,000 vacancies (bench/results_jobs_search.md).
"""

import re
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ansinh.core.text import normalise_search
from ansinh.geo.models import Occupation, Province
from ansinh.jobs.models import Employer, EmployerStatus, Vacancy, VacancyStatus

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGES = 50
TOTAL_CAP = 1000
# A shorter last word is matched whole: a prefix of one or two letters matches too many words to be useful.
PREFIX_MIN = 3
# Words shorter than this cannot use the trigram index; the fallback tier ignores them.
TRIGRAM_MIN = 3
MAX_WORDS = 12

_WORD = re.compile(r"[^\W_]+")

TIER_TITLE = 1
TIER_TEXT = 2
TIER_PARTIAL = 3


@dataclass
class SearchPage:
    results: list[Vacancy]
    # Matches counted up to TOTAL_CAP; None when there are more, or when a common word was not counted.
    total: int | None
    page: int
    has_next: bool
    page_size: int = PAGE_SIZE
    # The normalised words searched for ([] for an empty query).
    words: list[str] = field(default_factory=list)
    # True when no vacancy had the words themselves and the results match parts of words (tier 3).
    partial: bool = False

    @property
    def total_is_capped(self) -> bool:
        return self.total is None


def query_words(query: str) -> list[str]:
    """ "  Kế-toán  tổng hợp! " -> ["ke", "toan", "tong", "hop"]: the normalised words, at most MAX_WORDS."""
    return _WORD.findall(normalise_search(query or ""))[:MAX_WORDS]


def vacancy_search(
    *,
    query: str = "",
    province: str | None = None,
    occupation: str | None = None,
    salary_min: int | None = None,
    contract_type: str | None = None,
    abroad: bool | None = None,
    published_after: datetime | None = None,
    published_until: datetime | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchPage:
    """A page of open vacancies matching `query` and the filters, most relevant first, then newest.

    `province` is a province code ("79"); `occupation` an ISCO code of any level ("2", "24", "241": the group
    and everything under it); `salary_min` (VND a month) keeps vacancies that may pay at least that much
    (their upper bound, or their lower bound when no upper bound is given; vacancies without a salary are
    left out); `abroad` True keeps work abroad, False domestic work, None both; `published_after` (excluded)
    and `published_until` (included) keep the vacancies published in between (a saved search's alert)."""
    page = max(1, page)
    page_size = max(1, min(page_size, MAX_PAGE_SIZE))
    words = query_words(query)
    if page > MAX_PAGES:
        return SearchPage(results=[], total=None, page=page, has_next=False, page_size=page_size, words=words)
    base = _filtered(
        province=province,
        occupation=occupation,
        salary_min=salary_min,
        contract_type=contract_type,
        abroad=abroad,
    )
    if base is not None and published_after is not None:
        base = base.filter(published_at__gt=published_after)
    if base is not None and published_until is not None:
        base = base.filter(published_at__lte=published_until)
    if base is None:  # an unknown province or occupation code
        return SearchPage(results=[], total=0, page=page, has_next=False, page_size=page_size, words=words)
    offset = (page - 1) * page_size
    if not words:
        ids, has_next = _ids(base, offset, page_size)
        return SearchPage(
            results=_load(ids),
            total=_capped_count(base),
            page=page,
            has_next=has_next and page < MAX_PAGES,
            page_size=page_size,
            words=words,
        )
    backend = _backend()
    if isinstance(backend, _Postgres):
        with transaction.atomic(), connection.cursor() as cursor:
            # A page walks the newest vacancies and stops after a few matches; parallel workers would
            # each scan ahead on their own until stopped (hundreds of milliseconds of wasted reading for
            # a rare word and a filter). This transaction only.
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
            found = _newest_first(backend, base, words, offset, page_size)
        if found is not None:
            ids, has_next, total = found
            return SearchPage(
                results=_load(ids),
                total=total,
                page=page,
                has_next=has_next and page < MAX_PAGES,
                page_size=page_size,
                words=words,
            )
    text = base.filter(backend.text_match(words))
    total = _capped_count(text)
    if total == 0:
        return _partial_page(backend, base, words, page, page_size)
    title = base.filter(backend.title_match(words))
    ids, has_next = _tiered_ids(title, text.exclude(backend.title_match(words)), offset, page_size)
    return SearchPage(
        results=_load(ids),
        total=total,
        page=page,
        has_next=has_next and page < MAX_PAGES,
        page_size=page_size,
        words=words,
    )


def _partial_page(
    backend: "_Postgres | _Sqlite", base: QuerySet[Vacancy], words: list[str], page: int, page_size: int
) -> SearchPage:
    partial = backend.partial_match(words)
    if partial is None:
        return SearchPage(results=[], total=0, page=page, has_next=False, page_size=page_size, words=words)
    matches = base.filter(partial)
    ids, has_next = _ids(matches, (page - 1) * page_size, page_size)
    total = _capped_count(matches)
    return SearchPage(
        results=_load(ids),
        total=total,
        page=page,
        has_next=has_next and page < MAX_PAGES,
        page_size=page_size,
        words=words,
        partial=total != 0,
    )


# --- the shared parts --------------------------------------------------------------------------------------


def _filtered(
    *,
    province: str | None,
    occupation: str | None,
    salary_min: int | None,
    contract_type: str | None,
    abroad: bool | None,
) -> QuerySet[Vacancy] | None:
    """Open vacancies of verified employers, deadline not passed, with the filters; None when a code names
    nothing (so the answer is empty without a query over the vacancies)."""
    # "Not an employer that is not verified", rather than a join to the verified ones: the few employers
    # waiting, refused or suspended make a small hashed list that PostgreSQL probes for each row, where a
    # join would read all the employers for each search.
    not_verified = Employer.objects.filter(
        status__in=[status for status in EmployerStatus.values if status != EmployerStatus.VERIFIED]
    )
    qs = Vacancy.objects.filter(status=VacancyStatus.OPEN, deadline__gte=timezone.localdate()).exclude(
        employer_id__in=not_verified.values("id")
    )
    if province:
        province_id = Province.objects.filter(code=province).values_list("id", flat=True).first()
        if province_id is None:
            return None
        qs = qs.filter(province_id=province_id)
    if occupation:
        # Resolved to ids first: an equality or IN on the indexed column, no join in the big query.
        occupation_ids = list(
            Occupation.objects.filter(code__startswith=occupation).values_list("id", flat=True)
        )
        if not occupation_ids:
            return None
        qs = qs.filter(occupation_id__in=occupation_ids)
    if salary_min is not None:
        qs = qs.filter(Q(salary_max__gte=salary_min) | Q(salary_max__isnull=True, salary_min__gte=salary_min))
    if contract_type:
        qs = qs.filter(contract_type=contract_type)
    if abroad is not None:
        qs = qs.filter(is_abroad=abroad)
    return qs


def _ordered(qs: QuerySet[Vacancy]) -> QuerySet[Vacancy]:
    return qs.order_by("-published_at", "-id")


def _ids(qs: QuerySet[Vacancy], offset: int, limit: int) -> tuple[list[int], bool]:
    """`limit` ids from `offset`, and whether more follow (one extra row is read to know)."""
    ids = list(_ordered(qs).values_list("id", flat=True)[offset : offset + limit + 1])
    return ids[:limit], len(ids) > limit


def _first_ids(qs: QuerySet[Vacancy], count: int) -> list[int]:
    return list(_ordered(qs).values_list("id", flat=True)[:count])


def _tiered_ids(
    first: QuerySet[Vacancy], second: QuerySet[Vacancy], offset: int, limit: int
) -> tuple[list[int], bool]:
    """A page over `first` (newest first) followed by `second`: `second` is asked only when the page is not
    full from `first`, and `first` is counted only when the page starts after its end."""
    ids, more = _ids(first, offset, limit)
    if more:
        return ids, True
    if ids:
        first_count = offset + len(ids)
    elif offset:
        # The page starts at or after the end of the first tier: how many rows does it have (up to offset)?
        first_count = first.order_by()[:offset].count()
    else:
        first_count = 0
    rest, more = _ids(second, max(0, offset - first_count), limit - len(ids))
    return ids + rest, more


def _capped_count(qs: QuerySet[Vacancy]) -> int | None:
    count = qs.order_by()[: TOTAL_CAP + 1].count()
    return None if count > TOTAL_CAP else count


def _load(ids: list[int]) -> list[Vacancy]:
    if not ids:
        return []
    rows = Vacancy.objects.select_related(
        "employer__organisation", "occupation", "province", "country"
    ).in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def _backend() -> "_Postgres | _Sqlite":
    return _Postgres() if connection.vendor == "postgresql" else _Sqlite()


# --- PostgreSQL ------------------------------------------------------------------------------------------

# These expressions are exactly those of the indexes in migration 0003 (the planner matches them as written).
# The search text's vector is a stored generated column that the model does not list (migration 0003).
PG_TEXT_VECTOR = '"jobs_vacancy"."search_vector"'
PG_TITLE_VECTOR = (
    "to_tsvector('simple'::regconfig, "
    'left("jobs_vacancy"."search_text", char_length("jobs_vacancy"."title")))'
)


def pg_tsquery(words: list[str]) -> str:
    """["ke", "toan"] -> "ke & toan:*" (words are letters and digits only, so nothing needs quoting)."""
    terms = list(words)
    if len(terms[-1]) >= PREFIX_MIN:
        terms[-1] += ":*"
    return " & ".join(terms)


class _Postgres:
    def title_match(self, words: list[str]) -> Q:
        return Q(
            RawSQL(  # noqa: S611 - constant SQL, the words are a parameter
                f"{PG_TITLE_VECTOR} @@ to_tsquery('simple'::regconfig, %s)",
                [pg_tsquery(words)],
                output_field=BooleanField(),
            )
        )

    def title_flag(self, words: list[str]) -> RawSQL:
        return RawSQL(  # noqa: S611 - constant SQL, the words are a parameter
            f"{PG_TITLE_VECTOR} @@ to_tsquery('simple'::regconfig, %s)",
            [pg_tsquery(words)],
            output_field=BooleanField(),
        )

    def text_test(self, words: list[str]) -> Q:
        """The same test as `text_match`, written as a function call, which no index serves: a walk over
        the newest vacancies tests each row instead of intersecting the GIN index's long lists for common
        words (tens of milliseconds for "ke & toan:*" over a million rows)."""
        return Q(
            RawSQL(  # noqa: S611 - constant SQL, the words are a parameter
                f"ts_match_vq({PG_TEXT_VECTOR}, to_tsquery('simple'::regconfig, %s))",
                [pg_tsquery(words)],
                output_field=BooleanField(),
            )
        )

    def text_match(self, words: list[str]) -> Q:
        return Q(
            RawSQL(  # noqa: S611 - constant SQL, the words are a parameter
                f"{PG_TEXT_VECTOR} @@ to_tsquery('simple'::regconfig, %s)",
                [pg_tsquery(words)],
                output_field=BooleanField(),
            )
        )

    def partial_match(self, words: list[str]) -> Q | None:
        long_words = [word for word in words if len(word) >= TRIGRAM_MIN]
        if not long_words:
            return None
        condition = Q()
        for word in long_words:
            condition &= Q(search_text__contains=word)
        return condition


# The newest WINDOW open vacancies are read first (PostgreSQL): see `_newest_first`.
WINDOW = 5_000
# Matches in the window from which the total is not counted (None: more than TOTAL_CAP).
COUNT_SKIP = 50
# Matches in the window from which the total is estimated from them (fewer say too little).
ESTIMATE_FROM = 5
WINDOW_SECONDS = 60.0
# (when read, the window's start, how many times the window all open vacancies are)
_window_start: tuple[float, datetime | None, float] | None = None


def window_start() -> tuple[datetime | None, float]:
    """When the WINDOW-th newest open vacancy was published (None when there are fewer), and about how many
    windows all the open vacancies make (by their publication dates: the oldest open one's age over the
    window's); read from the `(status, -published_at)` index and kept for a minute: an older start only makes
    the window bigger, never a result wrong."""
    global _window_start
    now = time.monotonic()
    if _window_start is None or now - _window_start[0] > WINDOW_SECONDS:
        open_ones = Vacancy.objects.filter(status=VacancyStatus.OPEN).order_by("-published_at")
        start = open_ones.values_list("published_at", flat=True)[WINDOW - 1 : WINDOW].first()
        scale = 1.0
        oldest = open_ones.reverse().values_list("published_at", flat=True).first()
        if start is not None and oldest is not None:
            today = timezone.now()
            scale = max(1.0, (today - oldest).total_seconds() / max(1.0, (today - start).total_seconds()))
        _window_start = (now, start, scale)
    return _window_start[1], _window_start[2]


def _newest_first(
    backend: _Postgres, base: QuerySet[Vacancy], words: list[str], offset: int, limit: int
) -> tuple[list[int], bool, int | None] | None:
    """The page read from the newest vacancies first (PostgreSQL); None when nothing matches.

    A word in 2 % of the vacancies is in about 20,000 of a million, spread over the whole table: reading all
    of them to keep the newest 20 touches 20,000 pages, while the newest 20 are among the newest 1,000
    vacancies, which sit together at the end of the table. The planner cannot tell these cases apart (it
    multiplies the words' frequencies, and "dak" and "lak" always come together), so the search reads the
    newest WINDOW open vacancies first, in one query that also marks the title matches, and goes to the
    older ones only for what the page still needs: older title matches when the window's do not fill the
    page (they rank above every match without the words in its title), then older other matches. Words
    common enough to be slow through the index fill the page from the window; words rare enough to miss it
    are few in the older vacancies too, where the GIN indexes find them.
    """
    start, scale = window_start()
    if start is None:
        return None
    need = offset + limit + 1
    rows = list(
        base.filter(published_at__gte=start)
        .filter(backend.text_test(words))
        .annotate(in_title=backend.title_flag(words))
        .order_by("-published_at", "-id")
        .values_list("id", "in_title")
    )
    if len(rows) >= COUNT_SKIP or (len(rows) >= ESTIMATE_FROM and len(rows) * scale > 2 * TOTAL_CAP):
        # Many matches among the newest WINDOW (or, at the rate they come, well over TOTAL_CAP in all):
        # counting them through the index would cost more than the page.
        total = None
    else:
        total = _capped_count(base.filter(backend.text_match(words)))
        if total == 0:
            return None
    titles = [pk for pk, flag in rows if flag]
    older = base.filter(published_at__lt=start)
    if len(titles) < need:
        titles += _first_ids(older.filter(backend.title_match(words)), need - len(titles))
    if len(titles) < need:  # every title match is known: the others follow, newest first
        titles += [pk for pk, flag in rows if not flag]
    if len(titles) < need:
        others = older.filter(backend.text_match(words)).exclude(backend.title_match(words))
        titles += _first_ids(others, need - len(titles))
    has_next = len(titles) >= need
    if not has_next:  # the last page: every match has been seen
        total = min(len(titles), TOTAL_CAP) if len(titles) <= TOTAL_CAP else None
    return titles[offset : offset + limit], has_next, total


# --- SQLite ----------------------------------------------------------------------------------------------

FTS_TABLE = "jobs_vacancy_fts"


def fts_query(column: str, words: list[str]) -> str:
    """("title", ["ke", "toan"]) -> 'title : ("ke" "toan"*)': every word in the column, the last as a
    prefix."""
    terms = [f'"{word}"' for word in words]
    if len(words[-1]) >= PREFIX_MIN:
        terms[-1] += "*"
    return f"{column} : ({' '.join(terms)})"


class _Sqlite:
    def _match(self, column: str, words: list[str]) -> Q:
        return Q(
            id__in=RawSQL(  # noqa: S611 - constant SQL, the words are a parameter
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608 - a constant
                [fts_query(column, words)],
            )
        )

    def title_match(self, words: list[str]) -> Q:
        return self._match("title", words)

    def text_match(self, words: list[str]) -> Q:
        return self._match("body", words)

    def partial_match(self, words: list[str]) -> Q | None:
        long_words = [word for word in words if len(word) >= TRIGRAM_MIN]
        if not long_words:
            return None
        condition = Q()
        for word in long_words:
            condition &= Q(search_text__contains=word)
        return condition
