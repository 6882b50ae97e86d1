"""The labour-market bulletin: open vacancies and looking seekers by ISCO group and by province, its pages
(staff and public, with server-drawn charts) and its Excel download."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from ansinh.jobs.bulletin import ABROAD, bulletin
from ansinh.jobs.models import VacancyStatus
from tests.authz.matrix import World, run_case
from tests.authz.matrix import cases as matrix_cases
from tests.jobs.world import make_vacancy

pytestmark = pytest.mark.django_db


def _row(rows, code):
    return next(r for r in rows if r.code == code)


def test_counts_by_group_and_province(world, django_assert_max_num_queries):
    make_vacancy(world.employer_a, title="Kế toán kho", occupation_code="241", openings=3)
    make_vacancy(
        world.employer_a,
        title="Hết hạn",
        occupation_code="241",
        deadline=timezone.localdate() - timedelta(days=1),
    )
    make_vacancy(world.employer_pending, title="Chưa xác minh", occupation_code="241")
    make_vacancy(world.employer_a, title="Đã đóng", occupation_code="522", status=VacancyStatus.CLOSED)
    world.seeker_private.is_looking = False
    world.seeker_private.save()
    with django_assert_max_num_queries(9):
        figures = bulletin()
    assert (figures.vacancies, figures.openings, figures.seekers) == (3, 7, 2)
    finance = _row(figures.by_sub_major, "24")
    assert (finance.vacancies, finance.openings, finance.seekers) == (2, 5, 1)
    professionals = _row(figures.by_major, "2")
    assert (professionals.vacancies, professionals.seekers) == (2, 1)
    assert professionals.name  # the ISCO group's name
    crafts = _row(figures.by_major, "7")
    assert (crafts.vacancies, crafts.openings, crafts.seekers) == (1, 2, 1)
    assert not any(r.code == "5" for r in figures.by_major), "the only sales seeker stopped looking"
    hcm = _row(figures.by_province, world.hcm.code)
    assert (hcm.vacancies, hcm.openings, hcm.seekers) == (2, 5, 1)
    assert not any(r.code == ABROAD for r in figures.by_province)
    in_hanoi = bulletin(province=world.hanoi)
    assert (in_hanoi.vacancies, in_hanoi.seekers) == (1, 1)


def test_the_bulletin_pages_and_excel(world, client):
    public = client.get("/jobs/bulletin/")
    assert public.status_code == 200
    text = public.content.decode()
    assert "<svg" in text
    assert 'id="by-major"' in text
    assert 'id="by-sub-major"' not in text
    assert "<script" not in text.split("<main", 1)[1]
    assert client.get("/staff/jobs/bulletin/").status_code == 302
    rows = matrix_cases([("employment_centre_officer", "GET", "/staff/jobs/bulletin/?province=79", 200)])
    mini = World(
        orgs={"c": world.centre_hcm}, home={"employment_centre_officer": "c"}, default_province=world.hcm
    )
    page = run_case(client, mini, rows[0])
    assert 'id="by-sub-major"' in page.content.decode()
    xlsx = client.get("/staff/jobs/bulletin.xlsx?province=79")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert len(book.sheetnames) == 3
    values = list(book.worksheets[0].iter_rows(values_only=True))
    professionals = next(row for row in values if row and row[0] == "2")
    assert professionals[2:] == (1, 2, 1)  # vacancies, openings, seekers (numbers, not text)


def test_the_bulletin_api_is_public_counts(world, client):
    answer = client.get("/api/v1/jobs/bulletin?province=01")
    assert answer.status_code == 200
    data = answer.json()
    assert (data["province"], data["vacancies"], data["seekers"]) == ("01", 1, 1)
    assert {row["code"] for row in data["by_major"]} == {"7"}
