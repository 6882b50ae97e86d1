"""Background work and realtime wiring: the Celery app and its schedule, eager mode without a broker, a real
worker against Redis, the Channels layer through Redis, and the ping websocket through the ASGI app.

Tests marked `redis` need REDIS_URL (CI's second run sets it) and skip without it."""

import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection

from ansinh.config import celery_app
from tests.processes import stop

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("REDIS_URL", "")
requires_redis = pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
BEAT = {
    "verify-audit-chain-nightly": "ansinh.core.tasks.verify_audit_chain",
    "purge-expired-api-tokens-hourly": "ansinh.accounts.tasks.purge_expired_credentials",
    "dossier-deadline-sweep": "ansinh.dossiers.tasks.sweep_deadlines",
    "partner-callbacks-retry": "ansinh.dossiers.tasks.retry_due_callbacks",
    "notify-resend-stale": "ansinh.notify.tasks.resend_stale_deliveries",
    "dossier-missing-documents": "ansinh.dossiers.tasks.issue_missing_documents",
    "sos-overdue-sweep": "ansinh.sos.tasks.sweep_overdue_requests",
    "unemployment-months-sweep": "ansinh.unemployment.tasks.sweep_benefit_months",
    "unemployment-window-reminders": "ansinh.unemployment.tasks.send_window_reminders",
    "unemployment-statistics-recount": "ansinh.unemployment.tasks.recount_statistics",
    "overseas-imports-resume": "ansinh.overseas.tasks.resume_stalled_imports",
    "overseas-imports-purge": "ansinh.overseas.tasks.purge_old_imports",
    "jobs-vacancies-expire": "ansinh.jobs.tasks.expire_vacancies",
    "jobs-saved-search-alerts": "ansinh.jobs.tasks.send_saved_search_alerts",
    "jobs-interview-reminders": "ansinh.jobs.tasks.send_interview_reminders",
}


def _settings_in_fresh_process(env_changes: dict[str, str | None]) -> dict[str, object]:
    """Reads the Celery settings as a new process with this environment would (settings read env once)."""
    env = {**os.environ}
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "from ansinh.config import celery_app as a; "
        "print(json.dumps({'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL, "
        "'app_eager': a.conf.task_always_eager, 'app_broker': a.conf.broker_url}))"
    )
    env["DJANGO_SETTINGS_MODULE"] = "ansinh.config.settings"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- Celery ---------------------------------------------------------------------------------------------


@pytest.mark.django_db  # Celery's Django fixup runs the system checks when it imports the task modules
def test_celery_app_reads_django_settings_and_registers_the_tasks():
    celery_app.loader.import_default_modules()
    assert celery_app.main == "ansinh"
    assert celery_app.conf.task_serializer == "json"
    assert celery_app.conf.accept_content == ["json"]
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.timezone == "Asia/Ho_Chi_Minh"
    for task in BEAT.values():
        assert task in celery_app.tasks, f"{task} is not registered"


def test_beat_schedule_has_the_expected_entries():
    schedule = celery_app.conf.beat_schedule
    assert {name: entry["task"] for name, entry in schedule.items()} == BEAT
    nightly = schedule["verify-audit-chain-nightly"]["schedule"]
    assert nightly.hour == {2}
    assert nightly.minute == {15}
    hourly = schedule["purge-expired-api-tokens-hourly"]["schedule"]
    assert hourly.minute == {5}
    assert len(hourly.hour) == 24
    sweep = schedule["dossier-deadline-sweep"]["schedule"]
    assert sweep.hour == {7, 13}
    assert sweep.minute == {0}


def test_without_a_broker_tasks_run_eagerly():
    values = _settings_in_fresh_process(
        {"REDIS_URL": None, "CELERY_BROKER_URL": None, "CELERY_RESULT_BACKEND": None}
    )
    assert values["eager"] is True
    assert values["app_eager"] is True
    assert not values["broker"]


def test_with_redis_tasks_go_to_the_broker():
    values = _settings_in_fresh_process(
        {"REDIS_URL": "redis://127.0.0.1:6379/0", "CELERY_BROKER_URL": None, "CELERY_RESULT_BACKEND": None}
    )
    assert values["eager"] is False
    assert values["app_eager"] is False
    assert values["broker"] == values["app_broker"] == "redis://127.0.0.1:6379/0"


@pytest.mark.skipif(bool(settings.CELERY_BROKER_URL), reason="a broker is configured: tasks are not eager")
@pytest.mark.django_db
def test_eager_task_runs_in_process_and_returns_its_result():
    from ansinh.core.tasks import verify_audit_chain

    result = verify_audit_chain.delay().get(timeout=10)
    assert result["ok"] is True
    assert result["first_bad_seq"] is None


def _worker_database_env(tmp_path: Path) -> dict[str, str]:
    """The worker must see a migrated database: the test database on PostgreSQL (committed rows are
    visible to it), or a freshly migrated SQLite file (the test SQLite database is in memory)."""
    if connection.vendor == "postgresql":
        url = urlsplit(os.environ["DATABASE_URL"])
        return {"DATABASE_URL": url._replace(path="/" + connection.settings_dict["NAME"]).geturl()}
    env = {**os.environ, "ANSINH_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [str(BIN / "ansinh"), "migrate", "--no-input", "-v0"], env=env, cwd=ROOT, check=True, timeout=300
    )
    return {"ANSINH_VAR_DIR": str(tmp_path), "DATABASE_URL": ""}


@pytest.mark.redis
@requires_redis
@pytest.mark.django_db(transaction=True)
def test_real_worker_runs_the_audit_check_through_redis(tmp_path):
    import redis

    from ansinh.core import audit
    from ansinh.core.tasks import verify_audit_chain

    audit.record(actor=None, action="test.background", object_type="test", changes={"n": 1})
    queue = f"test-{uuid.uuid4().hex[:12]}"  # stale messages of other runs never reach this worker
    env = {**os.environ, **_worker_database_env(tmp_path)}
    if not env.get("DATABASE_URL"):
        env.pop("DATABASE_URL")
    log = tmp_path / "worker.log"
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [
                str(BIN / "celery"),
                "-A",
                "ansinh.config",
                "worker",
                "--pool=solo",
                "-c1",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "INFO",
            ],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        result = verify_audit_chain.apply_async(queue=queue)
        try:
            value = result.get(timeout=90)
        except Exception as exc:
            raise AssertionError(f"{exc!r}; worker log:\n{log.read_text()[-4000:]}") from exc
        assert value["ok"] is True
        assert value["first_bad_seq"] is None
        if connection.vendor == "postgresql":
            assert value["checked"] >= 1  # the worker read the row this test committed
        result.forget()
    finally:
        stop(worker, grace=30)
        client = redis.Redis.from_url(REDIS_URL)
        client.delete(queue, f"_kombu.binding.{queue}")
        client.close()
    assert "succeeded" in log.read_text(), log.read_text()[-4000:]


# --- Channels -------------------------------------------------------------------------------------------


@pytest.mark.redis
@requires_redis
def test_channel_layer_round_trip_through_redis():
    from channels.layers import get_channel_layer
    from channels_redis.core import RedisChannelLayer

    layer = get_channel_layer()
    assert isinstance(layer, RedisChannelLayer)

    async def scenario() -> None:
        try:
            channel = await layer.new_channel()
            await layer.send(channel, {"type": "test.message", "text": "xin chào"})
            message = await asyncio.wait_for(layer.receive(channel), timeout=10)
            assert message == {"type": "test.message", "text": "xin chào"}

            group = f"test-{uuid.uuid4().hex[:12]}"
            await layer.group_add(group, channel)
            # Another process sends to the group: the event crosses processes through Redis.
            code = (
                "import django, sys; django.setup(); "
                "from asgiref.sync import async_to_sync; from channels.layers import get_channel_layer; "
                "async_to_sync(get_channel_layer().group_send)(sys.argv[1], "
                "{'type': 'test.event', 'text': 'từ tiến trình khác'})"
            )
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ansinh.config.settings"}
            sender = await asyncio.create_subprocess_exec(
                sys.executable, "-c", code, group, env=env, cwd=ROOT
            )
            assert await asyncio.wait_for(sender.wait(), timeout=60) == 0
            message = await asyncio.wait_for(layer.receive(channel), timeout=10)
            assert message == {"type": "test.event", "text": "từ tiến trình khác"}
            await layer.group_discard(group, channel)
        finally:
            await layer.close_pools()

    asyncio.run(scenario())


def _communicator(origin: bytes = b"http://127.0.0.1"):
    from channels.testing import WebsocketCommunicator

    from ansinh.config.asgi import application

    return WebsocketCommunicator(
        application, "/ws/ping/", headers=[(b"host", b"127.0.0.1"), (b"origin", origin)]
    )


async def _close_redis_pools() -> None:
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if hasattr(layer, "close_pools"):
        await layer.close_pools()


# Channels closes stale database connections around every consumer message, so once any earlier test has
# opened this thread's connection, the consumer touches it.
@pytest.mark.django_db
def test_ping_websocket_answers_through_the_channel_layer():
    async def scenario() -> None:
        communicator = _communicator()
        try:
            connected, _subprotocol = await communicator.connect(timeout=10)
            assert connected
            await communicator.send_to(text_data="xin chào")
            assert await communicator.receive_json_from(timeout=10) == {"type": "pong", "text": "xin chào"}
            await communicator.send_to(text_data="x" * 1000)
            reply = await communicator.receive_json_from(timeout=10)
            assert reply == {"type": "pong", "text": "x" * 200}  # the consumer caps what it echoes
            await communicator.disconnect()
        finally:
            await _close_redis_pools()

    asyncio.run(scenario())


def test_ping_websocket_refuses_a_foreign_origin():
    async def scenario() -> None:
        communicator = _communicator(origin=b"https://evil.invalid")
        try:
            connected, _code = await communicator.connect(timeout=10)
            assert not connected
        finally:
            await communicator.wait()
            await _close_redis_pools()

    asyncio.run(scenario())


def test_http_goes_through_the_same_asgi_application():
    from channels.testing import HttpCommunicator

    from ansinh.config.asgi import application

    async def scenario() -> dict:
        communicator = HttpCommunicator(application, "GET", "/healthz", headers=[(b"host", b"127.0.0.1")])
        return await communicator.get_response(timeout=10)

    response = asyncio.run(scenario())
    assert response["status"] == 200
    assert json.loads(response["body"])["status"] == "ok"
