import pytest

from tests.jobs.world import JobsWorld, build_world


@pytest.fixture
def world(reference_data) -> JobsWorld:
    return build_world()
