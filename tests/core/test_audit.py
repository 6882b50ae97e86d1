import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from ansinh.core import audit
from ansinh.core.models import AppendOnlyError, AuditChainHead, AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _write(n: int) -> list[AuditEntry]:
    actor = UserFactory()
    return [
        audit.record(actor=actor, action="test.write", obj=actor, changes={"i": i, "name": "Đắk Lắk"})
        for i in range(n)
    ]


def test_entries_form_a_chain():
    entries = _write(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == audit.GENESIS_HASH
    assert entries[1].prev_hash == entries[0].entry_hash
    assert audit.verify_chain().ok
    assert audit.verify_chain().checked == 3


def test_altering_a_row_breaks_the_chain_and_the_command_fails(capsys):
    entries = _write(4)
    call_command("audit_verify")
    assert "4 entries" in capsys.readouterr().out
    with connection.cursor() as cursor:  # a tamperer with database access, bypassing the model
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET action = %s WHERE seq = %s",
            ["test.innocent", entries[1].seq],
        )
    report = audit.verify_chain()
    assert not report.ok
    assert report.first_bad_seq == 2
    with pytest.raises(CommandError, match="#2"):
        call_command("audit_verify")


def test_deleting_a_row_or_the_tail_is_detected():
    entries = _write(3)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [entries[2].seq])
    report = audit.verify_chain()
    assert not report.ok
    assert "missing" in report.problem


def test_entries_are_append_only_through_the_orm():
    entry = _write(1)[0]
    entry.action = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


def test_an_entry_rolls_back_with_its_service_transaction():
    actor = UserFactory()
    audit.record(actor=actor, action="test.before")

    def failing_service() -> None:
        with transaction.atomic():
            audit.record(actor=actor, action="test.rolled_back")
            raise RuntimeError("service failed")

    with pytest.raises(RuntimeError):
        failing_service()
    assert not AuditEntry.objects.filter(action="test.rolled_back").exists()
    assert AuditChainHead.objects.get().last_seq == AuditEntry.objects.count()
    assert audit.verify_chain().ok


def test_context_supplies_ip_and_organisation():
    actor = UserFactory()
    with audit.audit_context(ip="203.0.113.9", organisation_id=42):
        entry = audit.record(actor=actor, action="test.ctx")
    assert entry.ip == "203.0.113.9"
    assert entry.organisation_id == 42
    assert entry.actor_label == actor.username


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_extend_one_unbroken_chain():
    import threading

    from django.db import connections

    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    audit.record(actor=None, action="test.concurrent", changes={"writer": n, "i": i})
        except BaseException as exc:  # reported below, the thread must not die silently
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEntry.objects.filter(action="test.concurrent").count() == 40
    report = audit.verify_chain()
    assert report.ok, report
