"""Reads that need scoping. Every protected read in every app goes through `scope_q` (or a selector
built on it) with the actor, so a view can never forget the filter."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from ansinh.accounts import permissions as perms
from ansinh.accounts.models import ApiToken, Membership, Organisation, Person, Role, Scope, User
from ansinh.core import audit
from ansinh.core.errors import NotFound, PermissionDenied
from ansinh.core.text import normalise_search

_SCOPE_RANK = {Scope.SELF: 0, Scope.BRANCH: 1, Scope.ORGANISATION: 2, Scope.PROVINCE: 3, Scope.NATION: 4}


@dataclass
class Grant:
    """Where an actor may use one permission: the whole nation, some provinces, some organisation
    subtrees (by path prefix), or only their own records."""

    nation: bool = False
    province_ids: set[int] = field(default_factory=set)
    org_paths: set[str] = field(default_factory=set)
    own: bool = False

    @property
    def empty(self) -> bool:
        return not (self.nation or self.province_ids or self.org_paths or self.own)


def active_memberships(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_active_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True, organisation__is_active=True).select_related(
                "organisation", "role"
            )
        )
        user._active_memberships = cached
    return cached


def membership_allows(membership: Membership, code: str) -> bool:
    """Whether this membership's role carries `code` (a branch: only what its enterprise delegated)."""
    if code not in membership.role.permissions:
        return False
    if membership.role.scope == Scope.BRANCH:
        return code in (membership.organisation.delegated_permissions or [])
    return True


def grant_for(user: Any, code: str) -> Grant:
    grant = Grant()
    if not getattr(user, "is_authenticated", False):
        return grant
    if user.is_superuser:
        grant.nation = True
        return grant
    for membership in active_memberships(user):
        if not membership_allows(membership, code):
            continue
        scope = membership.role.scope
        org = membership.organisation
        if scope == Scope.NATION:
            grant.nation = True
        elif scope == Scope.PROVINCE:
            # The whole province, and the organisation's own subtree (its centres) wherever they are filed.
            if org.province_id:
                grant.province_ids.add(org.province_id)
            grant.org_paths.add(org.path)
        elif scope in (Scope.ORGANISATION, Scope.BRANCH):
            grant.org_paths.add(org.path)
        else:
            grant.own = True
    return grant


def has_permission(user: Any, code: str) -> bool:
    return not grant_for(user, code).empty


def require_permission(user: Any, code: str) -> Grant:
    grant = grant_for(user, code)
    if grant.empty:
        raise PermissionDenied()
    return grant


def permission_codes(user: Any) -> set[str]:
    if getattr(user, "is_superuser", False):
        return set(perms.CATALOGUE)
    return {
        code for m in active_memberships(user) for code in m.role.permissions if membership_allows(m, code)
    }


def needs_two_factor(user: Any) -> bool:
    """Officials who can read personal data must sign in with a second factor."""
    return any(perms.is_sensitive(code) for code in permission_codes(user))


def scope_q(
    grant: Grant,
    *,
    province: str | None = None,
    org_path: str | None = None,
    owner: str | None = None,
    owner_id: Any = None,
) -> Q:
    """The filter for a grant. Each model names the fields that place a row: its province, the path of its
    organisation, and its owner. A grant level whose field the model lacks matches nothing."""
    if grant.nation:
        # Always true, and unlike an empty Q() it survives being OR-ed with another condition.
        return Q(pk__isnull=False)
    q = Q(pk__in=[])
    if grant.province_ids and province:
        q |= Q(**{f"{province}__in": grant.province_ids})
    if grant.org_paths and org_path:
        for path in grant.org_paths:
            q |= Q(**{f"{org_path}__startswith": path})
    if grant.own and owner and owner_id is not None:
        q |= Q(**{owner: owner_id})
    return q


# --- people ------------------------------------------------------------------------------------------------


def _active_memberships_in(grant: Grant) -> QuerySet[Membership]:
    """Active memberships, in active organisations, that sit inside the grant (by path or province)."""
    return Membership.objects.filter(is_active=True, organisation__is_active=True).filter(
        scope_q(grant, province="organisation__province_id", org_path="organisation__path")
    )


def person_list_for(actor: Any, *, search: str = "") -> QuerySet[Person]:
    """People the actor may see: a staff member by the grant of `person.read` (people of the provinces in
    scope, and members of the organisations in scope); anyone their own record."""
    grant = grant_for(actor, perms.PERSON_READ)
    own_person = getattr(actor, "person_id", None)
    if own_person:
        grant.own = True
    q = scope_q(grant, province="province_id", owner="pk", owner_id=own_person)
    if grant.org_paths and not grant.nation:
        # A revoked membership no longer places its person inside the organisation's scope.
        members = _active_memberships_in(Grant(org_paths=grant.org_paths)).values("user_id")
        q |= Q(user__in=members)
    qs = Person.objects.filter(q).select_related("province", "ward")
    if search:
        needle = normalise_search(search)
        term = search.strip()
        qs = qs.filter(
            Q(name_search__contains=needle) | Q(personal_id=term) | Q(passport_number=term.upper())
        )
    return qs.order_by("name_search", "id")


def person_get_for(actor: Any, person_id: int) -> Person:
    """One person's record. A staff read of someone else's record is written to the audit log."""
    person = person_list_for(actor).filter(pk=person_id).first()
    if person is None:
        raise NotFound()
    if person.pk != getattr(actor, "person_id", None):
        audit.record_read(actor=actor, obj=person)
    return person


# --- organisations, roles, users ---------------------------------------------------------------------------


def organisation_list_for(actor: Any) -> QuerySet[Organisation]:
    memberships = active_memberships(actor)
    if getattr(actor, "is_superuser", False) or any(m.role.scope == Scope.NATION for m in memberships):
        return Organisation.objects.select_related("parent", "province")
    q = Q(pk__in=[])
    for m in memberships:
        if m.role.scope == Scope.PROVINCE and m.organisation.province_id:
            q |= Q(province_id=m.organisation.province_id)
        q |= Q(path__startswith=m.organisation.path)
    return Organisation.objects.filter(q).select_related("parent", "province")


def organisation_get_for(actor: Any, organisation_id: int) -> Organisation:
    org = organisation_list_for(actor).filter(pk=organisation_id).first()
    if org is None:
        raise NotFound()
    return org


def role_list() -> QuerySet[Role]:
    return Role.objects.all()


def user_list_for(actor: Any) -> QuerySet[User]:
    """Accounts the actor may manage (`account.manage`): citizens living in the provinces in scope and
    members of the organisations in scope — but never an account with more power than the actor's
    grant covers: no superuser (unless the actor is one), nobody holding an active membership outside the
    actor's scope or a role of wider scope than the actor's own. Otherwise a provincial officer could reissue
    (and so take over) the password of a national administrator who happens to live in the province."""
    grant = require_permission(actor, perms.ACCOUNT_MANAGE)
    in_scope = _active_memberships_in(grant)
    qs = User.objects.all()
    if not grant.nation:
        qs = qs.filter(Q(pk__in=in_scope.values("user_id")) | scope_q(grant, province="person__province_id"))
        active = Membership.objects.filter(is_active=True, organisation__is_active=True)
        outside = active.exclude(pk__in=in_scope.values("pk"))
        widest = max(
            (
                _SCOPE_RANK[Scope(m.role.scope)]
                for m in active_memberships(actor)
                if membership_allows(m, perms.ACCOUNT_MANAGE)
            ),
            default=-1,
        )
        wider_scopes = [scope for scope, rank in _SCOPE_RANK.items() if rank > widest]
        qs = qs.exclude(pk__in=outside.values("user_id")).exclude(
            pk__in=active.filter(role__scope__in=wider_scopes).values("user_id")
        )
    if not getattr(actor, "is_superuser", False):
        qs = qs.exclude(is_superuser=True)
    return qs.select_related("person").order_by("username")


def user_get_for(actor: Any, user_id: int) -> User:
    user = user_list_for(actor).filter(pk=user_id).first()
    if user is None:
        raise NotFound()
    return user


def primary_membership(user: Any) -> Membership | None:
    memberships = active_memberships(user)
    if not memberships:
        return None
    return max(memberships, key=lambda m: _SCOPE_RANK.get(Scope(m.role.scope), 0))


def token_get_active(key_hash: str) -> ApiToken | None:
    return ApiToken.objects.select_related("user", "user__person").filter(key_hash=key_hash).first()


def person_of(actor: Any) -> Person | None:
    """The signed-in actor's own personal record (what "own" scope is checked against); None for an
    anonymous actor or an account with no personal record."""
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "person_id", None):
        return None
    person = actor.person
    assert isinstance(person, Person)
    return person
