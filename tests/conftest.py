"""Shared fixtures. Tests run on SQLite by default and on PostgreSQL when DATABASE_URL is set."""

import pytest
from django.core.cache import cache

from ansinh.core import sms
from tests.factories import UserFactory, make_staff
from tests.reference_fixtures import reference_data, reference_data_loaded  # noqa: F401


@pytest.fixture(scope="session")
def _test_files_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("files")


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, _test_files_dir):
    # Uploads, issued PDFs and the development CA live in a per-run temporary folder (the CA is made once).
    settings.MEDIA_ROOT = _test_files_dir / "media"
    settings.SIGNING_DIR = _test_files_dir / "pki"
    settings.WEBPUSH_VAPID_PRIVATE_KEY_FILE = _test_files_dir / "vapid_private.pem"
    # Argon2 is the production hasher (tests/accounts/test_passwords.py checks it); tests use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SMS_BACKEND = "ansinh.core.sms.LocmemSmsBackend"
    sms.outbox.clear()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Tasks run in the test's own process, as without a broker, even on CI's run with Redis: the tests
    check what a task does, not the queue. Tests marked `redis` start a real worker and keep the broker."""
    from ansinh.config.celery import app

    if request.node.get_closest_marker("redis"):
        yield
        return
    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff_factory(db):
    return make_staff


@pytest.fixture
def api_client(client):
    """Django's test client with helpers for bearer-token calls to /api/v1."""
    from tests.api_client import ApiClient

    return ApiClient(client)
