"""The console's websocket: refused to anyone but the desk; after `resume` it replays what the console
missed, then forwards live events in order, filling any jump in the numbers from the table."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import connections

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.sos.consumers import DeskConsumer
from ansinh.sos.services import desk, help_requests
from ansinh.sos.services.events import DESK_GROUP, event_message, events_after
from tests.factories import PersonFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

SOS = {"kind": "sos", "phone": "+821012345678", "latitude": 37.5, "longitude": 127.0}


def _run(scenario) -> None:
    """Runs a scenario; then closes the database connection the consumer's thread opened (left open, it
    would outlive the test and keep PostgreSQL from dropping the test database)."""

    async def whole():
        try:
            await scenario()
        finally:
            await database_sync_to_async(connections.close_all)()

    asyncio.run(whole())


def _socket(user, verified=True):
    communicator = WebsocketCommunicator(DeskConsumer.as_asgi(), "/ws/sos/console")
    communicator.scope["user"] = user
    communicator.scope["session"] = {SESSION_2FA_KEY: True} if verified else {}
    return communicator


def _worker(n: int):
    return UserFactory(person=PersonFactory(personal_id=f"04009500{n:04d}"))


async def _receive_all(communicator, until_type="live"):
    got = []
    while True:
        message = json.loads(await communicator.receive_from(timeout=3))
        got.append(message)
        if message["type"] == until_type:
            return got


def test_resume_replays_then_live_events_follow_in_order():
    operator = make_staff("colab_operator")
    lan = _worker(1)
    first, _ = help_requests.request_submit(actor=lan, idempotency_key="sock-0000001", **SOS)
    desk.request_acknowledge(actor=operator, request_id=first.pk)

    async def scenario():
        communicator = _socket(operator)
        connected, _code = await communicator.connect()
        assert connected
        await communicator.send_to(text_data=json.dumps({"type": "resume", "after": 1}))
        replay = await _receive_all(communicator)
        assert [m.get("sequence") for m in replay] == [2, 2]  # the missed event, then "live" at 2
        assert replay[0]["kind"] == "acknowledged"
        # A new request is committed elsewhere; its event reaches this console.
        await sync_to_async(help_requests.request_submit)(actor=lan, idempotency_key="sock-0000002", **SOS)
        live = json.loads(await communicator.receive_from(timeout=3))
        assert (live["sequence"], live["kind"], live["request"]["kind"]) == (3, "created", "sos")
        await communicator.disconnect()

    _run(scenario)
    from ansinh.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="sos.console_watch", actor=operator).count() == 1


def test_a_jump_in_numbers_is_filled_from_the_table_and_old_ones_are_dropped():
    operator = make_staff("colab_operator")
    lan = _worker(2)
    for i in range(3):
        help_requests.request_submit(actor=lan, idempotency_key=f"jump-000000{i}", **SOS)
    events = [event_message(e) for e in events_after(0)]

    async def scenario():
        communicator = _socket(operator)
        await communicator.connect()
        await communicator.send_to(text_data=json.dumps({"type": "resume", "after": 1}))
        await _receive_all(communicator)  # 2 and 3, then live at 3
        layer = get_channel_layer()
        await layer.group_send(DESK_GROUP, events[1])  # old: dropped
        assert await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()

        # A console at 1 that hears 3 first (2's message still on its way) reads 2 from the table.
        communicator = _socket(operator)
        await communicator.connect()
        await communicator.send_to(text_data=json.dumps({"type": "resume", "after": 0}))
        got = await _receive_all(communicator)
        assert [m.get("sequence") for m in got] == [1, 2, 3, 3]
        await communicator.disconnect()

    _run(scenario)


def test_gap_fill_on_live_event():
    lan = _worker(3)
    for i in range(3):
        help_requests.request_submit(actor=lan, idempotency_key=f"gap-0000000{i}", **SOS)
    events = [event_message(e) for e in events_after(0)]
    consumer = DeskConsumer()
    sent = []

    async def fake_send(text_data=None, bytes_data=None, close=False):
        sent.append(json.loads(text_data))

    consumer.send = fake_send  # type: ignore[method-assign]
    consumer.sent = 1

    async def scenario():
        await consumer.desk_event(events[2])  # number 3 arrives while 2 is still on its way
        await consumer.desk_event(events[1])  # then 2: already sent from the table

    _run(scenario)
    assert [m["sequence"] for m in sent] == [2, 3]


@pytest.mark.parametrize("who", ["worker", "enterprise", "unverified_operator", "anonymous"])
def test_the_socket_refuses_anyone_but_a_verified_operator(who):
    from django.contrib.auth.models import AnonymousUser

    users = {
        "worker": lambda: (_worker(4), True),
        "enterprise": lambda: (make_staff("enterprise_admin"), True),
        "unverified_operator": lambda: (make_staff("colab_operator"), False),
        "anonymous": lambda: (AnonymousUser(), False),
    }
    user, verified = users[who]()

    async def scenario():
        communicator = _socket(user, verified)
        connected, code = await communicator.connect()
        assert not connected
        assert code == 4403

    _run(scenario)
