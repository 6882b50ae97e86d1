"""Matching's extra index, PostgreSQL only (by hand; see ansinh.jobs.matching).

The cut of a vacancy's candidates reads the seekers of its ISCO sub-major group backwards along
(sub_major_group, seeker) and skips those who want the vacancy's own occupation (they come through the
occupation's slice). With the occupation in the index (INCLUDE) that read is index-only; without it, every
skipped row costs a visit to the table (tens of milliseconds for a popular group of a million seekers).
SQLite keeps the model's index: its tables are small.
"""

from django.db import migrations

INDEX = "jobs_seekocc_group_occ"
CREATE = (
    f"CREATE INDEX IF NOT EXISTS {INDEX} ON jobs_seekeroccupation (sub_major_group, seeker_id) "
    "INCLUDE (occupation_id)"
)
DROP = f"DROP INDEX IF EXISTS {INDEX}"


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def reverse(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("jobs", "0003_search_indexes")]

    operations = [migrations.RunPython(forward, reverse, elidable=False)]
