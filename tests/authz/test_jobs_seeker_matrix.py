"""Who may use the job seeker's pages and API, and the job exchange's public pages (see
tests/authz/matrix.py).

The world is tests/jobs/world.py: `lan` (anonymous visibility, Hồ Chí Minh City) applied to employer A's
`vacancy_a` (`app_lan`) and saved a search (`saved_lan`); `minh` (full visibility, Hà Nội) applied to
employer B's `vacancy_b` (`app_minh`) and saved a search (`saved_minh`). A `citizen` has an account and a
person but no seeker profile.

The public pages are open to anyone. Everything else is the signed-in seeker's own: anonymous callers are
sent to sign in (pages) or get 401 (API); another seeker's application or saved search is 404, and
refusals change nothing. An employer or a centre officer is no seeker: they have no applications here.
"""

import pytest

from ansinh.jobs.models import SavedSearch
from ansinh.jobs.services import applications
from tests.authz.matrix import World, both, cases, hides, run_case, shows
from tests.jobs.world import build_world

pytestmark = pytest.mark.django_db

HOME = {
    "employer_admin": "employer_a",
    "employment_centre_officer": "centre_hcm",
}

LOGIN = "/accounts/login/"


@pytest.fixture
def world(reference_data):
    built = build_world()
    lan, minh = built.seeker_anonymous.person.user, built.seeker_full.person.user
    app_lan = applications.application_submit(actor=lan, vacancy_id=built.vacancy_a.pk)
    app_minh = applications.application_submit(actor=minh, vacancy_id=built.vacancy_b.pk)
    saved_lan = SavedSearch.objects.create(seeker=built.seeker_anonymous, name="Kế toán", query="ke toan")
    saved_minh = SavedSearch.objects.create(seeker=built.seeker_full, name="Thợ hàn", query="tho han")
    return World(
        orgs={"employer_a": built.employer_a.organisation, "centre_hcm": built.centre_hcm},
        home=HOME,
        objects={
            "lan": lan,
            "minh": minh,
            "vacancy_a": built.vacancy_a,
            "vacancy_b": built.vacancy_b,
            "app_lan": app_lan,
            "app_minh": app_minh,
            "saved_lan": saved_lan,
            "saved_minh": saved_minh,
        },
        default_province=built.hcm,
    )


OK = {"redirect_is_success": True}
CENTRE = "employment_centre_officer"
APPS = "/jobs/applications/"
SAVED = "/jobs/saved-searches/"
PROFILE = "/jobs/profile/"
SHOWS_LAN = both(shows("vacancy_a"), hides("vacancy_b"))
LAN_SAVED = both(shows("saved_lan"), hides("saved_minh"))
LAN_APPS = both(shows("app_lan"), hides("app_minh"))
HIDES_SAVED = hides("saved_lan", "saved_minh")
ALERT_OFF = {"body": {"alert": False}}
HEADLINE = {"body": {"headline": "x"}}
INVALID = "validation.invalid"

PAGES = [
    # actor           method  url                                      expect  detail / check
    ("anonymous",      "GET",  "/jobs/",                                200),
    ("anonymous",      "GET",  "/jobs/search/?q=ke+toan",               200,    SHOWS_LAN),
    ("anonymous",      "GET",  "/jobs/vacancies/{vacancy_a}/",          200),
    ("anonymous",      "GET",  "/jobs/register/",                       200),
    ("anonymous",      "GET",  PROFILE,                                 302,    LOGIN),
    ("anonymous",      "POST", PROFILE,                                 302,    LOGIN),
    ("anonymous",      "POST", "/jobs/profile/start/",                  302,    LOGIN),
    ("anonymous",      "GET",  APPS,                                    302,    LOGIN),
    ("anonymous",      "POST", APPS + "{app_lan}/withdraw/",            302,    LOGIN),
    ("anonymous",      "POST", "/jobs/vacancies/{vacancy_a}/apply/",    302,    LOGIN),
    ("anonymous",      "GET",  SAVED,                                   302,    LOGIN),
    ("anonymous",      "POST", SAVED,                                   302,    LOGIN),
    ("anonymous",      "POST", SAVED + "{saved_lan}/delete/",           302,    LOGIN),
    ("anonymous",      "POST", SAVED + "{saved_lan}/alert/",            302,    LOGIN),
    ("as:lan",         "GET",  PROFILE,                                 200),
    ("as:lan",         "GET",  APPS,                                    200,    SHOWS_LAN),
    ("as:lan",         "POST", APPS + "{app_lan}/withdraw/",            302,    APPS, OK),
    ("as:lan",         "POST", APPS + "{app_minh}/withdraw/",           404),
    ("as:lan",         "POST", "/jobs/vacancies/{vacancy_b}/apply/",    302,    APPS, OK),
    ("as:lan",         "GET",  SAVED,                                   200,    LAN_SAVED),
    ("as:lan",         "POST", SAVED + "{saved_lan}/delete/",           302,    SAVED, OK),
    ("as:lan",         "POST", SAVED + "{saved_minh}/delete/",          404),
    ("as:lan",         "POST", SAVED + "{saved_minh}/alert/",           404,    {"body": {"alert": "off"}}),
    ("citizen",        "GET",  PROFILE,                                 200),
    ("citizen",        "GET",  APPS,                                    302,    PROFILE),
    ("citizen",        "POST", "/jobs/vacancies/{vacancy_a}/apply/",    302,    PROFILE),
    ("citizen",        "POST", APPS + "{app_lan}/withdraw/",            404),
    ("employer_admin", "GET",  APPS,                                    302,    PROFILE),
    ("employer_admin", "POST", APPS + "{app_lan}/withdraw/",            404),
    (CENTRE,           "POST", SAVED + "{saved_lan}/delete/",           404),
]  # fmt: skip

ME = "/api/v1/jobs/seekers/me"
MY_APPS = ME + "/applications"
MY_SAVED = ME + "/saved-searches"
AUTH = "auth.required"
NOT_FOUND = "not_found"
NO_PROFILE = "jobs.no_profile"
APPLY_A = {"body": {"vacancy_id": "{vacancy_a}"}}
BAD_SIGN_UP = {"body": {"full_name": "A", "phone": "1", "password": "1", "province": "79"}}

API = [
    ("anonymous",      "GET",    ME,                                    401,    AUTH),
    ("anonymous",      "PUT",    ME,                                    401,    AUTH, HEADLINE),
    ("anonymous",      "GET",    MY_APPS,                               401,    AUTH),
    ("anonymous",      "POST",   MY_APPS,                               401,    AUTH, APPLY_A),
    ("anonymous",      "POST",   MY_APPS + "/{app_lan}/withdraw",       401,    AUTH),
    ("anonymous",      "GET",    MY_SAVED,                              401,    AUTH),
    ("anonymous",      "DELETE", MY_SAVED + "/{saved_lan}",             401,    AUTH),
    ("anonymous",      "POST",   "/api/v1/jobs/seekers",                422,    INVALID, BAD_SIGN_UP),
    ("as:lan",         "GET",    ME,                                    200),
    ("as:lan",         "GET",    MY_APPS,                               200,    LAN_APPS),
    ("as:lan",         "GET",    MY_APPS + "/{app_lan}",                200),
    ("as:lan",         "GET",    MY_APPS + "/{app_minh}",               404,    NOT_FOUND),
    ("as:lan",         "POST",   MY_APPS + "/{app_minh}/withdraw",      404,    NOT_FOUND),
    ("as:lan",         "POST",   MY_APPS + "/{app_lan}/withdraw",       200),
    ("as:lan",         "GET",    MY_SAVED,                              200,    LAN_SAVED),
    ("as:lan",         "PATCH",  MY_SAVED + "/{saved_minh}",            404,    NOT_FOUND, ALERT_OFF),
    ("as:lan",         "DELETE", MY_SAVED + "/{saved_minh}",            404,    NOT_FOUND),
    ("as:lan",         "DELETE", MY_SAVED + "/{saved_lan}",             204),
    ("citizen",        "GET",    ME,                                    404,    NOT_FOUND),
    ("citizen",        "POST",   MY_APPS,                               409,    NO_PROFILE, APPLY_A),
    ("citizen",        "GET",    MY_APPS + "/{app_lan}",                404,    NOT_FOUND),
    ("employer_admin", "GET",    MY_APPS,                               200,    hides("app_lan", "app_minh")),
    ("employer_admin", "DELETE", MY_SAVED + "/{saved_lan}",             409,    NO_PROFILE),
    (CENTRE,           "GET",    MY_SAVED,                              200,    HIDES_SAVED),
]  # fmt: skip


@pytest.mark.parametrize("case", cases(PAGES + API), ids=str)
def test_jobs_seeker(case, world, client):
    run_case(client, world, case)
