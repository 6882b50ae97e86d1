"""Creates the single chain-head row up front, so the first writers on a new database lock an existing row
instead of racing to insert it."""

from django.db import migrations


def create_head(apps, schema_editor):
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    AuditChainHead.objects.get_or_create(id=1, defaults={"last_seq": 0, "last_hash": "0" * 64})


class Migration(migrations.Migration):
    dependencies = [("core", "0002_workingdayoverride_updated_at")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
