"""The authorization matrix: who may call which protected endpoint on whose object, as a table.

Every protected endpoint gets rows in a matrix module (tests/authz/test_*_matrix.py), so a missing scope
check shows up as a failing row instead of a data leak. A row says: this actor, calling this endpoint (on
this named object), gets this status. The helper creates the actor, signs it in the way the endpoint
expects, calls the endpoint and checks the status; on every refusal (any answer that is not 2xx) it also
checks that the database did not change, so a refused write cannot have half-happened.

Writing a matrix module
-----------------------

1. Build a `World` in a fixture: the organisations actors work in (`orgs`), which organisation each role
   works in by default (`home`), and the named objects rows refer to (`objects`: people, users, ...)::

       world = World(
           orgs={"dept_a": sno_nghe_an, "e1": enterprise},
           home={"provincial_officer": "dept_a", "enterprise_admin": "e1"},
           objects={"person_a": person_in_nghe_an, "user_b": citizen_in_ha_tinh},
           default_province=nghe_an,
       )

2. Write the table. Each row is `(actor, method, url, expect)` plus extras told apart by type: a string
   is the `detail`, a callable the `check`, a dict more `Case` keywords (`{"body": {...}}`; a body value
   `"{name}"` is that object's primary key; `{"redirect_is_success": True}` for a page's POST). URLs are
   templates: `{person_a}` is the primary key of `objects["person_a"]` (or `orgs["person_a"]`), and
   `{me.person}` / `{me.user}` the actor's own person and user::

       PEOPLE = [
           # actor                 method  url                           expect  detail / check
           ("anonymous",           "GET",  "/api/v1/people/{person_a}",  401,    "auth.required"),
           ("provincial_officer",  "GET",  "/api/v1/people/{person_a}",  200),
           ("provincial_officer",  "GET",  "/api/v1/people/{person_b}",  404,    "not_found"),
           ("citizen",             "GET",  "/api/v1/people/{me.person}", 200),
           ("provincial_officer",  "GET",  "/api/v1/people",             200,    shows("person_a")),
       ]  # fmt: skip

3. Parametrize and run::

       @pytest.mark.parametrize("case", cases(PEOPLE), ids=str)
       def test_people(case, world, client):
           run_case(client, world, case)

Actors
------
- `"anonymous"`: no credentials.
- `"citizen"`: a user with a person record (in `world.default_province`) and no membership.
- `"superuser"`: `is_superuser=True`.
- a role code (a `Role` row: the standard roles of accounts migration 0002, or one the module's fixture
  creates), e.g. `"provincial_officer"`: a staff user holding that role in
  `world.orgs[world.home[role]]`; `"provincial_officer@dept_b"` puts them in `orgs["dept_b"]` instead.
- suffix `"+no2fa"` (pages only): signed in but without the second factor, to test the 2FA gate.
- `"as:<name>"`: the existing user `objects[name]` (e.g. the worker who sent a request).

Every actor except `anonymous` has a person record living in the province of their organisation (or the
default province), so `{me.person}` works for everyone.

Signing in
----------
- URLs under `/api/` use a bearer token issued directly (`ApiClient.as_user`): the API trusts a token, and
  how tokens are obtained (2FA included) is tested in tests/api.
- Other URLs use `client.force_login` and, for users who need it, set the session flag that the 2FA step
  sets (`SESSION_2FA_KEY`), unless the actor says `+no2fa`.

`detail`
--------
- API refusals: the `code` of the error body, e.g. `"auth.required"`, `"not_found"`, `"permission.denied"`.
- Page redirects: the start of the `Location` header, e.g. `"/accounts/login/"`.

Unchanged database on refusal
-----------------------------
Before the call the helper hashes every row of every table; after a refusal it hashes again and names the
tables that changed. Tables that a refused call may legitimately write are excluded: the audit log and its
chain head (refusals of security events are audited), login throttles, API tokens (issued to sign the
actor in; `last_used_at` moves) and sessions (saved on every request). Pass `unchanged_exclude` to
`run_case` to change that list.

Extra checks
------------
`check=` takes `(response, world, actor) -> None`; `shows(...)` / `hides(...)` check which named objects
(from `objects` or `orgs`; `"me"` is the actor's own person) a list answer contains (API: the `id` of
`items`; pages: a person's page link, or the object's name). `both(...)` combines checks, and
`labelled(check, "text")` names a check of your own so the test id shows it. `run_case` returns the
response for anything else.
"""

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db import models
from django.http import HttpResponseBase
from django.test import Client
from django.urls import reverse

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.accounts.models import Organisation, Person, User
from ansinh.accounts.selectors import needs_two_factor
from ansinh.geo.models import Province
from tests.api_client import ApiClient
from tests.factories import PersonFactory, UserFactory, make_staff

ANONYMOUS = "anonymous"
CITIZEN = "citizen"
SUPERUSER = "superuser"
NO_2FA = "+no2fa"
ME = "me"
AS = "as:"

DEFAULT_UNCHANGED_EXCLUDE = frozenset(
    {
        "core.auditentry",
        "core.auditchainhead",
        "accounts.loginthrottle",
        "accounts.apitoken",
        "sessions.session",
    }
)

Check = Callable[[HttpResponseBase, "World", User | None], None]


@dataclass
class World:
    """The objects a matrix module's rows refer to by name."""

    orgs: dict[str, Organisation] = field(default_factory=dict)
    home: dict[str, str] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)
    default_province: Province | None = None

    def organisation(self, spec: str) -> Organisation:
        role, _, where = spec.partition("@")
        key = where or self.home.get(role)
        if key is None:
            raise KeyError(f"World.home has no organisation for role {role!r}; add it or write {role}@<org>")
        return self.orgs[key]

    def _person(self, province: Province | None) -> Person:
        return PersonFactory(province=province or self.default_province)

    def make_actor(self, spec: str) -> User | None:
        """Creates the user a row's `actor` names (see the module docstring)."""
        spec = spec.removesuffix(NO_2FA)
        if spec == ANONYMOUS:
            return None
        if spec == CITIZEN:
            return UserFactory(person=self._person(None))
        if spec == SUPERUSER:
            return UserFactory(is_superuser=True, is_staff=True, person=self._person(None))
        if spec.startswith(AS):
            return self.objects[spec.removeprefix(AS)]
        organisation = self.organisation(spec)
        role = spec.partition("@")[0]
        return make_staff(role, organisation, person=self._person(organisation.province))

    def get(self, name: str) -> Any:
        """A named object: `objects` first, then `orgs`."""
        if name in self.objects:
            return self.objects[name]
        return self.orgs[name]

    def pk(self, name: str) -> Any:
        obj = self.get(name)
        return obj.pk if isinstance(obj, models.Model) else obj


@dataclass(frozen=True)
class Case:
    actor: str
    method: str
    url: str
    expect: int
    detail: str | None = None
    body: Any = None
    check: Check | None = None
    # A page's POST that succeeds answers with a redirect: with this set, a 3xx is not a refusal.
    redirect_is_success: bool = False

    @property
    def is_api(self) -> bool:
        return self.url.startswith("/api/")

    def __str__(self) -> str:
        text = f"{self.actor} {self.method} {self.url} -> {self.expect}"
        return f"{text} {getattr(self.check, 'label', 'check')}" if self.check else text


def cases(rows: Iterable[Sequence[Any]]) -> list[Case]:
    """Rows `(actor, method, url, expect, *extras)` to `Case`s. Each extra is, by its type: a `str`, the
    `detail`; a callable, the `check`; a dict, more `Case` keywords (e.g. `{"body": {...}}`)."""
    result = []
    for row in rows:
        actor, method, url, expect, *extras = row
        keywords: dict[str, Any] = {}
        for extra in extras:
            if extra is None:
                continue
            if isinstance(extra, str):
                keywords["detail"] = extra
            elif isinstance(extra, Mapping):
                keywords.update(extra)
            elif callable(extra):
                keywords["check"] = extra
            else:
                raise TypeError(f"row {row!r}: cannot use {extra!r}")
        result.append(Case(actor, method.upper(), url, expect, **keywords))
    return result


# --- database snapshot -------------------------------------------------------------------------------------


def db_snapshot(exclude: Iterable[str] = DEFAULT_UNCHANGED_EXCLUDE) -> dict[str, str]:
    """A hash of every row of every table (by model label), except the excluded models."""
    skip = {label.lower() for label in exclude}
    snapshot = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in skip or model._meta.proxy or not model._meta.managed:
            continue
        digest = hashlib.sha256()
        for row in model._base_manager.order_by("pk").values_list():
            digest.update(repr(row).encode())
        snapshot[label] = digest.hexdigest()
    return snapshot


def changed_tables(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


# --- running a case ----------------------------------------------------------------------------------------


def _url(case: Case, world: World, actor: User | None) -> str:
    me = SimpleNamespace(
        user=actor.pk if actor else "0",
        person=(actor.person_id or "0") if actor else "0",
    )
    names = {name: world.pk(name) for name in [*world.orgs, *world.objects]}
    return case.url.format(me=me, **names)


def _sign_in(client: Client, case: Case, actor: User | None) -> ApiClient | None:
    if case.is_api:
        api = ApiClient(client)
        if actor is not None:
            api.as_user(actor)
        return api
    if actor is not None:
        client.force_login(actor, backend="ansinh.accounts.backends.LockoutAwareBackend")
        if needs_two_factor(actor) and not case.actor.endswith(NO_2FA):
            session = client.session
            session[SESSION_2FA_KEY] = True
            session.save()
    return None


def _call(client: Client, api: ApiClient | None, case: Case, url: str) -> HttpResponseBase:
    if api is not None:
        if case.method == "POST":
            return api.post(url, case.body)
        return api.call(case.method, url, case.body)
    kwargs: dict[str, Any] = {}
    if case.body is not None:
        kwargs["data"] = case.body
    return getattr(client, case.method.lower())(url, **kwargs)


def _describe(response: HttpResponseBase) -> str:
    if response.get("Location"):
        return f"redirect to {response['Location']}"
    if getattr(response, "streaming", False):
        return "(streaming body)"
    return response.content[:300].decode(errors="replace")  # type: ignore[attr-defined]


def _fill(body: dict[str, Any], world: World) -> dict[str, Any]:
    """A body value written "{name}" is the primary key of that named object."""
    filled: dict[str, Any] = {}
    for key, value in body.items():
        if (
            isinstance(value, str)
            and value.startswith("{")
            and value.endswith("}")
            and value[1:-1] in world.objects
        ):
            filled[key] = world.pk(value[1:-1])
        else:
            filled[key] = value
    return filled


def run_case(
    client: Client,
    world: World,
    case: Case,
    *,
    unchanged_exclude: Iterable[str] = DEFAULT_UNCHANGED_EXCLUDE,
) -> HttpResponseBase:
    """Creates the actor, calls the endpoint, asserts the status (and `detail`), and on a refusal asserts
    the database is unchanged apart from `unchanged_exclude`. Returns the response for further checks."""
    actor = world.make_actor(case.actor)
    api = _sign_in(client, case, actor)
    url = _url(case, world, actor)
    exclude = frozenset(unchanged_exclude)
    before = db_snapshot(exclude)
    if isinstance(case.body, dict):
        case = replace(case, body=_fill(case.body, world))
    response = _call(client, api, case, url)
    assert response.status_code == case.expect, (
        f"{case.actor} {case.method} {url}: expected {case.expect}, got {response.status_code}: "
        f"{_describe(response)}"
    )
    if case.detail is not None:
        if case.is_api and response.status_code >= 400:
            code = response.json()["code"]  # type: ignore[attr-defined]
            assert code == case.detail, f"{case}: error code {code!r}, expected {case.detail!r}"
        elif 300 <= response.status_code < 400:
            location = response["Location"]
            assert location.startswith(case.detail), f"{case}: redirect to {location}"
    if response.status_code >= 300 and not (case.redirect_is_success and response.status_code < 400):
        changed = changed_tables(before, db_snapshot(exclude))
        assert not changed, f"{case}: refused, but these tables changed: {', '.join(changed)}"
    if case.check is not None:
        case.check(response, world, actor)
    return response


# --- checks for list answers -------------------------------------------------------------------------------


def _listed(response: HttpResponseBase, world: World, actor: User | None, name: str) -> bool:
    obj = actor.person if name == ME and actor is not None else world.get(name)
    if response.get("Content-Type", "").startswith("application/json"):
        return obj.pk in {item["id"] for item in response.json()["items"]}  # type: ignore[attr-defined]
    text = response.content.decode()  # type: ignore[attr-defined]
    if isinstance(obj, Person):
        return reverse("staff:person_detail", args=[obj.pk]) in text
    return str(obj) in text


def labelled(check: Check, label: str) -> Check:
    """Names a check, so the test id says what it checks (e.g. `shows(person_a)`)."""
    check.label = label  # type: ignore[attr-defined]
    return check


def shows(*names: str) -> Check:
    """The answer lists each named object (`"me"`: the actor's own person record)."""

    def check(response: HttpResponseBase, world: World, actor: User | None) -> None:
        missing = [n for n in names if not _listed(response, world, actor, n)]
        assert not missing, f"not listed: {missing}"

    return labelled(check, f"shows({','.join(names)})")


def hides(*names: str) -> Check:
    """The answer lists none of the named objects."""

    def check(response: HttpResponseBase, world: World, actor: User | None) -> None:
        leaked = [n for n in names if _listed(response, world, actor, n)]
        assert not leaked, f"listed although out of scope: {leaked}"

    return labelled(check, f"hides({','.join(names)})")


def both(*checks: Check) -> Check:
    """All of the checks."""

    def check(response: HttpResponseBase, world: World, actor: User | None) -> None:
        for one in checks:
            one(response, world, actor)

    return labelled(check, "+".join(getattr(c, "label", "check") for c in checks))
