"""PostgreSQL connections come from a pool per process (settings read the environment once, so each case is
a fresh process)."""

import json
import os
import subprocess
import sys

import pytest

READ = (
    "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'ansinh.config.settings'; "
    "from django.conf import settings; d = settings.DATABASES['default']; "
    "print(json.dumps({'max_age': d['CONN_MAX_AGE'], 'pool': d.get('OPTIONS', {}).get('pool')}))"
)


def _database(**env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in {"DB_POOL_MAX_SIZE", "DB_CONN_MAX_AGE"}}
    environment.update(env)
    out = subprocess.run(
        [sys.executable, "-c", READ], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {"max_age": 0, "pool": {"min_size": 1, "max_size": 10, "timeout": 10}}),
        (
            {"DB_POOL_MAX_SIZE": "25", "DB_CONN_MAX_AGE": "60"},
            {"max_age": 0, "pool": {"min_size": 1, "max_size": 25, "timeout": 10}},
        ),
        ({"DB_POOL_MAX_SIZE": "0", "DB_CONN_MAX_AGE": "60"}, {"max_age": 60, "pool": None}),
    ],
)
def test_postgresql_gets_a_pool_and_no_persistent_connections(env, expected):
    assert _database(DATABASE_URL="postgres://ansinh@db.internal:5432/ansinh", **env) == expected
