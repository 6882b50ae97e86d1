"""Who may use the workers-abroad endpoints (see tests/authz/matrix.py).

The world: the Centre of Overseas Labour (its operators and supervisor run the 24/7 desk), an enterprise,
a mission abroad and a ministry. Named objects: `lan` and `hoa`, workers abroad (people with an account and
no membership); `lan_request`, an open SOS of Lan's; `resolved_request`, a resolved one of Lan's; `notice`, a
published notice; `embassy`, a mission of the directory.

A worker sees only their own requests; an operator of the centre sees all (reads audited); an enterprise
user, a mission officer, a ministry or system administrator sees none. Reading or acting on a request one
may not see is 404 (its existence is not revealed); desk actions by someone who is not on the desk are 403.
"""

import pytest
from django.contrib.auth.hashers import make_password

from ansinh.accounts.models import OrganisationKind
from ansinh.sos.models import Mission, Notice, WorkerProfile
from ansinh.sos.services import desk, help_requests
from tests.authz.matrix import World, cases, hides, run_case, shows
from tests.factories import OrganisationFactory, PersonFactory, UserFactory, make_staff

pytestmark = pytest.mark.django_db

HOME = {
    "colab_operator": "colab",
    "colab_supervisor": "colab",
    "enterprise_admin": "e1",
    "enterprise_staff": "e1",
    "mission_officer": "mission",
    "system_admin": "ministry",
    "ministry_officer": "ministry",
}
DESK = ["colab_operator", "colab_supervisor"]
NOT_DESK = ["citizen", "enterprise_admin", "enterprise_staff", "mission_officer", "system_admin"]
NOT_DESK += ["ministry_officer"]
SOS = {"kind": "sos", "phone": "+821012345678", "latitude": 37.5, "longitude": 127.0}


@pytest.fixture
def world(reference_data):
    province = reference_data.province("40")
    K = OrganisationKind
    ministry = OrganisationFactory(code="BNV", name="Bộ Nội vụ", kind=K.MINISTRY)
    colab = OrganisationFactory(
        name="Trung tâm Lao động ngoài nước", kind=K.OVERSEAS_LABOUR_CENTRE, parent=ministry
    )
    e1 = OrganisationFactory(name="Công ty Sao Mai", kind=K.ENTERPRISE, province=province)
    mission = OrganisationFactory(name="Ban Quản lý lao động tại Hàn Quốc", kind=K.MISSION, country="KR")
    lan = UserFactory(person=PersonFactory(province=province))
    lan_profile = WorkerProfile.objects.create(
        person=lan.person,
        passport_number="C7777777",
        country="KR",
        security_answer_hash=make_password("bong"),
    )
    hoa = UserFactory(person=PersonFactory(province=province))
    lan_request, _ = help_requests.request_submit(actor=lan, idempotency_key="matrix-open-01", **SOS)
    resolved, _ = help_requests.request_submit(actor=lan, idempotency_key="matrix-done-01", **SOS)
    operator = make_staff("colab_operator", colab)
    desk.request_resolve(actor=operator, request_id=resolved.pk, outcome_category="safe")
    return World(
        orgs={"ministry": ministry, "colab": colab, "e1": e1, "mission": mission},
        home=HOME,
        objects={
            "lan": lan,
            "hoa": hoa,
            "lan_request": lan_request,
            "resolved_request": resolved,
            "notice": Notice.objects.create(title="Lịch nghỉ Tết", body="..."),
            "embassy": Mission.objects.create(name="Đại sứ quán", kind="embassy", country="KR"),
            "operator": operator,
            "lan_profile": lan_profile,
        },
        default_province=province,
    )


def _all(actors, method, url, expect, *extras):
    return [(actor, method, url, expect, *extras) for actor in actors]


AUTH, NOT_FOUND, DENIED = "auth.required", "not_found", "permission.denied"
REQUEST = "/api/v1/sos/requests/{lan_request}"
RESOLVED = "/api/v1/sos/requests/{resolved_request}"
ACK_PAGE = "/staff/sos/requests/{lan_request}/acknowledge/"
TO_EMBASSY = {"body": {"mission_id": "{embassy}"}}
SAFE = {"body": {"outcome_category": "safe"}}
AGAIN = {"body": {"reason": "Gọi lại"}}
NOTICE = {"title": "Cảnh báo bão", "body": "Bão số 5 sắp đổ bộ", "audience": "country", "country": "KR"}

NOTICES = [
    ("anonymous", "GET", "/api/v1/notices?country=KR", 200, shows("notice")),
    ("anonymous", "POST", "/api/v1/notices", 401, AUTH, {"body": NOTICE}),
    *_all(DESK, "POST", "/api/v1/notices", 201, {"body": NOTICE}),
    ("system_admin", "POST", "/api/v1/notices", 201, {"body": NOTICE}),
    *_all(["citizen", "enterprise_admin", "mission_officer"], "POST", "/api/v1/notices", 403, DENIED,
          {"body": NOTICE}),
    ("colab_operator", "POST", "/api/v1/notices/{notice}/withdraw", 200),
    ("citizen", "POST", "/api/v1/notices/{notice}/withdraw", 403, DENIED),
    ("enterprise_staff", "POST", "/api/v1/notices/{notice}/withdraw", 403, DENIED),
    ("citizen", "POST", "/api/v1/notices/{notice}/read", 204),
    ("anonymous", "POST", "/api/v1/notices/{notice}/read", 401, AUTH),
]  # fmt: skip

REQUESTS = [
    ("anonymous", "POST", "/api/v1/sos/requests", 401, AUTH, {"body": SOS}),
    *_all(["enterprise_staff", "colab_operator", "mission_officer"], "POST", "/api/v1/sos/requests", 403,
          DENIED, {"body": SOS}),
    ("anonymous", "GET", REQUEST, 401, AUTH),
    ("as:lan", "GET", REQUEST, 200),
    ("as:hoa", "GET", REQUEST, 404, NOT_FOUND),
    *_all(DESK, "GET", REQUEST, 200),
    *_all(NOT_DESK, "GET", REQUEST, 404, NOT_FOUND),
    ("as:lan", "GET", "/api/v1/sos/requests", 200, shows("lan_request")),
    ("as:hoa", "GET", "/api/v1/sos/requests", 200, hides("lan_request")),
    ("colab_operator", "GET", "/api/v1/sos/requests", 200, hides("lan_request")),  # "mine" only
    ("as:lan", "POST", REQUEST + "/cancel", 200),
    *_all(["as:hoa", "colab_operator", "enterprise_admin"], "POST", REQUEST + "/cancel", 404, NOT_FOUND),
    ("as:lan", "POST", REQUEST + "/messages", 201, {"body": {"body": "Tôi đang ở ga Suwon"}}),
    *_all(DESK, "POST", REQUEST + "/messages", 201, {"body": {"body": "Chúng tôi đã nhận"}}),
    *_all(["as:hoa", *NOT_DESK], "POST", REQUEST + "/messages", 404, NOT_FOUND, {"body": {"body": "x"}}),
]  # fmt: skip

DESK_API = [
    ("anonymous", "GET", "/api/v1/sos/queue", 401, AUTH),
    *_all(DESK, "GET", "/api/v1/sos/queue", 200, shows("lan_request")),
    *_all(["as:lan", *NOT_DESK], "GET", "/api/v1/sos/queue", 403, DENIED),
    *_all(DESK, "POST", REQUEST + "/acknowledge", 200),
    *_all(["as:lan", *NOT_DESK], "POST", REQUEST + "/acknowledge", 403, DENIED),
    ("colab_operator", "POST", REQUEST + "/assign", 200, {"body": {"assignee_id": "{operator}"}}),
    *_all(["as:lan", "enterprise_admin"], "POST", REQUEST + "/assign", 403, DENIED,
          {"body": {"assignee_id": "{operator}"}}),
    *_all(DESK, "POST", REQUEST + "/escalate", 201, TO_EMBASSY),
    *_all(["as:lan", *NOT_DESK], "POST", REQUEST + "/escalate", 403, DENIED, TO_EMBASSY),
    ("colab_operator", "POST", REQUEST + "/actions", 201, {"body": {"kind": "call", "body": "Đã gọi"}}),
    ("enterprise_staff", "POST", REQUEST + "/actions", 403, DENIED, {"body": {"kind": "call", "body": "x"}}),
    ("colab_operator", "GET", REQUEST + "/actions", 200),
    *_all(["as:lan", "citizen", "enterprise_admin"], "GET", REQUEST + "/actions", 404, NOT_FOUND),
    *_all(DESK, "POST", REQUEST + "/resolve", 200, SAFE),
    *_all(["as:lan", *NOT_DESK], "POST", REQUEST + "/resolve", 403, DENIED, SAFE),
    ("colab_operator", "POST", RESOLVED + "/reopen", 200, AGAIN),
    *_all(["as:lan", "enterprise_admin"], "POST", RESOLVED + "/reopen", 403, DENIED, AGAIN),
    *_all(DESK, "GET", "/api/v1/sos/missions", 200, shows("embassy")),
    *_all(["citizen", "enterprise_admin"], "GET", "/api/v1/sos/missions", 403, DENIED),
    *_all(DESK, "GET", "/api/v1/sos/events", 200),
    ("anonymous", "GET", "/api/v1/sos/stats", 401, AUTH),
    *_all(DESK, "GET", "/api/v1/sos/stats", 200),
    *_all(["as:lan", *NOT_DESK], "GET", "/api/v1/sos/stats", 403, DENIED),
    *_all(["as:lan", "mission_officer"], "GET", "/api/v1/sos/events", 403, DENIED),
]  # fmt: skip

WORKER = {
    "passport_number": "C8888888",
    "full_name": "Lê Văn Bình",
    "date_of_birth": "1996-05-02",
    "country": "JP",
}
DASHBOARD = "/staff/sos/dashboard/"
CHECK = "/api/v1/sos/workers/{lan_profile}/check-answer"
WORKERS_API = [
    ("as:lan", "GET", "/api/v1/sos/profile", 200),
    ("anonymous", "GET", "/api/v1/sos/profile", 401, AUTH),
    *_all(
        ["colab_operator", "enterprise_admin"], "GET", "/api/v1/sos/profile", 404, NOT_FOUND
    ),  # no worker record
    *_all([*DESK, "system_admin"], "GET", "/api/v1/sos/workers", 200, shows("lan_profile")),
    *_all(
        ["as:lan", "enterprise_admin", "mission_officer", "ministry_officer"],
        "GET",
        "/api/v1/sos/workers",
        403,
        DENIED,
    ),
    ("colab_operator", "POST", "/api/v1/sos/workers", 201, {"body": WORKER}),
    *_all(["as:lan", "enterprise_admin"], "POST", "/api/v1/sos/workers", 403, DENIED, {"body": WORKER}),
    *_all(DESK, "POST", CHECK, 200, {"body": {"answer": "Bống"}}),
    *_all(
        ["as:lan", "enterprise_admin", "system_admin"], "POST", CHECK, 403, DENIED, {"body": {"answer": "x"}}
    ),
]

PAGES = [
    ("anonymous", "GET", "/staff/sos/", 302, "/accounts/login/"),
    *_all(DESK, "GET", "/staff/sos/", 200),
    ("colab_operator+no2fa", "GET", "/staff/sos/", 302, "/accounts/2fa/"),
    *_all(["as:lan", *NOT_DESK], "GET", "/staff/sos/", 403),
    *_all(DESK, "GET", "/staff/sos/requests/{lan_request}/", 200),
    *_all(["as:lan", "enterprise_admin"], "GET", "/staff/sos/requests/{lan_request}/", 403),
    ("colab_operator", "POST", ACK_PAGE, 302, "/staff/sos/requests/", {"redirect_is_success": True}),
    *_all(["as:lan", "enterprise_staff", "citizen"], "POST", ACK_PAGE, 403),
    ("anonymous", "POST", ACK_PAGE, 302, "/accounts/login/"),
    *_all(DESK, "GET", "/staff/sos/notices/", 200),
    *_all(DESK, "GET", "/staff/sos/workers/", 200),
    *_all(["as:lan", "enterprise_admin", "mission_officer"], "GET", "/staff/sos/workers/", 403),
    ("as:lan", "GET", "/sos/profile/", 200),
    ("anonymous", "GET", "/sos/profile/", 302, "/accounts/login/"),
    *_all(DESK, "GET", "/staff/sos/dashboard/", 200),
    *_all(DESK, "GET", "/staff/sos/report/?format=csv", 200),
    ("anonymous", "GET", DASHBOARD, 302, "/accounts/login/"),
    *_all(["as:lan", "enterprise_admin", "mission_officer", "system_admin"], "GET", DASHBOARD, 403),
    *_all(["as:lan", "enterprise_staff"], "GET", "/staff/sos/report/?format=xlsx", 403),
    *_all(["as:lan", "enterprise_admin", "mission_officer"], "GET", "/staff/sos/notices/", 403),
    *_all(["as:lan", "enterprise_admin"], "POST", "/staff/sos/notices/{notice}/withdraw/", 403),
]  # fmt: skip


@pytest.mark.parametrize("case", cases(NOTICES + REQUESTS + DESK_API + WORKERS_API + PAGES), ids=str)
def test_sos(case, world, client):
    run_case(client, world, case)
