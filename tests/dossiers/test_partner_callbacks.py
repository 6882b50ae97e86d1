"""Partner callbacks against a real HTTP receiver on 127.0.0.1: signed, retried with back-off, marked failed
after the last attempt and visible (and re-sendable) on the staff log page."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import include, path
from django.utils import timezone

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.config.urls import urlpatterns as project_urlpatterns
from ansinh.core.models import AuditEntry
from ansinh.dossiers import tasks
from ansinh.dossiers.models import CallbackStatus, PartnerCallback
from ansinh.dossiers.partner_tasks import deliver_callback, retry_due_callbacks
from ansinh.dossiers.services import partners, transitions
from ansinh.dossiers.services.partners import CALLBACK_MAX_ATTEMPTS, signature_for
from tests.dossiers.partner_support import Receiver, free_port, make_partner, make_world, submission
from tests.factories import UserFactory, make_staff

# The staff pages are mounted here too, so these tests run whether or not the project URLconf has them yet.
urlpatterns = [path("staff/partners/", include("ansinh.dossiers.partner_urls")), *project_urlpatterns]
pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


class _Quiet:
    def delay(self, *args, **kwargs):
        return None


@pytest.fixture(autouse=True)
def _no_documents_or_notices(monkeypatch):
    # The receipt PDF and the applicant's notices are other tests' business; here only callbacks are sent.
    monkeypatch.setattr(tasks, "issue_document", _Quiet())


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def file_and_accept(url: str, capture) -> tuple:
    """A partner files a dossier; an officer of the receiving centre accepts it. Returns (dossier, secret)."""
    world = make_world()
    partner, _token, secret = make_partner(url)
    officer = make_staff("employment_centre_officer", world.centre)
    with capture(execute=True):
        dossier, _created = partners.partner_submit(partner=partner, **submission(world))
    with capture(execute=True):
        transitions.dossier_act(actor=officer, dossier_id=dossier.pk, action="accept")
    return dossier, secret


def accept_callback() -> PartnerCallback:
    return PartnerCallback.objects.get(payload__action="accept")


def make_due(callback: PartnerCallback) -> None:
    """Time passes: the next attempt is due now."""
    PartnerCallback.objects.filter(pk=callback.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


@pytest.mark.django_db(transaction=True)
def test_staff_accepting_the_dossier_sends_a_signed_callback(receiver, media):
    """End to end with real commits: the callback is written in the step's transaction and sent after it."""
    world = make_world()
    partner, _token, secret = make_partner(receiver.url)
    officer = make_staff("employment_centre_officer", world.centre)
    dossier, _created = partners.partner_submit(partner=partner, **submission(world))
    transitions.dossier_act(actor=officer, dossier_id=dossier.pk, action="accept")

    assert [r.json["state"] for r in receiver.received] == ["submitted", "accepted"]
    accepted = receiver.received[1]
    stamp = accepted.headers["x-ansinh-timestamp"]
    assert accepted.headers["x-ansinh-signature"] == signature_for(secret, stamp, accepted.body)
    assert abs(int(stamp) - timezone.now().timestamp()) < 60
    assert accepted.headers["content-type"].startswith("application/json")
    payload = accepted.json
    assert accepted.headers["x-ansinh-event"] == payload["event_id"]
    dossier.refresh_from_db()
    assert payload == {
        "event_id": payload["event_id"],
        "reference": "G22-0001",
        "receipt_code": dossier.receipt_code,
        "action": "accept",
        "state": "accepted",
        "previous_state": "submitted",
        "due_date": dossier.due_date.isoformat(),
        "note": "",
        "at": payload["at"],
    }
    callback = PartnerCallback.objects.get(event_id=payload["event_id"])
    assert callback.status == CallbackStatus.DELIVERED
    assert callback.attempts == 1
    assert callback.last_status_code == 200
    assert callback.delivered_at is not None


def test_a_500_is_retried_after_the_back_off_and_then_delivered(
    receiver, media, django_capture_on_commit_callbacks
):
    receiver.answers = [200, 500]  # the submission's callback, then the first try of the acceptance's
    file_and_accept(receiver.url, django_capture_on_commit_callbacks)
    callback = accept_callback()
    assert callback.status == CallbackStatus.PENDING
    assert callback.attempts == 1
    assert callback.last_status_code == 500
    assert "500" in callback.last_error
    wait = (callback.next_attempt_at - timezone.now()).total_seconds()
    assert 50 < wait <= 60  # first back-off: one minute

    assert retry_due_callbacks() == 0  # not due yet: nothing is sent early
    assert len(receiver.received) == 2

    make_due(callback)
    assert retry_due_callbacks() == 1
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.DELIVERED
    assert callback.attempts == 2
    assert callback.last_status_code == 200
    assert callback.last_error == ""
    events = [r.headers["x-ansinh-event"] for r in receiver.received[1:]]
    assert events == [callback.event_id, callback.event_id]  # the receiver dedupes on it


def test_a_delivered_callback_is_never_sent_again(receiver, media, django_capture_on_commit_callbacks):
    file_and_accept(receiver.url, django_capture_on_commit_callbacks)
    callback = accept_callback()
    assert callback.status == CallbackStatus.DELIVERED
    sent = len(receiver.received)
    assert partners.callback_deliver(callback.pk) == CallbackStatus.DELIVERED
    assert deliver_callback.delay(callback.pk).get() == "delivered"
    make_due(callback)
    assert retry_due_callbacks() == 0
    assert len(receiver.received) == sent


def test_eager_task_tries_once_and_leaves_the_callback_pending(media, django_capture_on_commit_callbacks):
    file_and_accept(f"http://127.0.0.1:{free_port()}/down", django_capture_on_commit_callbacks)
    callback = accept_callback()
    assert callback.status == CallbackStatus.PENDING
    assert callback.attempts == 1
    assert callback.next_attempt_at > timezone.now()
    assert deliver_callback.delay(callback.pk).get() == "pending"  # not due: no second attempt at once
    callback.refresh_from_db()
    assert callback.attempts == 1


def test_a_receiver_that_stays_down_ends_failed_and_visible_to_staff(
    receiver, media, django_capture_on_commit_callbacks, client
):
    down = f"http://127.0.0.1:{free_port()}/callbacks"
    dossier, _secret = file_and_accept(down, django_capture_on_commit_callbacks)
    callback = accept_callback()
    for _ in range(CALLBACK_MAX_ATTEMPTS - 1):
        assert callback.status == CallbackStatus.PENDING
        make_due(callback)
        retry_due_callbacks()
        callback.refresh_from_db()
    assert callback.status == CallbackStatus.FAILED
    assert callback.attempts == CALLBACK_MAX_ATTEMPTS
    assert callback.last_status_code is None
    assert "ConnectError" in callback.last_error
    assert callback.next_attempt_at is None
    make_due(callback)
    assert retry_due_callbacks() == 0  # failed is final until staff send it again

    admin = make_staff("system_admin")
    client.force_login(admin)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()
    page = client.get("/staff/partners/callbacks/", {"status": "failed"})
    assert page.status_code == 200
    html = page.content.decode()
    assert dossier.receipt_code in html
    assert callback.event_id in html
    assert "ConnectError" in html
    assert f"/staff/partners/callbacks/{callback.pk}/retry/" in html
    listing = client.get("/staff/partners/").content.decode()
    assert "Cổng Dịch vụ công quốc gia" in listing

    # The partner is back (at a new address): staff send it again, and nothing was lost.
    callback.partner.callback_url = receiver.url
    callback.partner.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/staff/partners/callbacks/{callback.pk}/retry/",
            {"next": "/staff/partners/callbacks/?status=failed"},
        )
    assert response.status_code == 302
    assert response["Location"] == "/staff/partners/callbacks/?status=failed"
    callback.refresh_from_db()
    assert callback.status == CallbackStatus.DELIVERED
    assert callback.attempts == 1
    assert [r.headers["x-ansinh-event"] for r in receiver.received] == [callback.event_id]
    assert AuditEntry.objects.filter(action="partner.callback_retry", object_id=str(callback.pk)).exists()


class TestStaffPages:
    def login(self, client, user):
        client.force_login(user)
        session = client.session
        session[SESSION_2FA_KEY] = True
        session.save()

    def test_only_partner_managers_see_the_log(self, client):
        self.login(client, make_staff("employment_centre_officer"))
        assert client.get("/staff/partners/").status_code == 403
        assert client.get("/staff/partners/callbacks/").status_code == 403
        assert client.post("/staff/partners/callbacks/1/retry/").status_code == 403

    def test_anonymous_is_sent_to_sign_in(self, client):
        response = client.get("/staff/partners/callbacks/")
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_the_log_filters_by_status_and_partner(self, client, media, django_capture_on_commit_callbacks):
        world = make_world()
        partner, _token, _secret = make_partner("")  # no URL: every callback is failed at once
        dossier, _created = partners.partner_submit(partner=partner, **submission(world))
        other, _t, _s = make_partner("", code="other")
        self.login(client, make_staff("system_admin"))
        failed = client.get("/staff/partners/callbacks/", {"status": "failed", "partner": partner.pk})
        assert failed.status_code == 200
        assert "has no callback URL" in failed.content.decode()
        assert dossier.receipt_code in failed.content.decode()
        none = client.get("/staff/partners/callbacks/", {"partner": other.pk})
        assert PartnerCallback.objects.get().event_id not in none.content.decode()
        delivered = client.get("/staff/partners/callbacks/", {"status": "delivered"})
        assert PartnerCallback.objects.get().event_id not in delivered.content.decode()
        assert client.get("/staff/partners/callbacks/", {"status": "x", "partner": "y"}).status_code == 200

    def test_only_a_failed_callback_can_be_sent_again(
        self, client, receiver, media, django_capture_on_commit_callbacks
    ):
        file_and_accept(receiver.url, django_capture_on_commit_callbacks)
        callback = accept_callback()
        self.login(client, make_staff("system_admin"))
        response = client.post(f"/staff/partners/callbacks/{callback.pk}/retry/", follow=True)
        assert response.status_code == 200
        assert "Chỉ gửi lại được thông báo đã gửi không thành công." in response.content.decode()
        assert client.post("/staff/partners/callbacks/999999/retry/").status_code == 404

    def test_retry_needs_the_csrf_token(self, media):
        world = make_world()
        partner, _token, _secret = make_partner("")
        partners.partner_submit(partner=partner, **submission(world))
        callback = PartnerCallback.objects.get()
        client = Client(enforce_csrf_checks=True)
        self.login(client, make_staff("system_admin"))
        assert client.post(f"/staff/partners/callbacks/{callback.pk}/retry/").status_code == 403
        callback.refresh_from_db()
        assert callback.status == CallbackStatus.FAILED

    def test_an_outside_next_address_is_ignored(self, client, media):
        world = make_world()
        partner, _token, _secret = make_partner("")
        partners.partner_submit(partner=partner, **submission(world))
        callback = PartnerCallback.objects.get()
        self.login(client, make_staff("system_admin"))
        response = client.post(
            f"/staff/partners/callbacks/{callback.pk}/retry/", {"next": "https://evil.example/"}
        )
        assert response["Location"] == "/staff/partners/callbacks/"


def test_retry_needs_partner_manage(media):
    from ansinh.core.errors import PermissionDenied

    world = make_world()
    partner, _token, _secret = make_partner("")
    partners.partner_submit(partner=partner, **submission(world))
    with pytest.raises(PermissionDenied):
        partners.callback_retry(actor=UserFactory(), callback_id=PartnerCallback.objects.get().pk)


def test_in_a_worker_a_failure_is_retried_when_the_back_off_says(
    monkeypatch, media, django_capture_on_commit_callbacks
):
    file_and_accept(f"http://127.0.0.1:{free_port()}/down", django_capture_on_commit_callbacks)
    callback = accept_callback()
    make_due(callback)
    asked: dict[str, int] = {}

    def retry(countdown: int) -> Exception:
        asked["countdown"] = countdown
        return RuntimeError("retry scheduled")

    monkeypatch.setattr(deliver_callback, "retry", retry)
    deliver_callback.push_request(is_eager=False, called_directly=False, retries=1)
    try:
        with pytest.raises(RuntimeError, match="retry scheduled"):
            deliver_callback.run(callback.pk)
    finally:
        deliver_callback.pop_request()
    callback.refresh_from_db()
    assert callback.attempts == 2
    assert 110 <= asked["countdown"] <= 121  # after the second failure: two minutes


def test_a_worker_knows_the_callback_tasks():
    """A worker finds tasks by importing each app's `tasks` module: the callback tasks must be registered
    that way, or a queued callback would be refused as an unregistered task. Checked in a fresh process
    (this one has imported partner_tasks directly)."""
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup()\n"
        "from ansinh.config.celery import app\n"
        "app.loader.import_default_modules()\n"
        "print(sorted(t for t in app.tasks if t.startswith('ansinh.dossiers.')))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ansinh.config.settings"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert "ansinh.dossiers.tasks.deliver_callback" in result.stdout
    assert "ansinh.dossiers.tasks.retry_due_callbacks" in result.stdout
