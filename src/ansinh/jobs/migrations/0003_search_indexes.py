from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_job_roles")]

    operations: list = []
