"""The vacancy search indexes, one set per backend (see `ansinh.jobs.search`).

PostgreSQL: the `unaccent` and `pg_trgm` extensions; a stored generated column `search_vector` (the tsvector of
the normalised search text) with a GIN index, a GIN index over the tsvector of the title's part of the search
text (its first `char_length(title)` characters: the search text starts with the title), and a GIN trigram
index over the search text for the partial-word fallback.

SQLite: an FTS5 table `jobs_vacancy_fts(title, body)` without content of its own (`content=''`: the text lives
in `jobs_vacancy` only), filled from the existing rows and kept in step by three triggers on `jobs_vacancy`.
A contentless FTS5 row is removed with the special 'delete' command and the old values, which the triggers
have. NOTE: Django remakes a SQLite table (copy, drop, rename) for most `AlterField`/`RemoveField` operations,
and dropping the table drops its triggers: a later migration that remakes `jobs_vacancy` must run
`sqlite_forward` of this module again (tests/jobs/test_search.py checks the triggers exist).
"""

from django.db import migrations

PG_EXTENSIONS = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
]
# The search text's tsvector, kept by PostgreSQL itself (a generated column: no trigger, no code path that
# could forget it). Django's model does not list it: nothing in Python reads or writes it, and an INSERT or
# COPY that names the model's columns fills it. Stored, so a query that walks the vacancies newest first and
# tests each row does not parse each row's text again.
PG_COLUMN = [
    "ALTER TABLE jobs_vacancy ADD COLUMN IF NOT EXISTS search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED",
    # More common words in the statistics: better estimates of how many vacancies a word is in, which decide
    # between walking the newest vacancies and reading the matches from the index.
    "ALTER TABLE jobs_vacancy ALTER COLUMN search_vector SET STATISTICS 1000",
]
# Not partial (WHERE status = 'open'): the planner takes no statistics from a partial expression index, and
# without them it cannot tell a word in half the vacancies from a word in ten.
PG_INDEXES = [
    "CREATE INDEX IF NOT EXISTS jobs_vacancy_text_fts ON jobs_vacancy USING gin (search_vector)",
    "CREATE INDEX IF NOT EXISTS jobs_vacancy_title_fts ON jobs_vacancy "
    "USING gin (to_tsvector('simple'::regconfig, left(search_text, char_length(title))))",
    "CREATE INDEX IF NOT EXISTS jobs_vacancy_text_trgm ON jobs_vacancy USING gin (search_text gin_trgm_ops)",
]
PG_DROP_INDEXES = [
    "DROP INDEX IF EXISTS jobs_vacancy_text_trgm",
    "DROP INDEX IF EXISTS jobs_vacancy_title_fts",
    "DROP INDEX IF EXISTS jobs_vacancy_text_fts",
]
PG_FORWARD = [*PG_EXTENSIONS, *PG_COLUMN, *PG_INDEXES]
# The extensions stay: other apps or operators may use them, and dropping them is not this migration's call.
PG_REVERSE = [*PG_DROP_INDEXES, "ALTER TABLE jobs_vacancy DROP COLUMN IF EXISTS search_vector"]

_TITLE = "substr({row}.search_text, 1, length({row}.title))"
_INSERT = (
    "INSERT INTO jobs_vacancy_fts (rowid, title, body) "  # noqa: S608 - constant SQL
    f"VALUES (new.id, {_TITLE.format(row='new')}, new.search_text);"
)
_DELETE = (
    "INSERT INTO jobs_vacancy_fts (jobs_vacancy_fts, rowid, title, body) "  # noqa: S608 - constant SQL
    f"VALUES ('delete', old.id, {_TITLE.format(row='old')}, old.search_text);"
)
SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS jobs_vacancy_fts USING fts5("
    "title, body, content='', tokenize='unicode61 remove_diacritics 2')"
)
SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_insert",
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_delete",
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_update",
    f"CREATE TRIGGER jobs_vacancy_fts_insert AFTER INSERT ON jobs_vacancy BEGIN {_INSERT} END",
    f"CREATE TRIGGER jobs_vacancy_fts_delete AFTER DELETE ON jobs_vacancy BEGIN {_DELETE} END",
    "CREATE TRIGGER jobs_vacancy_fts_update AFTER UPDATE OF id, title, search_text ON jobs_vacancy "
    f"BEGIN {_DELETE} {_INSERT} END",
]
SQLITE_FILL = [
    "INSERT INTO jobs_vacancy_fts (jobs_vacancy_fts) VALUES ('delete-all')",
    "INSERT INTO jobs_vacancy_fts (rowid, title, body) "  # noqa: S608 - constant SQL
    f"SELECT id, {_TITLE.format(row='jobs_vacancy')}, search_text FROM jobs_vacancy",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_insert",
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_delete",
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_update",
    "DROP TABLE IF EXISTS jobs_vacancy_fts",
]


def _run(schema_editor, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement, params=None)


def sqlite_forward(schema_editor) -> None:
    """The FTS5 table, its triggers, and its rows from the vacancies there are (safe to run again)."""
    _run(schema_editor, [SQLITE_TABLE, *SQLITE_TRIGGERS, *SQLITE_FILL])


def forward(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_FORWARD)
    elif vendor == "sqlite":
        sqlite_forward(schema_editor)


def reverse(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, PG_REVERSE)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_job_roles")]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]
