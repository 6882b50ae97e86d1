"""The 24/7 desk: taking requests up, assignment and hand-over, the log, escalation, resolve and reopen, the
worker told of each change, late requests brought to the supervisors, and the numbered event stream."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.notify.models import Message
from ansinh.sos.models import (
    ActionKind,
    DeskEvent,
    HelpRequest,
    Mission,
    RequestAction,
    WorkerProfile,
)
from ansinh.sos.services import desk, help_requests
from ansinh.sos.services.events import events_after
from ansinh.sos.timezones import zone_for
from tests.api_client import ApiClient
from tests.factories import PersonFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

SOS = {"kind": "sos", "phone": "+821012345678", "latitude": 37.5665, "longitude": 126.978, "accuracy_m": 25}


def worker(personal_id: str = "040095001111", country: str = "KR"):
    person = PersonFactory(
        personal_id=personal_id, passport_number=f"C{personal_id[-7:]}", phone="+821099998888"
    )
    WorkerProfile.objects.create(
        person=person,
        passport_number=person.passport_number,
        country=country,
        programme="eps_korea",
        employer="Hanil Industrial Co., Ltd.",
        enterprise="Sao Mai",
    )
    return UserFactory(person=person)


def submit(user, key="sos-key-000001", **fields):
    request, _new = help_requests.request_submit(actor=user, idempotency_key=key, **{**SOS, **fields})
    return request


def test_submission_snapshots_the_country_and_fills_the_phone_from_the_profile():
    lan = worker()
    request = submit(lan, phone="")
    assert request.country == "KR"
    assert request.phone == "+821099998888"
    assert [e.kind for e in DeskEvent.objects.all()] == ["created"]


def test_acknowledge_assigns_tells_the_worker_and_is_logged_once():
    lan, operator = worker(), make_staff("colab_operator")
    request = submit(lan)
    desk.request_acknowledge(actor=operator, request_id=request.pk)
    desk.request_acknowledge(actor=operator, request_id=request.pk)  # twice: nothing more happens
    request.refresh_from_db()
    assert request.status == "in_progress"
    assert request.assigned_to == operator
    assert request.acknowledged_at is not None
    assert RequestAction.objects.filter(request=request, kind=ActionKind.ACKNOWLEDGE).count() == 1
    told = Message.objects.filter(recipient_person=lan.person)
    assert told.count() == 1
    assert request.reference in told.get().subject


def test_handover_needs_the_assignee_or_a_supervisor():
    lan = worker()
    first, second, supervisor = (
        make_staff("colab_operator"),
        make_staff("colab_operator"),
        make_staff("colab_supervisor"),
    )
    request = submit(lan)
    desk.request_assign(actor=first, request_id=request.pk, assignee_id=first.pk)
    request.refresh_from_db()
    assert request.status == "assigned"
    with pytest.raises(help_requests.PermissionDenied):
        desk.request_assign(actor=second, request_id=request.pk, assignee_id=second.pk)
    desk.request_assign(actor=first, request_id=request.pk, assignee_id=second.pk, note="Hết ca, bàn giao")
    desk.request_assign(actor=supervisor, request_id=request.pk, assignee_id=first.pk)
    kinds = list(RequestAction.objects.filter(request=request).values_list("kind", flat=True))
    assert kinds == [ActionKind.ASSIGN, ActionKind.HANDOVER, ActionKind.HANDOVER]
    with pytest.raises(help_requests.ValidationFailed) as refused:
        desk.request_assign(actor=first, request_id=request.pk, assignee_id=lan.pk)  # not on the desk
    assert "assignee" in refused.value.details["fields"]


def test_escalation_names_a_mission_or_an_agency_and_takes_the_request_up():
    lan, operator = worker(), make_staff("colab_operator")
    request = submit(lan)
    embassy = Mission.objects.create(name="Đại sứ quán Việt Nam tại Hàn Quốc", kind="embassy", country="KR")
    with pytest.raises(help_requests.ValidationFailed) as nothing:
        desk.request_escalate(actor=operator, request_id=request.pk)
    assert "mission_id" in nothing.value.details["fields"]
    desk.request_escalate(actor=operator, request_id=request.pk, mission_id=embassy.pk, note="Nhờ hỗ trợ")
    desk.request_escalate(actor=operator, request_id=request.pk, agency="Bệnh viện Seoul")
    request.refresh_from_db()
    assert request.status == "in_progress"
    escalations = RequestAction.objects.filter(request=request, kind=ActionKind.ESCALATE)
    assert [a.mission_id for a in escalations] == [embassy.pk, None]
    assert escalations.last().body == "Bệnh viện Seoul"


def test_resolve_with_an_outcome_then_reopen():
    lan, operator = worker(), make_staff("colab_operator")
    request = submit(lan)
    with pytest.raises(help_requests.ValidationFailed):
        desk.request_resolve(actor=operator, request_id=request.pk, outcome_category="magic")
    desk.request_resolve(actor=operator, request_id=request.pk, outcome_category="safe")
    request.refresh_from_db()
    assert (request.status, request.outcome_category) == ("resolved", "safe")
    with pytest.raises(help_requests.Conflict):
        desk.request_resolve(actor=operator, request_id=request.pk, outcome_category="safe")
    with pytest.raises(help_requests.ValidationFailed):
        desk.request_reopen(actor=operator, request_id=request.pk, reason=" ")
    desk.request_reopen(actor=operator, request_id=request.pk, reason="Người lao động gọi lại")
    request.refresh_from_db()
    assert request.status == "in_progress"
    assert request.resolved_at is None
    assert request.reopened_at is not None


def test_operator_reply_tells_the_worker_and_a_worker_cannot_act_as_the_desk():
    lan, operator = worker(), make_staff("colab_operator")
    request = submit(lan)
    help_requests.request_message(actor=operator, request_id=request.pk, body="Anh có an toàn không?")
    assert Message.objects.filter(recipient_person=lan.person, subject__contains=request.reference).exists()
    request.refresh_from_db()
    assert request.acknowledged_at is not None  # replying is taking it up
    other = worker("040095002222")
    with pytest.raises(help_requests.PermissionDenied):
        help_requests.request_message(actor=other, request_id=request.pk, body="xin chào")
    with pytest.raises(help_requests.PermissionDenied):
        desk.request_acknowledge(actor=lan, request_id=request.pk)


@override_settings(SOS_ACK_LIMIT_SECONDS=300, SUPPORT_ACK_LIMIT_SECONDS=86400)
def test_late_requests_are_brought_to_the_supervisors_once():
    lan = worker()
    supervisor, operator = make_staff("colab_supervisor"), make_staff("colab_operator")
    late = submit(lan, key="sos-late-000001")
    fresh = submit(lan, key="sos-fresh-00001")
    support = submit(lan, key="support-0000001", kind="support", message="Nợ lương")
    HelpRequest.objects.filter(pk__in=[late.pk, support.pk]).update(
        created_at=timezone.now() - timedelta(seconds=301)
    )
    assert desk.overdue_sweep() == 1
    assert desk.overdue_sweep() == 0
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert late.overdue_alerted_at is not None
    assert fresh.overdue_alerted_at is None
    alerts = Message.objects.filter(recipient_user=supervisor)
    assert alerts.count() == 1
    assert late.reference in alerts.get().subject
    assert not Message.objects.filter(
        recipient_user=operator
    ).exists()  # operators see it on the console instead
    HelpRequest.objects.filter(pk=support.pk).update(created_at=timezone.now() - timedelta(hours=25))
    assert desk.overdue_sweep() == 1


def test_events_are_numbered_without_gaps_in_commit_order():
    lan, operator = worker(), make_staff("colab_operator")
    first = submit(lan, key="sos-event-00001")
    desk.request_acknowledge(actor=operator, request_id=first.pk)
    with pytest.raises(help_requests.ValidationFailed):
        submit(lan, key="sos-event-00002", latitude=95)  # refused: no number is used up
    help_requests.request_message(actor=lan, request_id=first.pk, body="Cảm ơn")
    events = events_after(0)
    assert [e.sequence for e in events] == [1, 2, 3]
    assert [e.kind for e in events] == ["created", "acknowledged", "message"]
    assert events[1].payload["status"] == "in_progress"
    assert events[1].payload["assigned_to"] == operator.get_username()
    assert [e.sequence for e in events_after(2)] == [3]


def test_worker_local_time_zone():
    assert zone_for("KR") == "Asia/Seoul"
    assert zone_for("DE") == "Europe/Berlin"
    assert zone_for("US", 34.05, -118.24) == "America/Los_Angeles"
    assert zone_for("US", 40.71, -74.0) == "America/New_York"
    assert zone_for("ZZ") is None


# --- through HTTP ---------------------------------------------------------------------------------------


def test_desk_api_assign_escalate_log_and_missions(client):
    lan = worker()
    request = submit(lan)
    operator_user, other_user = make_staff("colab_operator"), make_staff("colab_operator")
    Mission.objects.create(name="Police", kind="police", country="JP", phone_24h="110")
    korea = Mission.objects.create(name="Embassy", kind="embassy", country="KR")
    api = ApiClient(client).as_user(operator_user)
    assigned = api.post(f"sos/requests/{request.pk}/assign", {"assignee_id": other_user.pk})
    assert assigned.status_code == 200
    assert assigned.json()["status"] == "assigned"
    missions = api.get("sos/missions?country=KR").json()["items"]
    assert missions[0]["id"] == korea.pk
    escalated = api.post(f"sos/requests/{request.pk}/escalate", {"mission_id": korea.pk, "note": "Gọi ĐSQ"})
    assert escalated.status_code == 201
    assert escalated.json()["mission"] == "Embassy"
    call = api.post(f"sos/requests/{request.pk}/actions", {"kind": "call", "body": "Gọi 2 lần, không nghe"})
    assert call.status_code == 201
    log = api.get(f"sos/requests/{request.pk}/actions").json()
    assert [a["kind"] for a in log] == ["assign", "escalate", "call"]
    bad = api.post(f"sos/requests/{request.pk}/actions", {"kind": "dance", "body": "x"})
    assert bad.status_code == 422
    assert "kind" in bad.json()["details"]["fields"]
    resolved = api.post(f"sos/requests/{request.pk}/resolve", {"outcome_category": "referred"})
    assert resolved.json()["status"] == "resolved"
    reopened = api.post(f"sos/requests/{request.pk}/reopen", {"reason": "Gọi lại"})
    assert reopened.json()["status"] == "in_progress"
    events = api.get("sos/events?after=1").json()
    assert [e["sequence"] for e in events] == list(range(2, 2 + len(events)))
    # the worker cannot read the desk's log, nor act as the desk
    worker_api = ApiClient(client).as_user(lan)
    assert worker_api.get(f"sos/requests/{request.pk}/actions").status_code == 404
    assert worker_api.post(f"sos/requests/{request.pk}/acknowledge").status_code == 403
    assert worker_api.get("sos/events").status_code == 403


def _sign_in(client, user):
    client.force_login(user)
    session = client.session
    session[SESSION_2FA_KEY] = True
    session.save()


def test_console_and_request_pages(client):
    lan = worker()
    request = submit(lan, location_text="Gần ga Suwon")
    operator = make_staff("colab_operator")
    _sign_in(client, operator)
    console = client.get("/staff/sos/")
    assert console.status_code == 200
    html = console.content.decode()
    assert request.reference in html
    assert 'data-sequence="1"' in html
    from ansinh.core.models import AuditEntry

    seen = AuditEntry.objects.get(action="sos.queue_read", actor=operator)
    assert seen.changes == {"requests": [request.pk]}
    page = client.get(f"/staff/sos/requests/{request.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Asia/Seoul" in text  # the worker's local time
    assert "Hanil Industrial" in text
    done = client.post(f"/staff/sos/requests/{request.pk}/acknowledge/")
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == "in_progress"
    refused = client.post(
        f"/staff/sos/requests/{request.pk}/escalate/", {"mission": "", "agency": ""}, follow=True
    )
    assert refused.status_code == 200
    assert RequestAction.objects.filter(kind=ActionKind.ESCALATE).count() == 0
    client.post(f"/staff/sos/requests/{request.pk}/message/", {"body": "Chúng tôi đang gọi cho anh"})
    assert request.messages.filter(from_operator=True).count() == 1


@pytest.mark.parametrize("role", ["enterprise_staff", "employment_centre_officer", None])
def test_console_refuses_everyone_but_the_desk(client, role):
    request = submit(worker())
    user = make_staff(role) if role else worker("040095003333")
    _sign_in(client, user)
    assert client.get("/staff/sos/").status_code == 403
    assert client.get(f"/staff/sos/requests/{request.pk}/").status_code in (403, 404)
    assert client.post(f"/staff/sos/requests/{request.pk}/acknowledge/").status_code == 403
    request.refresh_from_db()
    assert request.status == "received"


def test_the_centre_publishes_and_withdraws_notices_on_its_page(client, reference_data):
    from ansinh.sos.models import Notice

    operator = make_staff("colab_operator")
    _sign_in(client, operator)
    refused = client.post("/staff/sos/notices/", {"title": "Bão", "body": "Bão số 5", "audience": "country"})
    assert refused.status_code == 422
    assert "country" in refused.context["form"].errors
    assert not Notice.objects.exists()
    published = client.post(
        "/staff/sos/notices/",
        {
            "title": "Bão số 5",
            "body": "Tránh ra ngoài",
            "audience": "country",
            "country": "kr",
            "urgent": "on",
        },
    )
    assert published.status_code == 302
    notice = Notice.objects.get()
    assert (notice.country, notice.urgent, notice.created_by) == ("KR", True, operator)
    assert "Bão số 5" in client.get("/staff/sos/notices/").content.decode()
    client.post(f"/staff/sos/notices/{notice.pk}/withdraw/")
    notice.refresh_from_db()
    assert notice.withdrawn_at is not None


def test_the_operator_verifies_a_caller_with_the_security_answer(client):
    from ansinh.sos.services import workers

    lan = worker()
    workers.profile_update(
        actor=lan,
        phone="+821099998888",
        security_question="Tên ở nhà?",
        security_answer="Bống",
        language="vi",
    )
    request = submit(lan)
    operator = make_staff("colab_operator")
    _sign_in(client, operator)
    page = client.get(f"/staff/sos/requests/{request.pk}/").content.decode()
    assert "Tên ở nhà?" in page
    assert "Bống" not in page
    right = client.post(f"/staff/sos/requests/{request.pk}/verify/", {"answer": "bong"}, follow=True)
    assert [m.level_tag for m in right.context["messages"]] == ["success"]
    wrong = client.post(f"/staff/sos/requests/{request.pk}/verify/", {"answer": "Mít"}, follow=True)
    assert [m.level_tag for m in wrong.context["messages"]] == ["error"]
