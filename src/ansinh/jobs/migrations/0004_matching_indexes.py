from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("jobs", "0003_search_indexes")]

    operations: list = []
