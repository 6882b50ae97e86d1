"""National statistics of workers abroad, counted from the records in the reader's scope."""

from datetime import date

import pytest

from ansinh.core.errors import PermissionDenied
from ansinh.overseas import statistics
from ansinh.overseas.services import workers
from tests.overseas.world import build_world, registered_contract

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)

# (personal ID: 040 = Nghệ An, 042 = Hà Tĩnh; sex digit 0 male / 1 female in the 1900s), passport, name
PEOPLE = [
    ("040095001234", "C1234567", "Lê Thị Hoa", date(1995, 3, 14), "F"),
    ("040090002345", "C2345678", "Trần Văn Nam", date(1990, 5, 2), "M"),
    ("042092003456", "C3456789", "Phạm Văn Hải", date(1992, 7, 9), "M"),
]


@pytest.fixture
def world(db):
    built = build_world()
    contract = registered_contract(built)
    steps = [
        [("departed", date(2026, 3, 10)), ("working", date(2026, 3, 20))],
        [("departed", date(2026, 3, 15)), ("returned_early", date(2026, 9, 1))],
        [("departed", date(2025, 12, 20))],
    ]
    for (personal_id, passport, name, born, sex), worker_steps in zip(PEOPLE, steps, strict=True):
        worker = workers.worker_register(
            actor=built.staff_a,
            contract_id=contract.pk,
            personal_id=personal_id,
            passport_number=passport,
            full_name=name,
            date_of_birth=born,
            sex=sex,
        )
        for status, on in worker_steps:
            workers.worker_step(actor=built.staff_a, worker_id=worker.pk, status=status, on=on)
    return built


def test_the_department_counts_the_whole_country(world):
    figures = statistics.workers_statistics(world.dolab_officer, 2026, today=TODAY)
    assert figures.deployed == 2
    assert figures.by_month[2] == 2  # March
    assert figures.by_country == {"KR": 2}
    assert figures.by_occupation == {"7": 2}
    assert figures.by_province == {"40": 2}
    assert figures.by_sex == {"F": 1, "M": 1}
    # Abroad today: the one working and the one who left in December 2025; one came back early.
    assert figures.abroad_now == {"KR": 2}
    assert figures.early_returns == {"KR": 1}
    assert figures.enterprises == [("Công ty CP Nhân lực Quốc tế An Phát", 2)]


def test_a_province_counts_the_workers_from_its_province(world):
    nghe_an = statistics.workers_statistics(world.provincial_officer, 2026, today=TODAY)
    assert (nghe_an.deployed, nghe_an.abroad_now) == (2, {"KR": 1})
    ha_tinh = statistics.workers_statistics(world.other_provincial_officer, 2025, today=TODAY)
    assert (ha_tinh.deployed, ha_tinh.by_province, ha_tinh.abroad_now) == (1, {"42": 1}, {"KR": 1})


def test_the_statistics_through_the_api_and_who_may_read_them(world, api_client):
    with pytest.raises(PermissionDenied):
        statistics.workers_statistics(world.staff_a, 2026, today=TODAY)
    api_client.as_user(world.dolab_officer)
    answer = api_client.get("overseas/statistics?year=2026")
    assert answer.status_code == 200, answer.content
    assert answer.json()["deployed"] == 2
    assert answer.json()["by_month"][2] == 2
    assert api_client.get("overseas/statistics?year=1990").status_code == 422
    assert api_client.as_user(world.staff_a).get("overseas/statistics").status_code == 403
