"""On PostgreSQL, a trigram index for searching the queue by part of a name (`LIKE '%an%'` cannot use a
btree). SQLite has no such index; its queues are small. If the pg_trgm extension cannot be created (no
privilege), the index is skipped with a notice: search still works, only slower."""

from django.db import DatabaseError, migrations, transaction


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        print("\n  pg_trgm is not available: the dossier name index is skipped (searches will be slower).")
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS dossier_name_trgm ON dossiers_dossier "
        "USING gin (applicant_name_search gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS dossier_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_dossier_roles")]
    operations = [migrations.RunPython(create, drop)]
