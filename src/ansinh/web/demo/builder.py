"""Loads the demo: checks the database is ready, builds the organisation tree, issues one account per
standard role (plus a citizen) with known passwords and enrolled authenticators, fills the people
register, then provisions workers abroad (`workers.py`), sends a share of the register abroad through the
demo enterprises (`overseas_workers.py`) and files the demo dossiers.

Everything except the register goes through `ansinh.accounts.services` as the system (actor=None), so
the demo exercises the same validation and audit trail as real use. The register is bulk-inserted:
`person_create` costs one transaction and one hash-chained audit row per person (about 8 ms on SQLite):
over a minute for 10,000 people and most of a day for the 10 million of the production design. Each
batch instead commits with one `demo.load` audit row naming its size and id range.
"""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import pyotp
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ansinh.accounts import selectors, services
from ansinh.accounts.models import Organisation, Person, Role, TotpDevice, User
from ansinh.core import audit
from ansinh.core.errors import DomainError
from ansinh.core.legacy_provinces import LEGACY_PROVINCES
from ansinh.core.text import normalise_search
from ansinh.geo.models import LegacyProvince, Province, Ward
from ansinh.web.demo.dossiers import load_dossiers, state_counts
from ansinh.web.demo.jobs import load_jobs
from ansinh.web.demo.organisations import DemoTree, build_tree, choose_provinces
from ansinh.web.demo.overseas import load_overseas
from ansinh.web.demo.overseas_workers import load_overseas_workers
from ansinh.web.demo.people import Credentials, PeopleGenerator, Place
from ansinh.web.demo.welfare import (
    SECOND_ACCOUNTS,
    WelfareDemo,
    add_welfare_bodies,
    load_welfare,
    second_account_people,
)
from ansinh.web.demo.workers import DEMO_WORKER, load_workers

DEFAULT_SEED = 2026
PEOPLE_PER_SCALE = 1000
BATCH_SIZE = 2000


class DemoError(Exception):
    """The demo cannot run; the message says why and what to do (shown without a traceback)."""


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role_code: str
    role_name: str
    organisation: str
    password: str
    totp_secret: str = ""

    @property
    def totp_uri(self) -> str:
        if not self.totp_secret:
            return ""
        return pyotp.TOTP(self.totp_secret).provisioning_uri(name=self.username, issuer_name="ansinh demo")


@dataclass
class DemoResult:
    seed: int
    accounts: list[DemoAccount]
    organisations: int
    people: int
    provinces: list[str] = field(default_factory=list)
    dossiers: dict[str, int] = field(default_factory=dict)  # per state
    workers: int = 0  # workers abroad with an account (login by passport number)
    overseas_workers: int = 0  # workers in the overseas-labour database, sent by the demo enterprises
    overseas_contracts: int = 0  # the demo enterprises' registered contracts
    job_vacancies: int = 0  # on the job exchange
    job_seekers: int = 0
    # Second accounts of a role that already has one (a cashier in another province, a pensioner): listed
    # apart, so the main table keeps one account per role.
    second_accounts: list[DemoAccount] = field(default_factory=list)
    welfare: WelfareDemo | None = None


# username, role code, and which organisation of the tree the account works in.
ACCOUNTS: list[tuple[str, str, Callable[[DemoTree], Organisation]]] = [
    ("demo.admin", "system_admin", lambda t: t.ministry),
    ("demo.auditor", "auditor", lambda t: t.inspectorate),
    ("demo.ministry", "ministry_officer", lambda t: t.overseas_department),
    ("demo.colab", "colab_operator", lambda t: t.colab),
    ("demo.province", "provincial_officer", lambda t: t.main.department),
    ("demo.centre", "employment_centre_officer", lambda t: t.main.centre),
    ("demo.head", "employment_centre_head", lambda t: t.main.centre),
    ("demo.enterprise", "enterprise_admin", lambda t: t.enterprises[0]),
    ("demo.staff", "enterprise_staff", lambda t: t.enterprises[0]),
    ("demo.branch", "branch_staff", lambda t: t.branches[0]),
    ("demo.mission", "mission_officer", lambda t: t.missions["KR"]),
    ("demo.bhxh", "social_insurance_partner", lambda t: t.provincial_social_insurance),
]
CITIZEN_USERNAME = "demo.citizen"
# Accounts of roles added later: issued after the citizen, so the published passwords of the first ones
# (drawn in order from the seed) stay the same.
LATER_ACCOUNTS: list[tuple[str, str, Callable[[DemoTree], Organisation]]] = [
    ("demo.supervisor", "colab_supervisor", lambda t: t.colab),
    ("demo.dolab", "overseas_department_officer", lambda t: t.overseas_department),
    ("demo.licensing", "overseas_licensing_officer", lambda t: t.overseas_department),
    ("demo.employer", "employer_admin", lambda t: t.employer),
    ("demo.recruiter", "employer_staff", lambda t: t.employer),
    ("demo.commune", "commune_officer", lambda t: t.communes[0]),
    ("demo.chair", "commune_chair", lambda t: t.communes[0]),
    ("demo.clinic", "clinic_staff", lambda t: t.clinics[0]),
    ("demo.cashier", "service_point_cashier", lambda t: t.service_points[0]),
]


def demo_usernames() -> list[str]:
    return [
        *(username for username, _role, _org in ACCOUNTS),
        CITIZEN_USERNAME,
        *(username for username, _role, _org in LATER_ACCOUNTS),
    ]


def preflight() -> list[Province]:
    """Refuses early, with a message that says what to run, if the reference data or roles are missing."""
    provinces = list(Province.objects.order_by("code"))
    if not provinces:
        raise DemoError(
            "No provinces in the database. The demo places people and provincial departments in the "
            "34 provinces: run `ansinh load_reference` first (after `ansinh migrate`)."
        )
    wanted = {code for _u, code, _o in [*ACCOUNTS, *LATER_ACCOUNTS]} | {
        code for _u, code, _o in SECOND_ACCOUNTS if code
    }
    missing = sorted(wanted - set(Role.objects.filter(code__in=wanted).values_list("code", flat=True)))
    if missing:
        raise DemoError(
            f"Standard roles are missing: {', '.join(missing)}. Run `ansinh migrate` "
            "(accounts migration 0002 creates them)."
        )
    return provinces


def database_has_organisations() -> bool:
    return Organisation.objects.exists()


def _places(provinces: Sequence[Province]) -> list[Place]:
    successors: dict[int, list[str]] = {}
    for code, successor_id in LegacyProvince.objects.filter(successor__isnull=False).values_list(
        "code", "successor_id"
    ):
        successors.setdefault(successor_id, []).append(code)
    by_name = {normalise_search(name): code for code, name in LEGACY_PROVINCES.items()}
    places = []
    for province in provinces:
        codes = successors.get(province.pk)
        if not codes:
            # Without the legacy table, at least the same-named pre-2025 province is the birth province.
            base = normalise_search(province.name)
            codes = [code for name, code in by_name.items() if base.endswith(name)]
        wards = tuple(Ward.objects.filter(province=province).order_by("code").values_list("pk", flat=True))
        places.append(Place(province.pk, province.name, wards, tuple(sorted(codes))))
    return places


def _set_demo_password(user: User, password: str) -> None:
    """Replaces the issued one-time password by the published demo password. Validated by the same rules
    as any password; `must_change_password` is cleared so a tester can sign in straight away."""
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    audit.record(actor=None, action="demo.password_set", obj=user)


def _enrol_totp(user: User, secret: str) -> None:
    """A confirmed authenticator with a published secret. Not `totp_begin`/`totp_confirm`: they draw the
    secret from the OS (the demo must be reproducible from its seed) and confirming consumes the current
    30-second step, so the tester's first code would be refused as a replay."""
    TotpDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now())
    audit.record(actor=None, action="auth.2fa_enrol", obj=user, changes={"demo": True})


def _password_for(credentials: Credentials, user: User) -> str:
    for _attempt in range(20):
        candidate = credentials.password()
        try:
            password_validation.validate_password(candidate, user)
        except ValidationError:
            continue
        return candidate
    raise DemoError(f"Could not make a demo password for {user.username} that passes the password rules.")


def _account_person(
    generator: PeopleGenerator, places: dict[int, Place], organisation: Organisation
) -> Person:
    place = places.get(organisation.province_id or 0) or next(iter(places.values()))
    data = generator.person(place)
    return services.person_create(
        actor=None,
        full_name=data.full_name,
        sex=data.sex,
        date_of_birth=data.date_of_birth,
        personal_id=data.personal_id,
        passport_number=data.passport_number,
        phone=data.phone,
        email=data.email,
        address=data.address,
        province=Province.objects.get(pk=data.province_id),
        ward=Ward.objects.get(pk=data.ward_id) if data.ward_id else None,
    )


def _issue_account(
    username: str,
    role: Role | None,
    organisation: Organisation | None,
    person: Person,
    credentials: Credentials,
) -> DemoAccount:
    user, _one_time = services.account_issue(
        actor=None,
        username=username,
        organisation=organisation,
        role=role,
        person=person,
        email=person.email,
        phone=person.phone,
    )
    password = _password_for(credentials, user)
    _set_demo_password(user, password)
    secret = ""
    if selectors.needs_two_factor(user):
        secret = credentials.totp_secret()
        _enrol_totp(user, secret)
    return DemoAccount(
        username=username,
        role_code=role.code if role else "citizen",
        role_name=role.name if role else "Công dân",
        organisation=organisation.name if organisation else "",
        password=password,
        totp_secret=secret,
    )


def _issue_accounts(
    tree: DemoTree, generator: PeopleGenerator, credentials: Credentials, places: list[Place]
) -> list[DemoAccount]:
    by_province = {p.province_id: p for p in places}
    roles = {r.code: r for r in Role.objects.all()}
    accounts: list[DemoAccount] = []
    # Where a later account works is looked up when it is issued: the social-security bodies are made
    # once the citizen's ward is known (their commune receives the citizen's allowance application).
    plan: list[tuple[str, Role | None, Callable[[DemoTree], Organisation] | None]] = [
        (username, roles[code], where) for username, code, where in ACCOUNTS
    ]
    plan.append((CITIZEN_USERNAME, None, None))
    plan += [(username, roles[code], where) for username, code, where in LATER_ACCOUNTS]
    for username, role, where in plan:
        organisation = where(tree) if where else None
        person = _account_person(generator, by_province, organisation or tree.main.department)
        accounts.append(_issue_account(username, role, organisation, person, credentials))
        if username == CITIZEN_USERNAME:
            add_welfare_bodies(tree, person)
    return accounts


def _issue_second_accounts(tree: DemoTree, credentials: Credentials, today: date) -> list[DemoAccount]:
    """Accounts for people of the register (no new person: the register keeps its size), issued after
    every other account so the published passwords of the others stay the same."""
    roles = {r.code: r for r in Role.objects.all()}
    people = second_account_people(tree, today)
    return [
        _issue_account(username, roles[code] if code else None, where(tree) if where else None,
                       people[username], credentials)
        for username, code, where in SECOND_ACCOUNTS
    ]  # fmt: skip


def _insert_people(
    generator: PeopleGenerator,
    count: int,
    *,
    seed: int,
    progress: Callable[[int], None],
    batch_size: int = BATCH_SIZE,
) -> int:
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        batch = []
        for _ in range(size):
            data = generator.person()
            batch.append(Person(name_search=normalise_search(data.full_name), **data.as_fields()))
        with transaction.atomic():
            try:
                created = Person.objects.bulk_create(batch)
            except IntegrityError as exc:
                raise DemoError(
                    "A generated personal ID number is already registered: the database already holds "
                    "people. Load the demo into an empty database."
                ) from exc
            audit.record(
                actor=None,
                action="demo.load",
                object_type="accounts.person",
                changes={
                    "count": len(created),
                    "first_id": created[0].pk,
                    "last_id": created[-1].pk,
                    "seed": seed,
                },
            )
        done += size
        progress(size)
    return done


def check_ready(scale: int = 1) -> list[Province]:
    """Everything that must hold before the demo writes anything; raises `DemoError` otherwise."""
    if scale < 1:
        raise DemoError("--scale must be 1 or more (thousands of people).")
    provinces = preflight()
    if database_has_organisations():
        raise DemoError(
            "The database already holds organisations, so the demo will not load into it "
            "(run twice?). Use `ansinh demo --if-empty` to skip quietly, or start from an empty database."
        )
    usernames = [*demo_usernames(), *(u for u, _r, _o in SECOND_ACCOUNTS), DEMO_WORKER.passport_number]
    taken = list(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    if taken:
        raise DemoError(f"Demo accounts already exist: {', '.join(sorted(taken))}.")
    # The register is committed batch by batch; checking here keeps a clash with existing personal ID
    # numbers from stopping it half-way.
    if Person.objects.exists():
        raise DemoError("The database already holds people: the demo loads only into an empty register.")
    return provinces


def load(
    *,
    scale: int = 1,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    progress: Callable[[int], None] = lambda n: None,
) -> DemoResult:
    """Loads the demo into an empty database; raises `DemoError` (nothing written) if it cannot."""
    provinces = check_ready(scale)
    # Not `secrets`: the demo must be reproducible from its seed, and its passwords are published anyway.
    rng = random.Random(seed)  # noqa: S311
    credentials = Credentials(random.Random(f"demo-accounts-{seed}"))  # noqa: S311
    chosen = choose_provinces(provinces)
    places = _places(provinces)
    generator = PeopleGenerator(rng=rng, places=places, today=today or timezone.localdate())
    chosen_ids = {p.pk for p in chosen}
    try:
        with transaction.atomic():
            tree = build_tree(chosen)
            load_overseas(tree, today=today or timezone.localdate())
            accounts = _issue_accounts(
                tree, generator, credentials, [p for p in places if p.province_id in chosen_ids]
            )
    except DomainError as exc:
        # A service refused demo data: a bug in the demo or a rule it does not know yet. Nothing was kept.
        raise DemoError(f"The demo data was refused ({exc.code}: {exc.message} {exc.details}).") from exc
    progress(len(accounts))
    total = scale * PEOPLE_PER_SCALE
    # One place in the total is kept for the documented demo worker, made after the register.
    _insert_people(generator, total - len(accounts) - 1, seed=seed, progress=progress)
    try:
        workers = load_workers(tree, generator, seed=seed, today=today or timezone.localdate())
        # After the SOS desk's workers: they keep the people and passports drawn for them before.
        overseas = load_overseas_workers(tree, generator, seed=seed, today=today or timezone.localdate())
    except DomainError as exc:
        raise DemoError(f"The demo workers were refused ({exc.code}: {exc.message} {exc.details}).") from exc
    dossiers = load_dossiers(tree, seed=seed, today=today)
    try:
        # Last: the job seekers' people are not in the register the earlier stories draw from.
        jobs = load_jobs(tree, scale=scale, seed=seed, today=today or timezone.localdate())
    except DomainError as exc:
        raise DemoError(
            f"The demo job exchange was refused ({exc.code}: {exc.message} {exc.details})."
        ) from exc
    try:
        with transaction.atomic():
            second = _issue_second_accounts(tree, credentials, today or timezone.localdate())
        welfare = load_welfare(tree, seed=seed, today=today or timezone.localdate())
        # The commune's allowance applications are dossiers too: the published count includes them.
        dossiers = state_counts()
    except DomainError as exc:
        raise DemoError(
            f"The demo social-security services were refused ({exc.code}: {exc.message} {exc.details})."
        ) from exc
    progress(1)
    return DemoResult(
        seed=seed,
        accounts=accounts,
        organisations=len(tree.all),
        people=total,
        provinces=[p.name for p in chosen],
        dossiers=dossiers,
        workers=workers,
        overseas_workers=overseas.workers,
        overseas_contracts=overseas.contracts,
        job_vacancies=jobs.vacancies,
        job_seekers=jobs.seekers,
        second_accounts=second,
        welfare=welfare,
    )
