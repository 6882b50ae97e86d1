"""The demo's workers abroad under contract (`ansinh.web.demo.overseas_workers`): they grow with the register,
their contracts pass the rules of the law, each worker's status is the last step of a history the lifecycle
allows, the same seed gives the same database, and the province of origin is the personal ID number's.

Most tests load a lean demo (the organisation tree, the enterprises, a register, the workers) rather than the
whole `ansinh demo`, which issues accounts and files dossiers; one test runs the command at scale 1 and reads
the workers back through the statistics page and the enterprise's worker list."""

import random
from collections import Counter
from datetime import date, timedelta
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from ansinh.accounts.middleware import SESSION_2FA_KEY
from ansinh.accounts.models import Organisation, Person, User
from ansinh.core.identifiers import is_vietnamese_passport_format
from ansinh.geo.models import LegacyProvince, Province
from ansinh.overseas import lifecycle, rules
from ansinh.overseas.models import Contract, ContractStatus, Worker, WorkerCode, WorkerEvent, WorkerStatus
from ansinh.web.demo import builder
from ansinh.web.demo.organisations import DemoTree, build_tree, choose_provinces
from ansinh.web.demo.overseas import load_overseas
from ansinh.web.demo.overseas_workers import (
    HISTORY_DAYS,
    MARKETS,
    MAX_AGE,
    MIN_AGE,
    SENT_SHARE,
    WORKERS_PER_CONTRACT,
    OverseasWorkersResult,
    load_overseas_workers,
    timeline,
)
from ansinh.web.demo.people import PeopleGenerator
from ansinh.web.demo.workers import DEMO_WORKER

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 30)


def _lean_demo(people: int, *, seed: int = 2026) -> tuple[DemoTree, OverseasWorkersResult]:
    """The tree, the enterprises with their first contract, `people` invented people, then the workers."""
    provinces = list(Province.objects.order_by("code"))
    tree = build_tree(choose_provinces(provinces))
    load_overseas(tree, today=TODAY)
    rng = random.Random(seed)
    generator = PeopleGenerator(rng=rng, places=builder._places(provinces), today=TODAY)
    builder._insert_people(generator, people, seed=seed, progress=lambda n: None)
    return tree, load_overseas_workers(tree, generator, seed=seed, today=TODAY)


@pytest.fixture
def lean(reference_data) -> tuple[DemoTree, OverseasWorkersResult]:
    return _lean_demo(1000)


class _Rollback(Exception):
    pass


def _snapshot(people: int, seed: int) -> tuple[OverseasWorkersResult, list[tuple[object, ...]]]:
    try:
        with transaction.atomic():
            _tree, result = _lean_demo(people, seed=seed)
            rows: list[tuple[object, ...]] = list(
                Worker.objects.order_by("person__personal_id", "contract__number").values_list(
                    "person__personal_id",
                    "worker_code",
                    "passport_number",
                    "contract__number",
                    "contract__monthly_salary",
                    "status",
                    "departure_date",
                    "return_date",
                    "employer_name",
                    "org_path",
                )
            )
            # Organisations by code: ids are not rolled back on PostgreSQL (sequences), paths hold ids.
            codes = dict(Organisation.objects.values_list("path", "code"))
            rows = [(*row[:-1], codes[str(row[-1])]) for row in rows]
            rows += list(
                WorkerEvent.objects.order_by("worker__person__personal_id", "on", "at").values_list(
                    "worker__person__personal_id", "status", "on"
                )
            )
            raise _Rollback
    except _Rollback:
        pass
    return result, rows


def test_counts_grow_with_the_scale(reference_data):
    small, _rows = _snapshot(1000, 2026)
    large, _rows = _snapshot(3000, 2026)
    assert not Worker.objects.exists()  # both rolled back
    # About 55% of the register's people aged 18-45 (of 18-62): a few hundred at the default scale, ...
    assert 250 < small.workers < 450
    assert 2.6 * small.workers < large.workers < 3.4 * small.workers
    # A few more contracts per enterprise besides the first, then more as the workers grow.
    assert large.contracts >= small.contracts >= 4 * 3 + 3
    assert large.workers / (large.contracts - 3) <= WORKERS_PER_CONTRACT
    assert large.events > 3 * large.workers
    # ... so 10,000 and more at `--scale 30` (the share of the register's age span that is sent).
    assert SENT_SHARE * (MAX_AGE + 1 - MIN_AGE) / (62 - MIN_AGE) * 30_000 > 10_000


def test_every_contract_passes_the_rules(lean):
    tree, result = lean
    contracts = Contract.objects.filter(enterprise__organisation__in=tree.enterprises).select_related(
        "country", "enterprise"
    )
    assert contracts.count() == result.contracts
    assert {c.country.iso2 for c in contracts} >= {"JP", "TW"}
    for contract in contracts:
        # The terms as `contract_submit` reads them.
        terms = rules.SupplyContractTerms(
            country=contract.country.iso2,
            programme=contract.programme or rules.Programme.GENERAL,
            contract_months=contract.contract_months,
            monthly_salary_vnd=contract.monthly_salary,
            service_fee_vnd=contract.service_fee,
            broker_fee_vnd=contract.broker_fee,
            deposit_vnd=contract.worker_deposit,
            workers=contract.workers_planned,
        )
        assert rules.check_supply_contract(terms) == [], contract.number
        assert contract.status == ContractStatus.REGISTERED
        assert contract.registrar == tree.overseas_department
        assert contract.org_path == contract.enterprise.org_path
        assert contract.enterprise.licences.get().issued_on < contract.signed_on <= TODAY
        sent = contract.workers.count()
        assert sent <= contract.workers_planned
        assert not contract.workers.exclude(country=contract.country_id).exists()
        assert not contract.workers.exclude(occupation=contract.occupation_id).exists()
        assert not contract.workers.exclude(enterprise=contract.enterprise_id).exists()
        if sent:
            assert contract.decided_at is not None
            first = contract.workers.order_by("events__on").values_list("events__on", flat=True).first()
            assert first is not None
            assert first >= contract.decided_at.date()  # recruited once the contract is registered


def test_the_markets_fees_stay_under_the_caps_at_any_salary_drawn():
    for market in MARKETS:
        code = rules.market_code(market.country, market.programme)
        for salary in (int(market.monthly_salary * 0.92), int(market.monthly_salary * 1.12)):
            cap = rules.service_fee_cap(code, market.months, salary).amount_vnd
            broker = rules.broker_fee_cap(code, market.months, salary).amount_vnd
            terms = rules.SupplyContractTerms(
                country=market.country,
                programme=market.programme,
                contract_months=market.months,
                monthly_salary_vnd=salary,
                service_fee_vnd=int(cap * market.service_fee_share),
                broker_fee_vnd=int(broker * market.broker_fee_share),
                deposit_vnd=market.deposit,
            )
            assert rules.check_supply_contract(terms) == [], market


def test_each_worker_status_is_the_last_step_of_an_allowed_history(lean):
    _tree, result = lean
    workers = Worker.objects.prefetch_related("events").select_related("person")
    assert workers.count() == result.workers
    assert WorkerEvent.objects.count() == result.events
    earliest = TODAY - timedelta(days=HISTORY_DAYS + 10)
    for worker in workers:
        events = sorted(worker.events.all(), key=lambda e: (e.on, e.at, e.pk))
        steps = [e.status for e in events]
        assert steps[0] == lifecycle.REGISTERED
        for before, after in pairwise(steps):
            assert lifecycle.can_step(before, after), (worker.pk, steps)
        assert worker.status == steps[-1], (worker.pk, steps)
        assert all(e.on <= TODAY for e in events)
        departed = [e.on for e in events if e.status == lifecycle.DEPARTED]
        assert worker.departure_date == (departed[0] if departed else None)
        if worker.departure_date:
            assert earliest <= worker.departure_date <= TODAY
        back = [e.on for e in events if e.status in lifecycle.ENDS_THE_STAY]
        assert worker.return_date == (back[-1] if back else None)
        # Of age when registered (the form refuses anyone younger).
        registered = events[0].on
        assert worker.person.date_of_birth is not None
        assert registered >= rules.add_years(worker.person.date_of_birth, 18)
    statuses = Counter(workers.values_list("status", flat=True))
    # Most are abroad at work; some not gone yet, some back.
    assert statuses[WorkerStatus.WORKING] > 0.4 * result.workers
    assert statuses[WorkerStatus.REGISTERED] + statuses[WorkerStatus.TRAINED] > 0
    assert statuses[WorkerStatus.LIQUIDATED] + statuses[WorkerStatus.RETURNED] > 0


def test_the_timeline_reaches_every_status_in_realistic_proportions():
    rng = random.Random(7)
    reached: Counter[str] = Counter()
    runs = 20_000
    for _ in range(runs):
        opened = TODAY - timedelta(days=rng.randrange(20, HISTORY_DAYS + 150))
        steps, employer = timeline(
            rng,
            opened=opened,
            months=rng.choice([12, 24, 36]),
            born=date(1995, 5, 5),
            today=TODAY,
            changed_to=["Other Co."],
        )
        for before, after in pairwise(steps):
            assert lifecycle.can_step(before[0], after[0]), steps
            assert before[1] <= after[1], steps
        assert (employer != "") == any(s == lifecycle.CHANGED_EMPLOYER for s, _on in steps)
        reached[steps[-1][0]] += 1
    assert set(reached) == set(WorkerStatus.values)
    share = {status: n / runs for status, n in reached.items()}
    assert share[WorkerStatus.WORKING] > 0.35
    assert share[WorkerStatus.DECEASED] < 0.01
    assert share[WorkerStatus.OVERSTAYING] < 0.06
    assert share[WorkerStatus.RETURNED_EARLY] < 0.06


def test_the_province_of_origin_is_read_from_the_personal_id(lean):
    successors = dict(LegacyProvince.objects.values_list("code", "successor_id"))
    workers = list(Worker.objects.select_related("person"))
    codes = dict(WorkerCode.objects.values_list("person_id", "code"))
    for worker in workers:
        assert worker.province_id is not None
        assert worker.person.personal_id is not None
        assert worker.province_id == successors[worker.person.personal_id[:3]]
        # The person's own passport and code; the sex copied for the statistics.
        assert worker.passport_number == worker.person.passport_number
        assert is_vietnamese_passport_format(worker.passport_number)
        assert worker.worker_code == codes[worker.person_id]
        assert worker.sex == worker.person.sex
    assert len({w.worker_code for w in workers}) == len(workers)
    passports = list(Person.objects.exclude(passport_number="").values_list("passport_number", flat=True))
    assert len(passports) == len(set(passports))


def test_some_workers_are_registered_by_the_branches(lean):
    tree, _result = lean
    by_branch = Worker.objects.filter(org_path__in=[b.path for b in tree.branches])
    assert 0 < by_branch.count() < Worker.objects.count() / 2
    for worker in by_branch.select_related("enterprise"):
        assert worker.org_path.startswith(worker.enterprise.org_path)


def test_same_seed_same_workers(reference_data):
    first = _snapshot(1000, 11)
    again = _snapshot(1000, 11)
    other = _snapshot(1000, 12)
    assert first[1] == again[1]
    assert first[0] == again[0]
    assert first[1] != other[1]


def _client(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    session = client.session
    session[SESSION_2FA_KEY] = True  # as after the second factor
    session.save()
    return client


def test_the_demo_command_loads_workers_the_pages_show(reference_data, tmp_path):
    out = StringIO()
    accounts = tmp_path / "demo-accounts.md"
    call_command("demo", "--accounts-file", str(accounts), stdout=out, verbosity=0)
    count = Worker.objects.count()
    assert count > 250
    assert f"{count:,} workers abroad under contract" in out.getvalue()
    assert f"{count:,} people of the register aged 18 to 45" in accounts.read_text(encoding="utf-8")
    # The documented demo worker keeps to the SOS desk's story.
    assert not Worker.objects.filter(passport_number=DEMO_WORKER.passport_number).exists()
    assert not Worker.objects.filter(person__user__isnull=False).exists()
    latest = Worker.objects.exclude(departure_date=None).latest("departure_date").departure_date
    assert latest is not None
    year = latest.year
    departed = Worker.objects.filter(departure_date__year=year).count()
    page = _client("demo.dolab").get("/staff/overseas/statistics/", {"year": year})
    assert page.status_code == 200
    assert f"{departed:,}".replace(",", ".") in page.content.decode()
    enterprise = _client("demo.enterprise")
    listed = enterprise.get("/overseas/enterprise/workers/")
    assert listed.status_code == 200
    organisation = User.objects.get(username="demo.enterprise").memberships.get().organisation
    mine = Worker.objects.filter(org_path__startswith=organisation.path)
    newest = mine.order_by("-pk").select_related("person").first()
    assert newest is not None
    assert newest.worker_code in listed.content.decode()
