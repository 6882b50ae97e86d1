"""Who may list the allowances not collected for 3 months or more (see tests/authz/matrix.py).

The world: the commune of Diễn Châu decided `binh`'s allowance (`allowance`), paid in cash and never
collected since it started five months ago; the commune of Yên Thành (`other`), a province department. The
commune's officer and chair (welfare_allowance.manage) see it; the other commune's officer gets an answer
without it; anyone without the permission is refused (403), anonymous callers 401.
"""

import pytest

from ansinh.accounts.models import OrganisationKind
from ansinh.welfare.models import SocialAllowance
from tests.authz.matrix import World, cases, hides, run_case, shows
from tests.factories import OrganisationFactory
from tests.welfare.allowance_world import allowance_world, approved_allowance
from tests.welfare.card_world import months_ago

pytestmark = pytest.mark.django_db

HOME = {
    "commune_officer": "commune",
    "commune_chair": "commune",
    "provincial_officer": "department",
    "service_point_cashier": "department",
}


@pytest.fixture
def world(db):
    base = allowance_world()
    department = OrganisationFactory(kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=base.province)
    allowance = approved_allowance(base)
    SocialAllowance.objects.filter(pk=allowance.pk).update(starts_on=months_ago(5))
    return World(
        orgs={"commune": base.commune, "other": base.other_commune, "department": department},
        home=HOME,
        objects={"binh": base.citizen, "allowance": allowance},
        default_province=base.province,
    )


def _all(actors, method, url, expect, *extras):
    return [(actor, method, url, expect, *extras) for actor in actors]


AUTH, DENIED = "auth.required", "permission.denied"
URL = "/api/v1/welfare/allowances/uncollected"

API = [
    *_all(["commune_officer", "commune_chair"], "GET", URL, 200, shows("allowance")),
    ("commune_officer@other", "GET", URL, 200, hides("allowance")),
    *_all(["citizen", "as:binh", "provincial_officer", "service_point_cashier"], "GET", URL, 403, DENIED),
    ("anonymous", "GET", URL, 401, AUTH),
]


@pytest.mark.parametrize("case", cases(API), ids=str)
def test_api(case, world, client):
    run_case(client, world, case)
