"""Receipt codes: `<organisation code>-<yymmdd>-<sequence>`, unique nationally because organisation codes are.

The day's counter row is created with INSERT ... ON CONFLICT DO NOTHING and then locked, so any number of
concurrent submissions to one organisation get consecutive numbers and none fails (PostgreSQL row lock;
SQLite serialises writers with its IMMEDIATE transactions).
"""

from datetime import date

from django.db import transaction

from ansinh.accounts.models import Organisation
from ansinh.dossiers.models import ReceiptCounter


def allocate_receipt_code(organisation: Organisation, day: date) -> str:
    with transaction.atomic():
        ReceiptCounter.objects.bulk_create(
            [ReceiptCounter(organisation=organisation, day=day, last=0)], ignore_conflicts=True
        )
        counter = ReceiptCounter.objects.select_for_update().get(organisation=organisation, day=day)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"{organisation.code}-{day:%y%m%d}-{counter.last:04d}"
