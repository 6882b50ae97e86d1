"""Fixtures of the notify tests (helpers in tests/notify/support.py)."""

import pytest

from tests.notify.support import Browser, PushService


@pytest.fixture
def push_service(settings):
    # Local push services are accepted only with DEBUG or this setting (see services._endpoint).
    settings.WEBPUSH_ALLOW_LOCAL_ENDPOINTS = True
    service = PushService()
    service.thread.start()
    yield service
    service.server.shutdown()
    service.server.server_close()
    service.thread.join(timeout=5)


@pytest.fixture
def browser() -> Browser:
    return Browser()
