from tests.dossiers.conftest import frozen_today, run_on_commit, world  # noqa: F401
