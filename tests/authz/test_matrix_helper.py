"""The matrix helper itself: it must fail when a row is wrong, or a refusal changed something."""

import pytest
from django.http import HttpResponseNotFound

from ansinh.accounts.models import OrganisationKind, User
from ansinh.core import audit
from tests.authz import matrix
from tests.authz.matrix import Case, World, cases, changed_tables, db_snapshot, hides, run_case, shows
from tests.factories import OrganisationFactory, PersonFactory, ProvinceFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    province = ProvinceFactory()
    dept = OrganisationFactory(kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=province)
    other = OrganisationFactory(kind=OrganisationKind.PROVINCIAL_DEPARTMENT, province=ProvinceFactory())
    return World(
        orgs={"dept": dept, "other": other},
        home={"provincial_officer": "dept"},
        objects={"person": PersonFactory(province=province), "victim": UserFactory()},
        default_province=province,
    )


def test_rows_become_cases_with_extras_told_apart_by_type():
    check = shows("person")
    [plain, full] = cases(
        [
            ("citizen", "get", "/api/v1/me", 200),
            ("anonymous", "post", "/api/v1/x", 401, "auth.required", check, {"body": {"a": 1}}),
        ]
    )
    assert plain == Case("citizen", "GET", "/api/v1/me", 200)
    assert (full.detail, full.check, full.body, full.method) == ("auth.required", check, {"a": 1}, "POST")
    assert str(full) == "anonymous POST /api/v1/x -> 401 shows(person)"
    with pytest.raises(TypeError):
        cases([("citizen", "GET", "/x", 200, 3.5)])


def test_actors(world):
    assert world.make_actor("anonymous") is None
    citizen = world.make_actor("citizen")
    assert not citizen.memberships.exists()
    assert citizen.person.province == world.default_province
    assert world.make_actor("superuser").is_superuser
    officer = world.make_actor("provincial_officer")
    assert officer.memberships.get().organisation == world.orgs["dept"]
    moved = world.make_actor("provincial_officer@other+no2fa")
    assert moved.memberships.get().organisation == world.orgs["other"]
    assert moved.person.province == world.orgs["other"].province
    with pytest.raises(KeyError):
        world.make_actor("auditor")  # no home organisation declared


def test_snapshot_sees_updates_and_skips_the_excluded_tables(world):
    wider = matrix.DEFAULT_UNCHANGED_EXCLUDE | {"accounts.user"}
    before, before_wider = db_snapshot(), db_snapshot(wider)
    audit.record(actor=None, action="test.event")
    assert changed_tables(before, db_snapshot()) == []
    victim = world.objects["victim"]
    victim.set_password("Mot-mat-khau-khac-2026")
    victim.save(update_fields=["password"])
    assert changed_tables(before, db_snapshot()) == ["accounts.user"]
    assert changed_tables(before_wider, db_snapshot(wider)) == []


def test_wrong_status_fails(world, client):
    with pytest.raises(AssertionError, match="expected 404, got 200"):
        run_case(client, world, cases([("provincial_officer", "GET", "/api/v1/people/{person}", 404)])[0])


def test_wrong_error_code_fails(world, client):
    with pytest.raises(AssertionError, match=r"error code 'auth\.required'"):
        run_case(client, world, cases([("anonymous", "GET", "/api/v1/me", 401, "not_found")])[0])


def test_wrong_redirect_fails(world, client):
    with pytest.raises(AssertionError, match="redirect to /accounts/login/"):
        run_case(client, world, cases([("anonymous", "GET", "/staff/", 302, "/accounts/2fa/")])[0])


def test_a_refusal_that_changed_the_database_fails(world, client, monkeypatch):
    def refuse_after_writing(client, api, case, url):
        User.objects.filter(pk=world.objects["victim"].pk).update(must_change_password=True)
        return HttpResponseNotFound()

    monkeypatch.setattr(matrix, "_call", refuse_after_writing)
    case = Case("provincial_officer", "POST", "/staff/accounts/{victim}/reissue/", 404)
    with pytest.raises(AssertionError, match=r"these tables changed: accounts\.user"):
        run_case(client, world, case)


def test_list_checks(world, client):
    run_case(
        client, world, Case("provincial_officer", "GET", "/api/v1/people", 200, check=shows("person", "me"))
    )
    with pytest.raises(AssertionError, match="listed although out of scope"):
        run_case(
            client, world, Case("provincial_officer", "GET", "/api/v1/people", 200, check=hides("person"))
        )
    with pytest.raises(AssertionError, match="not listed"):
        run_case(client, world, Case("citizen", "GET", "/api/v1/people", 200, check=shows("person")))


def test_pages_get_the_second_factor_unless_told_not_to(world, client):
    run_case(client, world, Case("provincial_officer", "GET", "/staff/people/", 200))
    run_case(client, world, Case("provincial_officer+no2fa", "GET", "/staff/people/", 302, "/accounts/2fa/"))
