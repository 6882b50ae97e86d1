"""The demo's national database of workers abroad under contract: more supply contracts for each demo
enterprise, and a share of the register's people of working age sent abroad on them, each with a worker
code, a passport, a status somewhere in the lifecycle (`overseas.lifecycle`) and the history of steps that
led to it. Loaded after the register (most workers are people of it), so `--scale` grows it: about 330
workers at the default scale, 10,000 and more at `--scale 30`.

The contracts are held to the law like a real submission: their terms go through
`rules.check_supply_contract` and a contract the rules refuse stops the demo (`BreaksTheLaw`, turned into
a `DemoError` by the builder) rather than being written. Markets, salaries and fees are plausible, not
real offers; the foreign employers are invented.

Written directly and in bulk (like the register in `builder._insert_people`): `worker_register` and
`worker_step` cost a transaction, an audit row and a few queries per worker and per step, and need a
signed-in enterprise user and today's date, while the demo tells three years of history. Each batch of
workers commits with one `demo.load` audit row naming its size and id range. The workers get no SOS app
account (the departure service makes one, and hashing a password per worker would cost minutes at this
scale): the SOS desk's demo workers (`workers.py`) have theirs.

Everything is drawn from a generator seeded from the demo's seed, so the same seed gives the same
database; passports missing from the register are drawn by the register's own generator, so they stay
unique.
"""

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from itertools import pairwise

from django.db import transaction
from django.utils import timezone

from ansinh.accounts.models import Organisation, Person
from ansinh.core import audit, workdays
from ansinh.geo.models import Country, Occupation
from ansinh.overseas import lifecycle, rules
from ansinh.overseas.errors import BreaksTheLaw
from ansinh.overseas.models import (
    Contract,
    ContractKind,
    ContractStatus,
    Enterprise,
    ForeignParty,
    ForeignPartyKind,
    Worker,
    WorkerCode,
    WorkerEvent,
)
from ansinh.overseas.services.workers import CODE_ALPHABET, province_of_origin
from ansinh.web.demo.organisations import DemoTree
from ansinh.web.demo.people import PeopleGenerator
from ansinh.web.demo.workers import DEMO_WORKER

# Who may be sent: the register's people aged 18 to 45 today (the register spans 18 to 62). [Demo] More
# than half of them are sent, far above any real population, so that `--scale 30` gives 10,000 workers:
# the register stands for the people these services deal with, not for the whole country.
MIN_AGE, MAX_AGE = 18, 45
SENT_SHARE = 0.55
# Contracts: at least a few per enterprise, and about one per this many workers (real supply contracts are
# for some tens to a few hundred workers).
CONTRACTS_PER_ENTERPRISE = 4
WORKERS_PER_CONTRACT = 150
HISTORY_DAYS = 3 * 365  # departures spread over the last three years
BATCH_SIZE = 2000
CODE_LENGTH = 10

# How a stay ends, per worker who started work (realistic orders of size, not statistics).
DECEASED_SHARE = 0.002
RETURNED_EARLY_SHARE = 0.07
OVERSTAY_SHARE = 0.04
CHANGED_EMPLOYER_SHARE = 0.06
WITHDRAWN_SHARE = 0.03  # registered, then withdrew before departing: the contract is liquidated
DEPORTED_SHARE = 0.25  # of those who stayed on illegally, later sent back (returned before the term)
LIQUIDATED_SHARE = 0.93  # of those back, liquidated (the rest are the dashboards' overdue obligations)


@dataclass(frozen=True)
class Market:
    """A kind of supply contract the demo enterprises sign: the destination and programme (a market of
    `overseas.rules`), the ISCO-08 group, a monthly salary (VND), the term, the share of each cap the
    enterprise charges, the worker's deposit and how common the market is (weight)."""

    country: str
    programme: str
    occupation: str
    monthly_salary: int
    months: int
    service_fee_share: Fraction
    broker_fee_share: Fraction
    deposit: int
    weight: int
    employers: tuple[tuple[str, str], ...]  # (name, registration number), invented


P = rules.Programme
# Japan and Taiwan take most workers, then Korea; Europe and the Middle East a few (DOLAB's yearly figures).
MARKETS: tuple[Market, ...] = (
    Market("JP", P.JP_TECHNICAL_INTERN, "751", 30_000_000, 36, Fraction(4, 5), Fraction(0), 0, 18,
           (("Kobayashi Shokuhin K.K.", "0104-01-223344"), ("Hokkaido Suisan Kako K.K.", "4300-01-556677"))),
    Market("JP", P.JP_TECHNICAL_INTERN, "721", 32_000_000, 36, Fraction(3, 4), Fraction(0), 0, 10,
           (("Aichi Yosetsu Kogyo K.K.", "1800-01-998877"), ("Osaka Zosen K.K.", "1200-01-445566"))),
    Market("JP", P.JP_SPECIFIED_SKILLED, "532", 38_000_000, 12, Fraction(1), Fraction(0), 0, 8,
           (("Sakura Kaigo Fukushi-kai", "0111-05-112233"), ("Midori Care K.K.", "0111-01-778899"))),
    Market("JP", P.JP_TECHNICAL_INTERN_3, "722", 34_000_000, 24, Fraction(0), Fraction(0), 0, 3,
           (("Gifu Kanagata Seisakusho K.K.", "2000-01-334455"),)),
    Market("TW", P.GENERAL, "821", 22_000_000, 36, Fraction(9, 10), Fraction(2, 3), 10_000_000, 20,
           (("Chang Hua Electronics Co., Ltd.", "24567001"),
            ("Taoyuan Precision Industry Co., Ltd.", "24567002"), ("Tainan Textile Corp.", "24567003"))),
    Market("TW", P.TW_CAREGIVER, "532", 20_000_000, 36, Fraction(1), Fraction(1, 2), 8_000_000, 6,
           (("Kaohsiung Home Care Service Center", "24567004"),)),
    Market("TW", P.TW_FARM, "921", 18_000_000, 36, Fraction(1), Fraction(0), 5_000_000, 3,
           (("Yunlin Agricultural Cooperative", "24567005"),)),
    Market("KR", P.GENERAL, "721", 48_000_000, 24, Fraction(3, 4), Fraction(1, 2), 20_000_000, 6,
           (("Daemyung Shipbuilding Co., Ltd.", "134-81-66001"),
            ("Ulsan Steel Works Co., Ltd.", "134-81-66002"))),
    Market("DE", P.GENERAL, "532", 70_000_000, 24, Fraction(0), Fraction(0), 0, 3,
           (("Pflegeheim Am Stadtpark GmbH", "HRB 77110"), ("Klinikum Nordstadt gGmbH", "HRB 77111"))),
    Market("RO", P.GENERAL, "711", 25_000_000, 24, Fraction(3, 4), Fraction(1, 2), 0, 3,
           (("Construct Carpati S.R.L.", "J40/1234/2019"),)),
    Market("HU", P.GENERAL, "932", 24_000_000, 24, Fraction(3, 4), Fraction(0), 0, 2,
           (("Gyor Autoalkatresz Kft.", "08-09-012345"),)),
    Market("SA", P.GENERAL, "931", 12_000_000, 24, Fraction(1), Fraction(0), 0, 2,
           (("Al Noor Contracting Co.", "1010-456789"),)),
    Market("MY", P.GENERAL, "753", 9_000_000, 24, Fraction(1), Fraction(0), 0, 2,
           (("Selangor Garments Sdn. Bhd.", "201901012345"),)),
    Market("PL", P.GENERAL, "751", 26_000_000, 24, Fraction(3, 4), Fraction(0), 0, 1,
           (("Mazury Food Sp. z o.o.", "KRS 0000123456"),)),
)  # fmt: skip

# Employers a worker may move to (a change of employer names the new one; it need not be a party).
OTHER_EMPLOYERS: dict[str, tuple[str, ...]] = {
    "JP": ("Shizuoka Seika K.K.", "Kanto Buhin Kogyo K.K.", "Hiroshima Kaigo Center"),
    "TW": ("Hsinchu Electronics Co., Ltd.", "Taichung Machinery Co., Ltd."),
    "KR": ("Geoje Marine Industry Co., Ltd.", "Busan Metal Co., Ltd."),
}


@dataclass
class _Plan:
    contract: Contract
    market: Market
    opened: date  # registered: recruiting may start
    other_employers: tuple[str, ...]
    branches: list[Organisation]
    workers: int


@dataclass
class _Candidate:
    person_id: int
    personal_id: str
    passport: str
    sex: str
    born: date


@dataclass
class OverseasWorkersResult:
    contracts: int = 0  # the demo enterprises' contracts, the first one each (`overseas.py`) included
    workers: int = 0
    events: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, 28))


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randrange(low, high))


def _round_down(amount: int, step: int = 100_000) -> int:
    return amount // step * step


def _candidates(today: date) -> list[_Candidate]:
    """People of the register of working age, without an account: staff, the citizen and the SOS desk's
    demo workers (the documented one among them) keep to their own stories."""
    rows = (
        Person.objects.filter(
            user__isnull=True,
            personal_id__isnull=False,
            date_of_birth__gt=_add_years(today, -(MAX_AGE + 1)),
            date_of_birth__lte=_add_years(today, -MIN_AGE),
        )
        .order_by("pk")
        .values_list("pk", "personal_id", "passport_number", "sex", "date_of_birth")
    )
    return [
        _Candidate(pk, personal_id, passport, sex, born)
        for pk, personal_id, passport, sex, born in rows.iterator(chunk_size=5000)
        if personal_id and born  # both filtered above: for the type checker
    ]


def contract_terms(contract: Contract) -> rules.SupplyContractTerms:
    """The contract's terms as the rules read them at submission (`services.contracts.contract_submit`)."""
    return rules.SupplyContractTerms(
        country=contract.country.iso2,
        programme=contract.programme or rules.Programme.GENERAL,
        contract_months=contract.contract_months,
        monthly_salary_vnd=contract.monthly_salary,
        service_fee_vnd=contract.service_fee,
        broker_fee_vnd=contract.broker_fee,
        deposit_vnd=contract.worker_deposit,
        workers=contract.workers_planned,
    )


def _check(contract: Contract) -> None:
    violations = rules.check_supply_contract(contract_terms(contract))
    if violations:
        raise BreaksTheLaw(
            details={"number": contract.number, "violations": [v.as_dict() for v in violations]}
        )


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` in `parts` uneven whole shares (some contracts recruit more than others)."""
    weights = [rng.uniform(0.4, 1.6) for _ in range(parts)]
    whole = sum(weights)
    bounds, running = [0], 0.0
    for weight in weights:
        running += weight
        bounds.append(round(total * running / whole))
    return [b - a for a, b in pairwise(bounds)]


def _plan_contracts(rng: random.Random, tree: DemoTree, workers: int, today: date) -> list[_Plan]:
    """Registered supply contracts for the demo enterprises, checked against the rules, and how many of
    the workers each recruits."""
    enterprises = list(
        Enterprise.objects.filter(organisation__in=tree.enterprises)
        .select_related("organisation")
        .prefetch_related("licences")
    )
    enterprises.sort(key=lambda e: [o.pk for o in tree.enterprises].index(e.organisation_id))
    branches = {e.pk: [b for b in tree.branches if b.parent_id == e.organisation_id] for e in enterprises}
    licensed = {
        e.pk: min((licence.issued_on for licence in e.licences.all()), default=today) for e in enterprises
    }
    countries = {c.iso2: c for c in Country.objects.filter(iso2__in={m.country for m in MARKETS})}
    occupations = {o.code: o for o in Occupation.objects.filter(code__in={m.occupation for m in MARKETS})}
    parties = {
        (market.country, registration): ForeignParty.objects.get_or_create(
            kind=ForeignPartyKind.EMPLOYER,
            country=countries[market.country],
            registration_number=registration,
            defaults={"name": name},
        )[0]
        for market in MARKETS
        for name, registration in market.employers
    }
    count = max(CONTRACTS_PER_ENTERPRISE * len(enterprises), math.ceil(workers / WORKERS_PER_CONTRACT))
    shares = _split(rng, workers, count)
    weights = [m.weight for m in MARKETS]
    # The first enterprise (the one the demo accounts work for) sends the most.
    sender_weights = [len(enterprises) - n + 1 for n in range(len(enterprises))]
    earliest = today - timedelta(days=HISTORY_DAYS + 150)
    span = (today - timedelta(days=20) - earliest).days
    plans, sequence = [], Counter[tuple[str, int]]()
    for n, share in enumerate(shares):
        if n < CONTRACTS_PER_ENTERPRISE * len(enterprises):
            enterprise = enterprises[n % len(enterprises)]
        else:
            enterprise = rng.choices(enterprises, weights=sender_weights)[0]
        market = rng.choices(MARKETS, weights=weights)[0]
        employer, registration = rng.choice(market.employers)
        # Not before the enterprise was licensed (a month to find its first employer).
        signed = max(earliest + timedelta(days=rng.randrange(span)), licensed[enterprise.pk] + timedelta(30))
        submitted = signed + _days(rng, 1, 10)
        reply_due = workdays.add_working_days(submitted, rules.REPLY_WORKING_DAYS)
        decided = min(submitted + _days(rng, 1, 6), reply_due)
        salary = _round_down(int(market.monthly_salary * rng.uniform(0.92, 1.12)))
        market_code = rules.market_code(market.country, market.programme)
        fee_cap = rules.service_fee_cap(market_code, market.months, salary).amount_vnd
        broker_cap = rules.broker_fee_cap(market_code, market.months, salary).amount_vnd
        sequence[(market.country, signed.year)] += 1
        serial = sequence[(market.country, signed.year)]
        number = f"HĐCU-{market.country}-{signed.year}-{enterprises.index(enterprise) + 1}{serial:03d}"
        contract = Contract(
            enterprise=enterprise,
            kind=ContractKind.SUPPLY,
            number=number,
            foreign_party=parties[(market.country, registration)],
            country=countries[market.country],
            programme=market.programme,
            occupation=occupations[market.occupation],
            workers_planned=max(share + rng.randrange(0, share // 4 + 2), 1),
            monthly_salary=salary,
            contract_months=market.months,
            service_fee=_round_down(int(fee_cap * market.service_fee_share)),
            broker_fee=_round_down(int(broker_cap * market.broker_fee_share)),
            worker_deposit=market.deposit,
            signed_on=signed,
            status=ContractStatus.REGISTERED,
            registrar=tree.overseas_department,
            submitted_at=_moment(submitted, 10),
            reply_due=reply_due,
            decided_at=_moment(decided, 15),
            org_path=enterprise.org_path,
            province_id=enterprise.province_id,
        )
        _check(contract)
        others = tuple(name for name, _r in market.employers if name != employer)
        plans.append(
            _Plan(
                contract=contract,
                market=market,
                opened=decided,
                other_employers=others + OTHER_EMPLOYERS.get(market.country, ()),
                branches=branches[enterprise.pk],
                workers=share,
            )
        )
    created = Contract.objects.bulk_create([p.contract for p in plans])
    for plan, contract in zip(plans, created, strict=True):
        plan.contract = contract
    audit.record(
        actor=None,
        action="demo.load",
        object_type="overseas.contract",
        changes={"count": len(created), "first_id": created[0].pk, "last_id": created[-1].pk},
    )
    return plans


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    """A time of the working day in Viet Nam, as the aware datetime the tables keep."""
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_default_timezone())


def timeline(
    rng: random.Random, *, opened: date, months: int, born: date, today: date, changed_to: Sequence[str]
) -> tuple[list[tuple[str, date]], str]:
    """The steps of one worker's time abroad up to `today`, each allowed after the one before
    (`lifecycle.NEXT_STEPS`), and the employer they moved to ("" if none). Recruited after the contract
    is registered (`opened`) and not before turning 18; departs 45 to 150 days later (within the 180
    days of Law 69/2020 Art 26)."""
    registered = min(max(opened + _days(rng, 0, 90), _add_years(born, MIN_AGE)), today)
    steps = [(lifecycle.REGISTERED, registered)]
    departure = registered + _days(rng, 45, 150)
    trained = departure - _days(rng, 7, 30)
    if rng.random() < WITHDRAWN_SHARE:
        withdrawn = registered + _days(rng, 10, 120)
        if withdrawn <= today:
            if trained < withdrawn:
                steps.append((lifecycle.TRAINED, trained))
            steps.append((lifecycle.LIQUIDATED, withdrawn))
            return steps, ""
    for step, on in ((lifecycle.TRAINED, trained), (lifecycle.DEPARTED, departure)):
        if on > today:
            return steps, ""
        steps.append((step, on))
    working = departure + _days(rng, 2, 15)
    if working > today:
        return steps, ""
    steps.append((lifecycle.WORKING, working))
    term_end = _add_months(departure, months)
    last = min(today, term_end)
    span = (last - working).days
    roll = rng.random()
    end: tuple[str, date] | None = None
    if span > 60 and roll < DECEASED_SHARE:
        end = (lifecycle.DECEASED, working + _days(rng, 30, span))
    elif span > 60 and roll < DECEASED_SHARE + RETURNED_EARLY_SHARE:
        end = (lifecycle.RETURNED_EARLY, working + _days(rng, 30, span))
    elif roll < DECEASED_SHARE + RETURNED_EARLY_SHARE + OVERSTAY_SHARE:
        # Half leave their workplace during the contract, half stay on when it ends.
        if term_end < today and rng.random() < 0.5:
            end = (lifecycle.OVERSTAYING, min(term_end + _days(rng, 1, 30), today))
        elif span > 60:
            end = (lifecycle.OVERSTAYING, working + _days(rng, 60, span))
    elif term_end <= today:
        end = (lifecycle.RETURNED, min(term_end + _days(rng, 0, 10), today))
    employer = ""
    until = end[1] if end else today
    if changed_to and rng.random() < CHANGED_EMPLOYER_SHARE and (until - working).days > 90:
        changed = working + _days(rng, 60, (until - working).days - 20)
        employer = rng.choice(changed_to)
        steps.append((lifecycle.CHANGED_EMPLOYER, changed))
        back_to_work = changed + _days(rng, 5, 20)
        if back_to_work < until and rng.random() < 0.6:
            steps.append((lifecycle.WORKING, back_to_work))
    if end is None:
        return steps, employer
    steps.append(end)
    if end[0] == lifecycle.OVERSTAYING:
        sent_back = end[1] + _days(rng, 30, 400)
        if sent_back > today or rng.random() >= DEPORTED_SHARE:
            return steps, employer
        end = (lifecycle.RETURNED_EARLY, sent_back)
        steps.append(end)
    liquidated = end[1] + _days(rng, 10, 200)
    if liquidated <= today and rng.random() < LIQUIDATED_SHARE:
        steps.append((lifecycle.LIQUIDATED, liquidated))
    return steps, employer


class _Codes:
    """Worker codes from the demo's generator (`_new_code` draws from the OS), never one issued before."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.issued = set(WorkerCode.objects.values_list("code", flat=True))

    def new(self) -> str:
        base = len(CODE_ALPHABET)
        while True:
            n = self.rng.randrange(base**CODE_LENGTH)
            digits = []
            for _ in range(CODE_LENGTH):
                n, digit = divmod(n, base)
                digits.append(CODE_ALPHABET[digit])
            code = "".join(digits)
            if code not in self.issued:
                self.issued.add(code)
                return code


def _branch_for(rng: random.Random, plan: _Plan, province_id: int | None) -> Organisation | None:
    """Branches recruit where they are: most workers from a branch's province are registered by it, and a
    few from elsewhere."""
    local = [b for b in plan.branches if b.province_id == province_id]
    if local and rng.random() < 0.8:
        return local[0]
    if plan.branches and rng.random() < 0.15:
        return rng.choice(plan.branches)
    return None


def _insert_batch(
    rng: random.Random,
    codes: _Codes,
    generator: PeopleGenerator,
    batch: list[tuple[_Candidate, _Plan]],
    provinces: dict[str, int],
    *,
    seed: int,
    today: date,
    result: OverseasWorkersResult,
) -> None:
    new_codes, passports, workers, histories = [], [], [], []
    for person, plan in batch:
        contract = plan.contract
        if not person.passport:
            # Nobody departs without one: issued now, from the register's own series (never a duplicate;
            # the documented demo worker's fixed number is set by hand, so it is skipped).
            person.passport = generator.passport_number()
            while person.passport == DEMO_WORKER.passport_number:
                person.passport = generator.passport_number()
            passports.append(Person(pk=person.person_id, passport_number=person.passport))
        steps, employer = timeline(
            rng,
            opened=plan.opened,
            months=contract.contract_months,
            born=person.born,
            today=today,
            changed_to=plan.other_employers,
        )
        code = codes.new()
        first = _moment(steps[0][1], 8, rng.randrange(60))
        new_codes.append(WorkerCode(person_id=person.person_id, code=code, issued_at=first))
        province_id = provinces.get(person.personal_id)
        branch = _branch_for(rng, plan, province_id)
        status = steps[-1][0]
        departed = next((on for step, on in steps if step == lifecycle.DEPARTED), None)
        ended = [on for step, on in steps if step in lifecycle.ENDS_THE_STAY]
        workers.append(
            Worker(
                person_id=person.person_id,
                worker_code=code,
                passport_number=person.passport,
                enterprise_id=contract.enterprise_id,
                contract=contract,
                country_id=contract.country_id,
                occupation_id=contract.occupation_id,
                employer_name=employer or contract.foreign_party.name,
                sex=person.sex,
                departure_date=departed,
                return_date=ended[-1] if ended else None,
                status=status,
                org_path=branch.path if branch else contract.org_path,
                province_id=province_id,
                created_at=first,
            )
        )
        histories.append(steps)
        result.by_status[status] = result.by_status.get(status, 0) + 1
    with transaction.atomic():
        if passports:
            Person.objects.bulk_update(passports, ["passport_number"], batch_size=500)
        WorkerCode.objects.bulk_create(new_codes)
        created = Worker.objects.bulk_create(workers)
        events = [
            WorkerEvent(worker_id=worker.pk, status=step, on=on, at=_moment(on, 9 + n % 8, n))
            for worker, steps in zip(created, histories, strict=True)
            for n, (step, on) in enumerate(steps)
        ]
        WorkerEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)
        audit.record(
            actor=None,
            action="demo.load",
            object_type="overseas.worker",
            changes={
                "count": len(created),
                "first_id": created[0].pk,
                "last_id": created[-1].pk,
                "events": len(events),
                "passports_issued": len(passports),
                "seed": seed,
            },
        )
    result.workers += len(created)
    result.events += len(events)


def load_overseas_workers(
    tree: DemoTree, generator: PeopleGenerator, *, seed: int, today: date, batch_size: int = BATCH_SIZE
) -> OverseasWorkersResult:
    """Contracts and workers abroad for the demo enterprises, from the register already loaded."""
    rng = random.Random(f"demo-overseas-workers-{seed}")  # noqa: S311 - reproducible demo data, not a secret
    people = [p for p in _candidates(today) if rng.random() < SENT_SHARE]
    result = OverseasWorkersResult()
    if not people or not tree.enterprises:
        return result
    rng.shuffle(people)
    provinces = province_of_origin([p.personal_id for p in people])
    with transaction.atomic():
        plans = _plan_contracts(rng, tree, len(people), today)
    result.contracts = Contract.objects.filter(enterprise__organisation__in=tree.enterprises).count()
    assigned = iter(people)
    pairs = [(next(assigned), plan) for plan in plans for _ in range(plan.workers)]
    codes = _Codes(rng)
    for start in range(0, len(pairs), batch_size):
        _insert_batch(
            rng,
            codes,
            generator,
            pairs[start : start + batch_size],
            provinces,
            seed=seed,
            today=today,
            result=result,
        )
    return result
