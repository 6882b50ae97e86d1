"""Who may call the regular-medicine endpoints (API and pages; see tests/authz/matrix.py).

`lan` sent request `req` to `clinic` (Hà Nội); `minh` is another person. A person reads and cancels only
their own requests; a clinic's staff (`clinic_staff`, organisation scope) read and handle only their
clinic's queue (`clinic_b` is in Nghệ An); a provincial officer reads the figures of their province and no
rows; a citizen is refused the queue."""

import json
from datetime import date, timedelta

import holidays
import pytest

from ansinh.accounts.models import OrganisationKind
from ansinh.welfare.services import medicine
from tests.authz.matrix import World, cases, labelled, run_case
from tests.factories import OrganisationFactory
from tests.welfare.medicine_world import make_world, request_body

pytestmark = pytest.mark.django_db

API = "/api/v1/welfare/medicine"
MINE = f"{API}/requests"
ONE = f"{API}/requests/{{req}}"
QUEUE = f"{API}/queue"
ITEM = f"{API}/queue/{{req}}"
FIGURES = f"{API}/figures"
HOME = "/social/medicine/"
PAGE_QUEUE = "/social/medicine/clinic/"
PAGE_ITEM = "/social/medicine/clinic/{req}/"
LOGIN = "/accounts/login/"


def _working_day_ahead() -> date:
    """A working day a few days ahead, without the database (the rows are built at import; the test
    database has no working-day overrides, so the official holidays are the whole calendar)."""
    day = date.today() + timedelta(days=3)
    official = holidays.country_holidays("VN", years=[day.year, day.year + 1])
    while day.weekday() >= 5 or day in official:
        day += timedelta(days=1)
    return day


SCHEDULE = {
    "body": {
        "scheduled_on": _working_day_ahead().isoformat(),
        "window_start": "08:00",
        "window_end": "09:00",
        "days_supplied": 30,
    }
}
DECLINE = {"body": {"reason": "Thẻ đăng ký nơi khác"}}
NOT_FOUND = "welfare.medicine_not_found"
PAGE_POST = {"redirect_is_success": True}


def _text(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def sees(marker: str, present: bool = True):
    def check(response, world, actor) -> None:
        assert (marker in _text(response)) is present, f"{marker} {'missing' if present else 'leaked'}"

    return labelled(check, f"{'sees' if present else 'hides'}({marker})")


LAN = sees("Tăng huyết áp")
NOT_LAN = sees("Tăng huyết áp", present=False)


@pytest.fixture
def world(db):
    w = make_world()
    registration = medicine.medicine_request(actor=w.lan, **request_body(w))
    department = OrganisationFactory(kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=w.hanoi)
    return World(
        orgs={"clinic": w.clinic, "clinic_b": w.clinic_b, "dept": department},
        home={"clinic_staff": "clinic", "provincial_officer": "dept"},
        objects={"lan": w.lan, "minh": w.minh, "req": registration},
        default_province=w.hanoi,
    )


ROWS = [
    # actor                      method  url                       expect  detail / check
    ("anonymous",                "GET",  MINE,                     401,    "auth.required"),
    ("as:lan",                   "GET",  MINE,                     200,    LAN),
    ("as:minh",                  "GET",  MINE,                     200,    NOT_LAN),
    ("citizen",                  "GET",  MINE,                     200,    NOT_LAN),
    ("clinic_staff",             "GET",  MINE,                     200,    NOT_LAN),
    ("as:lan",                   "GET",  ONE,                      200,    LAN),
    ("as:minh",                  "GET",  ONE,                      404,    "welfare.medicine_not_found"),
    ("clinic_staff",             "GET",  ONE,                      404,    "welfare.medicine_not_found"),
    ("anonymous",                "POST", f"{ONE}/cancel",          401,    "auth.required"),
    ("as:minh",                  "POST", f"{ONE}/cancel",          404,    "welfare.medicine_not_found"),
    ("clinic_staff",             "POST", f"{ONE}/cancel",          404,    "welfare.medicine_not_found"),
    ("as:lan",                   "POST", f"{ONE}/cancel",          200),
    ("anonymous",                "GET",  f"{API}/clinics",         401,    "auth.required"),
    ("citizen",                  "GET",  f"{API}/clinics",         200),
    ("anonymous",                "GET",  QUEUE,                    401,    "auth.required"),
    ("citizen",                  "GET",  QUEUE,                    403,    "permission.denied"),
    ("as:lan",                   "GET",  QUEUE,                    403,    "permission.denied"),
    ("provincial_officer",       "GET",  QUEUE,                    403,    "permission.denied"),
    ("clinic_staff",             "GET",  QUEUE,                    200,    LAN),
    ("clinic_staff@clinic_b",    "GET",  QUEUE,                    200,    NOT_LAN),
    ("superuser",                "GET",  QUEUE,                    200,    LAN),
    ("clinic_staff",             "GET",  ITEM,                     200,    LAN),
    ("clinic_staff@clinic_b",    "GET",  ITEM,                     404,    "welfare.medicine_not_found"),
    ("as:lan",                   "GET",  ITEM,                     403,    "permission.denied"),
    ("citizen",                  "POST", f"{ITEM}/schedule",       403,    "permission.denied", SCHEDULE),
    ("clinic_staff@clinic_b",    "POST", f"{ITEM}/schedule",       404,    NOT_FOUND, SCHEDULE),
    ("clinic_staff",             "POST", f"{ITEM}/schedule",       200,    SCHEDULE),
    ("clinic_staff",             "POST", f"{ITEM}/dispense",       409,    "welfare.medicine_status"),
    ("clinic_staff@clinic_b",    "POST", f"{ITEM}/dispense",       404,    "welfare.medicine_not_found"),
    ("as:lan",                   "POST", f"{ITEM}/decline",        403,    "permission.denied", DECLINE),
    ("clinic_staff@clinic_b",    "POST", f"{ITEM}/decline",        404,    NOT_FOUND, DECLINE),
    ("clinic_staff",             "POST", f"{ITEM}/decline",        200,    DECLINE),
    ("anonymous",                "GET",  FIGURES,                  401,    "auth.required"),
    ("citizen",                  "GET",  FIGURES,                  403,    "permission.denied"),
    ("clinic_staff",             "GET",  FIGURES,                  403,    "permission.denied"),
    ("provincial_officer",       "GET",  FIGURES,                  200,    NOT_LAN),
    # pages
    ("anonymous",                "GET",  HOME,                     302,    LOGIN),
    ("as:lan",                   "GET",  HOME,                     200,    LAN),
    ("as:minh",                  "GET",  HOME,                     200,    NOT_LAN),
    ("as:minh",                  "POST", f"{HOME}{{req}}/cancel/", 404),
    ("as:lan",                   "POST", f"{HOME}{{req}}/cancel/", 302,    PAGE_POST),
    ("anonymous",                "GET",  PAGE_QUEUE,               302,    LOGIN),
    ("citizen",                  "GET",  PAGE_QUEUE,               403),
    ("provincial_officer",       "GET",  PAGE_QUEUE,               403),
    ("clinic_staff",             "GET",  PAGE_QUEUE + "?view=all", 200,    LAN),
    ("clinic_staff@clinic_b",    "GET",  PAGE_QUEUE + "?view=all", 200,    NOT_LAN),
    ("clinic_staff",             "GET",  PAGE_ITEM,                200,    LAN),
    ("clinic_staff@clinic_b",    "GET",  PAGE_ITEM,                404),
    ("as:lan",                   "GET",  PAGE_ITEM,                403),
    ("clinic_staff@clinic_b",    "POST", PAGE_ITEM + "decline/",   404,    DECLINE),
    ("clinic_staff@clinic_b",    "POST", PAGE_ITEM + "schedule/",  404,    SCHEDULE),
    ("clinic_staff@clinic_b",    "POST", PAGE_ITEM + "dispense/",  404,    {"body": {"days_supplied": 30}}),
    ("clinic_staff",             "POST", PAGE_ITEM + "decline/",   302,    {**DECLINE, **PAGE_POST}),
]  # fmt: skip


@pytest.mark.parametrize("case", cases(ROWS), ids=str)
def test_welfare_medicine(case, world, client):
    run_case(client, world, case)
