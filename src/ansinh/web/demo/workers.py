"""Demo workers abroad and the desk's directory of missions.

About forty people of the demo register (aged 20-40, with a passport) are provisioned as workers in Korea,
Japan, Taiwan and Germany through `worker_provision`, as the centre's import would: each gets an account
whose username and first password are the passport number. One more worker is documented for testers
(`DEMO_WORKER`): a fixed passport number and date of birth, so the first sign-in can be tried by hand.

Employers abroad are invented. Missions are real bodies, but the demo holds no phone numbers for them:
numbers that look real and are wrong would send a worker in danger nowhere. The centre keeps the
directory current; only the local emergency numbers, which are public and stable, are filled in.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from ansinh.accounts import services as accounts
from ansinh.accounts.models import Person
from ansinh.core import audit
from ansinh.geo.models import Province, Ward
from ansinh.sos.models import Mission, MissionKind, Programme, WorkerSource
from ansinh.sos.services import workers
from ansinh.web.demo.organisations import DemoTree
from ansinh.web.demo.people import PeopleGenerator


@dataclass(frozen=True)
class DemoWorker:
    passport_number: str
    full_name: str
    date_of_birth: date
    country: str
    programme: str
    employer: str
    phone: str
    security_question: str
    security_answer: str


# The worker testers sign in as. Their first password is the passport number.
DEMO_WORKER = DemoWorker(
    passport_number="C1234567",
    full_name="Nguyễn Văn An",
    date_of_birth=date(1995, 3, 14),
    country="KR",
    programme=Programme.EPS_KOREA,
    employer="Hanil Industrial Co., Ltd.",
    phone="+821012345678",
    security_question="Tên ở nhà của bạn là gì?",
    security_answer="Tí",
)

# country, how many, programmes, invented employers abroad, years of a first contract
_DESTINATIONS: list[tuple[str, int, list[str], list[str], int]] = [
    ("KR", 14, [Programme.EPS_KOREA],
     ["Hanil Industrial Co., Ltd.", "Daemyung Precision Co., Ltd.", "Seongwon Agricultural Cooperative",
      "Namhae Fisheries Co., Ltd."], 3),
    ("JP", 12, [Programme.JAPAN_TECHNICAL_INTERN, Programme.JAPAN_SPECIFIED_SKILLED],
     ["Kobayashi Foods Co., Ltd.", "Aichi Auto Parts K.K.", "Sakura Care Home",
      "Hokkaido Marine Processing Co."], 3),
    ("TW", 10, [Programme.TAIWAN],
     ["Chang Hua Electronics Co., Ltd.", "Tainan Textile Corp.", "Kaohsiung Metal Works Co."], 3),
    ("DE", 4, [Programme.GERMANY_CARE], ["Pflegeheim Am Stadtpark GmbH", "Klinikum Nordstadt"], 3),
]  # fmt: skip

# EPS (Korea) and the nursing programme with Germany are government programmes run by the Centre of Overseas
# Labour itself; workers for Japan and Taiwan are sent by licensed enterprises.
_SENT_BY_THE_CENTRE = {Programme.EPS_KOREA, Programme.GERMANY_CARE}

# country, city, embassy (vi, en), labour section (vi, en), local emergency number for the police
_MISSIONS = [
    ("KR", "Seoul",
     ("Đại sứ quán Việt Nam tại Hàn Quốc", "Embassy of Viet Nam in the Republic of Korea"),
     ("Ban Quản lý lao động, Đại sứ quán Việt Nam tại Hàn Quốc",
      "Labour Management Board, Embassy of Viet Nam in the Republic of Korea"),
     ("Cảnh sát Hàn Quốc", "Korean National Police"), "112"),
    ("JP", "Tokyo",
     ("Đại sứ quán Việt Nam tại Nhật Bản", "Embassy of Viet Nam in Japan"),
     ("Ban Quản lý lao động, Đại sứ quán Việt Nam tại Nhật Bản",
      "Labour Management Board, Embassy of Viet Nam in Japan"),
     ("Cảnh sát Nhật Bản", "Japanese police"), "110"),
    # Taiwan: the Viet Nam Economic and Cultural Office in Taipei acts for an embassy.
    ("TW", "Taipei",
     ("Văn phòng Kinh tế và Văn hóa Việt Nam tại Đài Bắc", "Viet Nam Economic and Cultural Office in Taipei"),
     ("Ban Quản lý lao động, Văn phòng Kinh tế và Văn hóa Việt Nam tại Đài Bắc",
      "Labour Management Board, Viet Nam Economic and Cultural Office in Taipei"),
     ("Cảnh sát Đài Loan", "Police in Taiwan"), "110"),
    ("DE", "Berlin",
     ("Đại sứ quán Việt Nam tại Đức", "Embassy of Viet Nam in Germany"),
     ("Bộ phận Quản lý lao động, Đại sứ quán Việt Nam tại Đức",
      "Labour Section, Embassy of Viet Nam in Germany"),
     ("Cảnh sát Đức", "German police"), "110"),
]  # fmt: skip


def demo_worker_count() -> int:
    return sum(n for _c, n, _p, _e, _y in _DESTINATIONS) + 1


def _fixed_person(generator: PeopleGenerator) -> Person:
    """The documented worker, drawn like any other person (a personal ID number that matches the birth
    year and sex, an address, a ward), with the published name, birth date and passport number."""
    data = generator.person(sex="M")
    code = data.personal_id[:3]  # the province where the birth was registered
    return accounts.person_create(
        actor=None,
        full_name=DEMO_WORKER.full_name,
        sex="M",
        date_of_birth=DEMO_WORKER.date_of_birth,
        personal_id=generator.personal_id(code, "M", DEMO_WORKER.date_of_birth),
        passport_number=DEMO_WORKER.passport_number,
        address=data.address,
        province=Province.objects.get(pk=data.province_id),
        ward=Ward.objects.get(pk=data.ward_id) if data.ward_id else None,
    )


def _candidates(today: date) -> list[Person]:
    """People of the register who could be working abroad: a passport, 20 to 40 years old, no account."""
    return list(
        Person.objects.filter(
            user__isnull=True,
            worker_abroad__isnull=True,
            date_of_birth__gt=today.replace(year=today.year - 40),
            date_of_birth__lte=today.replace(year=today.year - 20),
        )
        .exclude(passport_number="")
        .exclude(passport_number=DEMO_WORKER.passport_number)
        .order_by("pk")
    )


def load_missions() -> int:
    """For each country: the mission, its labour section and the local police (emergency number only)."""
    rows: list[Mission] = []
    for country, city, embassy, labour, police, emergency in _MISSIONS:
        rows += [
            Mission(
                name=embassy[0], name_en=embassy[1], kind=MissionKind.EMBASSY, country=country, city=city
            ),
            Mission(
                name=labour[0], name_en=labour[1], kind=MissionKind.LABOUR_ATTACHE, country=country, city=city
            ),
            Mission(
                name=f"{police[0]} (khẩn cấp {emergency})",
                name_en=f"{police[1]} (emergency {emergency})",
                kind=MissionKind.POLICE,
                country=country,
                phone_24h=emergency,
            ),
        ]
    created = Mission.objects.bulk_create(rows)
    audit.record(
        actor=None,
        action="demo.load",
        object_type="sos.mission",
        changes={"count": len(created), "first_id": created[0].pk, "last_id": created[-1].pk},
    )
    return len(created)


@transaction.atomic
def load_workers(tree: DemoTree, generator: PeopleGenerator, *, seed: int, today: date) -> int:
    """Provisions the demo workers (after the register is loaded: most of them are people of it) and the
    directory of missions. Returns the number of workers."""
    rng = random.Random(f"demo-workers-{seed}")  # noqa: S311 - reproducible demo data, not a secret
    person = _fixed_person(generator)
    profile, _created = workers.worker_provision(
        actor=None,
        passport_number=DEMO_WORKER.passport_number,
        full_name=DEMO_WORKER.full_name,
        date_of_birth=DEMO_WORKER.date_of_birth,
        country=DEMO_WORKER.country,
        programme=DEMO_WORKER.programme,
        employer=DEMO_WORKER.employer,
        enterprise=tree.colab.name,
        contract_number="KR-2024-00001",
        departure_date=today - timedelta(days=400),
        contract_end=today - timedelta(days=400) + timedelta(days=3 * 365),
        phone=DEMO_WORKER.phone,
        source=WorkerSource.DEMO,
    )
    assert profile.person_id == person.pk
    # A security answer, so the desk's check of a caller can be tried (`POST .../check-answer`).
    workers.profile_update(
        actor=person.user,
        phone=DEMO_WORKER.phone,
        security_question=DEMO_WORKER.security_question,
        security_answer=DEMO_WORKER.security_answer,
        language="vi",
    )
    wanted = demo_worker_count() - 1
    pool = _candidates(today)
    chosen = rng.sample(pool, min(wanted, len(pool)))
    enterprises = [e.name for e in tree.enterprises]
    count = 1
    picks = iter(chosen)
    for country, how_many, programmes, employers, years in _DESTINATIONS:
        for n in range(how_many):
            candidate = next(picks, None)
            if candidate is None:
                break
            programme = rng.choice(programmes)
            departed = today - timedelta(days=rng.randrange(30, years * 365 - 30))
            workers.worker_provision(
                actor=None,
                passport_number=candidate.passport_number,
                full_name=candidate.full_name,
                date_of_birth=candidate.date_of_birth,
                country=country,
                programme=programme,
                employer=rng.choice(employers),
                enterprise=tree.colab.name if programme in _SENT_BY_THE_CENTRE else rng.choice(enterprises),
                contract_number=f"{country}-{departed.year}-{n + 2:05d}",
                departure_date=departed,
                contract_end=departed + timedelta(days=years * 365),
                source=WorkerSource.DEMO,
            )
            count += 1
    load_missions()
    return count
