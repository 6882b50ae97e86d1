"""notify_person / notify_user / notify_org on the real database: the inbox row, one delivery per
channel, sending after commit, the recipient's language, and who in an organisation is told."""

import pytest
from django.core import mail
from django.db import transaction

from ansinh.accounts.models import Membership, Role, Scope
from ansinh.core import sms
from ansinh.core.errors import NotFound
from ansinh.notify import selectors
from ansinh.notify.models import Delivery, Message
from ansinh.notify.services import message_mark_read, notify_org, notify_person, notify_user
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

GENERIC = "notify.generic"


def hello(subject: str = "Lịch hẹn", body: str = "Mời anh đến Trung tâm lúc 8 giờ.") -> dict[str, str]:
    return {"subject": subject, "body": body}


def channels_of(message: Message) -> list[tuple[str, str]]:
    return sorted(Delivery.objects.filter(message=message).values_list("channel", "address"))


def test_person_without_account_gets_inbox_row_email_and_sms_in_vietnamese(
    django_capture_on_commit_callbacks,
):
    person = PersonFactory(email="lan@example.vn", phone="+84912345678")
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_person(
            person, "notify.push_enabled", {"when": "21/03/2026 10:00"}, link="/dossiers/7/"
        )
    message.refresh_from_db()
    assert (message.recipient_person, message.recipient_user) == (person, None)
    assert message.language == "vi"
    assert message.subject == "Đã bật thông báo trên một thiết bị mới"
    assert message.link == "/dossiers/7/"
    assert channels_of(message) == [("email", "lan@example.vn"), ("sms", "+84912345678")]
    assert set(Delivery.objects.filter(message=message).values_list("status", flat=True)) == {"sent"}
    [email] = mail.outbox
    assert email.to == ["lan@example.vn"]
    assert email.subject == message.subject
    assert email.body.endswith("/dossiers/7/")
    assert sms.outbox == [("+84912345678", message.body)]


def test_language_comes_from_the_person_account(django_capture_on_commit_callbacks):
    person = PersonFactory(email="lan@example.vn")
    UserFactory(person=person, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_person(person, "notify.push_enabled", {"when": "21/03/2026 10:00"})
    assert message.language == "en"
    assert mail.outbox[0].subject == "Notifications are on for a new device"


def test_account_email_wins_over_person_email_and_person_phone_over_account_phone():
    person = PersonFactory(email="old@example.vn", phone="+84911111111")
    UserFactory(person=person, email="new@example.vn", phone="+84922222222")
    message = notify_person(person, GENERIC, hello())
    assert channels_of(message) == [("email", "new@example.vn"), ("sms", "+84911111111")]


def test_channels_can_be_restricted():
    person = PersonFactory(email="lan@example.vn", phone="+84912345678")
    assert channels_of(notify_person(person, GENERIC, hello(), channels=["sms"])) == [("sms", "+84912345678")]
    assert channels_of(notify_person(person, GENERIC, hello(), channels=[])) == []
    with pytest.raises(ValueError):
        notify_person(person, GENERIC, hello(), channels=["fax"])


def test_no_address_means_inbox_only(django_capture_on_commit_callbacks):
    person = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = notify_person(person, GENERIC, hello())
    assert Message.objects.filter(pk=message.pk).exists()
    assert channels_of(message) == []
    assert callbacks == []  # nothing to enqueue


def test_links_stay_on_this_site():
    person = PersonFactory()
    for link in ["https://evil.example/", "//evil.example/", "/\\evil.example", "dossiers/1", "/a\nb"]:
        with pytest.raises(ValueError):
            notify_person(person, GENERIC, hello(), link=link)


def test_nothing_is_sent_before_commit_and_nothing_at_all_on_rollback(django_capture_on_commit_callbacks):
    person = PersonFactory(email="lan@example.vn")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify_person(person, GENERIC, hello())
    assert len(callbacks) == 1
    assert mail.outbox == []

    class Undo(Exception):
        pass

    def failing_step() -> None:
        with transaction.atomic():
            notify_person(person, GENERIC, hello("rolled back"))
            raise Undo

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(Undo):
        failing_step()
    assert callbacks == []
    assert not Message.objects.filter(subject="rolled back").exists()
    assert mail.outbox == []


def test_a_step_that_commits_is_not_undone_by_a_queue_that_is_down(
    django_capture_on_commit_callbacks, monkeypatch
):
    from ansinh.notify import tasks

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.deliver_message, "delay", broker_down)
    person = PersonFactory(email="lan@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_person(person, GENERIC, hello())
    assert Delivery.objects.get(message=message).status == "pending"


def test_notify_user_writes_to_the_login_inbox(django_capture_on_commit_callbacks):
    officer = make_staff("provincial_officer", email="canbo@songv.gov.vn", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        message = notify_user(officer, GENERIC, hello("Assigned", "Three dossiers."), link="/staff/")
    assert (message.recipient_user, message.recipient_person) == (officer, None)
    assert message.language == "en"
    assert channels_of(message) == [("email", "canbo@songv.gov.vn")]
    assert mail.outbox[0].to == ["canbo@songv.gov.vn"]


def test_notify_org_tells_each_active_member_once():
    org = OrganisationFactory()
    other_org = OrganisationFactory()
    officer = make_staff("provincial_officer", org)
    Membership.objects.create(user=officer, organisation=org, role=Role.objects.get(code="enterprise_staff"))
    colleague = make_staff("enterprise_staff", org)
    left = make_staff("provincial_officer", org)
    Membership.objects.filter(user=left).update(is_active=False)
    locked = make_staff("provincial_officer", org, is_active=False)
    elsewhere = make_staff("provincial_officer", other_org)

    messages = notify_org(org, GENERIC, hello())

    told = sorted(m.recipient_user_id for m in messages)
    assert told == sorted([officer.pk, colleague.pk])
    assert not Message.objects.filter(recipient_user__in=[left, locked, elsewhere]).exists()


def test_notify_org_with_a_permission_tells_only_members_whose_role_carries_it():
    org = OrganisationFactory(delegated_permissions=[])
    reader = make_staff("provincial_officer", org)  # holds person.read
    make_staff("enterprise_staff", org)  # holds nothing
    branch_role = Role.objects.create(
        code="test_branch_reader", name="x", scope=Scope.BRANCH, permissions=["person.read"]
    )
    branch_reader = UserFactory()
    Membership.objects.create(user=branch_reader, organisation=org, role=branch_role)

    messages = notify_org(org, GENERIC, hello(), permission="person.read")
    # A branch role counts only for what the enterprise delegated to the branch (nothing here).
    assert [m.recipient_user_id for m in messages] == [reader.pk]

    org.delegated_permissions = ["person.read"]
    org.save()
    messages = notify_org(org, GENERIC, hello(), permission="person.read")
    assert sorted(m.recipient_user_id for m in messages) == sorted([reader.pk, branch_reader.pk])


def test_notify_org_of_an_inactive_organisation_tells_nobody():
    org = OrganisationFactory(is_active=False)
    make_staff("provincial_officer", org)
    assert notify_org(org, GENERIC, hello()) == []


def test_inbox_holds_messages_to_the_login_and_to_the_person_newest_first():
    person = PersonFactory()
    user = UserFactory(person=person)
    stranger = UserFactory(person=PersonFactory())
    first = notify_person(person, GENERIC, hello("first"))
    second = notify_user(user, GENERIC, hello("second"))
    notify_person(stranger.person, GENERIC, hello("not yours"))
    notify_user(stranger, GENERIC, hello("not yours either"))

    assert list(selectors.inbox_for(user)) == [second, first]
    assert selectors.unread_count_for(user) == 2
    assert list(selectors.inbox_for(UserFactory())) == []


def test_mark_read_only_own_messages_and_only_once():
    person = PersonFactory()
    user = UserFactory(person=person)
    mine = notify_person(person, GENERIC, hello())
    theirs = notify_user(UserFactory(), GENERIC, hello())

    read = message_mark_read(actor=user, message_id=mine.pk)
    assert read.read_at is not None
    again = message_mark_read(actor=user, message_id=mine.pk)
    assert again.read_at == read.read_at
    assert selectors.unread_count_for(user) == 0
    with pytest.raises(NotFound):
        message_mark_read(actor=user, message_id=theirs.pk)
    theirs.refresh_from_db()
    assert theirs.read_at is None
